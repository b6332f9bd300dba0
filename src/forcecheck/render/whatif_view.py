"""The report of ``forcecheck whatif``: only what the changes changed, layer by layer."""

from __future__ import annotations

import json
from typing import Any

from forcecheck.analysis.whatif import LayeredWhatIf, WhatIf
from forcecheck.render.common import wrap
from forcecheck.render.dates_text import uncertainty_text
from forcecheck.render.escape import terminal
from forcecheck.render.reasons import reason_text
from forcecheck.render.report_parts import outcome_json, outcome_word
from forcecheck.render.table import table


def _where(account: str, discharge: str | None, several_accounts: bool) -> str:
    parts = [account] if several_accounts else []
    if discharge:
        parts.append(f"@{discharge}")
    return " ".join(parts)


def _name(result: WhatIf) -> str:
    """A layer as the summary of ``evaluate`` names it: ``mn-609-066 (state)``."""
    policy = result.before.policy
    return f"{policy.id} ({policy.spec.layer})" if policy.spec.layer else policy.id


def _changes(result: WhatIf, fmt: str) -> list[str]:
    """One policy's outcome and condition changes (it has some)."""
    layer = result.before.policy.spec.layer or ""
    several = len(result.before.accounts) > 1
    lines: list[str] = []
    rows = [
        [
            _where(o.account, o.discharge, several) or "outcome",
            outcome_word(layer, o.before),
            outcome_word(layer, o.after),
        ]
        for o in result.outcomes
    ]
    if rows:
        lines += [table(rows, ["", "as written", "what if"], [30, 18, 18], fmt), ""]
    else:
        unchanged = ", ".join(
            f"{a.name}: {outcome_word(layer, a.outcome)}" for a in result.before.accounts
        )
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
    return [
        *lines,
        "Conditions that changed:",
        "",
        table(
            rows, ["condition", "status", "why, as written", "why, what if"], [30, 18, 34, 34], fmt
        ),
        "",
    ]


def render_whatif(result: LayeredWhatIf, fmt: str) -> str:
    """Outcomes and conditions that changed under each layer, with the reasons."""
    main = result.main
    scenario = main.before.scenario
    spec = scenario.spec
    single = len(result.layers) == 1
    lines = [f"Scenario: {spec.title or spec.id or scenario.path}"]
    if single:
        lines.append(f"Policy:   {main.before.policy.id}")
    else:
        lines += wrap(", ".join(_name(layer) for layer in result.layers), indent="Layers:   ")
    lines += ["What if:  " + ", ".join(f"{k} = {v}" for k, v in result.changes.items()), ""]
    if not result.changed:
        lines += wrap(
            "Nothing changes: every outcome and every condition has the same status with "
            "these facts" + ("." if single else " under every layer.")
        )
        return terminal("\n".join(lines) + "\n")
    if single:
        return terminal("\n".join(lines + _changes(main, fmt)).rstrip() + "\n")
    for layer, why in zip(result.layers, result.uncertain, strict=True):
        if not layer.changed:
            continue
        may = f" — may bind: {uncertainty_text(why)}" if why else ""
        heading = f"Under {_name(layer)}{may}:"
        lines += [heading, "-" * len(heading), "", *_changes(layer, fmt)]
    moved = [s for s in result.strictest if s.before is not s.after]
    if moved:
        several = len(result.strictest) > 1
        rows = [[s.account if several else "outcome", str(s.before), str(s.after)] for s in moved]
        lines += [
            "The strictest outcome across the federal layers:",
            "",
            table(rows, ["", "as written", "what if"], [30, 18, 18], fmt),
            "",
        ]
    still = [_name(layer) for layer in result.layers if not layer.changed]
    if still:
        lines += wrap("Nothing changes under " + ", ".join(still) + ".")
    return terminal("\n".join(lines).rstrip() + "\n")


def _whatif_json(result: WhatIf) -> dict[str, Any]:
    layer = result.before.policy.spec.layer or ""
    return {
        "outcomes": [
            {
                "account": o.account,
                "discharge": o.discharge,
                "before": outcome_json(layer, o.before),
                "after": outcome_json(layer, o.after),
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
            {
                "account": a.name,
                "before": outcome_json(layer, a.outcome),
                "after": outcome_json(layer, b.outcome),
            }
            for a, b in zip(result.before.accounts, result.after.accounts, strict=True)
        ],
    }


def whatif_json(result: LayeredWhatIf) -> dict[str, Any]:
    """The differences as JSON: the main policy's at the top level, every layer's in ``layers``."""
    main = result.main
    return {
        "scenario": {"path": main.before.scenario.path, "id": main.before.scenario.spec.id},
        "policy": {"id": main.before.policy.id},
        "changes": {k: str(v) for k, v in result.changes.items()},
        **_whatif_json(main),
        # Additive: every layer the scenario is judged under, the main one first.
        "changed": result.changed,
        "layers": [
            {
                "policy": layer.before.policy.id,
                "layer": layer.before.policy.spec.layer,
                "may_bind": why is not None,
                "changed": layer.changed,
                **_whatif_json(layer),
            }
            for layer, why in zip(result.layers, result.uncertain, strict=True)
        ],
        "strictest": [
            {"account": s.account, "before": str(s.before), "after": str(s.after)}
            for s in result.strictest
        ],
    }


def render_whatif_json(result: LayeredWhatIf) -> str:
    """The differences as JSON text."""
    return json.dumps(whatif_json(result), indent=2, ensure_ascii=False) + "\n"
