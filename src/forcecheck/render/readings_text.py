"""Readings in words and JSON: the outcome under each reading of an open text that differs.

Every format shows the same thing: for each policy (the main one and every layer) whose
rules declare alternative readings, each reading under which some outcome differs from the
default reading's, with what that reading rests on; where every reading agrees, one
sentence says so. The words are chosen here; each format escapes and lays them out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from forcecheck.analysis.report_data import EvaluationReport, StrictestReading
from forcecheck.engine.evaluation import AccountResult, ReadingResult, ScenarioResult
from forcecheck.model.citation import Citation
from forcecheck.model.policy import Rule
from forcecheck.render.common import citation_ref
from forcecheck.render.outcome_words import outcome_json, outcome_word


@dataclass(frozen=True)
class ReadingNote:
    """What a report says of one reading that decides otherwise than the default."""

    #: ``not_authorized under reading x of rule r; authorized under the default reading
    #: (y)``, per account when there are several.
    sentence: str
    #: What the reading rests on.
    why: str
    #: The words it reads otherwise, as a short reference (document, section, wording).
    citation: str
    quote: str


def _outcomes(accounts: tuple[AccountResult, ...], several: bool, layer: str) -> list[str]:
    """Each account's outcome, and each discharge's when the account has a timeline.

    In the words of the policy's ``layer`` (the immunity view: "immunity likely").
    """
    words = []
    for account in accounts:
        text = outcome_word(layer, account.outcome)
        if account.account.discharges:
            text += (
                " ("
                + ", ".join(
                    f"{m.discharge.id}: {outcome_word(layer, m.outcome)}"
                    for m in account.results
                    if m.discharge
                )
                + ")"
            )
        words.append(f"account '{account.name}' {text}" if several else text)
    return words


def readings_list(rule: Rule) -> str:
    """A rule's readings in a few words: ``separate_bases (default), imminence_governs``."""
    return ", ".join([f"{rule.reading} (default)", *(r.name for r in rule.readings)])


def reading_words(label: str) -> str:
    """``reading `x` of r`` for the label ``r.x``."""
    rule, _, reading = label.partition(".")
    return f"reading {reading} of {rule}"


def _differs_sentence(
    result: ScenarioResult, under: tuple[AccountResult, ...], label: str, default: str | None
) -> str:
    """With several accounts, only those whose outcome (or a discharge's) the reading moves.

    Listing every account twice, under both readings, hid the one that moved.
    """
    word = partial(outcome_word, result.policy.spec.layer)
    parts = []
    for old, new in zip(result.accounts, under, strict=True):
        shots = [
            f"{a.discharge.id}: {word(a.outcome)} → {word(b.outcome)}"
            for a, b in zip(old.results, new.results, strict=True)
            if a.discharge and a.outcome is not b.outcome
        ]
        if old.outcome is new.outcome and not shots:
            continue
        text = (
            f"account '{old.name}' would be {word(new.outcome)} instead of {word(old.outcome)}"
            if old.outcome is not new.outcome
            else f"account '{old.name}' stays {word(old.outcome)}"
        )
        parts.append(text + (f" ({', '.join(shots)})" if shots else ""))
    rest = len(result.accounts) - len(parts)
    others = (
        f"; the other {'account is' if rest == 1 else f'{rest} accounts are'} unchanged"
        if rest
        else ""
    )
    return f"Under {reading_words(label)} (default: {default}): " + "; ".join(parts) + others


def reading_notes(result: ScenarioResult) -> list[ReadingNote]:
    """The readings of ``result``'s policy under which some outcome differs, in words."""
    several = len(result.accounts) > 1
    notes = []
    for reading in result.differing:
        variant = reading.variant
        default = result.policy.rules[variant.rule].reading
        layer = result.policy.spec.layer
        detail = variant.detail
        notes.append(
            ReadingNote(
                sentence=_differs_sentence(result, reading.accounts, reading.label, default)
                if several
                else f"{_outcomes(reading.accounts, False, layer)[0]} under "
                f"{reading_words(reading.label)}; {_outcomes(result.accounts, False, layer)[0]} "
                f"under the default reading ({default})",
                why=detail.why,
                citation=citation_ref(detail.citation),
                quote=" ".join(detail.citation.quote.split()),
            )
        )
    return notes


def agreement(result: ScenarioResult) -> str | None:
    """The one sentence when every reading agrees; None when some differs or there are none."""
    if not result.readings or result.differing:
        return None
    count = len(result.readings)
    return (
        f"{result.policy.id}: readings all agree — the outcome is the same under the default "
        f"reading and under {'its' if count == 1 else 'each of its'} {count} alternative "
        f"reading{'s' if count > 1 else ''} ({', '.join(r.label for r in result.readings)})."
    )


def policies_with_readings(result: ScenarioResult) -> list[ScenarioResult]:
    """The main policy and every layer whose rules declare readings, in report order."""
    return [layer for layer in (result.layers or (result,)) if layer.readings]


def readings_plain(results: Sequence[ScenarioResult], width: int) -> list[str]:
    """The readings of each result's policy as plain text lines, wrapped to ``width``."""

    def wrap(text: str, first: str = "", rest: str = "") -> list[str]:
        return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest)

    lines: list[str] = []
    for result in results:
        if not result.readings:
            continue
        agreed = agreement(result)
        if agreed:
            lines += [*wrap(agreed), ""]
            continue
        lines += wrap(f"Readings of {result.policy.id} where the text is open:")
        for note in reading_notes(result):
            lines += wrap(note.sentence, "  - ", "    ")
            lines += wrap(f'{note.citation}: "{note.quote}"', "    ", "    ")
            lines += wrap(f"why: {note.why}", "    ", "    ")
        lines.append("")
    return lines


def strictest_reading_text(found: StrictestReading) -> str:
    """``not_authorized under reading `x` of rule r (dhs-2023)``."""
    return f"{found.outcome} under {reading_words(found.reading)} ({found.policy})"


def strictest_notes(report: EvaluationReport) -> list[str]:
    """Per account, a sentence when another reading of one layer would change the strictest."""
    notes = []
    several = len(report.result.accounts) > 1
    for account, outcome, found in zip(
        report.result.accounts, report.strictest, report.strictest_readings, strict=False
    ):
        if not found:
            continue
        whose = f"account '{account.name}': " if several else ""
        notes.append(
            f"The strictest outcome, {whose}{outcome}, has every layer at its default reading; "
            "it would be "
            + "; ".join(strictest_reading_text(f) for f in found)
            + ", the other layers at their default."
        )
    return notes


# ---------------------------------------------------------------- JSON


def _citation_json(citation: Citation) -> dict[str, Any]:
    return citation.as_dict()


def readings_json(result: ScenarioResult) -> list[dict[str, Any]]:
    """Every alternative reading of ``result``'s policy, each account's outcome under it."""
    return [_reading_json(result, reading) for reading in result.readings]


def _reading_json(result: ScenarioResult, reading: ReadingResult) -> dict[str, Any]:
    variant = reading.variant
    detail = variant.detail
    word = partial(outcome_json, result.policy.spec.layer)
    return {
        "rule": variant.rule,
        "reading": variant.reading,
        "default_reading": result.policy.rules[variant.rule].reading,
        "why": detail.why,
        "citation": _citation_json(detail.citation),
        "differs": reading.differs,
        "accounts": [
            {
                "account": account.name,
                "outcome": word(account.outcome),
                "default_outcome": word(base.outcome),
                "evaluations": [
                    {
                        "discharge": m.discharge.id if m.discharge else None,
                        "outcome": word(m.outcome),
                        "default_outcome": word(d.outcome),
                    }
                    for m, d in zip(account.results, base.results, strict=True)
                ],
            }
            for account, base in zip(reading.accounts, result.accounts, strict=True)
        ],
    }
