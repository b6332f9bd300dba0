"""The condition-coverage report of ``forcecheck check --coverage`` (table and JSON)."""

from __future__ import annotations

import textwrap
from typing import Any

from forcecheck.checks.coverage import STATUSES, PolicyCoverage, RuleCoverage, Witness
from forcecheck.model.logic import Status
from forcecheck.render.common import condition_depths
from forcecheck.render.table import table

# Fixed widths keep the output identical on every terminal; long scenario ids wrap.
_WIDTHS = [36, 24, 24, 24, 9]
_TEXT_WIDTH = 100
#: What a cell says for a status no evaluation reached.
NEVER = "never"
#: What a cell says for a status no fact set gives the rule (an ``unsettled`` point is never
#: met nor unmet).
CANNOT = "cannot"


#: Marks an example whose status never mattered to the decision in any evaluation.
IDLE = "*"


def _cell(rule: RuleCoverage, status: Status) -> str:
    example = rule.example(status)
    if example is None:
        return NEVER if status in rule.possible else CANNOT
    mark = "" if status in rule.first_exercised else f" {IDLE}"
    return f"{rule.counts[status]} · {example}{mark}"


def _summary(entry: PolicyCoverage) -> str:
    scenarios = len(entry.scenarios)
    return (
        f"Coverage of {entry.policy.id} by {scenarios} scenario{'s' * (scenarios != 1)} "
        f"({entry.evaluations} evaluation{'s' * (entry.evaluations != 1)}): "
        f"{entry.reached} of {entry.possible} rule statuses reached"
    )


def render_coverage(entries: list[PolicyCoverage], fmt: str) -> str:
    """One table per policy: each rule's count and first scenario per status, then gaps."""
    lines: list[str] = []
    for entry in entries:
        depths = condition_depths(entry.policy)
        rows = [
            [
                "· " * depths.get(rule.rule, 0) + rule.rule,
                *(_cell(rule, status) for status in STATUSES),
                str(rule.exercised),
            ]
            for rule in entry.rules.values()
        ]
        headers = ["rule", *(str(s) for s in STATUSES), "exercised"]
        lines += [_summary(entry), "", table(rows, headers, _WIDTHS, fmt), ""]
        lines += textwrap.wrap(
            "Each cell: how many evaluations (account × discharge) drove the rule to that "
            "status, and an example: the first evaluation in which that status was "
            "exercised, i.e. could on its own have changed the decision or finding (marked "
            f"{IDLE} when it never was: then the first to reach it). exercised: in how many "
            "evaluations the rule was exercised.",
            _TEXT_WIDTH,
        )
        gaps = [(f"Never {status}", entry.never(status)) for status in STATUSES]
        gaps.append(("Never exercised", entry.never_exercised))
        for label, rules in gaps:
            if rules:
                lines.append(f"{label}: {', '.join(rules)}")
        idle = entry.never_decisive
        if idle:
            lines += textwrap.wrap(
                f"Reached but never decisive ({IDLE}): no drill shows these statuses changing "
                "the decision or finding. A drill where only this part has the status would "
                "show it; the first drill to reach it, and what masked it there:",
                _TEXT_WIDTH,
            )
            for rule_id, status in idle:
                lines += textwrap.wrap(
                    f"- {rule_id} {status}: {_masked_text(entry.rules[rule_id], status)}",
                    _TEXT_WIDTH,
                    subsequent_indent="  ",
                )
        if entry.full:
            lines.append("Every rule was driven to met, unmet and unknown.")
            if any(len(rule.possible) < len(STATUSES) for rule in entry.rules.values()):
                lines.append(
                    f"({CANNOT}: no fact set gives the rule that status, as for a point the "
                    "text leaves unsettled.)"
                )
        lines.append("")
    if not entries:
        lines.append("Coverage: no scenario with `expect:` was evaluated.")
    return "\n".join(lines).rstrip() + "\n"


def _masked_text(rule: RuleCoverage, status: Status) -> str:
    masked = rule.masked.get(status)
    if masked is None:
        return f"first reached in {rule.first[status]}"
    witness, parts = masked
    return f"in {witness}, masked by {', '.join(parts)}, which decided without it"


def _witness_json(witness: Witness) -> dict[str, Any]:
    return {
        "path": witness.path,
        "scenario": witness.scenario,
        "account": witness.account,
        "discharge": witness.discharge,
    }


def coverage_json(entries: list[PolicyCoverage]) -> list[dict[str, Any]]:
    """Coverage as JSON: per policy, per rule, per status the count and first scenario."""
    return [
        {
            "policy": entry.policy.id,
            "scenarios": len(entry.scenarios),
            "evaluations": entry.evaluations,
            "reached": entry.reached,
            "possible": entry.possible,
            "full": entry.full,
            "rules": [
                {
                    "id": rule.rule,
                    "statuses": {
                        str(status): (
                            {
                                "count": rule.counts[status],
                                "first": _witness_json(rule.first[status]),
                                "first_exercised": (
                                    _witness_json(rule.first_exercised[status])
                                    if status in rule.first_exercised
                                    else None
                                ),
                            }
                            if status in rule.counts
                            else None
                        )
                        for status in STATUSES
                    },
                    "missing": [str(s) for s in rule.missing],
                    "exercised": rule.exercised,
                }
                for rule in entry.rules.values()
            ],
            "never": {str(status): list(entry.never(status)) for status in STATUSES},
            "never_exercised": list(entry.never_exercised),
            "never_decisive": [
                {
                    "rule": rule_id,
                    "status": str(status),
                    "example": _witness_json(
                        entry.rules[rule_id].masked[status][0]
                        if status in entry.rules[rule_id].masked
                        else entry.rules[rule_id].first[status]
                    ),
                    "masked_by": list(entry.rules[rule_id].masked.get(status, (None, ()))[1]),
                }
                for rule_id, status in entry.never_decisive
            ],
        }
        for entry in entries
    ]
