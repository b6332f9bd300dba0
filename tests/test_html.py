"""The HTML report, read as text: sections, escaping, self-containment, accessibility basics.

What the page does in a real browser is tested in test_browser.py.
"""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from forcecheck.app.evaluate_report import page_report
from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.engine.explain import evaluate, node_statuses
from forcecheck.engine.program import node_program
from forcecheck.load.library import Library
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.render.html import render_report_html
from forcecheck.render.html_style import COLOUR_PAIRS, MIN_CONTRAST, asset, contrast_ratio
from forcecheck.render.html_tree import script_json

from .conftest import ROOT, invoke, run_process

INCIDENTS = sorted((ROOT / "scenarios" / "incidents").glob("*.yaml"))
PRETTI = ROOT / "scenarios" / "incidents" / "minneapolis-pretti-2026-01-24.yaml"

HOSTILE = """\
id: hostile
title: "<script>window.__pwned = 1</script><img src=x onerror=\\"window.__pwned=2\\">"
place: '" onerror="window.__pwned=3'
agency: CBP
policy: dhs-2023
summary: "</script><!-- <style>body{display:none}</style>"
sources:
  evil:
    title: "<a href='javascript:window.__pwned=4'>click</a>"
    publisher: "</script><script>window.__pwned=5</script>"
    url: "javascript:window.__pwned=6"
  spaced:
    title: spaced
    url: "java\\tscript:window.__pwned=7"
  fine:
    title: A real source
    url: https://example.org/story?a=1&b=<2>
accounts:
  "<b>agency</b>":
    title: "<iframe src=https://example.org></iframe>"
    source: evil
    facts:
      subject_threatened_deadly_force:
        value: true
        quote: "</script><!--"
        note: "\\u2028 line separator & <!-- comment"
    discharges:
      - id: "<svg onload=window.__pwned=8>"
        title: "<img src=x>"
        facts:
          threat_ended: true
          subject_threatened_deadly_force: false
  video:
    source: fine
    facts:
      subject_threatened_deadly_force: false
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("html")
    found = {}
    for path in INCIDENTS:
        target = out / f"{path.stem}.html"
        result = invoke(["report", str(path), "-o", str(target)])
        assert result.exit_code == 0, result.stderr
        found[path.stem] = target.read_text()
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(HOSTILE)
    result = invoke(["evaluate", str(path), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


class Outline(HTMLParser):
    """Collects what the accessibility checks look at."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.tables: list[dict[str, int]] = []
        self.fieldsets: list[dict[str, int]] = []
        self.inputs_outside_fieldset = 0
        self.inputs_without_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables.append({"caption": 0, "th": 0, "th_scoped": 0})
        if tag == "caption" and self.tables:
            self.tables[-1]["caption"] += 1
        if tag == "th" and self.tables:
            self.tables[-1]["th"] += 1
            self.tables[-1]["th_scoped"] += dict(attrs).get("scope") in ("col", "row")
        if tag == "fieldset":
            self.fieldsets.append({"legend": 0})
        if tag == "legend" and self.fieldsets:
            self.fieldsets[-1]["legend"] += 1
        if tag == "input":
            self.inputs_outside_fieldset += "fieldset" not in self.stack
            self.inputs_without_label += "label" not in self.stack
        if tag not in ("input", "meta", "br", "img"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    return parser


# ---------------------------------------------------------------- content


def test_every_incident_report_has_the_sections_a_reader_needs(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        assert page.startswith("<!DOCTYPE html>"), name
        for anchor in ("h-outcome", "h-disputes", "h-whatif", "h-citations", "h-sources"):
            assert f'id="{anchor}"' in page, (name, anchor)
        assert "Questions to ask" in page or "What the outcome rests on" in page, name
        assert re.search(r'<span class="badge (authorized|not_authorized|undetermined)">', page)


def test_the_report_shows_badges_in_words_disputes_and_the_timeline(pages: dict[str, str]) -> None:
    page = pages["minneapolis-pretti-2026-01-24"]
    # Pretti: the witnesses' account is not authorized; the agency's undetermined.
    assert '<span class="badge not_authorized">Not authorized</span>' in page
    # An undetermined badge says the outcome is open, and what it turns on follows it.
    assert '<span class="badge undetermined">Open question</span>' in page
    assert 'title="depends on whether' in page  # the layers table: on pointing at the badge
    # The decisive disputed fact is marked in its row, in words as well as colour.
    rows = re.findall(r'<tr class="decisive">(.*?)</tr>', page)
    assert rows and all("★ decisive" in row for row in rows)
    assert any("<code>subject_threatened_deadly_force</code>" in row for row in rows)
    # The OPR report has a timeline of two discharges.
    assert 'id="h-timeline"' in page and "Timeline of account <code>cbp-opr-report</code>" in page


def test_franklin_parks_contradiction_gaps_and_open_questions_read_as_in_the_terminal(
    pages: dict[str, str],
) -> None:
    page = pages["franklin-park-2025-09-12"]
    disputes = page[page.index('id="h-disputes"') :]
    first_row = re.search(r"<tbody>\s*<tr[^>]*>(.*?)</tr>", disputes, re.S)
    assert first_row is not None
    assert "<code>vehicle_moving_toward_person</code>" in first_row.group(1)
    assert "<td>contradicted</td>" in first_row.group(1)
    assert "<h3>Stated by only some accounts</h3>" in disputes
    assert "<code>video</code>: cannot tell" in disputes


def test_every_condition_and_quote_of_the_policy_is_in_the_report(
    pages: dict[str, str], library: Library
) -> None:
    import html

    policy = library.get("dhs-2023")
    page = html.unescape(pages["franklin-park-2025-09-12"])
    for rule_id in (*policy.conditions, *policy.findings):
        rule = policy.rules[rule_id]
        assert f"<code>{rule_id}</code>" in page
        assert rule.citation.quote in page, rule_id
        assert rule.citation.section in page, rule_id
        assert policy.spec.sources[rule.citation.source].title in page


def test_condition_trees_show_the_engines_status_of_every_node(library: Library) -> None:
    scenario = load_scenario(PRETTI, library.vocabulary)
    policy = library.get("dhs-2023")
    result = evaluate_scenario(scenario, policy)
    page = render_report_html(page_report(result))
    program = node_program(policy)
    first = result.accounts[0].results[0].evaluation
    statuses = node_statuses(first)
    # The first tree on the page is the first account's, at its first moment.
    start = page.index('<ul class="tree">')
    tree = page[start : page.index('<ul class="tree">', start + 1)]
    shown = re.findall(
        r'<li data-node="(\d+)" data-kind="(\w+)"><span class="node"><span class="st (\w+)">'
        r"([^<]*)</span>",
        tree,
    )
    assert len(shown) > 10 and any(kind == "fact" for _, kind, _, _ in shown)
    words = {"met": "true", "unmet": "false", "unknown": "? unknown"}
    for index, kind, css, text in shown:
        status = statuses[program.node_ids[int(index)]]
        if kind == "fact":
            # A fact's value in the neutral colour, without ✓ or ✗: false is not a failing.
            assert (css, text) == ("fact", words[status]), index
        else:
            assert css == status, index


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    first = invoke(["evaluate", str(PRETTI), "--format", "html"]).stdout
    second = invoke(["evaluate", str(PRETTI), "--format", "html"]).stdout
    assert first == second


def test_compare_writes_html_for_accounts_and_for_policies() -> None:
    accounts = invoke(["compare", str(PRETTI), "--format", "html"])
    assert accounts.exit_code == 0 and 'id="h-disputes"' in accounts.stdout
    policies = invoke(
        ["compare", str(PRETTI), "--policies", "dhs-2023,dhs-2018", "--format", "html"]
    )
    assert policies.exit_code == 0
    assert "One account under each policy" in policies.stdout
    assert '<th scope="col">dhs-2018</th>' in policies.stdout


# ---------------------------------------------------------------- self-contained and safe


def test_the_page_loads_nothing_from_anywhere(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        tags = outline(page).tags
        assert not [t for t, _ in tags if t in ("link", "img", "iframe", "object", "embed")], name
        assert not [a for _, a in tags if "src" in a], name
        # Links are only in-page anchors or the sources' own http(s) addresses.
        hrefs = [a["href"] or "" for t, a in tags if "href" in a]
        assert all(h.startswith(("#", "http://", "https://", "mailto:")) for h in hrefs), name
        style = page[page.index("<style>") : page.index("</style>")]
        assert "url(" not in style and "@import" not in style and "@font-face" not in style
        assert "default-src 'none'" in page


def test_the_content_security_policy_admits_exactly_the_pages_own_script_and_style(
    pages: dict[str, str],
) -> None:
    import base64
    import hashlib

    page = pages["franklin-park-2025-09-12"]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(scripts) == 1 and len(styles) == 1
    for kind, text in (("script-src", scripts[0]), ("style-src", styles[0])):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"{kind} 'sha256-{digest}'" in csp[1]
    assert "unsafe-inline" not in csp[1]


def test_a_hostile_scenario_is_shown_as_text(hostile: str) -> None:
    tags = outline(hostile).tags
    # Only the page's own two script elements; no image, frame, svg or inline handler.
    assert [t for t, _ in tags].count("script") == 2
    assert not [t for t, _ in tags if t in ("img", "iframe", "svg", "b")]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    hrefs = [a.get("href") or "" for _, a in tags if "href" in a]
    assert not [h for h in hrefs if "script" in h.lower()]
    assert "https://example.org/story?a=1&amp;b=&lt;2&gt;" in hostile
    # The text is there, as text.
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in hostile
    assert "javascript:window.__pwned=6" in hostile  # shown, not linked
    # The embedded JSON cannot close its element or open a comment.
    data = re.search(r'<script type="application/json" id="fc-data">(.*?)</script>', hostile, re.S)
    assert data and "<" not in data[1] and "\u2028" not in data[1]
    labels = [m["label"] for m in json.loads(data[1])["moments"]]
    assert (
        "Account <b>agency</b> (<iframe src=https://example.org></iframe>), discharge " in labels[0]
    )


def test_script_json_is_inert_inside_a_script_element() -> None:
    text = script_json({"a": "</script><!--<script>", "b": "&\u2028\u2029"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!--<script>", "b": "&\u2028\u2029"}


def test_the_generated_evaluator_holds_no_fact_ids_only_generated_names(library: Library) -> None:
    allowed = {
        "function",
        "K",
        "use",
        "strict",
        "const",
        "return",
        "nodes",
        "f",
        "get",
        "true",
        "false",
    }
    for policy in library.policies():
        program = node_program(policy)
        source = program.javascript()
        for fact_id in program.facts:
            assert fact_id not in source
        names = set(re.findall(r"[A-Za-z_$][A-Za-z0-9_$]*", source))
        stray = {n for n in names if n not in allowed and not re.fullmatch(r"[kvfcn]\d+", n)}
        assert not stray, (policy.id, stray)


def test_node_ids_name_rules_as_the_json_report_does(library: Library) -> None:
    for policy in library.policies():
        program = node_program(policy)
        statuses = node_statuses(evaluate(policy, {}))
        assert set(program.node_ids) == set(statuses)
        assert len(set(program.node_ids)) == len(program.node_ids)
        assert set(policy.rules) <= set(program.node_ids)


# ---------------------------------------------------------------- accessibility, print


def test_headings_tables_and_controls_are_semantic(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        found = outline(page)
        assert '<html lang="en">' in page
        assert found.headings[0] == 1 and found.headings.count(1) == 1, name
        # Headings never skip a level on the way down.
        assert all(b <= a + 1 for a, b in itertools.pairwise(found.headings)), name
        assert found.tables and all(
            t["caption"] == 1 and t["th"] == t["th_scoped"] for t in found.tables
        )
        assert found.fieldsets and all(f["legend"] == 1 for f in found.fieldsets), name
        assert found.inputs_outside_fieldset == 0 and found.inputs_without_label == 0
        assert '<label for="fc-start">' in page and 'aria-live="polite"' in page


def test_every_text_colour_pair_meets_wcag_aa() -> None:
    for name, (foreground, background) in COLOUR_PAIRS.items():
        assert contrast_ratio(foreground, background) >= MIN_CONTRAST, name
    # The formula itself: black on white is 21:1, a colour on itself 1:1.
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert contrast_ratio("#777777", "#777777") == 1.0


def test_the_stylesheet_sets_text_colours_only_from_the_checked_pairs() -> None:
    css = asset("report.css")
    for declaration in re.findall(r"(?<![-\w])color:\s*([^;}]+)", css):
        assert declaration.strip() in ("inherit", "currentColor") or re.fullmatch(
            r"var\(--[a-z-]+-fg\)", declaration.strip()
        ), declaration
    for declaration in re.findall(r"(?<![-\w])background:\s*([^;}]+)", css):
        assert re.fullmatch(r"var\(--[a-z-]+-bg\)", declaration.strip()), declaration


def test_the_print_stylesheet_hides_the_panel_and_keeps_rows_whole() -> None:
    css = asset("report.css")
    printed = css[css.index("@media print") :]
    assert re.search(r"\.whatif[^{]*\{[^}]*display:\s*none", printed)
    assert "break-inside: avoid" in printed and "attr(href)" in printed


# ---------------------------------------------------------------- the command


def test_report_writes_the_file_and_refuses_to_replace_one(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert invoke(["report", str(PRETTI), "-o", str(target)]).exit_code == 0
    assert target.read_text().startswith("<!DOCTYPE html>")
    again = run_process(["report", str(PRETTI), "-o", str(target)])
    assert again.returncode == 3 and "error:" in again.stderr and "--force" in again.stderr
    assert invoke(["report", str(PRETTI), "-o", str(target), "--force"]).exit_code == 0


def test_report_on_bad_input_says_where_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("policy: dhs-2023\nfacts:\n  subject_fleeing: maybe\n")
    target = tmp_path / "report.html"
    proc = run_process(["report", str(bad), "-o", str(target)])
    assert proc.returncode == 3
    assert re.match(rf"{re.escape(str(bad))}:3:\d+: error: ", proc.stderr)
    assert "Traceback" not in proc.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == [bad]
