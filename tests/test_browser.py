"""The HTML report in a real browser: headless Chromium driven by Playwright.

The system's Chromium (Debian's ``chromium``, installed by ``scripts/install-browser``) is
used as it is; Playwright downloads nothing. Without a browser these tests skip locally,
and fail under CI (``CI`` set), so the CI run can never pass without having run them.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forcecheck.app.evaluate_report import page_report
from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.engine.explain import evaluate, evaluate_interpreted, node_statuses
from forcecheck.engine.program import node_program
from forcecheck.load.library import Library
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.render.html import render_report_html
from forcecheck.render.html_tree import OUTCOME_TEXT, panel_facts

from .browser import ARTIFACTS, CHROMIUM_ARGS, chromium_path, missing_browser
from .conftest import ROOT, invoke
from .test_html import HOSTILE
from .test_settling import ON_FOOT  # an on-foot account: vehicle_involved false

pytestmark = pytest.mark.slow

INCIDENTS = sorted((ROOT / "scenarios" / "incidents").glob("*.yaml"))
FRANKLIN = ROOT / "scenarios" / "incidents" / "franklin-park-2025-09-12.yaml"
#: Random fact sets per shipped policy for the agreement test.
FACT_SETS = 1000
STATUS_CODE = {"unmet": 0, "unknown": 1, "met": 2}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    problem = missing_browser()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{problem} (CI is set: the browser tests must run)", pytrace=False)
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives every run a fresh, temporary user data directory.
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page, with every console message, page error, request and dialog it produced."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1000, "height": 800})
        self.page = self.context.new_page()
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        return self.page

    def assert_clean(self, path: Path) -> None:
        """No script errors, no console errors (CSP violations log one), no fetches."""
        assert self.errors == []
        assert [text for kind, text in self.console if kind in ("error", "warning")] == []
        assert self.requests == [path.resolve().as_uri()]
        assert self.dialogs == []


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    page = Watched(browser)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    found = {}
    for path in INCIDENTS:
        target = out / f"{path.stem}.html"
        assert invoke(["report", str(path), "-o", str(target)]).exit_code == 0
        found[path.stem] = target
    return found


def panel_statuses(page: Any) -> dict[int, str]:
    """Each what-if tree node's status as the page shows it (class and words agree)."""
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('#whatif [data-node]')).map(li => {
            const badge = li.querySelector(':scope > .node > .st');
            return [Number(li.dataset.node), badge.className, badge.textContent];
        })"""
    )
    statuses = {}
    # A fact's value is shown in the neutral colour, without a tick or a cross: its words
    # give the status it stands for.
    values = {"true": "met", "false": "unmet", "? unknown": "unknown"}
    for index, css, text in shown:
        status = values[text] if css == "st fact" else css.split()[-1]
        assert status in STATUS_CODE and text.endswith(("met", "true", "false", "unknown"))
        statuses[index] = status
    return statuses


def expected_panel(policy: Policy, facts: dict[str, Value]) -> dict[int, str]:
    program = node_program(policy)
    statuses = node_statuses(evaluate(policy, facts))
    return {i: str(statuses[node_id]) for i, node_id in enumerate(program.node_ids)}


# ---------------------------------------------------------------- rendering


@pytest.mark.parametrize("name", [p.stem for p in INCIDENTS])
def test_every_incident_report_renders_cleanly_and_offline(
    name: str, reports: dict[str, Path], watched: Watched
) -> None:
    page = watched.open(reports[name])
    assert page.locator("h1").count() == 1
    assert page.locator(".badge").count() >= 2
    tables = page.locator("table").count()
    assert tables > 3 and page.locator("table > caption").count() == tables
    assert page.is_visible("#whatif") and not page.is_visible("#fc-noscript")
    assert page.text_content("#fc-outcome") in OUTCOME_TEXT.values()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{name}.png"))
    watched.assert_clean(reports[name])


def test_the_panel_starts_as_the_engine_evaluates_the_first_account(
    reports: dict[str, Path], watched: Watched, library: Library
) -> None:
    page = watched.open(reports[FRANKLIN.stem])
    scenario = load_scenario(FRANKLIN, library.vocabulary)
    result = evaluate_scenario(scenario, library.get("dhs-2023"))
    first = result.accounts[0].results[0]
    facts = {k: f.value for k, f in first.facts.items()}
    shown = panel_statuses(page)
    expected = expected_panel(result.policy, facts)
    assert shown and all(expected[i] == s for i, s in shown.items())
    assert page.text_content("#fc-outcome") == OUTCOME_TEXT[first.outcome]
    # Another starting point: the panel loads that account's facts.
    second = result.accounts[1].results[0]
    page.select_option("#fc-start", "1")
    assert page.text_content("#fc-outcome") == OUTCOME_TEXT[second.outcome]
    second_facts = {k: f.value for k, f in second.facts.items()}
    assert panel_statuses(page) == {
        i: s for i, s in expected_panel(result.policy, second_facts).items() if i in shown
    }
    watched.assert_clean(reports[FRANKLIN.stem])


def test_clicking_a_fact_updates_the_outcome_and_marks_what_changed(
    reports: dict[str, Path], watched: Watched, library: Library
) -> None:
    policy = library.get("dhs-2023")
    scenario = load_scenario(FRANKLIN, library.vocabulary)
    first = evaluate_scenario(scenario, policy).accounts[0].results[0]
    base = {k: f.value for k, f in first.facts.items()}
    # A change the engine says flips the outcome.
    fact, value = next(
        (fact, value)
        for fact in panel_facts(policy)
        for value in (Value.TRUE, Value.FALSE)
        if base.get(fact, Value.UNKNOWN) is not value
        and evaluate(policy, {**base, fact: value}).outcome is not first.outcome
    )
    changed = {**base, fact: value}
    after = evaluate(policy, changed).outcome
    page = watched.open(reports[FRANKLIN.stem])
    page.click(f'fieldset[data-fact="{fact}"] input[value="{value}"]')
    assert page.text_content("#fc-outcome") == OUTCOME_TEXT[after]
    assert page.get_attribute("#fc-outcome", "class") == f"badge {after.value}"
    before = expected_panel(policy, base)
    now = expected_panel(policy, changed)
    assert panel_statuses(page) == {i: now[i] for i in panel_statuses(page)}
    marked = page.evaluate(
        "() => Array.from(document.querySelectorAll('#whatif li.changed'))"
        ".map(li => Number(li.dataset.node))"
    )
    assert marked and all(before[i] != now[i] for i in marked)
    assert "changed, was" in page.text_content("#whatif li.changed .changed-note")
    assert page.is_visible(f'fieldset[data-fact="{fact}"] .changed-note')
    assert "1 fact changed" in page.text_content("#fc-changes")
    page.click("#fc-reset")
    assert page.text_content("#fc-outcome") == OUTCOME_TEXT[first.outcome]
    assert page.locator("#whatif .changed").count() == 0
    watched.assert_clean(reports[FRANKLIN.stem])


def test_the_panel_works_from_the_keyboard(
    reports: dict[str, Path], watched: Watched, library: Library
) -> None:
    policy = library.get("dhs-2023")
    page = watched.open(reports[FRANKLIN.stem])
    page.focus("#fc-start")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "fc-reset"
    page.keyboard.press("Tab")
    group = page.evaluate("document.activeElement.closest('fieldset').dataset.fact")
    was = page.evaluate("document.activeElement.value")
    page.keyboard.press("ArrowDown")  # the next choice in the radio group
    now = page.evaluate("document.activeElement.value")
    assert group == panel_facts(policy)[0] and now != was
    scenario = load_scenario(FRANKLIN, library.vocabulary)
    first = evaluate_scenario(scenario, policy).accounts[0].results[0]
    facts = {k: f.value for k, f in first.facts.items()} | {group: Value(now)}
    assert page.text_content("#fc-outcome") == OUTCOME_TEXT[evaluate(policy, facts).outcome]
    watched.assert_clean(reports[FRANKLIN.stem])


def test_printing_hides_the_panel_and_makes_a_pdf(
    reports: dict[str, Path], watched: Watched
) -> None:
    page = watched.open(reports[FRANKLIN.stem])
    page.emulate_media(media="print")
    assert not page.is_visible("#whatif") and page.is_visible("table")
    after = page.evaluate(
        "getComputedStyle(document.querySelector('#h-sources + ul a[href^=\"http\"]'), "
        "'::after').content"
    )
    assert after.startswith('" (http')
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "report-franklin-park.pdf"))
    assert pdf.startswith(b"%PDF")


def test_a_hostile_scenario_runs_nothing_and_fetches_nothing(
    tmp_path: Path, watched: Watched
) -> None:
    source = tmp_path / "hostile.yaml"
    source.write_text(HOSTILE)
    target = tmp_path / "hostile.html"
    assert invoke(["report", str(source), "-o", str(target)]).exit_code == 0
    page = watched.open(target)
    assert page.evaluate("window.__pwned") is None
    assert page.text_content("h1") == (
        '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'
    )
    assert page.locator("main img, main iframe, main svg, main b").count() == 0
    assert page.is_visible("#whatif")  # the page's own script still runs
    watched.assert_clean(target)


# ---------------------------------------------------------------- agreement with Python


def random_fact_sets(policy: Policy, count: int) -> list[dict[str, Any]]:
    """Seeded random assignments: each fact true, false, unknown, or left out."""
    chooser = random.Random(f"forcecheck-html-{policy.id}")
    choices: list[Any] = [True, False, "unknown", None]
    sets = []
    for _ in range(count):
        drawn = {f: chooser.choice(choices) for f in policy.vocabulary.ids}
        sets.append({f: v for f, v in drawn.items() if v is not None})
    return sets


def python_value(raw: Any) -> Value:
    return Value.TRUE if raw is True else Value.FALSE if raw is False else Value.UNKNOWN


def shipped_policy_ids() -> list[str]:
    from forcecheck.load.library import shipped

    return list(shipped().ids())


@pytest.mark.parametrize("policy_id", shipped_policy_ids())
def test_the_pages_evaluator_agrees_with_the_python_engine_on_every_node(
    policy_id: str, browser: Any, library: Library, tmp_path: Path
) -> None:
    policy = library.get(policy_id)
    scenario_file = tmp_path / "empty.yaml"
    scenario_file.write_text(f"policy: {policy_id}\nfacts: {{}}\n")
    scenario = load_scenario(scenario_file, library.vocabulary)
    page_file = tmp_path / "page.html"
    page_file.write_text(render_report_html(page_report(evaluate_scenario(scenario, policy))))
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        node_ids = page.evaluate("window.forcecheck.nodeIds")
        assert node_ids == list(node_program(policy).node_ids)
        sets = random_fact_sets(policy, FACT_SETS)
        # One page, one call: the whole batch is evaluated inside the browser.
        codes = page.evaluate("sets => sets.map(s => window.forcecheck.evaluate(s))", sets)
    finally:
        context.close()
    assert len(codes) == FACT_SETS
    disagreements = []
    decisions = set()
    for facts, browser_codes in zip(sets, codes, strict=True):
        python = node_statuses(
            evaluate_interpreted(policy, {f: python_value(v) for f, v in facts.items()})
        )
        expected = [STATUS_CODE[str(python[node_id])] for node_id in node_ids]
        decisions.add(python[policy.spec.decision])
        disagreements += [
            (facts, node_ids[i])
            for i, (a, b) in enumerate(zip(expected, browser_codes, strict=True))
            if a != b
        ]
    assert disagreements == []
    # The sample reaches more than one outcome, so agreement is not agreement on a constant.
    assert len(decisions) >= 2, decisions


# ---------------------------------------------------------------- settling in the panel


def _radio(page: Any, fact: str, value: str) -> Any:
    return page.locator(f'fieldset[data-fact="{fact}"] input[value="{value}"]')


def test_the_panel_settles_values_and_disables_what_the_exclusions_forbid(
    tmp_path: Path, watched: Watched
) -> None:
    scenario = tmp_path / "on-foot.yaml"
    scenario.write_text(ON_FOOT)
    target = tmp_path / "on-foot.html"
    assert invoke(["report", str(scenario), "-o", str(target)]).exit_code == 0
    page = watched.open(target)
    # As the engine evaluates it: the vehicle facts settled false, so authorized.
    assert page.text_content("#fc-outcome") == OUTCOME_TEXT[Outcome.AUTHORIZED]
    assert _radio(page, "shot_at_vehicle", "false").is_checked()
    assert _radio(page, "shot_at_vehicle", "true").is_disabled()
    note = page.text_content('fieldset[data-fact="shot_at_vehicle"] .settled-note') or ""
    assert "vehicle_involved: false" in note and "no_vehicle_no_shot_at_vehicle" in note
    assert "No fact changed." in (page.text_content("#fc-changes") or "")
    # A vehicle after all: the settled facts are free again, and unknown.
    _radio(page, "vehicle_involved", "true").click()
    assert not _radio(page, "shot_at_vehicle", "true").is_disabled()
    assert _radio(page, "shot_at_vehicle", "unknown").is_checked()
    assert page.text_content('fieldset[data-fact="shot_at_vehicle"] .settled-note') == ""
    # A shot at the vehicle forbids saying there was none.
    _radio(page, "vehicle_involved", "unknown").click()
    _radio(page, "shot_at_vehicle", "true").click()
    assert _radio(page, "vehicle_involved", "false").is_disabled()
    assert not _radio(page, "vehicle_involved", "true").is_disabled()
    page.click("#fc-reset")
    assert _radio(page, "vehicle_involved", "false").is_checked()
    assert _radio(page, "shot_at_vehicle", "true").is_disabled()
    watched.assert_clean(target)


# ---------------------------------------------------------------- fit to publish and to project

SIX_POLICIES = "dhs-2023,dhs-2018,8cfr-287-8,constitutional-floor,doj-2022,ice-2004"
#: What sideways scrolling the page has: the page's own, and every table box that scrolls
#: or cell whose content spills over its edge (the box would hide it, or cover the next).
FIT = """() => ({
    page: document.documentElement.scrollWidth - innerWidth,
    boxes: Array.from(document.querySelectorAll('.wide'))
        .filter(box => box.scrollWidth > box.clientWidth)
        .map(box => box.querySelector('caption').textContent),
    cells: Array.from(document.querySelectorAll('table.compare th, table.compare td'))
        .filter(cell => cell.scrollWidth > cell.clientWidth)
        .map(cell => cell.textContent),
    main: document.querySelector('main').getBoundingClientRect().width,
})"""


def _measured(browser: Any, page_file: Path, width: int, projector: bool = False) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.resolve().as_uri())
        if projector:
            page.check("#fc-projector")
        fit = page.evaluate(FIT)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        view = "-projector" if projector else ""
        page.screenshot(path=str(ARTIFACTS / f"{page_file.stem}-{width}{view}.png"))
        return fit
    finally:
        context.close()


@pytest.fixture(scope="module")
def six_policies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("compare") / "compare-six-policies.html"
    args = ["compare", str(FRANKLIN), "--policies", SIX_POLICIES, "-f", "html", "-o", str(target)]
    assert invoke(args).exit_code == 0
    return target


@pytest.mark.parametrize("projector", [False, True], ids=["screen", "projector"])
@pytest.mark.parametrize("width", [1280, 1920])
def test_six_policies_side_by_side_fit_without_sideways_scrolling(
    six_policies: Path, browser: Any, width: int, projector: bool
) -> None:
    fit = _measured(browser, six_policies, width, projector)
    assert (fit["page"], fit["boxes"], fit["cells"]) == (0, [], [])


@pytest.mark.parametrize("name", [p.stem for p in INCIDENTS])
def test_every_report_fits_1280_pixels_and_uses_a_1920_pixel_screen(
    name: str, reports: dict[str, Path], browser: Any
) -> None:
    narrow = _measured(browser, reports[name], 1280)
    assert (narrow["page"], narrow["boxes"]) == (0, [])
    wide = _measured(browser, reports[name], 1920)
    assert wide["page"] == 0 and wide["main"] >= 1700  # was 1048: the page used 55%


def test_the_projector_view_enlarges_and_darkens_and_printing_ignores_it(
    reports: dict[str, Path], watched: Watched
) -> None:
    page = watched.open(reports[FRANKLIN.stem])
    size = "parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
    before = page.evaluate(size)
    page.check("#fc-projector")
    assert page.evaluate(size) >= 1.3 * before
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.is_visible("#whatif")  # the panel works in the projector view too
    page.emulate_media(media="print")
    assert page.evaluate(size) < before and not page.is_visible("fieldset.view")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert page.pdf(path=str(ARTIFACTS / "report-projector-ticked.pdf")).startswith(b"%PDF")
    watched.assert_clean(reports[FRANKLIN.stem])


def test_the_six_policy_comparison_prints_within_the_page(six_policies: Path, browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(six_policies.resolve().as_uri())
        page.emulate_media(media="print")
        # Letter paper less the stylesheet's margins: 8.5in - 2 x 1.3cm, in CSS pixels.
        page.set_viewport_size({"width": round(8.5 * 96 - 2 * 1.3 / 2.54 * 96), "height": 900})
        assert page.evaluate(FIT)["page"] == 0
        # Every outcome badge on one line: six policies fit the paper's width.
        wrapped = page.evaluate(
            "() => Array.from(document.querySelectorAll('table.compare td .badge'))"
            ".filter(b => b.getClientRects().length > 1"
            " || b.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(b).fontSize))"
            ".length"
        )
        assert wrapped == 0
        pdf = page.pdf(path=str(ARTIFACTS / "compare-six-policies.pdf"), format="Letter")
        assert pdf.startswith(b"%PDF")
    finally:
        context.close()


@pytest.mark.parametrize("projector", [False, True], ids=["screen", "projector"])
def test_more_policies_than_fit_scroll_inside_their_box_and_never_overlap(
    tmp_path: Path, browser: Any, projector: bool
) -> None:
    # Without date or agency, `--policies all` is every shipped policy: more than fit.
    target = tmp_path / "compare-every-policy.html"
    drill = ROOT / "scenarios" / "training" / "01-armed-attacker.yaml"
    args = ["compare", str(drill), "--policies", "all", "-f", "html", "-o", str(target)]
    assert invoke(args).exit_code == 0
    fit = _measured(browser, target, 1280, projector)
    assert (fit["page"], fit["cells"]) == (0, [])
