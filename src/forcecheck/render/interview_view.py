"""A finished interview as a scenario file to keep (``forcecheck interview --save``)."""

from __future__ import annotations

from forcecheck.analysis.interview import Interview
from forcecheck.model.scenario import FactEntry
from forcecheck.render.yaml_text import yaml_scalar


def scenario_text(interview: Interview) -> str:
    """The interview's facts, answers included, as a minimal-form scenario file (YAML)."""
    account = interview.account()
    vocabulary = interview.policy.vocabulary
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

    lines += fact_lines(account.facts, "  ") or ["  {}"]
    if account.discharges:
        lines.append("discharges:")
        for discharge in account.discharges:
            lines.append(f"  - id: {yaml_scalar(discharge.id)}")
            if discharge.facts:
                lines.append("    facts:")
                lines += fact_lines(discharge.facts, "      ")
    return "\n".join(lines) + "\n"
