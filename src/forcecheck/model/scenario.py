"""Scenarios: one incident or drill, as one or more attributed accounts of the facts.

Two forms share one model. The minimal form has top-level ``facts`` (one account, named
``default``); the full form has named ``accounts``, each fact value attributed to a
``source``. See docs/scenario-format.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from forcecheck.errors import (
    ContradictionError,
    MissingReferenceError,
    SchemaError,
    UnknownFactError,
    did_you_mean,
)
from forcecheck.load.reader import DocPath, Document, read_document
from forcecheck.load.validation import validate
from forcecheck.model.hints import Hint, record_config
from forcecheck.model.logic import FACT_VALUE_JSON_SCHEMA, Outcome, Status, Value
from forcecheck.model.vocabulary import Vocabulary

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
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


def parse_value(raw: Any) -> Value:
    """A fact value from YAML: true, false or unknown, and nothing else."""
    if isinstance(raw, Value):  # built in code (e.g. a what-if change), already parsed
        return raw
    if raw is True:
        return Value.TRUE
    if raw is False:
        return Value.FALSE
    if raw == "unknown":
        return Value.UNKNOWN
    if raw is None:
        raise ValueError("null is not a fact value: write unknown, or leave the fact out")
    if isinstance(raw, str) and raw.lower() in ("true", "false"):
        raise ValueError(f"'{raw}' is quoted text, not a boolean: write {raw.lower()} unquoted")
    if isinstance(raw, str) and raw.lower() == "unknown":
        raise ValueError(f"write unknown in lower case, not '{raw}'")
    raise ValueError(f"a fact value must be true, false or unknown, not {raw!r}")


def _short_form_json_schema(schema: dict[str, Any]) -> None:
    """Say in JSON Schema what ``_short_form`` accepts: a bare value, or the mapping."""
    mapping = {k: v for k, v in schema.items() if k not in ("title", "description")}
    for key in mapping:
        del schema[key]
    schema["anyOf"] = [FACT_VALUE_JSON_SCHEMA, mapping]


#: A fact value as a file writes it: true, false or unknown (see :func:`parse_value`).
FactValue = Annotated[Value, Hint(before=parse_value, json_schema=FACT_VALUE_JSON_SCHEMA)]


@dataclass(frozen=True, slots=True)
class FactEntry:
    """One fact value in an account, with who said it."""

    __pydantic_config__ = record_config(json_schema_extra=_short_form_json_schema)

    value: FactValue
    source: str | None = None
    quote: str | None = None
    note: str | None = None


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
            json_schema={"enum": ["met", "unmet"], "description": "the status the account claims"},
        ),
    ]
    source: str | None = None
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Discharge:
    """One moment of a timeline: a shot or volley, with the facts that differ then."""

    __pydantic_config__ = record_config()

    id: Annotated[str, Hint(min_length=1)]
    title: str = ""
    source: str | None = None
    facts: Facts = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Account:
    """One telling of the incident: fact values, each attributed."""

    __pydantic_config__ = record_config()

    title: str = ""
    summary: str = ""
    source: str | None = None
    facts: Facts = field(default_factory=dict)
    conclusions: dict[str, Conclusion] = field(default_factory=dict)
    discharges: Annotated[tuple[Discharge, ...], Hint(max_length=MAX_DISCHARGES)] = ()


@dataclass(frozen=True, slots=True)
class ExpectedResult:
    """Expected outcome and condition statuses for one evaluation."""

    __pydantic_config__ = record_config()

    outcome: Outcome | None = None
    conditions: dict[str, Status] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExpectedAccount(ExpectedResult):
    """Expectations for one account, optionally per discharge."""

    discharges: dict[str, ExpectedResult] = field(default_factory=dict)


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
                # Expectations go under `expect.accounts` in the full form.
                "expect": {
                    "properties": {"outcome": {"type": "null"}, "conditions": {"maxProperties": 0}}
                },
            },
            "not": _present("facts", {"type": "object"}),
        },
    ]
}


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A scenario file as written."""

    __pydantic_config__ = record_config(json_schema_extra=_FORMS_JSON_SCHEMA)

    id: str | None = None
    title: str | None = None
    date: dt.date | None = None
    place: str | None = None
    agency: str | None = None
    policy: str | None = None
    summary: str | None = None
    sources: dict[str, ScenarioSource] = field(default_factory=dict)
    facts: Facts | None = None
    conclusions: dict[str, Conclusion] = field(default_factory=dict)
    discharges: Annotated[tuple[Discharge, ...], Hint(max_length=MAX_DISCHARGES)] = ()
    accounts: Annotated[dict[str, Account], Hint(max_length=MAX_ACCOUNTS)] | None = None
    expect: Expect | None = None


@dataclass(frozen=True)
class Scenario:
    """A validated scenario and the document it came from (for locating its parts)."""

    spec: ScenarioSpec
    doc: Document

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
            )
        }

    def account_path(self, name: str) -> DocPath:
        """Where an account's facts live in the document."""
        return () if self.spec.accounts is None else ("accounts", name)


def load_scenario(path: str | Path, vocabulary: Vocabulary) -> Scenario:
    """Read and validate one scenario file."""
    doc = read_document(path)
    return build_scenario(doc, vocabulary)


def build_scenario(doc: Document, vocabulary: Vocabulary) -> Scenario:
    """Validate a parsed scenario document against the vocabulary."""
    if not isinstance(doc.data, dict):
        raise SchemaError(
            "a scenario must be a mapping",
            location=doc.locate(()),
            help="start with `facts:` (or `accounts:`) at the top level",
        )
    spec = validate(ScenarioSpec, doc)
    scenario = Scenario(spec, doc)
    _check_form(scenario)
    for name, account in scenario.accounts.items():
        _check_account(scenario, vocabulary, name, account)
    if spec.expect is not None:
        _check_expect(scenario, spec.expect)
    return scenario


def _check_form(scenario: Scenario) -> None:
    spec, doc = scenario.spec, scenario.doc
    if spec.facts is not None and spec.accounts is not None:
        raise SchemaError(
            "a scenario has either `facts` or `accounts`, not both",
            location=doc.locate(("accounts",), key=True),
            help="move the top-level facts into an account",
        )
    if spec.facts is None and spec.accounts is None:
        raise SchemaError(
            "the scenario has no `facts` and no `accounts`",
            location=doc.locate(()),
            help="add `facts:` with fact values (see docs/scenario-format.md)",
        )
    if spec.accounts is not None and spec.conclusions:
        raise SchemaError(
            "top-level `conclusions` belong to the minimal form",
            location=doc.locate(("conclusions",), key=True),
            help="put the conclusions inside the account that states them",
        )
    if spec.accounts is not None and spec.discharges:
        raise SchemaError(
            "top-level `discharges` belong to the minimal form",
            location=doc.locate(("discharges",), key=True),
            help="put the discharges inside the account they describe",
        )
    if spec.accounts is not None and not spec.accounts:
        raise SchemaError("`accounts` is empty", location=doc.locate(("accounts",)))
    evaluations = sum(max(1, len(a.discharges)) for a in scenario.accounts.values())
    if evaluations > MAX_EVALUATIONS:
        raise SchemaError(
            f"the scenario asks for {evaluations} evaluations (accounts times discharges), "
            f"more than the limit of {MAX_EVALUATIONS}",
            location=doc.locate(("accounts",), key=True),
            help="split it into several scenarios",
        )


def _check_account(scenario: Scenario, vocabulary: Vocabulary, name: str, account: Account) -> None:
    base = scenario.account_path(name)
    _check_source(scenario, account.source, (*base, "source"))
    _check_facts(scenario, vocabulary, account.facts, (*base, "facts"), account.source)
    for rule_id, conclusion in account.conclusions.items():
        _check_source(scenario, conclusion.source, (*base, "conclusions", rule_id, "source"))
    seen: dict[str, int] = {}
    for index, discharge in enumerate(account.discharges):
        where = (*base, "discharges", index)
        if discharge.id in seen:
            raise SchemaError(
                f"duplicate discharge id '{discharge.id}'",
                location=scenario.doc.locate((*where, "id")),
                help="give each discharge its own id",
            )
        seen[discharge.id] = index
        _check_source(scenario, discharge.source, (*where, "source"))
        _check_facts(
            scenario,
            vocabulary,
            discharge.facts,
            (*where, "facts"),
            discharge.source or account.source,
        )
    _check_exclusions(scenario, vocabulary, name, account)


def _check_facts(
    scenario: Scenario,
    vocabulary: Vocabulary,
    facts: dict[str, FactEntry],
    where: DocPath,
    default_source: str | None,
) -> None:
    doc = scenario.doc
    for fact_id, entry in facts.items():
        if fact_id not in vocabulary:
            raise UnknownFactError(
                f"unknown fact '{fact_id}'",
                location=doc.locate((*where, fact_id), key=True),
                help=did_you_mean(fact_id, vocabulary.ids)
                or f"the facts are declared in {vocabulary.path}",
            )
        _check_source(scenario, entry.source, (*where, fact_id, "source"))
        if scenario.spec.sources and entry.source is None and default_source is None:
            raise MissingReferenceError(
                f"fact '{fact_id}' has no source",
                location=doc.locate((*where, fact_id), key=True),
                help="this scenario declares sources, so every fact must name one: add "
                "`source:` to the fact or to its account",
            )


def _check_exclusions(
    scenario: Scenario, vocabulary: Vocabulary, name: str, account: Account
) -> None:
    """Refuse fact values the vocabulary declares impossible together, at any discharge.

    With a timeline, what is evaluated (and so what must be possible) is each discharge's
    facts over the account's; without one, the account's own facts.
    """
    base = scenario.account_path(name)
    moments: list[tuple[int | None, dict[str, FactEntry]]] = (
        [(i, account.facts | d.facts) for i, d in enumerate(account.discharges)]
        if account.discharges
        else [(None, dict(account.facts))]
    )
    for index, facts in moments:
        broken = vocabulary.broken_exclusion({k: entry.value for k, entry in facts.items()})
        if broken is None:
            continue
        names = list(broken.exclusion.facts)
        # Point at a value the discharge itself sets, if it sets one, else the account's:
        # the first of them in the file.
        places: list[DocPath] = [(*base, "facts", f) for f in names if f in account.facts]
        if index is not None:
            own = [(*base, "discharges", index, "facts", f) for f in names]
            places = [p for p in own if p[-1] in account.discharges[index].facts] or places
        locations = [scenario.doc.locate(p, key=True) for p in places]
        location = min(locations, key=lambda loc: (loc.line or 0, loc.col or 0))
        who = "the scenario" if scenario.spec.accounts is None else f"account '{name}'"
        if index is not None:
            who += f" at discharge '{account.discharges[index].id}'"
        both = "both" if len(names) == 2 else "all"
        raise ContradictionError(
            f"{who} says {broken.exclusion.describe()}, which cannot {both} hold: "
            f"{broken.exclusion.statement} (exclusion '{broken.id}' in "
            f"{Path(vocabulary.path).name})",
            location=location,
            help="correct one of these values, or write unknown where the account is unsure",
        )


def _check_source(scenario: Scenario, source: str | None, where: DocPath) -> None:
    if source is not None and source not in scenario.spec.sources:
        raise MissingReferenceError(
            f"no source named '{source}'",
            location=scenario.doc.locate(where),
            help=did_you_mean(source, scenario.spec.sources)
            or "declare it under the top-level `sources:`",
        )


def _check_expect(scenario: Scenario, expect: Expect) -> None:
    doc = scenario.doc
    accounts = scenario.accounts
    if scenario.spec.accounts is not None and (expect.outcome or expect.conditions):
        raise SchemaError(
            "this scenario has named accounts: put expectations under `expect.accounts`",
            location=doc.locate(("expect",), key=True),
            help="write `expect: {accounts: {NAME: {outcome: ...}}}`",
        )
    named = dict(expect.accounts)
    if scenario.spec.accounts is None:
        named[DEFAULT_ACCOUNT] = expect
    for name, expected in named.items():
        where: DocPath = (
            ("expect",)
            if name == DEFAULT_ACCOUNT and name not in expect.accounts
            else ("expect", "accounts", name)
        )
        if name not in accounts:
            raise MissingReferenceError(
                f"`expect` names an account '{name}' the scenario does not have",
                location=doc.locate(where, key=True),
                help=did_you_mean(name, accounts) or "accounts: " + ", ".join(accounts),
            )
        discharge_ids = {d.id for d in accounts[name].discharges}
        for discharge_id in expected.discharges:
            if discharge_id not in discharge_ids:
                raise MissingReferenceError(
                    f"`expect` names a discharge '{discharge_id}' that account '{name}' "
                    "does not have",
                    location=doc.locate((*where, "discharges", discharge_id), key=True),
                    help=did_you_mean(discharge_id, discharge_ids),
                )
