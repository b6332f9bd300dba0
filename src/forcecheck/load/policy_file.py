"""A policy file as written: pydantic models, imported only to validate one.

A loaded :class:`~forcecheck.model.policy.Policy` keeps none of these: its metadata is a
:class:`~forcecheck.model.policy.PolicySpec`, its rules and properties are resolved into
:class:`~forcecheck.model.policy.Rule` and
:class:`~forcecheck.model.properties.Property`. So a command that finds a policy in the cache
never imports this module, nor pydantic.

Rules and properties are pydantic models rather than records (forcecheck.model.hints) because
their keys ``not``, ``if`` and ``is`` are Python keywords: a model can give a field an
alias, a dataclass cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
)
from pydantic_core import core_schema

from forcecheck.model.citation import Citation
from forcecheck.model.hints import Hint
from forcecheck.model.logic import FACT_VALUE_JSON_SCHEMA, Status, Value, parse_value
from forcecheck.model.policy import RULE_ID, Interpretation, PolicySpec

#: The rule language as JSON Schema (``$defs/Expression`` of the policy schema). Expressions
#: stay plain data in the models, for :class:`_ExprParser` to resolve with located errors;
#: this describes the same shape to editors and other tools.
_FORM_WORDS = {
    "all": "met when every part is met",
    "any": "met when any part is met",
    "not": "swaps met and unmet",
    "if": "the condition of a conditional requirement",
    "then": "what is required when `if` is met",
}
#: Exactly one form per expression (``if`` and ``then`` go together).
_ONE_FORM: list[Any] = [
    {"required": ["all"]},
    {"required": ["any"]},
    {"required": ["not"]},
    {"required": ["if", "then"]},
]


def _form_json_schema(form: str, ref: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one form's value, ``ref`` pointing at the Expression schema."""
    if form in ("all", "any"):
        return {"type": "array", "minItems": 1, "items": ref, "description": _FORM_WORDS[form]}
    return {"allOf": [ref], "description": _FORM_WORDS[form]}


class _ExpressionData:
    """Annotation: an expression (or one form's value) as data, typed only for JSON Schema.

    Validation accepts anything (the parser checks it); the JSON Schema is the recursive
    ``Expression`` definition, or, with ``form``, the value that form takes.
    """

    def __init__(self, form: str | None = None) -> None:
        self.form = form

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.any_schema(ref="Expression")

    def __get_pydantic_json_schema__(
        self, schema: Any, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        ref = handler(schema)
        body = handler.resolve_ref_schema(ref)
        if not body:  # the first use defines it
            body["description"] = "a fact or rule name, or exactly one of all, any, not, if/then"
            body["anyOf"] = [
                {"type": "string", "pattern": RULE_ID.pattern},
                {
                    "type": "object",
                    "properties": {form: _form_json_schema(form, ref) for form in _FORM_WORDS},
                    "additionalProperties": False,
                    "oneOf": _ONE_FORM,
                },
            ]
        return ref if self.form is None else _form_json_schema(self.form, ref)


class _Frozen(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid", populate_by_name=True)


class RuleSpec(_Frozen):
    """A rule as written in the file: metadata plus one expression."""

    model_config = ConfigDict(json_schema_extra={"oneOf": _ONE_FORM})

    title: str = Field(min_length=1)
    description: str = ""
    citation: Citation
    interpretation: Interpretation | None = None
    all_: Annotated[list[Any] | None, _ExpressionData("all")] = Field(None, alias="all")
    any_: Annotated[list[Any] | None, _ExpressionData("any")] = Field(None, alias="any")
    not_: Annotated[Any, _ExpressionData("not")] = Field(None, alias="not")
    if_: Annotated[Any, _ExpressionData("if")] = Field(None, alias="if")
    then: Annotated[Any, _ExpressionData("then")] = None


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
