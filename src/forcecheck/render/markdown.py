"""The Markdown reports of ``evaluate`` and ``compare`` (``--format markdown``).

A document a reporter can paste into a draft: outcome per account, the timeline, stated
conclusions, the disputed facts with who said what, the questions to ask, and every policy
quote with its section — nothing that needs a terminal to read. Everything taken from a
scenario file is escaped (see ``md``): a title or quote cannot inject links, images, HTML
or table cells into the published document.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from forcecheck.analysis import ConclusionCheck, Questions
from forcecheck.analysis.report_data import EvaluationReport
from forcecheck.engine.evaluation import (
    AccountResult,
    AttributedFact,
    DischargeResult,
    ScenarioResult,
)
from forcecheck.model.dates import Uncertainty
from forcecheck.model.policy import BELIEF_WORDS, Policy
from forcecheck.model.scenario import Scenario
from forcecheck.render.analysis_text import (
    CONCLUSION_HEADERS,
    LIST_SETS_UP_TO,
    conclusion_rows,
    every_question_text,
    percent,
    settled_facts_text,
    settles_text,
)
from forcecheck.render.common import citation_ref, condition_depths, rule_ref, wording_summary
from forcecheck.render.dates_text import date_text

# The one Markdown policy (render/escape.py), under the short names this module's f-strings use.
from forcecheck.render.escape import markdown_code as code
from forcecheck.render.escape import markdown_inline as md
from forcecheck.render.escape import safe_url
from forcecheck.render.evidence_text import (
    disagreement_text,
    evidence_parts,
    hindsight_text,
    source_ids,
    status_detail,
    status_text,
)
from forcecheck.render.outcome_words import outcome_word
from forcecheck.render.readings_text import (
    agreement,
    policies_with_readings,
    reading_notes,
    readings_list,
    strictest_notes,
)
from forcecheck.render.reasons import layer_open_points, reason_text, unsettled_text
from forcecheck.render.report_parts import (
    LAYER_REASONS_INTRO,
    account_heading,
    account_title,
    any_uncertain,
    beside_intro,
    beside_rows,
    cited_rules,
    discharge_label,
    given_facts,
    layer_reason_items,
    layer_rows,
    layers_intro,
    may_bind_note,
    scenario_details,
    source_details,
    state_law_text,
    strictest_cells,
)
from forcecheck.render.summary_text import (
    dispute_legend,
    dispute_lines,
    open_line_text,
    summary_rows,
)
from forcecheck.render.turns_on_text import turns_on_text


def link(url: str | None) -> str:
    """A safe URL (http, https, mailto) as an autolink; anything else as escaped text."""
    if not url:
        return ""
    safe = safe_url(url)
    # An autolink ends at the first ">"; a URL holding one (or "<") stays plain text.
    return f"<{safe}>" if safe and not set("<>") & set(safe) else md(url)


def table_md(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown (GFM) table of already-escaped cells."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return [*lines, ""]


def header_md(
    scenario: Scenario,
    policy: Policy | None,
    in_force: bool | None = None,
    uncertain: Uncertainty | None = None,
) -> list[str]:
    """The report's title, scenario details, file and policy lines."""
    spec = scenario.spec
    lines = [f"# {md(spec.title or spec.id or scenario.path)}", ""]
    details = " · ".join(md(p) for p in scenario_details(spec))
    if details:
        lines += [details, ""]
    lines += [f"Scenario file: {code(scenario.path)}", ""]
    if policy is None:
        return lines + ([md(spec.summary), ""] if spec.summary else [])
    lines += [
        f"**Policy:** {code(policy.id)} — {md(policy.spec.document)}, {md(policy.spec.title)} "
        f"(effective {date_text(policy.spec.effective)}). "
        + md(wording_summary(policy, (*policy.conditions, *policy.findings))),
        "",
    ]
    if in_force is False:
        lines += [
            f"*Note: {code(policy.id)} was not in force on {spec.date}; applied as asked.*",
            "",
        ]
    note = may_bind_note(policy.id, spec.date, uncertain)
    if note:
        lines += [f"*{md(note)}*", ""]
    if spec.summary:
        lines += [md(spec.summary), ""]
    return lines


def outcomes_md(accounts: tuple[AccountResult, ...], layer: str = "") -> list[str]:
    """The outcome of each account (and each discharge) as a table, in ``layer``'s words."""
    rows = []
    for account in accounts:
        rows.append(
            [
                code(account.name),
                md(account_title(account.account)),
                f"**{outcome_word(layer, account.outcome)}**",
            ]
        )
        if account.account.discharges:
            rows += [
                [
                    "",
                    f"↳ discharge {code(m.discharge.id)} {md(discharge_label(m.discharge))}",
                    outcome_word(layer, m.outcome),
                ]
                for m in account.results
                if m.discharge
            ]
    lines = table_md(["Account", "Source of the account", "Outcome"], rows)
    if any(a.account.discharges for a in accounts):
        lines += [
            "With a timeline, an account's outcome is *not_authorized* if any discharge is, "
            "else *undetermined* if any is, else *authorized*.",
            "",
        ]
    return lines


def _layers(report: EvaluationReport) -> list[str]:
    result = report.result
    if not result.layers:
        return []
    names = [a.name for a in result.accounts]
    uncertain = any_uncertain(report)
    rows = [
        [
            code(row.policy),
            row.layer,
            *([md(row.binds)] if uncertain else []),
            *(md(cell) for cell in row.cells),
        ]
        for row in layer_rows(report)
    ]
    rows.append(
        [
            "**strictest**",
            "",
            *([""] if uncertain else []),
            *(f"**{md(cell)}**" for cell in strictest_cells(report)),
        ]
    )
    rows += [
        [
            code(row.policy),
            row.layer,
            *([md(row.binds)] if uncertain else []),
            *(md(cell) for cell in row.cells),
        ]
        for row in beside_rows(report)
    ]
    beside = beside_intro(report) or state_law_text(report)
    headers = ["Policy", "Layer", *(["Binds"] if uncertain else []), *(code(n) for n in names)]
    return [
        "## Every binding policy",
        "",
        md(layers_intro(report)),
        "",
        *table_md(headers, rows),
        *([md(beside), ""] if beside else []),
        *(line for note in strictest_notes(report) for line in (md(note), "")),
        *_layer_open_md(report),
        *_layer_reasons_md(report),
    ]


def _layer_reasons_md(report: EvaluationReport) -> list[str]:
    """Each other layer's deciding conditions, per account: a nested list."""
    found = layer_reason_items(report)
    if not found:
        return []
    lines = [md(LAYER_REASONS_INTRO), ""]
    for heading, items in found:
        lines.append(f"- {md(heading)}")
        lines += [f"  - {md(item)}" for item in items]
    return [*lines, ""]


def readings_md(found: Sequence[ScenarioResult]) -> list[str]:
    """Each policy's readings that decide otherwise than the default, or that all agree."""
    found = [result for result in found if result.readings]
    if not found:
        return []
    lines = ["## Readings where the text is open", ""]
    for layer in found:
        agreed = agreement(layer)
        if agreed:
            lines += [md(agreed), ""]
            continue
        lines += [f"{code(layer.policy.id)}:", ""]
        for note in reading_notes(layer):
            lines += [
                f"- {md(note.sentence)}. {md(note.citation)}: “{md(note.quote)}” "
                f"*Why:* {md(note.why)}"
            ]
        lines.append("")
    return lines


def conclusions_table_md(checks: tuple[ConclusionCheck, ...]) -> list[str]:
    """Stated conclusions beside what the facts establish, as a table (⚠ in bold)."""
    rows = [
        [
            code(r[0]),
            code(r[1]),
            r[2],
            r[3],
            ("**" + r[4] + "**") if r[4].startswith("⚠") else r[4],
        ]
        for r in conclusion_rows(checks, md)
    ]
    return table_md([h.capitalize() for h in CONCLUSION_HEADERS], rows)


def _conclusions(checks: tuple[ConclusionCheck, ...]) -> list[str]:
    if not checks:
        return []
    return [
        "### Stated conclusions",
        "",
        "What the account asserts, beside what its own facts establish (⚠: not carried by its "
        "facts).",
        "",
        *conclusions_table_md(checks),
    ]


def _moment(scenario: Scenario, moment: DischargeResult) -> list[str]:
    evaluation = moment.evaluation
    policy = evaluation.policy
    depths = condition_depths(policy)
    lines: list[str] = []
    if moment.discharge is not None:
        label = discharge_label(moment.discharge)
        title = f" — {md(label)}" if label else ""
        lines += [
            f"#### Discharge {code(moment.discharge.id)}{title}: {evaluation.outcome}",
            "",
        ]
    rows = [
        [
            "&nbsp;&nbsp;" * depths.get(r.rule.id, 0) + code(r.rule.id),
            f"**{r.status}**",
            md(reason_text(r)),
            md(rule_ref(r.rule)),
        ]
        for r in (*evaluation.conditions, *evaluation.findings)
    ]
    lines += table_md(["Condition", "Status", "Why", "Policy"], rows)
    if moment.facts:
        rows = [
            [
                code(f.id),
                str(f.value),
                "; ".join(attribution_md(scenario, s) for s in source_ids(f)),
                _quote_note(f),
            ]
            for f in given_facts(moment)
        ]
        lines += ["Facts given:", "", *table_md(["Fact", "Value", "Source", "Quote or note"], rows)]
    if evaluation.unsettled:
        lines += ["Undetermined where the text is open (no fact can settle these):", ""]
        lines += [f"- {md(unsettled_text(result))}" for result in evaluation.unsettled]
        lines.append("")
    if evaluation.not_addressed:
        lines += [
            "Not addressed (evaluated as unknown): "
            + ", ".join(code(f) for f in evaluation.not_addressed)
            + ".",
            "",
        ]
    return lines


def _layer_open_md(report: EvaluationReport) -> list[str]:
    opened = layer_open_points(report.result)
    if not opened:
        return []
    lines = ["Where another layer is undetermined because its text is open:", ""]
    return [*lines, *(f"- {md(label)}: {md(text)}" for label, text in opened), ""]


def attribution_md(scenario: Scenario, source_id: str | None) -> str:
    """A source as "title (publisher, date)", escaped."""
    if source_id is None:
        return ""
    source = scenario.spec.sources.get(source_id)
    if source is None:
        return code(source_id)
    detail = ", ".join(source_details(source))
    return md(source.title) + (f" ({md(detail)})" if detail else "")


def _quote_note(fact: AttributedFact) -> str:
    if fact.settled is not None:
        return md(fact.settled.text())
    if fact.sources:
        return md("; ".join(evidence_parts(fact)))
    parts = [f"“{md(fact.quote)}”" if fact.quote else "", md(fact.note)]
    extra = [md(p) for p in (disagreement_text(fact), hindsight_text(fact)) if p]
    return "; ".join(p for p in (" — ".join(p for p in parts if p), *extra) if p)


def questions_md(questions: Questions) -> list[str]:
    """What an account's outcome rests on, and the questions to ask, ranked."""
    word = partial(outcome_word, questions.policy.spec.layer)
    if questions.rests_on:
        lines = [
            "### What the outcome rests on",
            "",
            f"The outcome is **{word(questions.outcome)}**. "
            "Had one of these facts turned out otherwise, "
            "or not been known, it would change:",
            "",
        ]
        rows = [
            [
                code(r.fact),
                ", ".join(str(v) for v in dict.fromkeys(r.values)),
                word(r.if_otherwise),
                word(r.if_unknown),
            ]
            for r in questions.rests_on
        ]
        return lines + table_md(["Fact", "Value", "If otherwise", "If not known"], rows)
    if not questions.questions:
        return []
    policy = questions.policy
    lines = [
        "### Questions to ask",
        "",
        "The open facts that could still settle the outcome, most decisive first. *Weight* is the "
        "share of the ways the other open facts could turn out in which the answer changes the "
        "outcome" + ("" if questions.exact else " (estimated from a fixed sample)") + ".",
        "",
    ]
    for index, q in enumerate(questions.questions):
        silent = ", not addressed by this account" if q.not_addressed else ""
        clauses = "; ".join(
            f"{code(c)} ({md(citation_ref(policy.rules[c].citation))}): "
            f"“{md(policy.rules[c].citation.quote)}”"
            for c in q.conditions
        )
        lines.append(
            f"{index + 1}. **{md(q.text)}** ({code(q.fact)}{silent}) — if yes: {word(q.if_true)}; "
            f"if no: {word(q.if_false)}; settles: {settles_text(questions, index)}; weight "
            f"{percent(q.weight)}."
            + (f" {md(settled_facts_text(q, capital=True))}." if q.settles_facts else "")
            + (f" Tests {clauses}." if clauses else "")
        )
    lines.append("")
    if questions.needs_every_question and len(questions.questions) > LIST_SETS_UP_TO:
        lines += [every_question_text(questions), ""]
    elif questions.settling_sets:
        lines += [
            "Smallest sets of facts whose answers, whatever they are, settle the outcome: "
            + "; ".join("{" + ", ".join(code(f) for f in s) + "}" for s in questions.settling_sets)
            + ("" if not questions.search_incomplete else " (search stopped at its limit)")
            + ".",
            "",
        ]
    if questions.moot:
        lines += [
            "Open, but no answer could change the outcome any more: "
            + ", ".join(code(f) for f in questions.moot)
            + ".",
            "",
        ]
    return lines


def policy_md(policy: Policy, rule_ids: tuple[str, ...]) -> list[str]:
    """Every cited rule with its quote, section and source."""
    lines = ["## Citations", ""]
    for cited in cited_rules(policy, rule_ids):
        rule, citation, seen = cited.rule, cited.citation, cited.seen
        lines += [
            f"### {code(rule.id)} — {md(rule.title)}",
            "",
            f"> {md(citation.quote)}",
            "",
            f"{md(citation_ref(citation))} — {md(cited.source.title)}"
            + (f"; seen in {md(seen)}" if seen else "")
            + ". "
            + ("Quoted verbatim." if citation.wording == "verbatim" else "Secondary wording."),
            "",
        ]
        if rule.belief is not None:
            lines += [f"*Standard of belief:* {md(BELIEF_WORDS[rule.belief])}.", ""]
        if rule.readings:
            lines += [f"*Readings:* {md(readings_list(rule))}.", ""]
        if rule.interpretation is not None:
            lines += [f"*Interpretation:* {md(rule.interpretation.note)}", ""]
            for ground in rule.interpretation.rests_on:
                lines += [f"- rests on {md(citation_ref(ground))}: “{md(ground.quote)}”"]
            lines.append("")
    return lines


def sources_md(scenario: Scenario) -> list[str]:
    """The scenario's sources, with their links when safe."""
    sources = scenario.spec.sources
    if not sources:
        return []
    lines = ["## Sources", ""]
    for source_id, source in sources.items():
        details = ", ".join(md(p) for p in source_details(source))
        entry = f"- {code(source_id)}: {md(source.title)}" + (f" ({details})" if details else "")
        if source.url:
            entry += f" {link(source.url)}"
        if source.note:
            entry += f" — {md(source.note)}"
        lines.append(entry)
    return [*lines, ""]


def summary_md(report: EvaluationReport) -> list[str]:
    """The summary: a line per binding policy and what each undetermined outcome turns on.

    Then the disputed facts that decide or bear on an outcome (with several accounts).
    """
    names = tuple(a.name for a in report.result.accounts)
    single = len(names) == 1
    lines = ["## Summary", ""]
    for row in summary_rows(report):
        head = f"**{code(row.label) if row.label != 'strictest' else 'strictest'}**"
        head += f" ({md(row.detail)})" if row.detail else ""
        words = row.outcome_words(names)
        if single and row.open:
            words += f": {row.open[0].text}"
        lines.append(f"- {head}: {md(words)}")
        if not single:
            lines += [f"  - {md(open_line_text(found, single))}" for found in row.open]
    lines.append("")
    beside = beside_intro(report, short=True) or state_law_text(report)
    if beside:
        lines += [md(beside), ""]
    lines += [line for note in strictest_notes(report) for line in (md(note), "")]
    disputes = dispute_lines(report)
    if disputes:
        legend = dispute_legend(report)
        lines += [f"Disputed facts that matter{f' ({md(legend)})' if legend else ''}:", ""]
        lines += [f"- {md(text)}" for text in disputes]
        lines.append("")
    return lines


def render_markdown(report: EvaluationReport) -> str:
    """The ``evaluate`` report as a Markdown document (``report`` with its questions)."""
    result = report.result
    scenario, policy = result.scenario, result.policy
    assert report.questions is not None, "the Markdown report lists each account's questions"
    lines = header_md(scenario, policy, report.in_force, report.result.uncertain)
    lines += summary_md(report)
    lines += ["## Outcome", "", *outcomes_md(result.accounts, policy.spec.layer)]
    lines += _layers(report)
    lines += readings_md(policies_with_readings(result))
    turns = report.turns_on or tuple(None for _ in result.accounts)
    for account, checks, questions, found in zip(
        result.accounts, report.conclusions, report.questions, turns, strict=True
    ):
        status = status_text(account.account.status)
        lines += [
            f"## Account {code(account.name)}: {outcome_word(policy.spec.layer, account.outcome)}"
            + (f" — **{md(status)}**" if status else ""),
            "",
        ]
        if found is not None:
            lines += [f"Undetermined: {md(turns_on_text(found, policy))}.", ""]
        if heading := account_heading(account.account):
            lines += [f"*{md(heading)}*", ""]
        if account.account.status is not None:
            lines += [f"**{md(status_detail(account.account.status))}**", ""]
        if account.account.summary:
            lines += [md(account.account.summary), ""]
        lines += _conclusions(checks)
        lines += questions_md(questions)
        lines += ["### Conditions", ""]
        for moment in account.results:
            lines += _moment(scenario, moment)
    lines += policy_md(policy, (*policy.conditions, *policy.findings))
    lines += sources_md(scenario)
    return "\n".join(lines).rstrip() + "\n"
