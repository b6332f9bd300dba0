"""The analysis sections of the HTML report: disputed facts, stated conclusions, questions.

They read what the application layer computed (a :class:`Comparison`, conclusion checks,
:class:`Questions`) and only write it out, with the same words as the text and Markdown
reports (:mod:`forcecheck.render.analysis_text`).
"""

from __future__ import annotations

from functools import partial

from forcecheck.analysis import ConclusionCheck, Questions
from forcecheck.analysis.compare import Comparison
from forcecheck.render.analysis_text import (
    BEARS_ON,
    DECISIVE,
    DISPUTE_LEGEND,
    LIST_SETS_UP_TO,
    attribution,
    claim_text,
    conclusion_rows,
    dispute_effect,
    dispute_kind,
    dispute_mark,
    every_question_text,
    gap_text,
    percent,
    said_unknown,
    settled_facts_text,
    settles_text,
    summary_sentences,
)
from forcecheck.render.common import citation_ref
from forcecheck.render.evidence_text import column_mark
from forcecheck.render.html_parts import code, e, section, table
from forcecheck.render.html_tree import layer_badge


def disputes_section(comparison: Comparison) -> str:
    """The disputed facts (decisive ones marked), who said what, and the gaps."""
    scenario = comparison.scenario
    body = f"<p>{e(' '.join(summary_sentences(comparison)))}</p>"
    if comparison.disputes:
        rows, classes = [], []
        for dispute in comparison.disputes:
            mark = (
                f'<span class="mark">{DECISIVE} decisive</span>'
                if dispute.decisive
                else f'<span class="mark">{BEARS_ON} bears on the outcome</span>'
                if dispute.bears_on
                else '<span class="muted">no effect</span>'
            )
            rows.append(
                [
                    f'{code(dispute.fact)}<br><span class="question">{e(dispute.text)}</span>',
                    mark,
                    e(dispute_kind(dispute)),
                    *(e(claim_text(c)) for c in dispute.claims),
                ]
            )
            classes.append("decisive" if dispute.decisive else "")
        body += table(
            "Facts the accounts disagree on, decisive ones first",
            [
                "Fact",
                "Effect",
                "Kind",
                *(code(a.name) + e(column_mark(a.account)) for a in comparison.accounts),
            ],
            rows,
            classes,
        )
        body += "<ul>" + "".join(f"<li>{e(text)}</li>" for text in DISPUTE_LEGEND) + "</ul>"
        said = []
        for dispute in comparison.disputes:
            items = []
            for claim in dispute.addressed_claims:
                for discharge, fact in claim.moments:
                    at = f" at discharge {code(discharge)}" if discharge else ""
                    value = (
                        f"<strong>{e(str(fact.value))}</strong> — {e(attribution(scenario, fact))}"
                        if fact is not None
                        else "does not address it at this discharge"
                    )
                    items.append(f"<li>{code(claim.account)}{at}: {value}</li>")
                    if len(set(claim.values)) == 1:
                        break
            if dispute.silent:
                silent = ", ".join(code(n) for n in dispute.silent)
                items.append(f'<li class="muted">not addressed by {silent}</li>')
            effects = "".join(f"<li>{e(text)}</li>" for text in dispute_effect(dispute))
            mark = dispute_mark(dispute)
            said.append(
                f"<h4>{mark + ' ' if mark else ''}{code(dispute.fact)}: {e(dispute.text)}</h4>"
                f"<ul>{''.join(items)}</ul><p>If switched:</p><ul>{effects}</ul>"
            )
        body += "<h3>Who said what</h3>" + "".join(said)
    if comparison.gaps:
        body += (
            "<h3>Stated by only some accounts</h3><p>Not disputed: the accounts that address "
            "these agree, and the others are silent.</p><ul>"
            + "".join(f"<li>{e(gap_text(g))}</li>" for g in comparison.gaps)
            + "</ul>"
        )
    if comparison.open_to_all:
        vocabulary = comparison.columns[0].policy.vocabulary
        body += "<h3>Open in every account</h3><p>No account settles these:</p><ul>"
        for f in comparison.open_to_all:
            unsure = "".join(
                f"<li>{code(name)}: cannot tell — {e(attribution(scenario, given))}</li>"
                for name, given in said_unknown(comparison, f)
            )
            body += f"<li>{code(f)}: {e(vocabulary.facts[f].question)}"
            body += f"<ul>{unsure}</ul></li>" if unsure else "</li>"
        body += "</ul>"
    return section("disputes", "Disputed facts", body)


def conclusions_section(checks: tuple[ConclusionCheck, ...]) -> str:
    """The stated-conclusions table, without a heading."""
    if not checks:
        return ""
    rows = []
    for row in conclusion_rows(checks, e):
        verdict = f"<strong>{row[4]}</strong>" if row[4].startswith("⚠") else row[4]
        rows.append([code(row[0]), code(row[1]), row[2], e(row[3]), verdict])
    return (
        "<p>What the account asserts, beside what its own facts establish (⚠: not carried by "
        "its facts).</p>"
        + table(
            "Stated conclusions and what the facts establish",
            ["Account", "Condition", "Stated", "Facts establish", "Verdict"],
            rows,
        )
    )


def questions_section(questions: Questions) -> str:
    """What the outcome rests on, and the questions that would settle it, ranked."""
    policy = questions.policy
    outcome = partial(layer_badge, policy.spec.layer)
    if questions.rests_on:
        rows = [
            [
                f'{code(r.fact)}<br><span class="question">{e(r.text)}</span>',
                e(", ".join(str(v) for v in dict.fromkeys(r.values))),
                outcome(r.if_otherwise),
                outcome(r.if_unknown),
            ]
            for r in questions.rests_on
        ]
        return (
            "<h3>What the outcome rests on</h3>"
            f"<p>The outcome is {outcome(questions.outcome)}. Had one of these facts turned out "
            "otherwise, or not been known, it would change:</p>"
            + table(
                "Facts the outcome rests on",
                ["Fact", "Value", "If otherwise", "If not known"],
                rows,
            )
        )
    if not questions.questions:
        return ""
    items = []
    for index, q in enumerate(questions.questions):
        silent = ", not addressed by this account" if q.not_addressed else ""
        clauses = "".join(
            f"<li>{code(c)} ({e(citation_ref(policy.rules[c].citation))}): "
            f"<q>{e(policy.rules[c].citation.quote)}</q></li>"
            for c in q.conditions
        )
        items.append(
            f"<li><strong>{e(q.text)}</strong> ({code(q.fact)}{silent}) — if yes: "
            f"{outcome(q.if_true)}; if no: {outcome(q.if_false)}; settles: "
            f"{e(settles_text(questions, index))}; weight {percent(q.weight)}."
            + (f" {e(settled_facts_text(q, capital=True))}." if q.settles_facts else "")
            + (f"<ul>{clauses}</ul>" if clauses else "")
            + "</li>"
        )
    text = (
        "<h3>Questions to ask</h3>"
        "<p>The open facts that could still settle the outcome, most decisive first. "
        "<em>Weight</em> is the share of the ways the other open facts could turn out in which "
        "the answer changes the outcome"
        + ("" if questions.exact else " (estimated from a fixed sample)")
        + f".</p><ol>{''.join(items)}</ol>"
    )
    if questions.needs_every_question and len(questions.questions) > LIST_SETS_UP_TO:
        text += f"<p>{e(every_question_text(questions))}</p>"
    elif questions.settling_sets:
        sets = "; ".join("{" + ", ".join(code(f) for f in s) + "}" for s in questions.settling_sets)
        text += (
            "<p>Smallest sets of facts whose answers, whatever they are, settle the outcome: "
            + sets
            + (" (search stopped at its limit)" if questions.search_incomplete else "")
            + ".</p>"
        )
    if questions.moot:
        text += (
            "<p>Open, but no answer could change the outcome any more: "
            + ", ".join(code(f) for f in questions.moot)
            + ".</p>"
        )
    return text
