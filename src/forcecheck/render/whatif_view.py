"""The report of ``forcecheck whatif``: only what the changes changed."""

from __future__ import annotations

import json
from typing import Any

from forcecheck.analysis.whatif import WhatIf
from forcecheck.render.common import wrap
from forcecheck.render.escape import terminal
from forcecheck.render.reasons import reason_text
from forcecheck.render.table import table


def _where(account: str, discharge: str | None, several_accounts: bool) -> str:
    parts = [account] if several_accounts else []
    if discharge:
        parts.append(f"@{discharge}")
    return " ".join(parts)


def render_whatif(result: WhatIf, fmt: str) -> str:
    """Outcomes and conditions that changed, side by side, with the reasons."""
    scenario = result.before.scenario
    spec = scenario.spec
    several = len(result.before.accounts) > 1
    lines = [
        f"Scenario: {spec.title or spec.id or scenario.path}",
        f"Policy:   {result.before.policy.id}",
        "What if: " + ", ".join(f"{k} = {v}" for k, v in result.changes.items()),
        "",
    ]
    if not result.changed:
        lines += wrap(
            "Nothing changes: every outcome and every condition has the same status with "
            "these facts."
        )
        return "\n".join(lines) + "\n"
    rows = [
        [
            _where(o.account, o.discharge, several) or "outcome",
            str(o.before),
            str(o.after),
        ]
        for o in result.outcomes
    ]
    if rows:
        lines += [table(rows, ["", "as written", "what if"], [30, 16, 16], fmt), ""]
    else:
        unchanged = ", ".join(f"{a.name}: {a.outcome}" for a in result.before.accounts)
        lines += [*wrap(f"The outcome does not change ({unchanged})."), ""]
    rows = [
        [
            c.rule_id
            + (f" [{_where(c.account, c.discharge, several)}]" if several or c.discharge else ""),
            f"{c.before} → {c.after}",
            reason_text(c.result_before),
            reason_text(c.result_after),
        ]
        for c in result.conditions
    ]
    lines += [
        "Conditions that changed:",
        "",
        table(
            rows, ["condition", "status", "why, as written", "why, what if"], [30, 18, 34, 34], fmt
        ),
        "",
    ]
    return terminal("\n".join(lines).rstrip() + "\n")


def whatif_json(result: WhatIf) -> dict[str, Any]:
    """The differences as JSON."""
    return {
        "scenario": {"path": result.before.scenario.path, "id": result.before.scenario.spec.id},
        "policy": {"id": result.before.policy.id},
        "changes": {k: str(v) for k, v in result.changes.items()},
        "outcomes": [
            {
                "account": o.account,
                "discharge": o.discharge,
                "before": str(o.before),
                "after": str(o.after),
            }
            for o in result.outcomes
        ],
        "conditions": [
            {
                "account": c.account,
                "discharge": c.discharge,
                "id": c.rule_id,
                "before": str(c.before),
                "after": str(c.after),
                "reason_before": reason_text(c.result_before),
                "reason_after": reason_text(c.result_after),
            }
            for c in result.conditions
        ],
        "accounts": [
            {"account": a.name, "before": str(a.outcome), "after": str(b.outcome)}
            for a, b in zip(result.before.accounts, result.after.accounts, strict=True)
        ],
    }


def render_whatif_json(result: WhatIf) -> str:
    """The differences as JSON text."""
    return json.dumps(whatif_json(result), indent=2, ensure_ascii=False) + "\n"
