"""The side-by-side report of ``forcecheck compare``."""

from __future__ import annotations

import json
from typing import Any

from tabulate import tabulate

from ..compare import Comparison
from .escape import terminal

#: Marks a row whose columns disagree.
DIFFERS = "≠"
#: Marks a row only some columns' policies have.
PARTIAL = "~"


def render_comparison(comparison: Comparison, fmt: str) -> str:
    """Outcomes, then every condition's status per column; differing rows marked ≠."""
    labels = [c.label for c in comparison.columns]
    spec = comparison.scenario.spec
    lines = [f"Scenario: {spec.title or spec.id or comparison.scenario.path}", ""]
    outcome_row = [
        DIFFERS if comparison.outcomes_differ else "",
        "OUTCOME",
        *(str(c.outcome) for c in comparison.columns),
    ]
    rows = [outcome_row] + [
        [
            DIFFERS if row.differs else "",
            row.rule_id,
            *(str(s) if s is not None else "—" for s in row.statuses),
        ]
        for row in comparison.rows
    ]
    # Account names come from the scenario file: terminal-safe before tabulate measures them.
    headers = [terminal(h) for h in ["", "condition", *labels]]
    lines.append(tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True))
    differing = [row.rule_id for row in comparison.rows if row.differs]
    lines.append("")
    if differing:
        lines.append(f"{DIFFERS} marks where they part ways: " + ", ".join(differing) + ".")
    else:
        lines.append("Every condition has the same status in every column.")
    if any(row.partial for row in comparison.rows):
        lines.append(
            f"{PARTIAL} marks a condition only some of the policies have; — where a "
            "policy does not have it."
        )
    return terminal("\n".join(lines) + "\n")


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON."""
    return {
        "scenario": {"path": comparison.scenario.path, "id": comparison.scenario.spec.id},
        "columns": [
            {
                "label": c.label,
                "policy": c.policy.id,
                "account": c.result.account,
                "discharge": c.result.discharge.id if c.result.discharge else None,
                "outcome": str(c.outcome),
            }
            for c in comparison.columns
        ],
        "outcomes_differ": comparison.outcomes_differ,
        "conditions": [
            {
                "id": row.rule_id,
                "title": row.title,
                "statuses": [str(s) if s is not None else None for s in row.statuses],
                "differs": row.differs,
                "partial": row.partial,
            }
            for row in comparison.rows
        ],
    }


def render_comparison_json(comparison: Comparison) -> str:
    """The comparison as JSON text."""
    return json.dumps(comparison_json(comparison), indent=2, ensure_ascii=False) + "\n"
