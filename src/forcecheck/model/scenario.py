"""Scenarios: one incident or drill, as one or more attributed accounts of the facts.

Two forms share one model. The minimal form has top-level ``facts`` (one account, named
``default``); the full form has named ``accounts``, each fact value attributed to a
``source``. See docs/scenario-format.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from forcecheck.model.document import DocPath, Document
from forcecheck.model.hints import Hint, record_config
from forcecheck.model.logic import FACT_VALUE_JSON_SCHEMA, Outcome, Status, Value, parse_value
from forcecheck.model.partial_date import PartialDateField, parse_partial_date

DEFAULT_ACCOUNT = "default"
#: At most this many accounts in a scenario, and discharges in an account: a small file
#: must not be able to demand an enormous report.
MAX_ACCOUNTS = 100
MAX_DISCHARGES = 100
#: At most this many evaluations (an account, or one discharge of it) in all: 100 accounts
#: of 100 discharges each would turn half a megabyte of YAML into 200 MB of report.
MAX_EVALUATIONS = 1000


@dataclass(frozen=True, slots=True)
class ScenarioSource:
    """A publication that claims in the scenario are attributed to."""

    __pydantic_config__ = record_config()

    title: Annotated[str, Hint(min_length=1)]
    publisher: str | None = None
    #: As precise as the source is dated: a day, a month or a year.
    date: PartialDateField | None = None
    url: str | None = None
    note: str | None = None
    #: Passages of the source, word for word, that the scenario's prose (a summary, a title,
    #: a note) puts in quotation marks: a quotation must be one of the scenario's quotes.
    quotes: Annotated[
        tuple[Annotated[str, Hint(min_length=1)], ...],
        Hint(
            description="passages of this source, word for word, that the scenario's "
            "summaries, titles or notes quote"
        ),
    ] = ()


def _short_form_json_schema(schema: dict[str, Any]) -> None:
    """Say in JSON Schema what ``_short_form`` accepts: a bare value, or the mapping."""
    mapping = {k: v for k, v in schema.items() if k not in ("title", "description")}
    for key in mapping:
        del schema[key]
    schema["anyOf"] = [FACT_VALUE_JSON_SCHEMA, mapping]


#: A fact value as a file writes it: true, false or unknown (see :func:`parse_value`).
FactValue = Annotated[Value, Hint(before=parse_value, json_schema=FACT_VALUE_JSON_SCHEMA)]


#: At most this many sources for one fact value: a value resting on more is a summary.
MAX_FACT_SOURCES = 50
#: The most shots an account or a discharge may count: more is a typing mistake, not an
#: incident (the largest US police shootings counted well under a hundred and fifty).
MAX_SHOTS = 500


@dataclass(frozen=True, slots=True)
class FactSource:
    """One of several sources a fact value rests on, with its own words.

    ``value`` is given only where this source says otherwise than the entry: the entry then
    says how its sources disagree (``disagreement``).
    """

    __pydantic_config__ = record_config()

    source: Annotated[str, Hint(min_length=1, description="a source id from `sources:`")]
    quote: str | None = None
    note: str | None = None
    value: Annotated[
        FactValue | None,
        Hint(
            description="this source's own value, where it differs from the entry's "
            "(the entry must then say so in `disagreement`)"
        ),
    ] = None


@dataclass(frozen=True, slots=True)
class Hindsight:
    """What later evidence shows of a perception fact (no rule reads it)."""

    __pydantic_config__ = record_config()

    value: FactValue
    source: str | None = None
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class FactEntry:
    """One fact value in an account, with who said it: one source, or several."""

    __pydantic_config__ = record_config(json_schema_extra=_short_form_json_schema)

    value: FactValue
    source: str | None = None
    quote: str | None = None
    note: str | None = None
    sources: Annotated[
        tuple[FactSource, ...],
        Hint(
            min_length=1,
            max_length=MAX_FACT_SOURCES,
            description="several sources of the value, each with its own quote or note "
            "(instead of `source` and `quote`)",
        ),
    ] = ()
    disagreement: Annotated[
        str | None,
        Hint(
            min_length=1,
            description="how the sources disagree: required when a source gives its own `value`",
        ),
    ] = None
    hindsight: Annotated[
        Hindsight | None,
        Hint(
            description="what later evidence shows, beside the value a reasonable officer "
            "perceived (only on facts marked `perception: true`; no rule reads it)"
        ),
    ] = None


def _short_form(raw: Any) -> Any:
    # `fact: true` is short for `fact: {value: true}`.
    return raw if isinstance(raw, dict) else {"value": raw}


#: Fact entries by fact id, each in the long form or the short one.
Facts = dict[str, Annotated[FactEntry, Hint(before=_short_form)]]


def _stated_status(raw: Any) -> Any:
    if raw == "unknown":
        raise ValueError("a stated conclusion is met or unmet; unknown states nothing")
    return raw


@dataclass(frozen=True, slots=True)
class Conclusion:
    """A condition's status as an account asserts it ("he feared for his life")."""

    __pydantic_config__ = record_config()

    status: Annotated[
        Status,
        Hint(
            before=_stated_status,
            json_schema={"enum": ["met", "unmet"], "description": "the status the account states"},
        ),
    ]
    source: str | None = None
    quote: str | None = None
    note: str | None = None


def _shots(raw: Any) -> Any:
    """A count of shots: refused in words a reader can act on when out of range."""
    if isinstance(raw, int) and not isinstance(raw, bool) and not 1 <= raw <= MAX_SHOTS:
        raise ValueError(f"a number of shots is from 1 to {MAX_SHOTS}, not {raw}")
    return raw


#: A number of shots: a positive whole number, at most :data:`MAX_SHOTS`.
Shots = Annotated[
    int,
    Hint(
        before=_shots,
        strict=True,
        ge=1,
        le=MAX_SHOTS,
        description=f"how many shots were fired (context for readers; 1 to {MAX_SHOTS})",
    ),
]


@dataclass(frozen=True, slots=True)
class Discharge:
    """One moment of a timeline: a shot or volley, with the facts that differ then."""

    __pydantic_config__ = record_config()

    id: Annotated[str, Hint(min_length=1)]
    title: str = ""
    source: str | None = None
    facts: Facts = field(default_factory=dict)
    shots: Shots | None = None


#: What became of an account: taken back by whoever gave it, or contradicted by another.
AccountState = Literal["retracted", "contradicted"]


@dataclass(frozen=True, slots=True)
class AccountStatus:
    """An account retracted, or contradicted by a later account or source.

    Reports show it beside the account's name and outcome; the account is still evaluated
    on its own facts (forcecheck never decides which account is true).
    """

    __pydantic_config__ = record_config()

    state: Annotated[
        AccountState,
        Hint(description="retracted (taken back) or contradicted (by `by`)"),
    ]
    date: PartialDateField | None = None
    by: Annotated[
        str | None,
        Hint(
            min_length=1,
            description="who retracted or contradicted it: another account of the scenario, "
            "or a source id (required for contradicted)",
        ),
    ] = None
    source: str | None = None
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """One telling of the incident: fact values, each attributed."""

    __pydantic_config__ = record_config()

    title: str = ""
    summary: str = ""
    source: str | None = None
    #: When the account was given (the statement, filing or report), as precisely as known.
    date: PartialDateField | None = None
    facts: Facts = field(default_factory=dict)
    conclusions: dict[str, Conclusion] = field(default_factory=dict)
    discharges: Annotated[tuple[Discharge, ...], Hint(max_length=MAX_DISCHARGES)] = ()
    #: Retracted or contradicted later (None: neither, as far as the scenario says).
    status: AccountStatus | None = None
    shots: Shots | None = None


#: The immunity view's words for its outcomes (docs/policies.md): an `expect` block for it
#: says what it means, never "authorized".
IMMUNITY_OUTCOMES = {"immunity_likely": "authorized", "immunity_unlikely": "not_authorized"}


def immunity_outcome(raw: Any) -> Any:
    """An expected outcome as written, the immunity view's words read as outcomes."""
    return IMMUNITY_OUTCOMES.get(raw, raw) if isinstance(raw, str) else raw


EXPECTED_OUTCOME = Hint(
    before=immunity_outcome,
    json_schema={"enum": [*(str(o) for o in Outcome), *IMMUNITY_OUTCOMES]},
)


@dataclass(frozen=True, slots=True)
class ExpectedResult:
    """Expected outcome and condition statuses for one evaluation."""

    __pydantic_config__ = record_config()

    outcome: Annotated[Outcome | None, EXPECTED_OUTCOME] = None
    conditions: dict[str, Status] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExpectedAccount(ExpectedResult):
    """Expectations for one account, optionally per discharge, per reading and per layer."""

    discharges: dict[str, ExpectedResult] = field(default_factory=dict)
    readings: Annotated[
        dict[str, Annotated[Outcome, EXPECTED_OUTCOME]],
        Hint(
            description="the account's outcome under an alternative reading of its policy, "
            "by `rule.reading` (docs/policy-language.md, readings)"
        ),
    ] = field(default_factory=dict)
    layers: Annotated[
        dict[str, Annotated[Outcome, EXPECTED_OUTCOME]],
        Hint(
            description="the account's outcome under each other layer that binds on the "
            "scenario's date (by policy id), and across them all (`strictest`); only where "
            "date and agency choose the layers"
        ),
    ] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Expect(ExpectedAccount):
    """A scenario's ``expect`` block."""

    accounts: dict[str, ExpectedAccount] = field(default_factory=dict)


def _present(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema: ``key`` is given, and (as the loader's ``is not None``) not null."""
    return {"required": [key], "properties": {key: schema}}


#: The two forms as JSON Schema: what ``_check_form`` enforces beyond the model's fields.
#: The minimal form has ``facts`` and no ``accounts``; the full form has a non-empty
#: ``accounts``, no ``facts``, and no top-level ``conclusions`` or ``discharges``.
_FORMS_JSON_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {
            "title": "minimal form",
            **_present("facts", {"type": "object"}),
            "not": _present("accounts", {"type": "object"}),
        },
        {
            "title": "full form",
            "required": ["accounts"],
            "properties": {
                "accounts": {"type": "object", "minProperties": 1},
                "conclusions": {"maxProperties": 0},
                "discharges": {"maxItems": 0},
                "shots": {"type": "null"},
                # Expectations go under `expect.accounts` in the full form.
                "expect": {
                    "properties": {"outcome": {"type": "null"}, "conditions": {"maxProperties": 0}}
                },
            },
            "not": _present("facts", {"type": "object"}),
        },
    ]
}


def _incident_day(raw: Any) -> Any:
    """The incident date as a file writes it: a day; a month or a year alone is refused.

    The policy layers in force are chosen by the day (a policy may take effect mid-month),
    so a month would leave the layers to a guess; the message says what to write instead.
    """
    if isinstance(raw, str | int) and not isinstance(raw, bool):
        try:
            partial = parse_partial_date(raw)
        except ValueError:
            return raw  # not a date at all: the date type says so
        if partial.day is None:
            raise ValueError(
                f"the incident date '{partial}' needs a day: the policy layers in force are "
                "chosen by the day (only a source's or an account's date may be a month or a "
                "year alone)"
            )
        return partial.earliest
    return raw


#: The incident's date: a day (see :func:`_incident_day`).
IncidentDate = Annotated[
    dt.date,
    Hint(
        before=_incident_day,
        json_schema={
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": "the day of the incident (YYYY-MM-DD): it chooses the layers",
        },
    ),
]


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A scenario file as written."""

    __pydantic_config__ = record_config(json_schema_extra=_FORMS_JSON_SCHEMA)

    id: str | None = None
    title: str | None = None
    date: IncidentDate | None = None
    place: str | None = None
    agency: str | None = None
    policy: str | None = None
    summary: str | None = None
    sources: dict[str, ScenarioSource] = field(default_factory=dict)
    facts: Facts | None = None
    conclusions: dict[str, Conclusion] = field(default_factory=dict)
    discharges: Annotated[tuple[Discharge, ...], Hint(max_length=MAX_DISCHARGES)] = ()
    shots: Shots | None = None
    accounts: Annotated[dict[str, Account], Hint(max_length=MAX_ACCOUNTS)] | None = None
    expect: Expect | None = None


@dataclass(frozen=True)
class Scenario:
    """A validated scenario and the document it came from (for locating its parts)."""

    spec: ScenarioSpec
    doc: Document

    def __repr__(self) -> str:
        # Short, for a failing test: each account's facts (value only), and its discharges.
        parts = []
        for name, account in self.accounts.items():
            facts = ", ".join(f"{f}={e.value}" for f, e in account.facts.items())
            shots = f"; {len(account.discharges)} discharge(s)" if account.discharges else ""
            parts.append(f"{name}: {facts or 'no facts'}{shots}")
        return f"<Scenario {self.path}: {' | '.join(parts)}>"

    @property
    def path(self) -> str:
        """The file the scenario was read from."""
        return self.doc.path

    @property
    def accounts(self) -> dict[str, Account]:
        """The accounts by name; the minimal form is one account named ``default``."""
        if self.spec.accounts is not None:
            return dict(self.spec.accounts)
        return {
            DEFAULT_ACCOUNT: Account(
                facts=self.spec.facts or {},
                conclusions=self.spec.conclusions,
                discharges=self.spec.discharges,
                shots=self.spec.shots,
            )
        }

    def account_path(self, name: str) -> DocPath:
        """Where an account's facts live in the document."""
        return () if self.spec.accounts is None else ("accounts", name)
