"""The Markdown reports: complete, readable without a terminal, and safe to publish."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from forcecheck.load.library import shipped
from forcecheck.render.escape import markdown_inline

from .conftest import SCENARIOS, invoke

INCIDENTS = sorted((SCENARIOS / "incidents").glob("*.yaml"))


@pytest.mark.parametrize("path", INCIDENTS, ids=lambda p: p.stem)
def test_evaluate_markdown_has_every_part_a_reporter_needs(path: Path) -> None:
    result = invoke(["evaluate", str(path), "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for heading in ("## Outcome", "## Citations", "### Conditions", "## Sources"):
        assert heading in text
    assert "### Questions to ask" in text or "### What the outcome rests on" in text
    # Every quote of the policy appears with its section.
    policy = shipped().get("dhs-2023")
    citations = text[text.index("## Citations") :]
    for rule_id in policy.conditions:
        assert f"### `{rule_id}`" in citations
    assert "\x1b" not in text  # nothing that needs a terminal
    _tables_are_well_formed(text)


def test_compare_markdown_puts_the_disputed_facts_and_who_said_them_first() -> None:
    path = SCENARIOS / "incidents/minneapolis-pretti-2026-01-24.yaml"
    result = invoke(["compare", str(path), "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.index("## Disputed facts") < text.index("## Conditions whose status differs")
    # Decisive under dhs-2023, and (column "Other layers") under every other layer too.
    assert (
        "| ★ | `subject_threatened_deadly_force` | contradicted | ★ 8cfr-287-8, "
        "constitutional-floor, mn-609-066, supremacy-clause-immunity | true |"
    ) in text
    assert "### Who said what" in text
    assert "“" in text or '"' in text
    assert "## Stated conclusions" in text
    _tables_are_well_formed(text)


def test_compare_markdown_of_policies_has_one_column_per_policy() -> None:
    path = SCENARIOS / "incidents/franklin-park-2025-09-12.yaml"
    result = invoke(
        ["compare", str(path), "--policies", "dhs-2023,cbp-2014", "--format", "markdown"]
    )
    assert result.exit_code == 0, result.stderr
    # cbp-2014 binds CBP, not ICE: shown for comparison, marked †.
    assert "| Condition |  | dhs-2023 | cbp-2014 † |" in result.stdout


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "link": "[click](javascript:alert(1))",
    "image": "![x](http://evil.example/x.png)",
    "cell": "a | b | c",
    "heading": "# Not a heading",
    "terminal": "\x1b[31mred\x1b[0m",
    "entity": "&lt;b&gt;",
    "code": "`rm -rf`",
}


def test_scenario_text_cannot_inject_markup(tmp_path: Path) -> None:
    bad = " ".join(HOSTILE.values())
    fact = {"value": True, "quote": bad, "note": bad}
    data = {
        "policy": "dhs-2023",
        "title": bad,
        "summary": bad,
        "sources": {"s1": {"title": bad, "url": "javascript:alert(1)", "publisher": bad}},
        "accounts": {
            "a": {
                "title": bad,
                "source": "s1",
                "facts": {"warning_shot": fact},
                "conclusions": {"no_warning_shot": {"status": "met", "quote": bad}},
            },
            "b": {"source": "s1", "facts": {"warning_shot": {"value": False, "quote": bad}}},
        },
    }
    # JSON, because YAML cannot carry the raw escape character at all.
    scenario = tmp_path / "hostile.json"
    scenario.write_text(json.dumps(data))
    for command in (["evaluate"], ["compare"]):
        result = invoke([*command, str(scenario), "--format", "markdown"])
        assert result.exit_code == 0, result.stderr
        text = result.stdout
        assert "<script" not in text
        assert not re.search(r"(?<!\\)\]\(", text)  # no link or image target
        assert "<javascript" not in text
        assert "![" not in text
        assert "\x1b" not in text
        assert "\n# Not a heading" not in text
        assert "&lt;b&gt;" not in text  # the entity itself is escaped: &amp;lt;b&amp;gt;
        _tables_are_well_formed(text)


def test_md_escapes_only_what_would_change_the_document() -> None:
    assert markdown_inline("agents' car (a Honda) 2025-09-12") == "agents' car (a Honda) 2025-09-12"
    assert markdown_inline("vehicle_moving_toward_person") == "vehicle_moving_toward_person"
    assert markdown_inline("_emphasis_ *strong*") == "\\_emphasis\\_ \\*strong\\*"
    assert markdown_inline("- not a list") == "\\- not a list"
    assert markdown_inline("3. not a list") == "3\\. not a list"
    assert markdown_inline("line\nbreak") == "line break"


def _tables_are_well_formed(text: str) -> None:
    """Every row of a table has as many cells as its header (no injected pipes)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("|---"):
            width = _cells(lines[index - 1])
            row = index + 1
            while row < len(lines) and lines[row].startswith("|"):
                assert _cells(lines[row]) == width, lines[row]
                row += 1


def _cells(line: str) -> int:
    return len(re.split(r"(?<!\\)\|", line)) - 2


def test_names_from_the_file_cannot_start_html_or_split_cells(tmp_path: Path) -> None:
    # Account names and discharge ids are keys, shown as code: a newline in one used to end
    # the line and start a raw HTML block; a `|` used to split its table cell.
    markdown_it = pytest.importorskip("markdown_it")
    script = "agency\n<script>alert(1)</script>"
    image = "shot|1\n<img src=x onerror=alert(1)>"
    data = {
        "policy": "dhs-2023",
        "accounts": {
            script: {
                "facts": {"warning_shot": False},
                "discharges": [{"id": image, "facts": {"threat_ended": True}}],
            },
            "video`|`x": {"facts": {"warning_shot": True}},
        },
    }
    scenario = tmp_path / "names.json"
    scenario.write_text(json.dumps(data))
    for command in ("evaluate", "compare"):
        result = invoke([command, str(scenario), "--format", "markdown"])
        assert result.exit_code == 0, result.stderr
        html = markdown_it.MarkdownIt("commonmark").enable("table").render(result.stdout)
        assert "<script" not in html and "<img" not in html, command
        assert not re.search(r"^\s*<(script|img)", result.stdout, re.M), command
        _tables_are_well_formed(result.stdout)
        # The names are still there for the reader, made visible.
        assert "agency\\n" in result.stdout.replace("\\\\", "\\"), command
