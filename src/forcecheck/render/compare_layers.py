"""The accounts under every layer, as ``compare`` shows them beside the main policy's report.

One table row per layer (the strictest federal row after the federal layers, then the
state's law and the immunity view), a sentence per layer on the disputed facts that decide
or bear on an outcome under it, and the same as JSON. Shared by the text, Markdown and JSON
views of ``compare``.
"""

from __future__ import annotations

from typing import Any

from forcecheck.analysis.compare import Comparison, LayerView
from forcecheck.model.binding import is_federal
from forcecheck.render.analysis_text import as_said, dispute_mark, disputes_json
from forcecheck.render.common import layer_label
from forcecheck.render.dates_text import uncertainty_json
from forcecheck.render.outcome_words import outcome_json, outcome_word


def layer_name(view: LayerView) -> str:
    """A layer as the summary of ``evaluate`` names it: ``mn-609-066 (state)``."""
    name = layer_label(view.policy)
    return name + (" — may bind" if view.result.uncertain else "")


def layer_rows(comparison: Comparison) -> list[list[str]]:
    """A row per layer: its name, then each account's outcome in the layer's words."""
    layers = comparison.layers
    federal = [view for view in layers if is_federal(view.policy)]
    beside = [view for view in layers if not is_federal(view.policy)]

    def row(view: LayerView) -> list[str]:
        layer = view.policy.spec.layer or ""
        return [layer_name(view), *(outcome_word(layer, a.outcome) for a in view.result.accounts)]

    rows = [row(view) for view in federal]
    if len(federal) > 1:
        rows.append(["strictest (federal layers)", *(str(o) for o in comparison.strictest)])
    return rows + [row(view) for view in beside]


#: Joins a dispute's mark to its fact while the text view wraps a sentence (a private-use
#: character: no input holds it; :func:`unglue` removes it after wrapping).
GLUE = "\ue001"


def unglue(line: str) -> str:
    """A wrapped line with :data:`GLUE` back to a space."""
    return line.replace(GLUE, " ")


def layer_dispute_sentences(comparison: Comparison, glue: str = " ") -> list[str]:
    """For each layer but the main one: the disputed facts that matter under it, and how.

    ``glue`` joins each mark to its fact (:data:`GLUE` where the text is wrapped).

    A decisive fact (★) with each outcome its switch changes; a fact that only bears on an
    outcome (◇) by name: ``compare --policy`` on that layer says how.
    """
    sentences = []
    for view in comparison.layers[1:]:
        if not view.disputes:
            continue
        layer = view.policy.spec.layer or ""
        parts = []
        for dispute in view.disputes:
            changes = [
                f"{s.account}: {outcome_word(layer, s.before)} → {outcome_word(layer, s.after)}"
                f" if {s.value} ({as_said(s.given_by)})"
                for s in dispute.switches
                if s.changes
            ]
            mark = dispute_mark(dispute) + glue + dispute.fact
            parts.append(f"{mark} ({'; '.join(changes)})" if changes else mark)
        sentences.append(f"{layer_name(view)}: {', '.join(parts)}.")
    return sentences


def layers_note(comparison: Comparison, file: str) -> str:
    """What the rest of the report reads, and how to compare under another layer."""
    main = comparison.layers[0].policy.id
    # Point at the layer a disputed fact decides, else one it bears on, else the last.
    others = comparison.layers[1:]
    decided = [v for v in others if any(d.decisive for d in v.disputes)]
    other = (decided or [v for v in others if v.disputes] or [comparison.layers[-1]])[0].policy.id
    return (
        f"The state's law and the immunity view are beside the federal layers, never merged "
        f"into the strictest outcome. The rest of this report compares the accounts under "
        f"{main}; under another layer: forcecheck compare {file} --policy {other}."
        if any(not is_federal(v.policy) for v in comparison.layers)
        else f"The rest of this report compares the accounts under {main}; under another "
        f"layer: forcecheck compare {file} --policy {other}."
    )


def layers_json(comparison: Comparison) -> list[dict[str, Any]]:
    """Every layer (main first): outcomes per account, and the disputes that matter under it."""
    return [
        {
            "policy": view.policy.id,
            "layer": layer,
            "federal": is_federal(view.policy),
            "may_bind": uncertainty_json(view.result.uncertain),
            "accounts": [
                {"account": a.name, "outcome": outcome_json(layer or "", a.outcome)}
                for a in view.result.accounts
            ],
            "disputes": disputes_json(view.disputes),
        }
        for view, layer in ((v, v.policy.spec.layer) for v in comparison.layers)
    ]
