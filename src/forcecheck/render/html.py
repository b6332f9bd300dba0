"""The HTML report (``forcecheck report``, ``evaluate``/``compare --format html``).

One self-contained file a reporter can publish and a trainer can project: the same sections
as the Markdown report (outcome per account as badges, the timeline of discharges, the
disputed facts with the decisive ones marked, the questions to ask, every condition as a
tree, every policy quote with its section and source), and a what-if panel whose evaluator
is generated from the policy's node program (:mod:`forcecheck.engine.program`).

Safety: every piece of text from a scenario or policy goes through ``html_text`` or
``html_attribute``; links only through ``safe_url``; the data for the panel is JSON escaped
for a ``<script>`` element. The page loads nothing: no fonts, images, scripts or styles
from anywhere, and its Content-Security-Policy allows only its own inline script and style
(by hash), so even an injected tag could neither run nor fetch.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence

from forcecheck.analysis import ConclusionCheck, Questions
from forcecheck.analysis.report_data import ComparisonReport, EvaluationReport, NodeStatuses
from forcecheck.engine.evaluation import AccountResult, DischargeResult, ScenarioResult
from forcecheck.model.dates import Uncertainty
from forcecheck.model.policy import BELIEF_WORDS, Policy
from forcecheck.model.scenario import Scenario
from forcecheck.render.common import citation_ref, wording_summary
from forcecheck.render.dates_text import date_text, may_bind_lines
from forcecheck.render.evidence_text import (
    disagreement_text,
    evidence_parts,
    hindsight_text,
    source_ids,
    status_detail,
    status_text,
)
from forcecheck.render.html_analysis import (
    conclusions_section,
    disputes_section,
    questions_section,
)
from forcecheck.render.html_parts import cite, code, e, published_path, section, table
from forcecheck.render.html_style import asset, stylesheet
from forcecheck.render.html_tree import (
    TreeWriter,
    badge,
    layer_badge,
    moments,
    panel_data,
    panel_html,
    script_json,
    status_badge,
)
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
)
from forcecheck.render.summary_text import (
    dispute_legend,
    dispute_lines,
    open_line_text,
    summary_rows,
)
from forcecheck.render.turns_on_text import turns_on_text
from forcecheck.version import __version__

# ---------------------------------------------------------------- sections


def _header(
    scenario: Scenario, policy: Policy, in_force: bool | None, uncertain: Uncertainty | None
) -> str:
    spec = scenario.spec
    details = " · ".join(e(p) for p in scenario_details(spec))
    parts = [f"<h1>{e(_name(scenario))}</h1>"]
    if details:
        parts.append(f'<p class="meta">{details}</p>')
    parts.append(f'<p class="meta">Scenario file: {code(published_path(scenario.path))}</p>')
    parts.append(
        f"<p><strong>Policy:</strong> {code(policy.id)} — {e(policy.spec.document)}, "
        f"{e(policy.spec.title)} (effective {e(date_text(policy.spec.effective))}). "
        f"{e(wording_summary(policy, (*policy.conditions, *policy.findings)))}</p>"
    )
    if in_force is False:
        parts.append(
            f"<p><em>Note: {code(policy.id)} was not in force on {e(str(spec.date))}; applied "
            "as asked.</em></p>"
        )
    note = may_bind_note(policy.id, spec.date, uncertain)
    if note:
        parts.append(f"<p><em>{e(note)}</em></p>")
    if spec.summary:
        parts.append(f"<p>{e(spec.summary)}</p>")
    return "<header>" + "".join(parts) + "</header>"


def _name(scenario: Scenario) -> str:
    """What the page calls the scenario: its title, its id, or its file as a page shows it."""
    return scenario.spec.title or scenario.spec.id or published_path(scenario.path)


def _filled(
    headers: list[str], rows: list[list[str]], keep: int = 1
) -> tuple[list[str], list[list[str]]]:
    """``headers`` and ``rows`` without the columns (after the first ``keep``) empty in every row.

    A drill's facts have no source or quote, and its one account no title: a column of
    blanks only takes room on a screen.
    """
    kept = [i for i in range(len(headers)) if i < keep or any(row[i] for row in rows)]
    return [headers[i] for i in kept], [[row[i] for i in kept] for row in rows]


def _minimal(scenario: Scenario) -> bool:
    """Whether the scenario has the minimal form: one unnamed account, top-level facts."""
    return scenario.spec.accounts is None


#: What the page calls the one account of a minimal-form scenario (not ``default``).
_MINIMAL_LABEL = "The scenario"


def _outcomes(accounts: tuple[AccountResult, ...], policy: Policy, minimal: bool = False) -> str:
    rows = []
    for account in accounts:
        name = e(_MINIMAL_LABEL) if minimal else code(account.name)
        status = status_text(account.account.status)
        title = (f"<strong>{e(status)}</strong> — " if status else "") + e(account.account.title)
        rows.append([name, title, layer_badge(policy.spec.layer, account.outcome)])
        for moment in account.results:
            if moment.discharge is not None:
                label = discharge_label(moment.discharge)
                title = f" {e(label)}" if label else ""
                who = "" if minimal else f"{code(account.name)} "
                rows.append(
                    [
                        f"↳ {who}discharge {code(moment.discharge.id)}",
                        title,
                        layer_badge(policy.spec.layer, moment.outcome),
                    ]
                )
    first = "Scenario" if minimal else "Account"
    headers, rows = _filled([first, "Source of the account", "Outcome"], rows)
    caption = "Outcome" if minimal else "Outcome of each account"
    body = table(f"{caption} under {e(policy.id)}", headers, rows)
    if any(a.account.discharges for a in accounts):
        body += (
            "<p>With a timeline, an account's outcome is <em>Not authorized</em> if any "
            "discharge is, else <em>Undetermined</em> if any is, else <em>Authorized</em>.</p>"
        )
    return section("outcome", "Outcome", body)


def _layers(report: EvaluationReport) -> str:
    result = report.result
    if not result.layers:
        return ""
    names = [a.name for a in result.accounts]
    uncertain = any_uncertain(report)
    rows = [
        [
            code(row.policy),
            e(row.layer),
            *([e(row.binds)] if uncertain else []),
            *(
                badge(o, turns_on=words, hint=True)
                for o, words in zip(
                    row.outcomes, row.turns_on or tuple(None for _ in row.outcomes), strict=True
                )
            ),
        ]
        for row in layer_rows(report)
    ]
    rests_on = report.strictest_rests_on or tuple(() for _ in report.strictest)
    rows.append(
        [
            "<strong>strictest</strong>",
            "",
            *([""] if uncertain else []),
            *(
                badge(outcome)
                + (f" rests on {e(', '.join(ids))}, which may not bind" if ids else "")
                for outcome, ids in zip(report.strictest, rests_on, strict=True)
            ),
        ]
    )
    rows += [
        [
            code(row.policy),
            e(row.layer),
            *([e(row.binds)] if uncertain else []),
            *(
                layer_badge(row.layer, o, words, hint=True)
                for o, words in zip(
                    row.outcomes, row.turns_on or tuple(None for _ in row.outcomes), strict=True
                )
            ),
        ]
        for row in beside_rows(report)
    ]
    beside = beside_intro(report) or state_law_text(report)
    return section(
        "layers",
        "Every binding policy",
        f"<p>{e(layers_intro(report))}</p>"
        + table(
            "Outcome of each account under each binding policy",
            ["Policy", "Layer", *(["Binds"] if uncertain else []), *(code(n) for n in names)],
            rows,
            table_class="outcomes",
        )
        + (f"<p>{e(beside)}</p>" if beside else "")
        + "".join(f"<p>{e(note)}</p>" for note in strictest_notes(report))
        + _layer_open_html(report)
        + _layer_reasons_html(report),
    )


def _summary(report: EvaluationReport) -> str:
    """The summary: each binding policy's outcomes, what each undetermined one turns on."""
    names = tuple(a.name for a in report.result.accounts)
    single = len(names) == 1
    items = []
    for row in summary_rows(report):
        head = f"<strong>{code(row.label) if row.label != 'strictest' else 'strictest'}</strong>"
        head += f" ({e(row.detail)})" if row.detail else ""
        words = e(row.outcome_words(names))
        if single and row.open:
            words += f": {e(row.open[0].text)}"
        inner = "".join(f"<li>{e(open_line_text(found, single))}</li>" for found in row.open)
        items.append(
            f"<li>{head}: {words}" + (f"<ul>{inner}</ul>" if inner and not single else "") + "</li>"
        )
    body = f"<ul>{''.join(items)}</ul>"
    beside = beside_intro(report, short=True) or state_law_text(report)
    body += f"<p>{e(beside)}</p>" if beside else ""
    body += "".join(f"<p>{e(note)}</p>" for note in strictest_notes(report))
    disputes = dispute_lines(report)
    if disputes:
        legend = dispute_legend(report)
        body += f"<p>Disputed facts that matter{f' ({e(legend)})' if legend else ''}:</p>"
        body += "<ul>" + "".join(f"<li>{e(text)}</li>" for text in disputes) + "</ul>"
    return section("summary", "Summary", body)


def readings_section(found: Sequence[ScenarioResult]) -> str:
    """Each policy's readings that decide otherwise than the default, or that all agree."""
    found = [result for result in found if result.readings]
    if not found:
        return ""
    parts = []
    for layer in found:
        agreed = agreement(layer)
        if agreed:
            parts.append(f"<p>{e(agreed)}</p>")
            continue
        items = "".join(
            f"<li><p>{e(note.sentence)}.</p>"
            f"<blockquote><p>{e(note.quote)}</p></blockquote>"
            f"<p>{e(note.citation)}. <em>Why:</em> {e(note.why)}</p></li>"
            for note in reading_notes(layer)
        )
        parts.append(f"<p>{code(layer.policy.id)}:</p><ul>{items}</ul>")
    return section("readings", "Readings where the text is open", "".join(parts))


def _timeline(scenario: Scenario, accounts: tuple[AccountResult, ...]) -> str:
    timed = [a for a in accounts if a.account.discharges]
    if not timed:
        return ""
    parts = [
        "<p>Each discharge (a shot or volley) is judged on the facts at that moment: the "
        "account's facts, with what changed by then.</p>"
    ]
    for account in timed:
        rows = []
        for moment in account.results:
            assert moment.discharge is not None
            changed = ", ".join(
                f"{code(fact_id)} = {e(str(entry.value))}"
                for fact_id, entry in sorted(moment.discharge.facts.items())
            )
            rows.append(
                [
                    code(moment.discharge.id),
                    e(moment.discharge.title),
                    changed or '<span class="muted">nothing</span>',
                    layer_badge(moment.evaluation.policy.spec.layer, moment.outcome),
                ]
            )
        parts.append(
            table(
                f"Timeline of account {code(account.name)}",
                ["Discharge", "What happened", "Facts at this moment (changed)", "Outcome"],
                rows,
            )
        )
    return section("timeline", "Timeline of discharges", "".join(parts))


def _moment(
    scenario: Scenario, moment: DischargeResult, statuses: NodeStatuses, writer: TreeWriter
) -> str:
    evaluation = moment.evaluation
    policy = evaluation.policy
    parts = []
    if moment.discharge is not None:
        label = discharge_label(moment.discharge)
        title = f" — {e(label)}" if label else ""
        outcome = layer_badge(policy.spec.layer, evaluation.outcome)
        parts.append(f"<h4>Discharge {code(moment.discharge.id)}{title}: {outcome}</h4>")
    reasons = {rule_id: reason_text(r) for rule_id, r in evaluation.rules.items()}
    parts.append(writer.tree((policy.spec.decision, *policy.findings), statuses, reasons))
    if moment.facts:
        rows = []
        for fact in given_facts(moment):
            note = " — ".join(
                p
                for p in (f"<q>{e(fact.quote)}</q>" if fact.quote else "", e(fact.note or ""))
                if p
            )
            if fact.settled is not None:
                note = e(fact.settled.text())
            elif fact.sources:
                note = "<br>".join(e(p) for p in evidence_parts(fact))
            else:
                extra = [p for p in (disagreement_text(fact), hindsight_text(fact)) if p]
                note = "<br>".join(
                    [*([note] if note else []), *(f"<strong>{e(p)}</strong>" for p in extra)]
                )
            source = "<br>".join(_source_of(scenario, s) for s in source_ids(fact))
            rows.append([code(fact.id), status_badge(fact.value.status, fact=True), source, note])
        rows_caption = "Facts given" + (
            f" at discharge {code(moment.discharge.id)}" if moment.discharge else ""
        )
        headers, rows = _filled(["Fact", "Value", "Source", "Quote or note"], rows, keep=2)
        parts.append(table(rows_caption, headers, rows))
    if evaluation.unsettled:
        parts.append(
            "<p>Undetermined where the text is open (no fact can settle these):</p><ul>"
            + "".join(f"<li>{e(unsettled_text(r))}</li>" for r in evaluation.unsettled)
            + "</ul>"
        )
    if evaluation.not_addressed:
        parts.append(
            "<p>Not addressed (evaluated as unknown): "
            + ", ".join(code(f) for f in evaluation.not_addressed)
            + ".</p>"
        )
    return "".join(parts)


def _layer_open_html(report: EvaluationReport) -> str:
    opened = layer_open_points(report.result)
    if not opened:
        return ""
    items = "".join(f"<li>{e(label)}: {e(text)}</li>" for label, text in opened)
    return f"<p>Where another layer is undetermined because its text is open:</p><ul>{items}</ul>"


def _layer_reasons_html(report: EvaluationReport) -> str:
    """Each other layer's deciding conditions, per account: a nested list."""
    found = layer_reason_items(report)
    if not found:
        return ""
    items = "".join(
        f"<li>{e(heading)}<ul>{''.join(f'<li>{e(item)}</li>' for item in lines)}</ul></li>"
        for heading, lines in found
    )
    return f"<p>{e(LAYER_REASONS_INTRO)}</p><ul>{items}</ul>"


def _source_of(scenario: Scenario, source_id: str | None) -> str:
    """A source as "title (publisher, date)", escaped."""
    if source_id is None:
        return ""
    source = scenario.spec.sources.get(source_id)
    if source is None:
        return code(source_id)
    detail = ", ".join(source_details(source))
    return f"<cite>{e(source.title)}</cite>" + (f" ({e(detail)})" if detail else "")


def _account(
    scenario: Scenario,
    number: int,
    account: AccountResult,
    checks: tuple[ConclusionCheck, ...],
    questions: Questions,
    statuses: tuple[NodeStatuses, ...],
    writer: TreeWriter,
    turns_on: str | None = None,
) -> str:
    body = []
    if turns_on:
        body.append(f"<p><strong>Undetermined:</strong> {e(turns_on)}.</p>")
    if heading := account_heading(account.account):
        body.append(f"<p><em>{e(heading)}</em></p>")
    if account.account.status is not None:
        body.append(f"<p><strong>{e(status_detail(account.account.status))}</strong></p>")
    if account.account.summary:
        body.append(f"<p>{e(account.account.summary)}</p>")
    if checks:
        body.append("<h3>Stated conclusions</h3>" + conclusions_section(checks))
    body.append(questions_section(questions))
    body.append(
        "<h3>Conditions</h3><p>Each condition with its status in words and colour; a rule "
        "reached again is marked <em>shown above</em>.</p>"
    )
    body += [
        _moment(scenario, moment, moment_statuses, writer)
        for moment, moment_statuses in zip(account.results, statuses, strict=True)
    ]
    # Anchors are numbered: an account name may hold anything.
    who = e(_MINIMAL_LABEL) if _minimal(scenario) else f"Account {code(account.name)}"
    status = status_text(account.account.status)
    outcome = layer_badge(account.results[0].evaluation.policy.spec.layer, account.outcome)
    title = f"{who}: {outcome}" + (f" <strong>{e(status)}</strong>" if status else "")
    return section(f"account-{number}", title, "".join(body))


def _citations(policy: Policy, rule_ids: tuple[str, ...]) -> str:
    parts = []
    for cited in cited_rules(policy, rule_ids):
        rule, citation, source, seen = cited.rule, cited.citation, cited.source, cited.seen
        parts.append(
            f"<h3>{code(rule.id)} — {e(rule.title)}</h3>"
            f"<blockquote><p>{e(citation.quote)}</p></blockquote>"
            f"<p>{e(citation_ref(citation))} — {cite(source.title, source.url)}"
            + (f"; seen in {e(seen)}" if seen else "")
            + ". "
            + ("Quoted verbatim." if citation.wording == "verbatim" else "Secondary wording.")
            + "</p>"
        )
        if rule.belief is not None:
            parts.append(f"<p><em>Standard of belief:</em> {e(BELIEF_WORDS[rule.belief])}.</p>")
        if rule.readings:
            parts.append(f"<p><em>Readings:</em> {e(readings_list(rule))}.</p>")
        if rule.interpretation is not None:
            grounds = "".join(
                f"<li>rests on {e(citation_ref(g))}: <q>{e(g.quote)}</q></li>"
                for g in rule.interpretation.rests_on
            )
            parts.append(
                f"<p><em>Interpretation:</em> {e(rule.interpretation.note)}</p>"
                + (f"<ul>{grounds}</ul>" if grounds else "")
            )
    return section("citations", "Citations: the policy's words", "".join(parts))


def _sources(scenario: Scenario) -> str:
    sources = scenario.spec.sources
    if not sources:
        return ""
    items = []
    for source_id, source in sources.items():
        details = ", ".join(e(p) for p in source_details(source))
        item = f"{code(source_id)}: {cite(source.title, source.url)}" + (
            f" ({details})" if details else ""
        )
        if source.note:
            item += f" — {e(source.note)}"
        items.append(f"<li>{item}</li>")
    return section("sources", "Sources", f"<ul>{''.join(items)}</ul>")


# ---------------------------------------------------------------- the page

_SECTION = re.compile(r'<h2 id="(h-[a-z0-9-]+)">(.*?)</h2>')


def _contents(sections: list[str]) -> str:
    """Links to every section (its heading's text, tags stripped)."""
    links = []
    for part in sections:
        match = _SECTION.search(part)
        if match:
            text = re.sub(r"<[^>]+>", "", match[2])
            links.append(f'<li><a href="#{match[1]}">{text}</a></li>')
    return f'<nav class="toc" aria-label="Contents"><ul>{"".join(links)}</ul></nav>'


def _page(title: str, body: str, script: str = "", data: str = "") -> str:
    css = stylesheet()
    policy = f"default-src 'none'; style-src '{_hash(css)}'; img-src data:"
    if script:
        policy += f"; script-src '{_hash(script)}'"
    scripts = ""
    if script:
        scripts = (
            f'<script type="application/json" id="fc-data">{data}</script><script>{script}</script>'
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="forcecheck {e(__version__)}">'
        f"<title>{e(title)}</title><style>{css}</style></head><body>"
        '<a class="skip" href="#main">Skip to the report</a>'
        # A projector view without script (the stylesheet reads the box with :has), so
        # printing never depends on a script having run.
        '<fieldset class="view"><legend>View</legend><label><input type="checkbox" '
        'id="fc-projector"> Projector: larger type, stronger contrast</label></fieldset>'
        f"{body}"
        f'<footer><p class="muted">Generated by forcecheck {e(__version__)}. The outcome is what '
        "the policy makes of each account's facts; it does not say which account is true.</p>"
        f"</footer>{scripts}</body></html>\n"
    )


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def render_html(report: EvaluationReport) -> str:
    """The report as one self-contained HTML page, with the what-if panel.

    ``report`` must carry its questions and page data; with a comparison (of the same
    scenario's accounts under the same policy) the page adds the disputed facts, else a
    scenario with several accounts is reported account by account.
    """
    result, comparison, page = report.result, report.comparison, report.page
    assert report.questions is not None and page is not None, "an HTML report needs its page"
    scenario, policy = result.scenario, result.policy
    program = page.program
    writer = TreeWriter(policy, program)
    starts = moments(result.accounts)
    if _minimal(scenario):
        # The what-if panel's starting points: "The scenario", not "Account default".
        prefix = f"Account {result.accounts[0].name}"
        starts = [(_MINIMAL_LABEL + label.removeprefix(prefix), v) for label, v in starts]
    main = [
        _summary(report),
        _outcomes(result.accounts, policy, _minimal(scenario)),
        _layers(report),
        readings_section(policies_with_readings(result)),
        _timeline(scenario, result.accounts),
    ]
    if comparison is not None and comparison.accounts:
        main.append(disputes_section(comparison))
        if len(result.accounts) > 1:
            checks = tuple(c for account_checks in report.conclusions for c in account_checks)
            if checks:
                main.append(
                    section("conclusions", "Stated conclusions", conclusions_section(checks))
                )
    turns = report.turns_on or tuple(None for _ in result.accounts)
    main += [
        _account(
            scenario,
            number,
            account,
            checks,
            q,
            statuses,
            writer,
            None if found is None else turns_on_text(found, policy),
        )
        for number, (account, checks, q, statuses, found) in enumerate(
            zip(
                result.accounts,
                report.conclusions,
                report.questions,
                page.statuses,
                turns,
                strict=True,
            )
        )
    ]
    others = tuple(layer.policy.id for layer in result.layers if layer.policy.id != policy.id)
    main.append(
        panel_html(
            policy, writer, starts, page.statuses[0][0], others, published_path(scenario.path)
        )
    )
    main.append(_citations(policy, (*policy.conditions, *policy.findings)))
    main.append(_sources(scenario))
    body = (
        _header(scenario, policy, report.in_force, result.uncertain)
        + _contents(main)
        + '<main id="main">'
        + "".join(main)
        + "</main>"
    )
    script = asset("whatif.js").replace("/*EVALUATOR*/", program.javascript())
    data = script_json(panel_data(policy, program, starts))
    title = f"{_name(scenario)} — forcecheck report"
    return _page(title, body, script, data)


def render_comparison_html(report: ComparisonReport) -> str:
    """The ``compare`` report as HTML: accounts side by side, or one account per policy."""
    comparison = report.comparison
    if report.page is not None:
        return render_html(report.page)
    scenario = comparison.scenario
    labels = [c.label for c in comparison.columns]
    rows = [["<strong>outcome</strong>", "", *(badge(c.outcome) for c in comparison.columns)]]
    rows += [
        [
            f"{code(row.rule_id)}<br>{e(row.title)}",
            "≠ differs" if row.differs else "",
            *(status_badge(s) if s is not None else "— not in this policy" for s in row.statuses),
        ]
        for row in comparison.rows
    ]
    spec = scenario.spec
    header = f"<header><h1>{e(_name(scenario))}</h1>"
    header += f'<p class="meta">Scenario file: {code(published_path(scenario.path))}</p></header>'
    body = section(
        "policies",
        "One account under each policy",
        table(
            "Each condition's status under each policy",
            ["Condition", "", *(e(label) for label in labels)],
            rows,
            table_class="compare",
        )
        + "<p>≠ marks where the policies part ways; — where a policy does not have the "
        "condition.</p>"
        + "".join(
            f"<p><em>{e(note)}</em></p>" for note in may_bind_lines(spec.date, comparison.may_bind)
        ),
    )
    body += readings_section(comparison.results)
    body += _sources(scenario)
    title = f"{_name(scenario)} — forcecheck comparison"
    return _page(title, header + f'<main id="main">{body}</main>')


def render_report_html(report: EvaluationReport) -> str:
    """The ``evaluate`` report as HTML; with several accounts, their disputed facts too."""
    return render_html(report)
