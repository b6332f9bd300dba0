"""The plain-text report of ``forcecheck evaluate`` (tables through tabulate)."""

from __future__ import annotations

import tabulate as tabulate_module

from forcecheck.analysis.report_data import EvaluationReport
from forcecheck.engine.evaluation import DischargeResult, ScenarioResult
from forcecheck.engine.explain import RuleResult
from forcecheck.model.policy import BELIEF_WORDS, Policy
from forcecheck.render.analysis_text import CONCLUSION_HEADERS, conclusion_rows
from forcecheck.render.common import (
    ONE_LINE_FORMATS,
    TEXT_WIDTH,
    citation_ref,
    condition_depths,
    rule_ref,
    wording_summary,
    wrap,
)
from forcecheck.render.dates_text import date_text
from forcecheck.render.escape import terminal
from forcecheck.render.evidence_text import (
    quote_note_text,
    source_ids,
    status_detail,
    status_text,
)
from forcecheck.render.grid import grid
from forcecheck.render.outcome_words import outcome_word
from forcecheck.render.readings_text import (
    policies_with_readings,
    readings_list,
    readings_plain,
    strictest_notes,
)
from forcecheck.render.reasons import layer_open_points, reason_text, unsettled_text
from forcecheck.render.report_parts import (
    LAYER_REASONS_INTRO,
    account_heading,
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
    outcome_rows,
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

DEFAULT_TABLE_FORMAT = "simple_grid"
# Fixed widths keep the output identical on every terminal (golden tests rely on it).
_CONDITION_WIDTHS = [32, 7, 44, 28]
_FACT_WIDTHS = [32, 8, 22, 46]


def table_formats() -> list[str]:
    """Every table format tabulate knows."""
    return sorted(tabulate_module.tabulate_formats)


def table(rows: list[list[str]], headers: list[str], widths: list[int], fmt: str) -> str:
    """A tabulate table with wrapped cells (unless the format cannot hold line breaks)."""
    wrap = fmt not in ONE_LINE_FORMATS
    # Cells hold text from input files: escaped for the format before tabulate measures them.
    return grid(rows, headers, fmt, widths if wrap else None)


def _conditions_table(results: tuple[RuleResult, ...], depths: dict[str, int], fmt: str) -> str:
    rows = [
        [
            "· " * depths.get(r.rule.id, 0) + r.rule.id,
            str(r.status),
            reason_text(r),
            rule_ref(r.rule),
        ]
        for r in results
    ]
    return table(rows, ["condition", "status", "reason", "citation"], _CONDITION_WIDTHS, fmt)


def _facts_table(moment: DischargeResult, fmt: str) -> str:
    used = set(moment.evaluation.policy.facts_used)
    rows = [
        [
            fact.id + ("" if fact.id in used else " (not used by this policy)"),
            str(fact.value),
            ", ".join(source_ids(fact)),
            fact.settled.text() if fact.settled else quote_note_text(fact),
        ]
        for fact in given_facts(moment)
    ]
    return table(rows, ["fact", "value", "source", "quote or note"], _FACT_WIDTHS, fmt)


def _moment(moment: DischargeResult, depths: dict[str, int], fmt: str) -> list[str]:
    evaluation = moment.evaluation
    vocabulary = evaluation.policy.vocabulary
    lines: list[str] = []
    if moment.discharge is not None:
        label = discharge_label(moment.discharge)
        title = f" — {label}" if label else ""
        outcome = outcome_word(evaluation.policy.spec.layer, evaluation.outcome)
        lines.append(f"Discharge {moment.discharge.id}{title}: {outcome}")
        lines.append("")
    lines += [_conditions_table(evaluation.conditions, depths, fmt), ""]
    if evaluation.findings:
        lines += ["Secondary findings (reported, not part of the decision):", ""]
        lines += [_conditions_table(evaluation.findings, depths, fmt), ""]
    if moment.facts:
        lines += ["Facts given:", "", _facts_table(moment, fmt), ""]
    if evaluation.unsettled:
        lines.append("Undetermined where the text is open (no fact can settle these):")
        for result in evaluation.unsettled:
            lines += wrap(unsettled_text(result), "  - ")
        lines.append("")
    if evaluation.not_addressed:
        lines.append("Not addressed (evaluated as unknown):")
        for fact_id in evaluation.not_addressed:
            lines += wrap(f"{fact_id}: {vocabulary.facts[fact_id].question}", "  - ")
        lines.append("")
    return lines


def _citations(policy: Policy, rule_ids: tuple[str, ...]) -> list[str]:
    lines = ["Citations", "=========", ""]
    for cited in cited_rules(policy, rule_ids):
        rule, citation, seen = cited.rule, cited.citation, cited.seen
        lines.append(f"{rule.id}: {rule.title}")
        lines += wrap(f"{citation_ref(citation)} — {cited.source.title}", "  ")
        lines += wrap(f'"{citation.quote}"', "  ")
        if seen:
            lines += wrap(f"seen in: {seen}", "  ")
        if rule.belief is not None:
            lines += wrap(f"standard of belief: {BELIEF_WORDS[rule.belief]}", "  ")
        if rule.readings:
            lines += wrap(f"readings: {readings_list(rule)}", "  ")
        if rule.interpretation is not None:
            lines += wrap(f"interpretation: {rule.interpretation.note}", "  ")
            for ground in rule.interpretation.rests_on:
                lines += wrap(f'rests on {citation_ref(ground)}: "{ground.quote}"', "    ")
        lines.append("")
    return lines


def _sources(result: ScenarioResult) -> list[str]:
    sources = result.scenario.spec.sources
    if not sources:
        return []
    lines = ["Sources", "=======", ""]
    for source_id, source in sources.items():
        details = ", ".join(source_details(source))
        lines += wrap(f"{source_id}: {source.title}" + (f" ({details})" if details else ""))
        if source.url:
            lines.append(f"  {source.url}")
        if source.note:
            lines += wrap(source.note, "  ")
        lines.append("")
    return lines


def _readings(report: EvaluationReport) -> list[str]:
    """Each policy's readings that decide otherwise than the default, or that all agree."""
    return readings_plain(policies_with_readings(report.result), TEXT_WIDTH)


def _layers(report: EvaluationReport, fmt: str) -> list[str]:
    result = report.result
    names = [a.name for a in result.accounts]
    uncertain = any_uncertain(report)
    rows = [
        [row.policy, row.layer, *([row.binds] if uncertain else []), *row.cells]
        for row in layer_rows(report)
    ]
    rows.append(["strictest", "", *([""] if uncertain else []), *strictest_cells(report)])
    rows += [
        [
            row.policy,
            row.layer,
            *([row.binds] if uncertain else []),
            *row.cells,
        ]
        for row in beside_rows(report)
    ]
    intro = f"{layers_intro(report)} The report below is under {result.policy.id}."
    beside = beside_intro(report) or state_law_text(report)
    headers = ["policy", "layer", *(["binds"] if uncertain else []), *names]
    widths = [24, 14, *([28] if uncertain else []), *(16 for _ in names)]
    notes = [line for note in strictest_notes(report) for line in [*wrap(note), ""]]
    opened = layer_open_points(result)
    if opened:
        notes.append("Where another layer is undetermined because its text is open:")
        notes += [line for label, text in opened for line in wrap(f"{label}: {text}", "  - ")]
        notes.append("")
    reasons = layer_reason_items(report)
    if reasons:
        notes += [*wrap(LAYER_REASONS_INTRO), ""]
        for heading, items in reasons:
            notes += wrap(heading, "  ", "  ")
            notes += [line for item in items for line in wrap(item, "    - ")]
        notes.append("")
    after = [*wrap(beside), ""] if beside else []
    return [*wrap(intro), "", table(rows, headers, widths, fmt), "", *after, *notes]


def summary_lines(report: EvaluationReport) -> list[str]:
    """The summary: a row per binding policy and what each undetermined outcome turns on.

    Then the disputed facts that decide or bear on an outcome (with several accounts).
    """
    result = report.result
    names = tuple(a.name for a in result.accounts)
    single = len(names) == 1
    lines = ["Summary", "=======", ""]
    if result.layers:
        lines += wrap(layers_intro(report))
        lines.append("")
    for row in summary_rows(report):
        head = f"{row.label} ({row.detail})" if row.detail else row.label
        words = row.outcome_words(names)
        if single and row.open:
            words += f": {row.open[0].text}"
        lines += wrap(f"{head}: {words}", "", "    ")
        if not single:
            for found in row.open:
                lines += wrap(open_line_text(found, single), "  - ")
    beside = beside_intro(report, short=True) or state_law_text(report)
    if beside:
        lines += ["", *wrap(beside)]
    lines += [line for note in strictest_notes(report) for line in ["", *wrap(note)]]
    disputes = dispute_lines(report)
    if disputes:
        legend = dispute_legend(report)
        lines += ["", f"Disputed facts that matter{f' ({legend})' if legend else ''}:"]
        lines += [line for text in disputes for line in wrap(text, "  ", "  ")]
    return [*lines, ""]


#: Where the full tables are, after a summary printed alone.
FULL_HINT = (
    "Every condition, the facts given, citations and sources: add --full. Accounts side by "
    "side: forcecheck compare. What to ask: forcecheck questions."
)


def summary_only(report: EvaluationReport) -> bool:
    """Whether ``evaluate`` prints the summary alone unless asked for --full.

    With several accounts, or several binding layers, the full tables run to hundreds of
    lines; one account under one policy (a drill) is short enough to print whole.
    """
    return len(report.result.accounts) > 1 or len(report.result.layers) > 1


def render_table(
    report: EvaluationReport, fmt: str = DEFAULT_TABLE_FORMAT, full: bool | None = None
) -> str:
    """The report as plain text: the summary, then (``full``) every table.

    Every table: outcomes, each account's conditions, citations, sources. ``full=None``:
    whole unless :func:`summary_only`.
    """
    result = report.result
    spec = result.scenario.spec
    policy = result.policy
    lines = [f"Scenario: {spec.title or spec.id or result.scenario.path}"]
    details = " · ".join(scenario_details(spec))
    if details:
        lines.append(f"          {details}")
    if spec.title or spec.id:
        lines.append(f"          {result.scenario.path}")
    lines.append(
        f"Policy:   {policy.id} — {policy.spec.document}, {policy.spec.title} "
        f"(effective {date_text(policy.spec.effective)})"
    )
    if report.in_force is False:
        lines += wrap(
            f"Note: {policy.id} was not in force on {spec.date}; it is applied as asked.",
            "          ",
        )
    note = may_bind_note(policy.id, spec.date, result.uncertain)
    if note:
        lines += wrap(note, "          ")
    reported = (*policy.conditions, *policy.findings)
    lines += wrap(wording_summary(policy, reported), "          ")
    lines.append("")
    lines += summary_lines(report)
    if full is None:
        full = not summary_only(report)
    if not full:
        lines += wrap(FULL_HINT)
        return terminal("\n".join(lines).rstrip() + "\n")
    if spec.summary:
        lines += [*wrap(spec.summary), ""]
    outcomes = outcome_rows(result.accounts, policy.spec.layer)
    lines += [table(outcomes, ["account", "title", "outcome"], [24, 60, 16], fmt), ""]
    if result.layers:
        lines += _layers(report, fmt)
    lines += _readings(report)
    depths = condition_depths(policy)
    turns = report.turns_on or tuple(None for _ in result.accounts)
    for account, checks, found in zip(result.accounts, report.conclusions, turns, strict=True):
        status = status_text(account.account.status)
        outcome = outcome_word(policy.spec.layer, account.outcome)
        heading = f"Account '{account.name}': {outcome}" + (f" — {status}" if status else "")
        lines += [heading, "=" * len(heading), ""]
        if found is not None:
            lines += [*wrap(f"Undetermined: {turns_on_text(found, policy)}."), ""]
        if heading := account_heading(account.account):
            lines += [*wrap(heading), ""]
        if account.account.status is not None:
            lines += [*wrap(status_detail(account.account.status)), ""]
        if account.account.summary:
            lines += [*wrap(account.account.summary), ""]
        if checks:
            lines += ["Stated conclusions, beside what the account's own facts establish:", ""]
            lines += [
                table(conclusion_rows(checks), CONCLUSION_HEADERS, [16, 24, 40, 16, 30], fmt),
                "",
            ]
        for moment in account.results:
            lines += _moment(moment, depths, fmt)
    lines += _citations(policy, reported)
    lines += _sources(result)
    return terminal("\n".join(lines).rstrip() + "\n")
