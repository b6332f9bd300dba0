"""Loading a scenario file: validate its layout, then its facts against the vocabulary.

Checks what the layout alone cannot: one form or the other, known facts and sources, no
contradictory fact values (the vocabulary's exclusions), expectations that name real accounts
and discharges. See docs/scenario-format.md.
"""

from __future__ import annotations

from pathlib import Path

from forcecheck.errors import (
    ContradictionError,
    MissingReferenceError,
    SchemaError,
    UnknownFactError,
    did_you_mean,
)
from forcecheck.load.input_bytes import input_name
from forcecheck.load.reader import parse_bytes, read_document
from forcecheck.load.validation import validate
from forcecheck.model.document import DocPath, Document
from forcecheck.model.scenario import (
    DEFAULT_ACCOUNT,
    MAX_EVALUATIONS,
    Account,
    Expect,
    FactEntry,
    Scenario,
    ScenarioSpec,
)
from forcecheck.model.settling import settle
from forcecheck.model.vocabulary import Vocabulary


def load_scenario(
    path: str | Path, vocabulary: Vocabulary, *, raw: bytes | None = None
) -> Scenario:
    """Read and validate one scenario file.

    ``raw`` is the file's content when the caller has read it already
    (:func:`forcecheck.load.reader.read_input`): standard input can be read only once.
    """
    doc = read_document(path) if raw is None else parse_bytes(raw, input_name(path))
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
    if spec.accounts is not None and spec.shots is not None:
        raise SchemaError(
            "top-level `shots` belongs to the minimal form",
            location=doc.locate(("shots",), key=True),
            help="put `shots` inside the account that counts them",
        )
    if spec.accounts is not None and not spec.accounts:
        raise SchemaError(
            "`accounts` is empty",
            location=doc.locate(("accounts",)),
            help="give each account a name and its `facts:`, or use top-level `facts:` instead",
        )
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
    _check_shots(scenario, name, account)
    if account.status is not None:
        _check_status(scenario, name, account)


def _check_shots(scenario: Scenario, name: str, account: Account) -> None:
    """The discharges cannot count more shots than the account says were fired."""
    if account.shots is None:
        return
    counted = sum(d.shots or 0 for d in account.discharges)
    if counted > account.shots:
        raise SchemaError(
            f"the discharges of account '{name}' count {counted} shots, more than the "
            f"{account.shots} the account gives",
            location=scenario.doc.locate((*scenario.account_path(name), "shots")),
            help="correct the account's `shots` or a discharge's",
        )


def _check_status(scenario: Scenario, name: str, account: Account) -> None:
    """A retraction or contradiction: who by, from what source, not before the account."""
    status = account.status
    assert status is not None
    doc, sources = scenario.doc, scenario.spec.sources
    where = (*scenario.account_path(name), "status")
    accounts = scenario.accounts
    if status.by is not None:
        if status.by == name:
            raise SchemaError(
                f"account '{name}' is {status.state} by itself",
                location=doc.locate((*where, "by")),
                help="name the account or source that took it back or contradicted it, or "
                "leave `by` out when whoever gave it retracted it",
            )
        if status.by in accounts and status.by in sources:
            raise SchemaError(
                f"'{status.by}' names both an account and a source",
                location=doc.locate((*where, "by")),
                help="rename the account or the source, so that `by` names one thing",
            )
        if status.by not in accounts and status.by not in sources:
            raise MissingReferenceError(
                f"`by` names '{status.by}', which is neither an account nor a source of "
                "the scenario",
                location=doc.locate((*where, "by")),
                help=did_you_mean(status.by, [*accounts, *sources])
                or "name another account, or a source declared under `sources:`",
            )
    elif status.state == "contradicted":
        raise SchemaError(
            f"account '{name}' is contradicted, but `status` does not say by what",
            location=doc.locate(where, key=True),
            help="add `by:` naming the account or source that contradicts it",
        )
    _check_source(scenario, status.source, (*where, "source"))
    if sources and status.source is None and status.by is None:
        raise MissingReferenceError(
            f"the {status.state} status of account '{name}' has no source",
            location=doc.locate(where, key=True),
            help="add `source:` (the correction, the filing) or `by:` naming a source or account",
        )
    if (
        status.date is not None
        and account.date is not None
        and status.date.certainly_before(account.date)
    ):
        raise SchemaError(
            f"account '{name}' is {status.state} on {status.date}, before it was given "
            f"({account.date})",
            location=doc.locate((*where, "date")),
            help="correct the status's date or the account's",
        )


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
        if entry.sources:
            _check_fact_sources(scenario, fact_id, entry, (*where, fact_id))
        elif scenario.spec.sources and entry.source is None and default_source is None:
            raise MissingReferenceError(
                f"fact '{fact_id}' has no source",
                location=doc.locate((*where, fact_id), key=True),
                help="this scenario declares sources, so every fact must name one: add "
                "`source:` to the fact or to its account",
            )
        elif entry.disagreement is not None:
            raise SchemaError(
                f"fact '{fact_id}' has a `disagreement` but only one source",
                location=doc.locate((*where, fact_id, "disagreement"), key=True),
                help="list the sources under `sources:`, giving the one that says otherwise "
                "its own `value:`",
            )
        if entry.hindsight is not None:
            _check_hindsight(scenario, vocabulary, fact_id, entry, (*where, fact_id))


def _check_fact_sources(scenario: Scenario, fact_id: str, entry: FactEntry, where: DocPath) -> None:
    """Several sources of one value: each declared, and any disagreement said out loud."""
    doc = scenario.doc
    for key in ("source", "quote"):
        if getattr(entry, key) is not None:
            raise SchemaError(
                f"fact '{fact_id}' has both `{key}` and `sources`",
                location=doc.locate((*where, key), key=True),
                help="with several sources, give each its own quote: move this into an item "
                "of `sources:` (`- {source: ..., quote: ...}`)",
            )
    for index, item in enumerate(entry.sources):
        _check_source(scenario, item.source, (*where, "sources", index, "source"))
    differing = [
        (index, item)
        for index, item in enumerate(entry.sources)
        if item.value is not None and item.value is not entry.value
    ]
    if differing and entry.disagreement is None:
        index, item = differing[0]
        raise ContradictionError(
            f"fact '{fact_id}' is {entry.value}, but its source '{item.source}' says "
            f"{item.value}, and the entry does not say that its sources disagree",
            location=doc.locate((*where, "sources", index, "value")),
            help="add `disagreement:` to the fact, saying how the sources differ (reports show "
            "it), or correct the value",
        )
    if entry.disagreement is not None and not differing:
        raise SchemaError(
            f"fact '{fact_id}' has a `disagreement`, but every source gives its value "
            f"({entry.value})",
            location=doc.locate((*where, "disagreement"), key=True),
            help="give the source that says otherwise its own `value:`, or remove `disagreement`",
        )


def _check_hindsight(
    scenario: Scenario, vocabulary: Vocabulary, fact_id: str, entry: FactEntry, where: DocPath
) -> None:
    """Later evidence only beside a perceived value, and attributed like any claim."""
    doc = scenario.doc
    hindsight = entry.hindsight
    assert hindsight is not None
    if not vocabulary.facts[fact_id].perception:
        raise SchemaError(
            f"fact '{fact_id}' is not a perception fact, so it takes no `hindsight`",
            location=doc.locate((*where, "hindsight"), key=True),
            help=f"`hindsight` records what later evidence shows of what a reasonable officer "
            f"perceived; only facts marked `perception: true` in {Path(vocabulary.path).name} "
            "take it. Give the value the evidence supports, or tell the later evidence as "
            "another account",
        )
    _check_source(scenario, hindsight.source, (*where, "hindsight", "source"))
    if scenario.spec.sources and hindsight.source is None:
        raise MissingReferenceError(
            f"the later evidence on fact '{fact_id}' has no source",
            location=doc.locate((*where, "hindsight"), key=True),
            help="add `source:` to `hindsight`: the record that shows it (the video, the "
            "autopsy, the court's finding)",
        )


def _check_exclusions(
    scenario: Scenario, vocabulary: Vocabulary, name: str, account: Account
) -> None:
    """Refuse fact values the vocabulary declares impossible together, at any discharge.

    Values the exclusions settle count (:mod:`forcecheck.model.settling`): an account on
    foot that says a disabling shot was fired is refused, naming the chain.

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
        settled = settle(vocabulary, {k: entry.value for k, entry in facts.items()})
        broken = settled.broken
        if broken is None:
            continue
        # The values the account gives that lead to the broken exclusion: its own facts,
        # and behind each settled one, the given values that settled it.
        names = list(settled.stated_roots(tuple(broken.exclusion.facts)))
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
        raise ContradictionError(
            settled.conflict(who, Path(vocabulary.path).name),
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
                    help=did_you_mean(discharge_id, discharge_ids)
                    or f"account '{name}' has the discharges: {', '.join(discharge_ids) or 'none'}",
                )
