"""The ``whatif`` report as Markdown: what a change changes, a document for a draft.

The same selection as the text report (:mod:`forcecheck.render.whatif_view`): every layer's
outcome changes first, then the conditions of the main policy and of each layer that moved.
"""

from __future__ import annotations

from forcecheck.analysis.whatif import LayeredWhatIf, WhatIf
from forcecheck.render.escape import markdown_code as code
from forcecheck.render.escape import markdown_inline as md
from forcecheck.render.markdown import table_md
from forcecheck.render.outcome_words import outcome_word
from forcecheck.render.reasons import reason_text
from forcecheck.render.whatif_view import (
    NO_OUTCOME,
    condition_sections,
    outcome_change_rows,
)


def _conditions_md(result: WhatIf) -> list[str]:
    several = len(result.before.accounts) > 1
    rows = []
    for c in result.conditions:
        where = [c.account] if several else []
        if c.discharge:
            where.append(f"@{c.discharge}")
        rows.append(
            [
                code(c.rule_id) + (f" ({md(' '.join(where))})" if where else ""),
                f"{c.before} → {c.after}",
                md(reason_text(c.result_before)),
                md(reason_text(c.result_after)),
            ]
        )
    return table_md(["Condition", "Status", "Why, as written", "Why, what if"], rows)


def render_whatif_markdown(result: LayeredWhatIf) -> str:
    """The what-if report as a Markdown document."""
    main = result.main
    scenario = main.before.scenario
    spec = scenario.spec
    lines = [f"# What if: {md(spec.title or spec.id or scenario.path)}", ""]
    lines += [f"Scenario file: {code(scenario.path)}", ""]
    names = ", ".join(code(layer.before.policy.id) for layer in result.layers)
    lines += [f"**{'Policy' if len(result.layers) == 1 else 'Layers'}:** {names}", ""]
    changes = ", ".join(f"{code(k)} = {v}" for k, v in result.changes.items())
    lines += [f"**What if:** {changes}", ""]
    if not result.changed:
        lines.append(
            "Nothing changes: every outcome and every condition has the same status with these "
            "facts" + ("." if len(result.layers) == 1 else " under every layer.")
        )
        return "\n".join(lines) + "\n"
    rows = [[md(cell) for cell in row] for row in outcome_change_rows(result)]
    if rows:
        lines += ["## Outcomes that changed", ""]
        lines += table_md(["Layer", "Account", "As written", "What if"], rows)
    elif len(result.layers) > 1:
        lines += [NO_OUTCOME, ""]
    else:
        words = main.before.policy.spec.layer or ""
        unchanged = ", ".join(
            f"{md(a.name)}: {outcome_word(words, a.outcome)}" for a in main.before.accounts
        )
        lines += [f"The outcome does not change ({unchanged}).", ""]
    sections = condition_sections(result)
    for shown, heading in sections.shown:
        lines += [f"## {md(heading)}", "", *_conditions_md(shown)]
    for sentence in (sections.quiet, sections.still):
        if sentence and len(result.layers) > 1:
            lines += [md(sentence), ""]
    return "\n".join(lines).rstrip() + "\n"
