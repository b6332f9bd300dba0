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

from forcecheck import __version__
from forcecheck.analysis import ConclusionCheck, Questions
from forcecheck.analysis.compare import Comparison
from forcecheck.analysis.report_data import ComparisonReport, EvaluationReport, NodeStatuses
from forcecheck.engine.evaluation import AccountResult, DischargeResult
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario
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
    settles_text,
    summary_sentences,
)
from forcecheck.render.common import citation_ref, wording_summary
from forcecheck.render.escape import html_attribute, html_text, safe_url
from forcecheck.render.html_style import asset, stylesheet
from forcecheck.render.html_tree import (
    TreeWriter,
    badge,
    moments,
    panel_data,
    panel_html,
    script_json,
    status_badge,
)
from forcecheck.render.report_parts import (
    cited_rules,
    given_facts,
    layer_rows,
    scenario_details,
    source_details,
)

e = html_text


def _code(text: str) -> str:
    return f"<code>{e(text)}</code>"


def _table(
    caption: str, headers: list[str], rows: list[list[str]], row_classes: list[str] | None = None
) -> str:
    """A table with a caption, column headers, and the first cell of each row as its header.

    Cells are HTML already (callers escape what they put in them).
    """
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = []
    for index, row in enumerate(rows):
        css = (row_classes or [""] * len(rows))[index]
        cells = f'<th scope="row">{row[0]}</th>' + "".join(f"<td>{c}</td>" for c in row[1:])
        body.append(f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    # Wide tables scroll sideways on a narrow screen instead of overflowing the page.
    return (
        f'<div class="wide"><table><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section aria-labelledby="h-{anchor}"><h2 id="h-{anchor}">{title}</h2>{body}</section>'


def _cite(title: str, url: str | None) -> str:
    """A source's title, linked to its URL when that is safe (http, https, mailto).

    An unsafe URL (``javascript:``, ``data:`` ...) is shown as text after the title, never
    linked. In print, the stylesheet writes a link's address after it.
    """
    if not url:
        return f"<cite>{e(title)}</cite>"
    safe = safe_url(url)
    if safe is None:
        return f'<cite>{e(title)}</cite> <span class="muted">(address not linked: {e(url)})</span>'
    return f'<cite><a href="{html_attribute(safe)}" rel="noopener noreferrer">{e(title)}</a></cite>'


# ---------------------------------------------------------------- sections


def _header(scenario: Scenario, policy: Policy, in_force: bool | None) -> str:
    spec = scenario.spec
    details = " · ".join(e(p) for p in scenario_details(spec))
    parts = [f"<h1>{e(spec.title or spec.id or scenario.path)}</h1>"]
    if details:
        parts.append(f'<p class="meta">{details}</p>')
    parts.append(f'<p class="meta">Scenario file: {_code(scenario.path)}</p>')
    parts.append(
        f"<p><strong>Policy:</strong> {_code(policy.id)} — {e(policy.spec.document)}, "
        f"{e(policy.spec.title)} (effective {policy.spec.effective.isoformat()}). "
        f"{e(wording_summary(policy, (*policy.conditions, *policy.findings)))}</p>"
    )
    if in_force is False:
        parts.append(
            f"<p><em>Note: {_code(policy.id)} was not in force on {e(str(spec.date))}; applied "
            "as asked.</em></p>"
        )
    if spec.summary:
        parts.append(f"<p>{e(spec.summary)}</p>")
    return "<header>" + "".join(parts) + "</header>"


def _outcomes(accounts: tuple[AccountResult, ...], policy: Policy) -> str:
    rows = []
    for account in accounts:
        rows.append([_code(account.name), e(account.account.title), badge(account.outcome)])
        for moment in account.results:
            if moment.discharge is not None:
                title = f" {e(moment.discharge.title)}" if moment.discharge.title else ""
                rows.append(
                    [
                        f"↳ {_code(account.name)} discharge {_code(moment.discharge.id)}",
                        title,
                        badge(moment.outcome),
                    ]
                )
    body = _table(
        f"Outcome of each account under {e(policy.id)}",
        ["Account", "Source of the account", "Outcome"],
        rows,
    )
    if any(a.account.discharges for a in accounts):
        body += (
            "<p>With a timeline, an account's outcome is <em>Not authorized</em> if any "
            "discharge is, else <em>Undetermined</em> if any is, else <em>Authorized</em>.</p>"
        )
    return _section("outcome", "Outcome", body)


def _layers(report: EvaluationReport) -> str:
    result = report.result
    if not result.layers:
        return ""
    names = [a.name for a in result.accounts]
    rows = [
        [_code(row.policy), e(row.layer), *(badge(o) for o in row.outcomes)]
        for row in layer_rows(report)
    ]
    rows.append(
        [
            "<strong>strictest</strong>",
            "",
            *(badge(outcome) for outcome in report.strictest),
        ]
    )
    spec = result.scenario.spec
    return _section(
        "layers",
        "Every binding policy",
        f"<p>Every policy that bound {e(spec.agency or '')} on {e(str(spec.date))}, most specific "
        "first. Deadly force is authorized only if every layer authorizes it.</p>"
        + _table(
            "Outcome of each account under each binding policy",
            ["Policy", "Layer", *(_code(n) for n in names)],
            rows,
        ),
    )


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
                f"{_code(fact_id)} = {e(str(entry.value))}"
                for fact_id, entry in sorted(moment.discharge.facts.items())
            )
            rows.append(
                [
                    _code(moment.discharge.id),
                    e(moment.discharge.title),
                    changed or '<span class="muted">nothing</span>',
                    badge(moment.outcome),
                ]
            )
        parts.append(
            _table(
                f"Timeline of account {_code(account.name)}",
                ["Discharge", "What happened", "Facts at this moment (changed)", "Outcome"],
                rows,
            )
        )
    return _section("timeline", "Timeline of discharges", "".join(parts))


def _disputes(comparison: Comparison) -> str:
    scenario = comparison.scenario
    names = [a.name for a in comparison.accounts]
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
                    f'{_code(dispute.fact)}<br><span class="question">{e(dispute.text)}</span>',
                    mark,
                    e(dispute_kind(dispute)),
                    *(e(claim_text(c)) for c in dispute.claims),
                ]
            )
            classes.append("decisive" if dispute.decisive else "")
        body += _table(
            "Facts the accounts disagree on, decisive ones first",
            ["Fact", "Effect", "Kind", *(_code(n) for n in names)],
            rows,
            classes,
        )
        body += "<ul>" + "".join(f"<li>{e(text)}</li>" for text in DISPUTE_LEGEND) + "</ul>"
        said = []
        for dispute in comparison.disputes:
            items = []
            for claim in dispute.addressed_claims:
                for discharge, fact in claim.moments:
                    at = f" at discharge {_code(discharge)}" if discharge else ""
                    value = (
                        f"<strong>{e(str(fact.value))}</strong> — {e(attribution(scenario, fact))}"
                        if fact is not None
                        else "does not address it at this discharge"
                    )
                    items.append(f"<li>{_code(claim.account)}{at}: {value}</li>")
                    if len(set(claim.values)) == 1:
                        break
            if dispute.silent:
                silent = ", ".join(_code(n) for n in dispute.silent)
                items.append(f'<li class="muted">not addressed by {silent}</li>')
            effects = "".join(f"<li>{e(text)}</li>" for text in dispute_effect(dispute))
            mark = dispute_mark(dispute)
            said.append(
                f"<h4>{mark + ' ' if mark else ''}{_code(dispute.fact)}: {e(dispute.text)}</h4>"
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
                f"<li>{_code(name)}: cannot tell — {e(attribution(scenario, given))}</li>"
                for name, given in said_unknown(comparison, f)
            )
            body += f"<li>{_code(f)}: {e(vocabulary.facts[f].question)}"
            body += f"<ul>{unsure}</ul></li>" if unsure else "</li>"
        body += "</ul>"
    return _section("disputes", "Disputed facts", body)


def _conclusions(checks: tuple[ConclusionCheck, ...]) -> str:
    """The stated-conclusions table, without a heading."""
    if not checks:
        return ""
    rows = []
    for row in conclusion_rows(checks, e):
        verdict = f"<strong>{row[4]}</strong>" if row[4].startswith("⚠") else row[4]
        rows.append([_code(row[0]), _code(row[1]), row[2], e(row[3]), verdict])
    return (
        "<p>What the account asserts, beside what its own facts establish (⚠: not carried by "
        "its facts).</p>"
        + _table(
            "Stated conclusions and what the facts establish",
            ["Account", "Condition", "Stated", "Facts establish", "Verdict"],
            rows,
        )
    )


def _questions(questions: Questions) -> str:
    policy = questions.policy
    if questions.rests_on:
        rows = [
            [
                f'{_code(r.fact)}<br><span class="question">{e(r.text)}</span>',
                e(", ".join(str(v) for v in dict.fromkeys(r.values))),
                badge(r.if_otherwise),
                badge(r.if_unknown),
            ]
            for r in questions.rests_on
        ]
        return (
            "<h3>What the outcome rests on</h3>"
            f"<p>The outcome is {badge(questions.outcome)}. Had one of these facts turned out "
            "otherwise, or not been known, it would change:</p>"
            + _table(
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
            f"<li>{_code(c)} ({e(citation_ref(policy.rules[c].citation))}): "
            f"<q>{e(policy.rules[c].citation.quote)}</q></li>"
            for c in q.conditions
        )
        items.append(
            f"<li><strong>{e(q.text)}</strong> ({_code(q.fact)}{silent}) — if yes: "
            f"{badge(q.if_true)}; if no: {badge(q.if_false)}; settles: "
            f"{e(settles_text(questions, index))}; weight {percent(q.weight)}."
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
        sets = "; ".join(
            "{" + ", ".join(_code(f) for f in s) + "}" for s in questions.settling_sets
        )
        text += (
            "<p>Smallest sets of facts whose answers, whatever they are, settle the outcome: "
            + sets
            + (" (search stopped at its limit)" if questions.search_incomplete else "")
            + ".</p>"
        )
    if questions.moot:
        text += (
            "<p>Open, but no answer could change the outcome any more: "
            + ", ".join(_code(f) for f in questions.moot)
            + ".</p>"
        )
    return text


def _moment(
    scenario: Scenario, moment: DischargeResult, statuses: NodeStatuses, writer: TreeWriter
) -> str:
    evaluation = moment.evaluation
    policy = evaluation.policy
    parts = []
    if moment.discharge is not None:
        title = f" — {e(moment.discharge.title)}" if moment.discharge.title else ""
        parts.append(
            f"<h4>Discharge {_code(moment.discharge.id)}{title}: {badge(evaluation.outcome)}</h4>"
        )
    reasons = {rule_id: r.reason for rule_id, r in evaluation.rules.items()}
    parts.append(writer.tree((policy.spec.decision, *policy.findings), statuses, reasons))
    if moment.facts:
        rows = []
        for fact in given_facts(moment):
            note = " — ".join(
                p
                for p in (f"<q>{e(fact.quote)}</q>" if fact.quote else "", e(fact.note or ""))
                if p
            )
            source = _source_of(scenario, fact.source)
            rows.append([_code(fact.id), status_badge(fact.value.status, fact=True), source, note])
        rows_caption = "Facts given" + (
            f" at discharge {_code(moment.discharge.id)}" if moment.discharge else ""
        )
        parts.append(_table(rows_caption, ["Fact", "Value", "Source", "Quote or note"], rows))
    if evaluation.not_addressed:
        parts.append(
            "<p>Not addressed (evaluated as unknown): "
            + ", ".join(_code(f) for f in evaluation.not_addressed)
            + ".</p>"
        )
    return "".join(parts)


def _source_of(scenario: Scenario, source_id: str | None) -> str:
    """A source as "title (publisher, date)", escaped."""
    if source_id is None:
        return ""
    source = scenario.spec.sources.get(source_id)
    if source is None:
        return _code(source_id)
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
) -> str:
    body = []
    if account.account.title:
        body.append(f"<p><em>{e(account.account.title)}</em></p>")
    if account.account.summary:
        body.append(f"<p>{e(account.account.summary)}</p>")
    if checks:
        body.append("<h3>Stated conclusions</h3>" + _conclusions(checks))
    body.append(_questions(questions))
    body.append(
        "<h3>Conditions</h3><p>Each condition with its status in words and colour; a rule "
        "reached again is marked <em>shown above</em>.</p>"
    )
    body += [
        _moment(scenario, moment, moment_statuses, writer)
        for moment, moment_statuses in zip(account.results, statuses, strict=True)
    ]
    # Anchors are numbered: an account name may hold anything.
    title = f"Account {_code(account.name)}: {badge(account.outcome)}"
    return _section(f"account-{number}", title, "".join(body))


def _citations(policy: Policy, rule_ids: tuple[str, ...]) -> str:
    parts = []
    for cited in cited_rules(policy, rule_ids):
        rule, citation, source, seen = cited.rule, cited.citation, cited.source, cited.seen
        parts.append(
            f"<h3>{_code(rule.id)} — {e(rule.title)}</h3>"
            f"<blockquote><p>{e(citation.quote)}</p></blockquote>"
            f"<p>{e(citation_ref(citation))} — {_cite(source.title, source.url)}"
            + (f"; seen in {e(seen)}" if seen else "")
            + ". "
            + ("Quoted verbatim." if citation.wording == "verbatim" else "Secondary wording.")
            + "</p>"
        )
        if rule.interpretation is not None:
            grounds = "".join(
                f"<li>rests on {e(citation_ref(g))}: <q>{e(g.quote)}</q></li>"
                for g in rule.interpretation.rests_on
            )
            parts.append(
                f"<p><em>Interpretation:</em> {e(rule.interpretation.note)}</p>"
                + (f"<ul>{grounds}</ul>" if grounds else "")
            )
    return _section("citations", "Citations: the policy's words", "".join(parts))


def _sources(scenario: Scenario) -> str:
    sources = scenario.spec.sources
    if not sources:
        return ""
    items = []
    for source_id, source in sources.items():
        details = ", ".join(e(p) for p in source_details(source))
        item = f"{_code(source_id)}: {_cite(source.title, source.url)}" + (
            f" ({details})" if details else ""
        )
        if source.note:
            item += f" — {e(source.note)}"
        items.append(f"<li>{item}</li>")
    return _section("sources", "Sources", f"<ul>{''.join(items)}</ul>")


# ---------------------------------------------------------------- the page

_SECTION = re.compile(r'<h2 id="(h-[a-z0-9-]+)">(.*?)</h2>')


def _contents(sections: list[str]) -> str:
    """Links to every section (its heading's text, tags stripped)."""
    links = []
    for section in sections:
        match = _SECTION.search(section)
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
    main = [
        _outcomes(result.accounts, policy),
        _layers(report),
        _timeline(scenario, result.accounts),
    ]
    if comparison is not None and comparison.accounts:
        main.append(_disputes(comparison))
        if len(result.accounts) > 1:
            checks = tuple(c for account_checks in report.conclusions for c in account_checks)
            if checks:
                main.append(_section("conclusions", "Stated conclusions", _conclusions(checks)))
    main += [
        _account(scenario, number, account, checks, q, statuses, writer)
        for number, (account, checks, q, statuses) in enumerate(
            zip(result.accounts, report.conclusions, report.questions, page.statuses, strict=True)
        )
    ]
    main.append(panel_html(policy, writer, starts, page.statuses[0][0]))
    main.append(_citations(policy, (*policy.conditions, *policy.findings)))
    main.append(_sources(scenario))
    body = (
        _header(scenario, policy, report.in_force)
        + _contents(main)
        + '<main id="main">'
        + "".join(main)
        + "</main>"
    )
    script = asset("whatif.js").replace("/*EVALUATOR*/", program.javascript())
    data = script_json(panel_data(policy, program, starts))
    title = f"{scenario.spec.title or scenario.spec.id or scenario.path} — forcecheck report"
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
            f"{_code(row.rule_id)}<br>{e(row.title)}",
            "≠ differs" if row.differs else "",
            *(status_badge(s) if s is not None else "— not in this policy" for s in row.statuses),
        ]
        for row in comparison.rows
    ]
    spec = scenario.spec
    header = f"<header><h1>{e(spec.title or spec.id or scenario.path)}</h1>"
    header += f'<p class="meta">Scenario file: {_code(scenario.path)}</p></header>'
    body = _section(
        "policies",
        "One account under each policy",
        _table(
            "Each condition's status under each policy",
            ["Condition", "", *(e(label) for label in labels)],
            rows,
        )
        + "<p>≠ marks where the policies part ways; — where a policy does not have the "
        "condition.</p>",
    )
    body += _sources(scenario)
    title = f"{spec.title or spec.id or scenario.path} — forcecheck comparison"
    return _page(title, header + f'<main id="main">{body}</main>')


def render_report_html(report: EvaluationReport) -> str:
    """The ``evaluate`` report as HTML; with several accounts, their disputed facts too."""
    return render_html(report)
