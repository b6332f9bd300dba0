"""The ``compare`` report as Markdown: accounts side by side, or one account under policies.

Built from the same parts as the ``evaluate`` report (:mod:`forcecheck.render.markdown`),
with the same escaping (:mod:`forcecheck.render.escape`).
"""

from __future__ import annotations

from forcecheck.analysis.compare import Comparison
from forcecheck.analysis.report_data import ComparisonReport
from forcecheck.render.analysis_text import (
    DISPUTE_LEGEND,
    attribution,
    claim_text,
    dispute_kind,
    dispute_mark,
    gap_text,
    layer_marks,
    said_unknown,
    summary_sentences,
    switch_effects,
)
from forcecheck.render.dates_text import may_bind_lines
from forcecheck.render.escape import markdown_code as code
from forcecheck.render.escape import markdown_inline as md
from forcecheck.render.evidence_text import column_mark, status_suffix
from forcecheck.render.markdown import (
    conclusions_table_md,
    header_md,
    outcomes_md,
    policy_md,
    questions_md,
    readings_md,
    sources_md,
    table_md,
)
from forcecheck.render.reasons import open_points


def render_comparison_markdown(report: ComparisonReport) -> str:
    """The ``compare`` report (accounts side by side) as a Markdown document."""
    comparison = report.comparison
    scenario = comparison.scenario
    policy = comparison.columns[0].policy
    if not comparison.accounts:
        return _policies_markdown(comparison, header_md(scenario, None))
    lines = header_md(scenario, policy, report.in_force, report.uncertain)
    lines += ["## Outcome per account", "", *outcomes_md(comparison.accounts, _layer(comparison))]
    lines += _layers_md(comparison)
    lines += [md(" ".join(summary_sentences(comparison))), ""]
    lines += readings_md(comparison.results)
    lines += ["## Disputed facts", ""]
    names = [a.name for a in comparison.accounts]
    marks = [md(column_mark(a.account)) for a in comparison.accounts]
    if comparison.disputes:
        rows = [
            [
                dispute_mark(d),
                code(d.fact),
                dispute_kind(d),
                *([md(layer_marks(comparison, d.fact))] if comparison.layers else []),
                *(md(claim_text(c)) for c in d.claims),
            ]
            for d in comparison.disputes
        ]
        headers = [code(n) + mark for n, mark in zip(names, marks, strict=True)]
        others = ["Other layers"] if comparison.layers else []
        lines += table_md(["", "Fact", "Kind", *others, *headers], rows)
        lines += [f"- {md(legend)}" for legend in DISPUTE_LEGEND]
        lines += ["", "### Who said what", ""]
        for dispute in comparison.disputes:
            mark = dispute_mark(dispute)
            lines += [
                f"**{mark + ' ' if mark else ''}{code(dispute.fact)}: {md(dispute.text)}**",
                "",
            ]
            for claim in dispute.addressed_claims:
                for discharge, fact in claim.moments:
                    at = f" at discharge {code(discharge)}" if discharge else ""
                    said = (
                        f"{fact.value} — {md(attribution(scenario, fact))}"
                        if fact is not None
                        else "does not address it at this discharge"
                    )
                    lines.append(f"- {code(claim.account)}{at}: {said}")
                    if len(set(claim.values)) == 1:
                        break
            if dispute.silent:
                lines.append("- not addressed by " + ", ".join(code(n) for n in dispute.silent))
            lines += ["", "If switched:", ""]
            lines += [f"- {md(e)}" for e in switch_effects(comparison, dispute)]
            lines.append("")
    else:
        lines += ["No two accounts that address a fact give it different values.", ""]
    if comparison.gaps:
        lines += [
            "## Stated by only some accounts",
            "",
            "Not disputed: the accounts that address these agree, and the others are silent.",
            "",
        ]
        lines += [f"- {md(gap_text(g))}" for g in comparison.gaps]
        lines.append("")
    if comparison.open_to_all:
        lines += ["## Open in every account", "", "No account settles these:", ""]
        for f in comparison.open_to_all:
            lines.append(f"- {code(f)}: {md(policy.vocabulary.facts[f].question)}")
            lines += [
                f"  - {code(name)}: cannot tell — {md(attribution(scenario, given))}"
                for name, given in said_unknown(comparison, f)
            ]
        lines.append("")
    if comparison.conclusions:
        lines += ["## Stated conclusions", "", *conclusions_table_md(comparison.conclusions)]
    for questions in comparison.questions:
        status = status_suffix(scenario.accounts.get(questions.account))
        lines += [f"## Account {code(questions.account)}: {questions.outcome}{md(status)}", ""]
        lines += questions_md(questions)
    lines += _differing(comparison)
    used = tuple(dict.fromkeys((*policy.conditions, *policy.findings)))
    lines += policy_md(policy, used)
    lines += sources_md(scenario)
    return "\n".join(lines).rstrip() + "\n"


def _differing(comparison: Comparison) -> list[str]:
    labels = [c.label for c in comparison.columns]
    rows = [["**outcome**", *(f"**{c.outcome}**" for c in comparison.columns)]]
    rows += [
        [code(row.rule_id), *(str(s) if s is not None else "—" for s in row.statuses)]
        for row in comparison.rows
        if row.differs
    ]
    agree = sum(not row.differs for row in comparison.rows)
    return [
        "## Conditions whose status differs",
        "",
        *table_md(["Condition", *(md(label) for label in labels)], rows),
        f"The other {agree} conditions have the same status in every column.",
        "",
    ]


def _policies_markdown(comparison: Comparison, lines: list[str]) -> str:
    labels = [c.label + (" †" if c.not_binding else "") for c in comparison.columns]
    rows = [
        [
            "**outcome**",
            "≠" if comparison.outcomes_differ else "",
            *(f"**{c.outcome}**" for c in comparison.columns),
        ]
    ]
    rows += [
        [
            code(row.rule_id),
            "≠" if row.differs else "~" if row.partial else "",
            *(str(s) if s is not None else "—" for s in row.statuses),
        ]
        for row in comparison.rows
    ]
    legend = "≠ marks where the policies part ways"
    if any(row.partial and not row.differs for row in comparison.rows):
        legend += "; ~ a condition only some of the policies have"
    legend += "; — where a policy does not have the condition."
    idle = list(
        dict.fromkeys(f"{c.policy.id} {c.not_binding}" for c in comparison.columns if c.not_binding)
    )
    if idle:
        legend += (
            " † did not bind this incident, shown for comparison only: "
            + "; ".join(md(text) for text in idle)
            + "."
        )
    several = len(comparison.scenario.accounts) > 1
    names = list(dict.fromkeys(c.result.account for c in comparison.columns))
    lines += [
        "## One account under each policy",
        "",
        *([f"Account: {', '.join(code(n) for n in names)}.", ""] if several else []),
        *table_md(["Condition", "", *(md(label) for label in labels)], rows),
        legend,
        "",
    ]
    opened = open_points((c.label, c.result.evaluation) for c in comparison.columns)
    if opened:
        lines += ["Undetermined where the text is open (no fact can settle these):", ""]
        lines += [f"- {md(label)}: {md(text)}" for label, text in opened]
        lines.append("")
    for note in may_bind_lines(comparison.scenario.spec.date, comparison.may_bind):
        lines += [f"*{md(note)}*", ""]
    lines += readings_md(comparison.results)
    return "\n".join(lines).rstrip() + "\n"


def _layers_md(comparison: Comparison) -> list[str]:
    """The accounts under every layer the scenario is judged under (none with one)."""
    if not comparison.layers:
        return []
    from forcecheck.render.compare_layers import (
        layer_dispute_sentences,
        layer_rows,
        layers_note,
    )

    names = [md(a.name) for a in comparison.accounts]
    rows = [[md(cell) for cell in row] for row in layer_rows(comparison)]
    lines = ["## Outcome per account under every layer", "", *table_md(["Layer", *names], rows)]
    sentences = layer_dispute_sentences(comparison)
    if sentences:
        lines += ["Under the other layers, disputed facts decide or bear on outcomes:", ""]
        lines += [f"- {md(s)}" for s in sentences]
        lines.append("")
    return [*lines, md(layers_note(comparison, comparison.scenario.path)), ""]


def _layer(comparison: Comparison) -> str:
    """The layer of the policy the accounts are compared under (its outcomes' words)."""
    return comparison.results[0].policy.spec.layer if comparison.results else ""
