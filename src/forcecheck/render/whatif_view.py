"""The report of ``forcecheck whatif``: only what the changes changed, layer by layer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from forcecheck.analysis.whatif import LayeredWhatIf, WhatIf
from forcecheck.model.binding import is_federal
from forcecheck.render.common import layer_label, wrap
from forcecheck.render.dates_text import uncertainty_json, uncertainty_text
from forcecheck.render.escape import terminal
from forcecheck.render.outcome_words import outcome_json, outcome_word
from forcecheck.render.reasons import reason_text
from forcecheck.render.table import table


def _where(account: str, discharge: str | None, several_accounts: bool) -> str:
    parts = [account] if several_accounts else []
    if discharge:
        parts.append(f"@{discharge}")
    return " ".join(parts)


def _name(result: WhatIf) -> str:
    """A layer as the summary of ``evaluate`` names it: ``mn-609-066 (state)``."""
    policy = result.before.policy
    return layer_label(policy)


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
    return [*lines, "Conditions that changed:", "", _condition_table(result, fmt), ""]


def _condition_table(result: WhatIf, fmt: str) -> str:
    """Each condition whose status changed, with the reason before and after."""
    several = len(result.before.accounts) > 1
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
    return table(
        rows, ["condition", "status", "why, as written", "why, what if"], [30, 18, 34, 34], fmt
    )


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
    lines += _layered(result, fmt)
    return terminal("\n".join(lines).rstrip() + "\n")


def outcome_change_rows(result: LayeredWhatIf) -> list[list[str]]:
    """Every layer's outcome changes (layer, account and discharge, before, after).

    The federal layers first, then the strictest federal outcome where it moves, then the
    state's law and the immunity view, each in its own words.
    """
    several = len(result.main.before.accounts) > 1
    federal = [layer for layer in result.layers if is_federal(layer.before.policy)]
    rows: list[list[str]] = []

    def add(layer: WhatIf) -> None:
        word = layer.before.policy.spec.layer or ""
        for o in layer.outcomes:
            where = _where(o.account, o.discharge, several) or "outcome"
            rows.append(
                [_name(layer), where, outcome_word(word, o.before), outcome_word(word, o.after)]
            )

    for layer in federal:
        add(layer)
    for s in result.strictest:
        if s.before is not s.after:
            where = s.account if several else "outcome"
            rows.append(["strictest (federal layers)", where, str(s.before), str(s.after)])
    for layer in result.layers:
        if layer not in federal:
            add(layer)
    return rows


@dataclass(frozen=True)
class ConditionSections:
    """Which layers' condition changes a report shows, and what it says of the others."""

    #: (layer, its heading) whose conditions are tabled: the main one, and each that moved.
    shown: list[tuple[WhatIf, str]]
    #: The sentence on layers whose conditions moved but not their outcome (None: none).
    quiet: str | None
    #: The sentence on layers under which nothing changed (None: none).
    still: str | None


def condition_sections(result: LayeredWhatIf) -> ConditionSections:
    """The conditions are shown for the main policy and each layer whose outcome moved."""
    shown: list[tuple[WhatIf, str]] = []
    quiet: list[tuple[str, str]] = []
    for layer, why in zip(result.layers, result.uncertain, strict=True):
        if not layer.conditions:
            continue
        if layer is not result.main and not layer.outcomes:
            count = len(layer.conditions)
            plural = "s" if count > 1 else ""
            quiet.append((layer.before.policy.id, f"{_name(layer)}: {count} condition{plural}"))
            continue
        may = f" — may bind: {uncertainty_text(why)}" if why else ""
        shown.append((layer, f"Conditions that changed under {_name(layer)}{may}"))
    still = [_name(layer) for layer in result.layers if not layer.changed]
    return ConditionSections(
        shown,
        "Conditions changed, but no outcome, under "
        + "; ".join(text for _, text in quiet)
        + f". To see them: add --policy {quiet[0][0]} (or another layer's id)."
        if quiet
        else None,
        "Nothing changes under " + ", ".join(still) + "." if still else None,
    )


def _layered(result: LayeredWhatIf, fmt: str) -> list[str]:
    """Every layer's outcome changes in one table first; then the conditions that explain them."""
    rows = outcome_change_rows(result)
    lines: list[str] = []
    if rows:
        lines += [
            "Outcomes that changed:",
            "",
            table(rows, ["layer", "", "as written", "what if"], [30, 24, 18, 18], fmt),
            "",
        ]
    else:
        lines += [*wrap(NO_OUTCOME), ""]
    sections = condition_sections(result)
    for layer, heading in sections.shown:
        lines += [f"{heading}:", "", _condition_table(layer, fmt), ""]
    for sentence in (sections.quiet, sections.still):
        if sentence:
            lines += wrap(sentence)
    return lines


#: What a change that moves conditions but no outcome under any layer says.
NO_OUTCOME = "No outcome changes under any layer; some conditions do."


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
        "any_layer_changed": result.changed,
        "layers": [
            {
                "policy": layer.before.policy.id,
                "layer": layer.before.policy.spec.layer,
                "may_bind": uncertainty_json(why),
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
