"""A policy file as written: pydantic models, imported only to validate one.

A loaded :class:`~forcecheck.model.policy.Policy` keeps none of these: its metadata is a
:class:`~forcecheck.model.policy.PolicySpec`, its rules and properties are resolved into
:class:`~forcecheck.model.policy.Rule` and
:class:`~forcecheck.model.properties.Property`. So a command that finds a policy in the cache
never imports this module, nor pydantic.

Rules and properties are pydantic models rather than records (forcecheck.model.hints) because
their keys ``not``, ``if`` and ``is`` are Python keywords: a model can give a field an
alias, a dataclass cannot. A rule's expression keys are generated from the combinators
(:data:`forcecheck.model.semantics.COMBINATORS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    create_model,
    field_validator,
)
from pydantic_core import core_schema

from forcecheck.model.citation import Citation
from forcecheck.model.hints import Hint
from forcecheck.model.logic import FACT_VALUE_JSON_SCHEMA, Status, Value, parse_value
from forcecheck.model.policy import POLICY_ID, RULE_ID, Belief, Interpretation, PolicySpec
from forcecheck.model.semantics import COMBINATORS, FORMS, Slot

#: The rule language as JSON Schema (``$defs/Expression`` of the policy schema), built from
#: the combinators' slots. Expressions stay plain data in the models, for the parser
#: (:mod:`forcecheck.load.expression_parser`) to resolve with located errors; this describes
#: the same shape to editors and other tools.

#: Exactly one combinator per expression, with all of its keys (``if`` and ``then`` together).
_ONE_FORM: list[Any] = [{"required": [slot.key for slot in c.slots]} for c in COMBINATORS]


def _slot_json_schema(slot: Slot, ref: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one slot's value, ``ref`` pointing at the Expression schema."""
    if slot.takes == "exprs":
        return {"type": "array", "minItems": 1, "items": ref, "description": slot.words}
    if slot.takes == "count":
        return {"type": "integer", "minimum": 1, "description": slot.words}
    if slot.takes == "choice":
        return {"enum": list(slot.choices), "description": slot.words}
    return {"allOf": [ref], "description": slot.words}


class _ExpressionData:
    """Annotation: an expression (or one slot's value) as data, typed only for JSON Schema.

    Validation accepts anything (the parser checks it); the JSON Schema is the recursive
    ``Expression`` definition, or, with ``slot``, the value that slot takes.
    """

    def __init__(self, slot: Slot | None = None) -> None:
        self.slot = slot

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.any_schema(ref="Expression")

    def __get_pydantic_json_schema__(
        self, schema: Any, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        ref = handler(schema)
        body = handler.resolve_ref_schema(ref)
        if not body:  # the first use defines it
            body["description"] = f"a fact or rule name, or exactly one of {FORMS}"
            body["anyOf"] = [
                {"type": "string", "pattern": RULE_ID.pattern},
                {
                    "type": "object",
                    "properties": {
                        slot.key: _slot_json_schema(slot, ref)
                        for c in COMBINATORS
                        for slot in c.slots
                    },
                    "additionalProperties": False,
                    "oneOf": _ONE_FORM,
                },
                {
                    "type": "object",
                    "description": "another policy's decision, its rules copied in "
                    "(forcecheck.load.policy_reference)",
                    "properties": {"policy": {"type": "string", "pattern": POLICY_ID.pattern}},
                    "required": ["policy"],
                    "additionalProperties": False,
                },
            ]
        return ref if self.slot is None else _slot_json_schema(self.slot, ref)


class _Frozen(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid", populate_by_name=True)


def _expression_fields() -> dict[str, Any]:
    """One field per combinator slot, each aliased: `not` and `if` are Python keywords."""
    return {
        f"{slot.key}_": (
            Annotated[Any, _ExpressionData(slot)],
            Field(None, alias=slot.key),
        )
        for c in COMBINATORS
        for slot in c.slots
    }


class _ReadingMetadata(_Frozen):
    """An alternative reading of a rule's open text: why, the words, and one expression."""

    model_config = ConfigDict(json_schema_extra={"oneOf": _ONE_FORM})

    why: str = Field(
        min_length=1, description="what this reading rests on, and how it reads the text"
    )
    citation: Citation


# The expression's keys are fields too (so the file is validated whole, and its JSON Schema
# lists them).
_ReadingSpec = create_model(
    "ReadingSpec",
    __base__=_ReadingMetadata,
    __doc__=_ReadingMetadata.__doc__,
    __module__=__name__,
    **_expression_fields(),
)
if TYPE_CHECKING:
    ReadingSpec = _ReadingMetadata
else:
    ReadingSpec = _ReadingSpec


class _RuleMetadata(_Frozen):
    """A rule as written in the file: metadata plus one expression."""

    model_config = ConfigDict(json_schema_extra={"oneOf": _ONE_FORM})

    title: str = Field(min_length=1)
    description: str = ""
    citation: Citation
    interpretation: Interpretation | None = None
    belief: Belief | None = Field(
        None,
        description="the standard of belief the rule's text asks of the officer, when it "
        "states one: reasonable_belief, probable_cause, reasonable_grounds (to believe) or "
        "objectively_reasonable",
    )
    reading: str | None = Field(
        None,
        description="the name of the rule's own expression as a reading of its text (the "
        "default reading); required with `readings`",
        json_schema_extra={"pattern": RULE_ID.pattern},
    )
    readings: dict[str, ReadingSpec] = Field(
        {},
        description="named alternative readings of an open text, each with its own "
        "expression, `why` and `citation`",
        json_schema_extra={"propertyNames": {"pattern": RULE_ID.pattern}},
    )


_RuleSpec = create_model(
    "RuleSpec",
    __base__=_RuleMetadata,
    __doc__=_RuleMetadata.__doc__,
    __module__=__name__,
    **_expression_fields(),
)
if TYPE_CHECKING:
    RuleSpec = _RuleMetadata
else:
    RuleSpec = _RuleSpec


class GivenSpec(BaseModel):
    """What a property holds fixed: fact values, and conditions assumed to have a status."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    facts: dict[str, Value] = Field(
        {},
        description="fact id -> true, false or unknown; every other fact ranges freely",
        json_schema_extra={"additionalProperties": FACT_VALUE_JSON_SCHEMA},
    )
    conditions: dict[str, Status] = Field(
        {}, description="rule id -> met, unmet or unknown: only fact values giving it that status"
    )

    @field_validator("facts", mode="before")
    @classmethod
    def _values(cls, raw: Any) -> Any:
        if isinstance(raw, dict):
            return {key: parse_value(value) for key, value in raw.items()}
        return raw


class PropertySpec(BaseModel):
    """A property as written in a policy file."""

    # resolve_properties requires exactly one relation; the JSON Schema says so too.
    model_config = ConfigDict(
        defer_build=True,
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={
            "oneOf": [{"required": [key]} for key in ("is", "is_not", "at_most", "at_least")]
        },
    )

    statement: str = Field(min_length=1, description="the promise, in plain English")
    citation: Citation
    given: GivenSpec = Field(default_factory=GivenSpec)
    rule: str | None = Field(None, description="the rule the claim is about; default: decision")
    under: list[str] = Field(
        [],
        description="the readings the promise is made under, each `rule.reading`; default: "
        "every reading of the policy",
    )
    is_: Status | None = Field(None, alias="is")
    is_not: Status | None = None
    at_most: Status | None = None
    at_least: Status | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyFile(PolicySpec):
    """A policy file as written: its metadata, its rules and its properties."""

    rules: Annotated[
        dict[str, RuleSpec],
        Hint(min_length=1, json_schema_extra={"propertyNames": {"pattern": RULE_ID.pattern}}),
    ]
    properties: Annotated[
        dict[str, PropertySpec],
        Hint(
            description="promises the policy makes, proved by `forcecheck verify`",
            json_schema_extra={"propertyNames": {"pattern": RULE_ID.pattern}},
        ),
    ] = field(default_factory=dict)

    def metadata(self) -> PolicySpec:
        """The metadata alone, as a loaded policy keeps it."""
        return PolicySpec(**{f.name: getattr(self, f.name) for f in fields(PolicySpec)})
