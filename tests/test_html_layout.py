"""The HTML page fit to publish and to project, read as text (no browser needed).

The path a page shows, what ``-o`` says, the print and projector stylesheet, and the layout
rules that let a comparison of six policies fit 1280 pixels. test_browser.py measures the
same pages in headless Chromium.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from forcecheck.render.html_parts import published_path
from forcecheck.render.html_style import (
    COLOUR_PAIRS,
    PROJECTOR_CONTRAST,
    PROJECTOR_PAIRS,
    asset,
    contrast_ratio,
    stylesheet,
)

from .conftest import ROOT, invoke

FRANKLIN = ROOT / "scenarios" / "incidents" / "franklin-park-2025-09-12.yaml"
SIX = "dhs-2023,dhs-2018,8cfr-287-8,constitutional-floor,doj-2022,ice-2004"
#: A scenario with no title and no id: the page names it by its file.
UNNAMED = "policy: dhs-2023\nfacts:\n  subject_fleeing: true\n"
#: Every command that writes an HTML page about a scenario.
PAGE_COMMANDS = [
    ["report"],
    ["evaluate", "--format", "html"],
    ["compare", "--format", "html"],
    ["compare", "--policies", "dhs-2023,dhs-2018", "--format", "html"],
]


def blocks(css: str) -> list[tuple[str, str]]:
    """The top-level rules of a stylesheet as (prelude, body), nested braces kept whole."""
    found, depth, start, prelude = [], 0, 0, ""
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude, start = css[start:index].strip(), index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                found.append(
                    (re.sub(r"/\*.*?\*/", "", prelude, flags=re.S).strip(), css[start:index])
                )
                start = index + 1
    return found


def declarations(css: str, selector: str) -> str:
    """The body of the first top-level rule whose prelude is exactly ``selector``."""
    return next(body for prelude, body in blocks(css) if prelude == selector)


# ---------------------------------------------------------------- the path a page shows


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("scenarios/incidents/x.yaml", "scenarios/incidents/x.yaml"),
        ("../cases/x.yaml", "../cases/x.yaml"),
        ("x.yaml", "x.yaml"),
        ("-", "-"),
        ("/home/alice/cases/x.yaml", "x.yaml"),
        ("C:\\Users\\alice\\cases\\x.yaml", "x.yaml"),
        ("\\\\server\\share\\x.yaml", "x.yaml"),
    ],
)
def test_a_page_shows_a_relative_path_as_given_and_an_absolute_one_by_its_name(
    given: str, shown: str
) -> None:
    assert published_path(given) == shown


@pytest.mark.parametrize("command", PAGE_COMMANDS, ids=lambda c: " ".join(c))
def test_no_page_shows_the_absolute_path_it_was_given(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "alice" / "cases"
    folder.mkdir(parents=True)
    unnamed = folder / "unnamed.yaml"
    unnamed.write_text(UNNAMED)
    franklin = folder / FRANKLIN.name
    shutil.copy(FRANKLIN, franklin)
    for scenario in (unnamed, franklin):
        result = invoke([command[0], str(scenario), *command[1:]])
        assert result.exit_code == 0, result.stderr
        page = result.stdout
        assert str(tmp_path) not in page and "alice" not in page
        assert f"Scenario file: <code>{scenario.name}</code>" in page
    monkeypatch.chdir(tmp_path)
    relative = invoke([command[0], "alice/cases/unnamed.yaml", *command[1:]])
    assert relative.exit_code == 0, relative.stderr
    assert "Scenario file: <code>alice/cases/unnamed.yaml</code>" in relative.stdout
    assert str(tmp_path) not in relative.stdout


def test_an_unnamed_scenario_is_titled_by_its_file_name_not_its_absolute_path(
    tmp_path: Path,
) -> None:
    unnamed = tmp_path / "unnamed.yaml"
    unnamed.write_text(UNNAMED)
    page = invoke(["report", str(unnamed)]).stdout
    assert "<h1>unnamed.yaml</h1>" in page
    assert "<title>unnamed.yaml — forcecheck report</title>" in page


def test_a_shipped_report_made_from_an_absolute_path_names_nothing_of_the_machine() -> None:
    page = invoke(["report", str(FRANKLIN)]).stdout
    assert str(ROOT) not in page and str(Path.home()) + "/" not in page
    assert f"Scenario file: <code>{FRANKLIN.name}</code>" in page


# ---------------------------------------------------------------- -o says where it wrote


def test_report_o_says_on_stderr_where_it_wrote(tmp_path: Path) -> None:
    target = tmp_path / "franklin.html"
    result = invoke(["report", str(FRANKLIN), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    size = len(target.read_bytes())
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target} ({round(size / 1000)} kB).\n"
    # Written atomically: the one file, no temporary file beside it.
    assert [p.name for p in tmp_path.iterdir()] == ["franklin.html"]


def test_a_refused_replacement_writes_nothing_and_does_not_say_wrote(tmp_path: Path) -> None:
    target = tmp_path / "franklin.html"
    target.write_text("old\n")
    result = invoke(["report", str(FRANKLIN), "-o", str(target)])
    assert result.exit_code == 3 and "Wrote" not in result.stderr
    assert target.read_text() == "old\n"


@pytest.mark.parametrize(
    "command",
    [["compare", "--format", "html"], ["evaluate", "--format", "markdown"]],
    ids=lambda c: " ".join(c),
)
def test_every_command_writing_a_file_says_where(command: list[str], tmp_path: Path) -> None:
    target = tmp_path / "out"
    result = invoke([command[0], str(FRANKLIN), *command[1:], "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"Wrote {target} (") and target.stat().st_size > 0


def test_output_dash_says_nothing_on_stderr() -> None:
    result = invoke(["report", str(FRANKLIN), "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    assert result.stderr == ""


# ---------------------------------------------------------------- the stylesheet


def test_the_page_uses_the_width_of_a_1920_pixel_screen_and_keeps_prose_readable() -> None:
    css = asset("report.css")
    body = declarations(css, "body")
    width = re.search(r"max-width:\s*([\d.]+)rem", body)
    assert width is not None and float(width[1]) * 16 >= 1920
    measure = next(b for p, b in blocks(css) if p.startswith("p, blockquote"))
    assert re.search(r"max-width:\s*(\d+)ch", measure)


def test_the_comparison_table_is_laid_out_to_fit_1280_pixels() -> None:
    css = asset("report.css")
    wide = [
        (float(m[1]), body)
        for prelude, body in blocks(css)
        if (m := re.fullmatch(r"@media \(min-width: ([\d.]+)rem\)", prelude))
    ]
    fixed = [
        (w, body)
        for w, body in wide
        if re.search(r"table\.compare\s*\{\s*table-layout:\s*fixed", body)
    ]
    assert fixed and fixed[0][0] * 16 <= 1280
    # Six policy columns at their narrowest, beside the condition and the ≠ columns, fit
    # 1280 pixels less the page's padding (2.5vw a side), in the table's 0.94em type.
    rules = fixed[0][1]

    def width(selector: str) -> float:
        found = re.search(re.escape(selector) + r"\s*\{\s*width:\s*([\d.]+)em", rules)
        assert found, selector
        return float(found[1])

    columns = (
        width("table.compare thead th:first-child")
        + width("table.compare thead th:nth-child(2)")
        + 6 * width("table.compare thead th")
    )
    assert columns * 0.94 * 16 <= 1280 * 0.95
    compact = next(b for p, b in blocks(css) if p.startswith("table.compare td .badge"))
    assert "white-space: normal" in compact
    # The pages carry the classes the rules are written for.
    page = invoke(["compare", str(FRANKLIN), "--policies", SIX, "--format", "html"]).stdout
    assert page.count('<table class="compare">') == 1
    assert '<table class="outcomes">' in invoke(["report", str(FRANKLIN)]).stdout


def test_print_hides_the_view_box_and_the_panel_and_sets_margins() -> None:
    css = stylesheet()
    printed = declarations(css, "@media print")
    assert re.search(r"fieldset\.view[^{]*\{[^}]*display:\s*none", printed)
    assert re.search(r"\.whatif[^{]*\{[^}]*display:\s*none", printed)
    assert "table.compare { table-layout: fixed" in printed
    assert re.search(r"margin:\s*[\d.]+cm", declarations(css, "@page"))


def test_the_projector_view_is_a_box_to_tick_that_needs_no_script_and_never_prints() -> None:
    page = invoke(["report", str(FRANKLIN)]).stdout
    box = re.search(r'<fieldset class="view"><legend>View</legend><label>(.*?)</label>', page)
    assert box and 'type="checkbox" id="fc-projector"' in box[1] and "Projector" in box[1]
    assert "fc-projector" not in asset("whatif.js")
    css = stylesheet()
    # Every projector rule is screen-only: printing a page with the box ticked is unchanged.
    for prelude, body in blocks(css):
        if "fc-projector" in prelude + body:
            assert prelude.startswith("@media screen"), prelude
    larger = re.search(
        r"html:has\(#fc-projector:checked\)\s*\{\s*font-size:\s*(\d+)px", asset("report.css")
    )
    assert larger and int(larger[1]) >= 20
    assert "prefers-contrast: more" in css


def test_the_projector_colours_meet_wcag_aaa_and_cover_every_pair() -> None:
    assert PROJECTOR_PAIRS.keys() == COLOUR_PAIRS.keys()
    for name, (foreground, background) in PROJECTOR_PAIRS.items():
        assert contrast_ratio(foreground, background) >= PROJECTOR_CONTRAST, name
        assert contrast_ratio(foreground, background) >= contrast_ratio(*COLOUR_PAIRS[name])
