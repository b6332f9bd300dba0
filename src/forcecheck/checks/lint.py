"""Static checks of policies, vocabularies and scenarios (``forcecheck lint``).

Unlike loading, which stops at the first error, linting reports every problem it can find,
one diagnostic per line, each with its file and line. Errors fail the run; warnings do not.

Checks, each with the id shown in brackets after its message:

* ``load`` — the file does not load (any error loading would raise). Every file is tried:
  one diagnostic per broken file, with the error's ``help:`` on a line of its own.
* ``verbatim`` — a ``verbatim`` quote (of a rule or a property) does not appear word for
  word (whitespace normalised) in the source file it names, ``sources/<source>.md``
  beside the policy.
* ``source-file`` — a ``verbatim`` citation names a source with no file to check against.
* ``unused-rule`` (warning) — a rule neither the decision nor a finding depends on.
* ``unused-fact`` (warning) — a declared fact no linted policy uses (unless it is
  declared ``context_only``).
* ``constant`` (warning) — a rule that is met, unmet or unknown whatever the facts (but an
  ``unsettled`` point, which is unknown by design).
* ``no-influence`` (warning) — a condition whose status can never change the decision.
* ``scenario`` — a scenario that names an undeclared fact or a missing policy, or expects
  a condition its policy does not have.
* ``driver-unstated`` (warning) — an account where a vehicle endangered someone but that
  does not say who drove it.
* ``quotation`` (warning) — words in quotation marks in the summary, a title or a note of a
  scenario with sources that none of its quotes holds (see :mod:`forcecheck.checks.quotations`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from forcecheck.analysis import validate_conclusions
from forcecheck.checks.expect import validate_expectations
from forcecheck.checks.quotations import policy_quotes, recorded_quotes, unquoted
from forcecheck.errors import FileReadError, ForcecheckError, Location, visible
from forcecheck.load.lexicon_loader import load_lexicon
from forcecheck.load.library import LEXICON_FILE, VOCABULARY_FILE, Library, policy_for_scenario
from forcecheck.load.policy_loader import build_policy, load_policy
from forcecheck.load.policy_reference import SEPARATOR, Imports
from forcecheck.load.reader import input_files, read_document, read_input
from forcecheck.load.scenario_loader import build_scenario
from forcecheck.load.vocabulary_loader import load_vocabulary
from forcecheck.model.document import DocPath, Document
from forcecheck.model.logic import Value
from forcecheck.model.policy import Citation, Combination, Policy
from forcecheck.model.readings import variants
from forcecheck.model.scenario import Scenario
from forcecheck.model.vocabulary import Vocabulary
from forcecheck.symbolic.encoding import ClassicalRules

Severity = Literal["error", "warning"]
SOURCES_DIR = "sources"
#: Checks whose errors mean a file did not load: invalid input, as every other command sees it.
LOAD_CHECKS = frozenset({"load", "scenario"})


@dataclass(frozen=True)
class Diagnostic:
    """One problem found by lint."""

    location: Location
    severity: Severity
    message: str
    check: str
    #: How to fix it, as a load error's ``help:`` line says; None when there is nothing to say.
    help: str | None = None

    def render(self) -> str:
        """``path:line:col: severity: message [check]``, then ``help: ...`` on its own line."""
        # Messages name rules, facts and sources from the file: one line, escapes visible.
        head = f"{self.location}: {self.severity}: {visible(self.message)} [{self.check}]"
        return f"{head}\nhelp: {visible(self.help)}" if self.help else head

    @property
    def unloadable(self) -> bool:
        """Whether this is an error saying a file does not load (invalid input, exit 3)."""
        return self.severity == "error" and self.check in LOAD_CHECKS

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, then position."""
        loc = self.location
        return (loc.path, loc.line or 0, loc.col or 0, self.message)


def normalise(text: str) -> str:
    """Text with Markdown quote markers dropped and every run of whitespace one space."""
    text = re.sub(r"^\s*>\s?", "", text, flags=re.M)
    return " ".join(text.split())


def lint_paths(paths: Iterable[Path], library: Library) -> list[Diagnostic]:
    """Lint every policy, vocabulary and scenario file in ``paths`` (directories recursed)."""
    files = sorted({_shown(f) for f in input_files(paths, skip_dirs=(SOURCES_DIR,))})
    diagnostics: list[Diagnostic] = []
    policies: list[Policy] = []
    vocabularies: list[Path] = []
    for file in files:
        if file.name == VOCABULARY_FILE:
            vocabularies.append(file)
            diagnostics += _guard(file, partial(load_vocabulary, file))
            continue
        if file.name == LEXICON_FILE:
            diagnostics += _guard(file, partial(load_lexicon, file, _vocabulary_for(file, library)))
            continue
        try:
            doc = read_document(file)
        except ForcecheckError as exc:
            diagnostics.append(_from_error(exc, file))
            continue
        if isinstance(doc.data, dict) and "rules" in doc.data:
            found, policy = _lint_policy(doc, file, library)
            diagnostics += found
            if policy is not None:
                policies.append(policy)
        else:
            warnings: list[Diagnostic] = []
            found_errors = _guard(file, partial(_lint_scenario, doc, library, warnings), "scenario")
            diagnostics += found_errors or warnings
    for vocabulary_file in vocabularies:
        diagnostics += _unused_facts(vocabulary_file, policies)
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def _shown(path: Path) -> Path:
    """``path`` relative to the working directory when it lies below it (shorter messages)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _from_error(exc: ForcecheckError, file: Path, check: str = "load") -> Diagnostic:
    location = exc.location or Location(str(file))
    other = Path(location.path)
    if other.resolve() != file.resolve():
        # Another file's error (a scenario's policy that does not load): it is that file's
        # load error, named as lint names that file, reported once however many lead to it.
        location = Location(str(_shown(other)), location.line, location.col)
        check = "load"
    return Diagnostic(location, "error", exc.message, check, exc.help)


def _guard(file: Path, check: Callable[[], object], check_id: str = "load") -> list[Diagnostic]:
    try:
        check()
    except ForcecheckError as exc:
        return [_from_error(exc, file, check_id)]
    return []


def _vocabulary_for(file: Path, library: Library) -> Vocabulary:
    own = file.parent / VOCABULARY_FILE
    return load_vocabulary(own) if own.exists() else library.vocabulary


def _lint_policy(
    doc: Document, file: Path, library: Library
) -> tuple[list[Diagnostic], Policy | None]:
    try:
        vocabulary = _vocabulary_for(file, library)
        imports = Imports(
            file.parent, lambda found: load_policy(found, vocabulary, resolve=None), {}
        )
        policy = build_policy(doc, vocabulary, expected_id=file.stem, imports=imports)
    except ForcecheckError as exc:
        return [_from_error(exc, file)], None
    found = _verbatim(doc, policy, file.parent / SOURCES_DIR)
    found += _structure(doc, policy)
    return found, policy


def _citations(policy: Policy) -> Iterable[tuple[DocPath, Citation]]:
    for rule_id, rule in policy.rules.items():
        if SEPARATOR in rule_id:
            continue  # copied from a referenced policy: linted in its own file
        yield ("rules", rule_id, "citation"), rule.citation
        for reading in rule.readings:
            yield ("rules", rule_id, "readings", reading.name, "citation"), reading.citation
        if rule.interpretation is not None:
            for index, ground in enumerate(rule.interpretation.rests_on):
                yield ("rules", rule_id, "interpretation", "rests_on", index), ground
    for property_id, prop in policy.properties.items():
        yield ("properties", property_id, "citation"), prop.citation


def _source_text(sources: Path, source_id: str) -> str | None:
    """The normalised text of ``sources/<source_id>.md``, or None if there is none to read.

    Read as every input is: bounded, regular files only (a pipe or /dev/zero there must not
    hang or exhaust lint). A source id that would leave the folder names no source text.
    """
    if not source_id or source_id.startswith(".") or any(c in source_id for c in "/\\\0"):
        return None
    source_file = sources / f"{source_id}.md"
    if not source_file.exists():
        return None
    try:
        raw = read_input(source_file)[1]
    except FileReadError:
        return None
    return normalise(raw.decode("utf-8", errors="replace"))


def _verbatim(doc: Document, policy: Policy, sources: Path) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    texts: dict[str, str | None] = {}
    for path, citation in _citations(policy):
        if citation.wording != "verbatim":
            continue
        if citation.source not in texts:
            texts[citation.source] = _source_text(sources, citation.source)
        text = texts[citation.source]
        # "rule 'x'" or "property 'x'": whose citation it is.
        owner = f"{'rule' if path[0] == 'rules' else 'property'} '{path[1]}'"
        where = doc.locate((*path, "quote"))
        if text is None:
            found.append(
                Diagnostic(
                    where,
                    "error",
                    f"{owner} quotes '{citation.source}' as verbatim, but there is no "
                    f"{SOURCES_DIR}/{citation.source}.md to check it against",
                    "source-file",
                )
            )
        elif normalise(citation.quote) not in text:
            found.append(
                Diagnostic(
                    where,
                    "error",
                    f"{owner}: the verbatim quote does not appear word for word in "
                    f"{SOURCES_DIR}/{citation.source}.md",
                    "verbatim",
                )
            )
    return found


def _structure(doc: Document, policy: Policy) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    decision = policy.spec.decision
    roots = (decision, *policy.findings)
    # A rule only an alternative reading uses is used too.
    reported = set(policy.reachable(roots)).union(
        *(variant.policy.reachable(roots) for variant in variants(policy))
    )
    conditions = set(policy.conditions)
    proofs = ClassicalRules(policy)  # every rule encoded once, of any size
    found += _readings(doc, policy)
    for rule_id in policy.rules:
        if SEPARATOR in rule_id:
            continue  # copied from a referenced policy: linted in its own file
        where = doc.locate(("rules", rule_id), key=True)
        if rule_id not in reported:
            found.append(
                Diagnostic(
                    where,
                    "warning",
                    f"rule '{rule_id}' is used by neither the decision nor a finding",
                    "unused-rule",
                )
            )
        status = proofs.constant(rule_id)
        expr = policy.rules[rule_id].expr
        if isinstance(expr, Combination) and expr.op == "unsettled":
            continue  # unknown whatever the facts, by design: the text cannot settle it
        if status is not None:
            found.append(
                Diagnostic(
                    where,
                    "warning",
                    f"rule '{rule_id}' is {status} whatever the facts",
                    "constant",
                )
            )
            continue
        in_decision = rule_id != decision and rule_id in conditions
        if in_decision and not proofs.influences(rule_id, decision):
            found.append(
                Diagnostic(
                    where,
                    "warning",
                    f"rule '{rule_id}' never changes the decision: whatever its status, the "
                    "outcome is the same",
                    "no-influence",
                )
            )
    return found


def _readings(doc: Document, policy: Policy) -> list[Diagnostic]:
    """An alternative reading that makes its rule met (or unmet) whatever the facts."""
    found: list[Diagnostic] = []
    for variant in variants(policy):
        value = ClassicalRules(variant.policy).constant(variant.rule)
        if value is not None:
            found.append(
                Diagnostic(
                    doc.locate(("rules", variant.rule, "readings", variant.reading), key=True),
                    "warning",
                    f"reading '{variant.reading}' of rule '{variant.rule}' is "
                    f"{'met' if value else 'unmet'} whatever the facts",
                    "constant",
                )
            )
    return found


def _unused_facts(vocabulary_file: Path, policies: list[Policy]) -> list[Diagnostic]:
    if not policies:
        return []
    doc = read_document(vocabulary_file)
    used = {fact for policy in policies for fact in policy.facts_used}
    facts = doc.data.get("facts", {}) if isinstance(doc.data, dict) else {}
    # A fact declared context_only is recorded for readers and used by no rule on purpose.
    used |= {
        fact_id
        for fact_id, fact in facts.items()
        if isinstance(fact, dict) and fact.get("context_only") is True
    }
    return [
        Diagnostic(
            doc.locate(("facts", fact_id), key=True),
            "warning",
            f"fact '{fact_id}' is used by none of the linted policies",
            "unused-fact",
        )
        for fact_id in facts
        if fact_id not in used
    ]


#: Facts that say a vehicle endangered a person: each policy counts that danger as the
#: subject's only when he was driving (``subject_driving``).
_VEHICLE_DANGER = ("vehicle_moving_toward_person", "person_struck_or_dragged")


def _driver_unstated(doc: Document, scenario: Scenario) -> list[Diagnostic]:
    """Accounts that say a vehicle endangered someone but not who drove it.

    Scenarios written before ``subject_driving`` existed read as undetermined now: say so
    where it happens, rather than leave the user to wonder why.
    """
    found = []
    for name, account in scenario.accounts.items():
        stated = dict(account.facts)
        for discharge in account.discharges:
            stated |= discharge.facts
        if "subject_driving" in stated:
            continue
        for fact_id in _VEHICLE_DANGER:
            entry = stated.get(fact_id)
            if entry is not None and entry.value is Value.TRUE:
                where = (*scenario.account_path(name), "facts", fact_id)
                path = where if fact_id in account.facts else scenario.account_path(name)
                found.append(
                    Diagnostic(
                        doc.locate(path, key=True),
                        "warning",
                        f"account '{name}' says {fact_id} is true but not whether the subject "
                        "was driving: every policy counts a vehicle's danger as the subject's "
                        "only when he drove it (add subject_driving: true, false or unknown)",
                        "driver-unstated",
                    )
                )
                break
    return found


def _quotations(doc: Document, library: Library) -> list[Diagnostic]:
    """Quotations in a scenario's prose that are none of its quotes (nor a policy's)."""
    allowed = recorded_quotes(doc.data) + policy_quotes(library.policies())
    return [
        Diagnostic(
            doc.locate(path),
            "warning",
            f"“{quoted}” is in quotation marks but is none of the scenario's quotes: add the "
            "words to their source's `quotes:` (or the `quote` of the fact they support), or "
            "paraphrase them without quotation marks",
            "quotation",
        )
        for path, quoted in unquoted(doc.data, allowed)
    ]


def _lint_scenario(doc: Document, library: Library, warnings: list[Diagnostic]) -> None:
    """Refuse what the loader and the policy refuse; add to ``warnings`` what only lint says."""
    scenario = build_scenario(doc, library.vocabulary)
    policy = policy_for_scenario(scenario, library)
    validate_expectations(scenario, policy)
    validate_conclusions(scenario, policy)
    warnings += [*_driver_unstated(doc, scenario), *_quotations(doc, library)]
