"""A finished interview as a scenario file to keep (``forcecheck interview --save``)."""

from __future__ import annotations

from typing import Any

from forcecheck.analysis.interview import Interview
from forcecheck.model.logic import Value
from forcecheck.model.scenario import FactEntry
from forcecheck.render.yaml_text import yaml_scalar

#: The note on a fact written into an existing scenario: who gave the value.
ANSWERED = "answered in an interview"


def answer_entries(interview: Interview) -> dict[str, Any]:
    """The answered facts, in vocabulary order, each as the entry to write (plain data).

    Each says it was answered in an interview (``note``), so that a reader of an incident
    file can tell an answer from what the account's source states.
    """
    plain: dict[Value, bool | str] = {Value.TRUE: True, Value.FALSE: False}
    return {
        fact: {"value": plain.get(value, "unknown"), "note": ANSWERED}
        for fact in interview.policy.vocabulary.ids
        if (value := interview.answers.get(fact)) is not None
    }


def scenario_text(interview: Interview) -> str:
    """The interview's facts as a new minimal-form scenario file (YAML).

    The answers, and the starting account's facts that say something: a value, or a
    source, quote or note. A bare ``unknown`` nobody answered (a template's placeholder)
    is left out: not addressed, which evaluates the same.
    """
    account = interview.account()
    vocabulary = interview.policy.vocabulary

    def says_something(fact_id: str, entry: FactEntry) -> bool:
        return (
            fact_id in interview.answers
            or entry.value is not Value.UNKNOWN
            or bool(entry.source or entry.quote or entry.note or entry.sources)
        )

    lines = [
        f"# Facts from a forcecheck interview under {interview.policy.id}.",
        "# Each answer's question is in the comment after it; edit freely.",
        f"policy: {interview.policy.id}",
        "facts:",
    ]

    def fact_lines(facts: dict[str, FactEntry], indent: str) -> list[str]:
        return [
            f"{indent}{fact_id}: {facts[fact_id].value}  # "
            + " ".join(vocabulary.facts[fact_id].question.split())
            for fact_id in vocabulary.ids
            if fact_id in facts
        ]

    stated = {f: e for f, e in account.facts.items() if says_something(f, e)}
    lines += fact_lines(stated, "  ") or ["  {}"]
    if account.discharges:
        lines.append("discharges:")
        for discharge in account.discharges:
            lines.append(f"  - id: {yaml_scalar(discharge.id)}")
            if discharge.facts:
                lines.append("    facts:")
                lines += fact_lines(discharge.facts, "      ")
    return "\n".join(lines) + "\n"
