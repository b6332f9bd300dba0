"""Quotation marks only around words someone said or wrote.

Every shipped incident is rendered in every prose format; every string the output puts in
quotation marks must come from a `quote` field (of the scenario, or of a policy's citations),
so that a reporter pasting a line into a draft never misquotes a source. JSON is exempt: its
quotation marks are syntax.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, invoke

INCIDENTS = sorted((ROOT / "scenarios" / "incidents").glob("*.yaml"))
POLICIES = sorted(p for p in (ROOT / "policy").glob("*.yaml") if p.stem not in {"facts", "lexicon"})
# A curly pair, or a straight pair; the text is on one line by then (see _one_line).
QUOTED = re.compile(r"“([^”]*)”|\"([^\"]*)\"")
# Tables in a format that never wraps a cell, so a quotation is never split across lines.
ONE_LINE = ["--table-format", "tsv"]


def _flat(text: str) -> str:
    """Whitespace normalised, one apostrophe, no Markdown escapes, no surrounding punctuation."""
    text = html.unescape(text).replace("’", "'").replace("‘", "'")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", r"\1", text)  # Markdown's \[ is a [ to a reader
    return " ".join(text.split()).strip(" .,;:")


def _quotes(node: Any) -> list[str]:
    """Every `quote` value (and every `quotes` list item) anywhere in a YAML tree."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "quote" and isinstance(value, str):
                found.append(_flat(value))
            elif key == "quotes" and isinstance(value, list):
                found += [_flat(item) for item in value if isinstance(item, str)]
            else:
                found += _quotes(value)
    elif isinstance(node, list):
        for value in node:
            found += _quotes(value)
    return found


def _allowed(scenario: Path) -> list[str]:
    quotes = _quotes(yaml.safe_load(scenario.read_text(encoding="utf-8")))
    for policy in POLICIES:
        quotes += _quotes(yaml.safe_load(policy.read_text(encoding="utf-8")))
    return quotes


def _one_line(text: str) -> str:
    """Prose wrapped over lines, back on one line: a quotation may span a line break."""
    return " ".join(text.split())


def _page_text(page: str) -> str:
    """An HTML page's visible text, with each <q>…</q> as a quotation in curly marks."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<q\b[^>]*>(.*?)</q>", r"“\1”", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def quoted_strings(text: str) -> list[str]:
    """Every string of more than three characters that ``text`` puts in quotation marks."""
    found = (_flat(curly or straight) for curly, straight in QUOTED.findall(_one_line(text)))
    return [quoted for quoted in found if len(quoted) > 3]


def _run(args: list[str]) -> str:
    result = invoke(args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _outputs(scenario: Path, tmp_path: Path) -> dict[str, str]:
    path = str(scenario)
    report = tmp_path / f"{scenario.stem}.html"
    compare_page = tmp_path / f"{scenario.stem}-compare.html"
    _run(["report", path, "-o", str(report)])
    _run(["compare", path, "-f", "html", "-o", str(compare_page)])
    return {
        "evaluate table": _run(["evaluate", path, *ONE_LINE]),
        "evaluate markdown": _run(["evaluate", path, "-f", "markdown"]),
        "compare table": _run(["compare", path, *ONE_LINE]),
        "compare markdown": _run(["compare", path, "-f", "markdown"]),
        "compare --policies all": _run(["compare", path, "--policies", "all", *ONE_LINE]),
        "compare --policies all markdown": _run(
            ["compare", path, "--policies", "all", "-f", "markdown"]
        ),
        "questions": _run(["questions", path, *ONE_LINE]),
        "report html": _page_text(report.read_text(encoding="utf-8")),
        "compare html": _page_text(compare_page.read_text(encoding="utf-8")),
    }


@pytest.mark.parametrize("scenario", INCIDENTS, ids=lambda p: p.stem)
def test_every_quoted_string_comes_from_a_quote_field(scenario: Path, tmp_path: Path) -> None:
    allowed = _allowed(scenario)
    bad = sorted(
        {
            (where, quoted)
            for where, text in _outputs(scenario, tmp_path).items()
            for quoted in quoted_strings(text)
            if not any(quoted in quote for quote in allowed)
        }
    )
    assert not bad, "\n".join(f"{where}: “{quoted}”" for where, quoted in bad)


def test_the_check_finds_a_quotation_that_is_not_a_quote() -> None:
    page = '<p>He said <q>we&#x27;re fine</q> and "left"</p><script>x = "not text"</script>'
    assert quoted_strings(_page_text(page)) == ["we're fine", "left"]
    assert quoted_strings('the "supported"\nverdict; “two\nlines”') == ["supported", "two lines"]


_SCENARIO = """\
policy: dhs-2023
sources:
  statement:
    title: Agency statement
{quotes}
accounts:
  agency:
    source: statement
    summary: >-
      The agency said the officer fired "defensive shots" after she "ambushed" agents.
    facts:
      warning_shot:
        value: false
        quote: the officer fired defensive shots
"""


def _lint(tmp_path: Path, text: str) -> str:
    path = tmp_path / "incident.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke(["lint", str(path)])
    assert result.exit_code == 0, result.output  # a warning, not an error
    return str(result.output)


def test_lint_warns_at_a_quotation_that_is_no_quote(tmp_path: Path) -> None:
    output = _lint(tmp_path, _SCENARIO.format(quotes=""))
    warnings = [line for line in output.splitlines() if "[quotation]" in line]
    # "defensive shots" is part of a fact's quote; "ambushed" is nobody's recorded words.
    assert len(warnings) == 1, output
    assert "incident.yaml:9:" in warnings[0]
    assert "“ambushed”" in warnings[0]


def test_a_passage_in_the_sources_quotes_allows_the_quotation(tmp_path: Path) -> None:
    output = _lint(tmp_path, _SCENARIO.format(quotes="    quotes: [she ambushed agents]"))
    assert "[quotation]" not in output, output


def test_a_drill_without_sources_is_not_read_for_quotations(tmp_path: Path) -> None:
    drill = 'policy: dhs-2023\nsummary: He shouted "Police, stop!" and fired.\nfacts: {}\n'
    assert "[quotation]" not in _lint(tmp_path, drill)


# Words a passage of English cannot end on: a quote that stops there was cut off where its
# copy broke, and must say so with "[...]" rather than end as if the sentence did.
_DANGLING = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "if",
        "in",
        "of",
        "on",
        "or",
        "shall",
        "than",
        "that",
        "the",
        "to",
        "which",
        "whom",
        "with",
    ]
)
# One- and two-letter words a quote may end on; any other short last word is a fragment.
_SHORT_WORDS = frozenset(
    [
        "a",
        "an",
        "as",
        "at",
        "be",
        "by",
        "he",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "we",
    ]
)


def _cut_off(quote: str) -> str | None:
    """Why ``quote`` reads as cut off mid-word or mid-clause, or None if it ends cleanly."""
    text = " ".join(quote.split())
    if text.endswith("[...]") or text.endswith("...]"):
        return None  # the quote says where its copy breaks off
    if text.endswith(","):
        return "ends on a comma"
    words = re.findall(r"[A-Za-z]+", text)
    last = words[-1].lower() if words else ""
    if text[-1].isalpha() and len(last) <= 2 and last not in _SHORT_WORDS:
        return f"ends mid-word ({last!r})"
    if text[-1].isalpha() and last in _DANGLING:
        return f"ends on {last!r}"
    return None


def _raw_quotes(node: Any) -> list[str]:
    """Every citation's `quote` in a policy's YAML tree, as written (end punctuation kept)."""
    if isinstance(node, dict):
        return [
            quote
            for key, value in node.items()
            for quote in (
                [value] if key == "quote" and isinstance(value, str) else _raw_quotes(value)
            )
        ]
    if isinstance(node, list):
        return [quote for value in node for quote in _raw_quotes(value)]
    return []


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.stem)
def test_no_policy_quote_is_silently_cut_off(policy: Path) -> None:
    """A reader of `explain` or a report sees each citation's words whole, or marked as cut."""
    cut = [
        (quote, why)
        for quote in _raw_quotes(yaml.safe_load(policy.read_text(encoding="utf-8")))
        if (why := _cut_off(quote)) is not None
    ]
    assert not cut, "\n".join(f"{why}: …{quote[-60:]}" for quote, why in cut)


def test_the_cut_off_check_finds_a_broken_word_and_a_dangling_clause() -> None:
    assert _cut_off("against persons who pose a danger only t") == "ends mid-word ('t')"
    assert _cut_off("the authority of the officer shall be") == "ends on 'be'"
    assert _cut_off("Where feasible, a peace officer shall,") == "ends on a comma"
    assert _cut_off("the authority of the officer shall be g[iven ...]") is None
    assert _cut_off("to the officer or another.") is None


def test_explain_shows_californias_danger_to_self_paragraph_whole() -> None:
    out = _run(["explain", "not_only_self", "--policy", "ca-penal-835a"])
    flat = " ".join(out.split())
    assert "based solely on the danger that person poses to themselves" in flat
    assert "danger only t " not in flat + " "
