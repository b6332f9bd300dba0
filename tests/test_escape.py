"""Output safety: nothing from an input file reaches a terminal, Markdown or HTML unescaped."""

from __future__ import annotations

import ast
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcecheck.render.escape import (
    REPLACEMENT,
    html_attribute,
    html_text,
    markdown_cell,
    markdown_inline,
    one_line,
    safe_url,
    terminal,
)

from .conftest import ROOT, invoke

markdown_it = pytest.importorskip("markdown_it")

#: Anything a terminal would act on, other than newline and tab.
UNSAFE_FOR_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "&lt;b&gt;not bold&lt;/b&gt; &amp; &#x3C;",
    "[click here](javascript:alert(1))",
    "![tracking pixel](https://evil.example/p.png)",
    "[ref]: https://evil.example",
    "<https://evil.example>",
    "# Heading",
    "1. numbered",
    "- bullet",
    "> quote",
    "===",
    "| a | b |",
    "`code` and ``more``",
    "*em* _em_ **strong** ~~gone~~",
    "$x^2$",
    "back\\slash\\",
    "line one\nline two\r\nline three",
    "\x1b[31mred\x1b[0m \x1b]0;new title\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m C1 CSI and \x85 NEL",
    "bell\x07 backspace\x08 null\x00 delete\x7f",
    "file\u202egnp.exe",
    "\u2066isolate\u2069",
]


def _md() -> object:
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])


class _Tags(HTMLParser):
    """The tags and the text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(fragment: str) -> _Tags:
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser


# ---------------------------------------------------------------- terminal


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_leaves_nothing_a_terminal_would_act_on(text: str) -> None:
    shown = terminal(text)
    assert not UNSAFE_FOR_TERMINAL.search(shown), repr(shown)


def test_terminal_strips_sequences_and_marks_lone_controls() -> None:
    assert terminal("\x1b[1;31mALERT\x1b[0m") == "ALERT"
    assert terminal("\x1b]0;pwned\x07title") == "title"
    assert terminal("\x1b]8;;https://evil.example\x1b\\text\x1b]8;;\x1b\\") == "text"
    assert terminal("ok\rEVIL") == f"ok{REPLACEMENT}EVIL"
    assert terminal("a\x00b\x7fc\x85d") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}d"
    assert terminal("x\u202ey") == f"x{REPLACEMENT}y"
    assert terminal("tabs\tand\nnewlines stay, é and ≠ too") == (
        "tabs\tand\nnewlines stay, é and ≠ too"
    )


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text())
def test_terminal_output_is_always_safe_and_stable(text: str) -> None:
    shown = terminal(text)
    assert not UNSAFE_FOR_TERMINAL.search(shown)
    assert terminal(shown) == shown


# ---------------------------------------------------------------- Markdown


def _render_inline(text: str) -> _Tags:
    return _parse(_md().render(f"Said: {markdown_inline(text)}\n"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_inline_renders_as_the_literal_text(text: str) -> None:
    parsed = _render_inline(text)
    assert parsed.tags == ["p"], parsed.tags
    assert "".join(parsed.text).strip() == "Said: " + one_line(terminal(text))


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_inline_cannot_start_a_block(text: str) -> None:
    # At the start of a line, after a paragraph: no heading, list, quote or underline.
    rendered = _md().render(f"A paragraph.\n{markdown_inline(text)}\n")  # type: ignore[attr-defined]
    assert _parse(rendered).tags == ["p"], rendered


_prose = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
    max_size=60,
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(_prose)
def test_markdown_inline_round_trips_any_text(text: str) -> None:
    parsed = _render_inline(text)
    assert parsed.tags == ["p"]
    assert "".join(parsed.text).strip() == ("Said: " + one_line(terminal(text))).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_cell_stays_in_its_cell(text: str) -> None:
    table = f"| quote | n |\n|---|---|\n| {markdown_cell(text)} | 1 |\n"
    parsed = _parse(_md().render(table))  # type: ignore[attr-defined]
    assert parsed.tags.count("td") == 2, parsed.tags
    assert set(parsed.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "br"}
    # Every line of the text is in the cell, in order, and nothing else is.
    lines = [one_line(line) for line in terminal(text).splitlines() if one_line(line)]
    assert "".join(parsed.text).replace("\n", "") == "quoten" + "".join(lines) + "1"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://www.hrw.org/news/2025/09/16", True),
        ("http://example.org", True),
        ("mailto:press@example.org", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
        ("https://x\x00.example", False),
    ],
)
def test_safe_url(url: str, safe: bool) -> None:
    assert (safe_url(url) == url) is safe


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_and_attribute_carry_no_markup(text: str) -> None:
    body = html_text(text)
    assert "<" not in body and ">" not in body
    assert html.unescape(body) == terminal(text)
    attribute = html_attribute(text)
    assert not re.search("[<>\"'\n]", attribute)
    parsed = _parse(f'<p title="{attribute}">{body}</p>')
    assert parsed.tags == ["p"]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text())
def test_html_text_round_trips(text: str) -> None:
    body = html_text(text)
    assert not re.search("[<>\"']", body)
    assert html.unescape(body) == terminal(text)


# ---------------------------------------------------------------- the renderers use them

HOSTILE_SCENARIO = r"""
policy: dhs-2023
title: "\e[2J\e]0;pwned\aRed \e[31mtitle\e[0m\r"
place: "Chicago \u202Eesrever"
summary: "A summary\x07 with a bell and \x9b31m a C1 escape"
sources:
  "\e[31msrc":
    title: "Source \e]8;;https://evil.example\e\\link\e]8;;\e\\"
    url: "https://example.org/\e[5m"
    note: "note\x00"
accounts:
  "agency\e[1m":
    title: "DHS statement\r\e[K"
    source: "\e[31msrc"
    facts:
      warning_shot:
        value: true
        quote: "fired \e[8mhidden\e[28m into the ground"
        note: "\x1b[2Jclear screen"
    discharges:
      - id: "shot\e[1m-1"
        title: "first \e[7mshot"
        facts: {threat_ended: false}
  video:
    source: "\e[31msrc"
    facts: {warning_shot: false}
"""


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "{path}"],
        ["evaluate", "{path}", "--table-format", "github"],
        ["evaluate", "{path}", "--table-format", "plain"],
        ["compare", "{path}"],
        ["compare", "{path}", "--policies", "dhs-2023,dhs-2018"],
    ],
)
def test_no_control_character_from_a_scenario_reaches_the_terminal(
    tmp_path: Path, args: list[str]
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_SCENARIO, encoding="utf-8")
    result = invoke([a.replace("{path}", str(path)) for a in args])
    assert result.exit_code == 0, result.output
    assert not UNSAFE_FOR_TERMINAL.search(result.stdout), [
        line for line in result.stdout.splitlines() if UNSAFE_FOR_TERMINAL.search(line)
    ]
    assert "Red title" in result.stdout or args[0] == "compare"


def test_explain_of_a_hostile_policy_is_terminal_safe(tmp_path: Path) -> None:
    policy = (ROOT / "docs" / "examples" / "example-policy.yaml").read_text(encoding="utf-8")
    policy = policy.replace("id: example-policy", "id: hostile").replace(
        "Deadly force authorized", "Deadly \\e[31mforce\\e[0m authorized\\r"
    )
    policy = policy.replace(
        "    title: Deadly \\e[31mforce\\e[0m authorized\\r",
        '    title: "Deadly \\e[31mforce\\e[0m authorized\\r"',
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(policy, encoding="utf-8")
    result = invoke(["explain", "authorized", "--policy", str(path)])
    assert result.exit_code == 0, result.output
    assert "Deadly force authorized" in result.stdout
    assert not UNSAFE_FOR_TERMINAL.search(result.stdout)


# ---------------------------------------------------------------- no network, ever

NETWORK_MODULES = (
    "socket",
    "ssl",
    "http.client",
    "http.server",
    "urllib.request",
    "urllib3",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "poplib",
    "imaplib",
    "xmlrpc",
    "webbrowser",
    "asyncio",
)


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in ("__import__", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def test_no_module_imports_a_networking_library() -> None:
    sources = sorted((ROOT / "src" / "forcecheck").rglob("*.py"))
    assert len(sources) > 10
    found = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources
        for name in _imports(ast.parse(path.read_text(encoding="utf-8")))
        if any(name == banned or name.startswith(banned + ".") for banned in NETWORK_MODULES)
    }
    assert not found, sorted(found)


def test_the_network_check_would_notice() -> None:
    tree = ast.parse("import socket\nfrom urllib.request import urlopen\nfrom http import client")
    assert {"socket", "urllib.request", "http.client"} <= _imports(tree)


def test_look_alike_names_never_read_the_same(tmp_path: Path) -> None:
    # Three accounts a reader would take for one: plain, with a zero-width space, and with a
    # Cyrillic "а". Each outcome must be told apart in every format.
    names = ["agency", "agency\u200b", "\u0430gency"]
    data = {
        "policy": "dhs-2023",
        "accounts": {
            name: {"facts": {"warning_shot": value}}
            for name, value in zip(names, [True, False, True], strict=True)
        },
    }
    scenario = tmp_path / "look-alikes.json"
    scenario.write_text(__import__("json").dumps(data))
    for fmt in ("table", "markdown", "html"):
        result = invoke(["evaluate", str(scenario), "--format", fmt])
        assert result.exit_code == 0, result.stderr
        assert "\u200b" not in result.stdout and "\u0430" not in result.stdout, fmt
        assert "agency\\u200b" in result.stdout.replace("\\\\", "\\"), fmt
        assert "\\u0430gency" in result.stdout.replace("\\\\", "\\"), fmt


@pytest.mark.parametrize("fmt", ["unsafehtml", "github", "pipe"])
def test_table_formats_that_emit_markup_escape_every_cell(fmt: str, tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)> a | b <script>x</script>"
    data = {
        "policy": "dhs-2023",
        "accounts": {
            "agency": {"title": hostile, "facts": {"warning_shot": False}},
            "video|<b>": {"title": hostile, "facts": {"warning_shot": True}},
        },
    }
    scenario = tmp_path / "markup.json"
    scenario.write_text(__import__("json").dumps(data))
    for command in ("evaluate", "compare"):
        full = ["--full"] if command == "evaluate" else []  # the tables, not the summary alone
        result = invoke([command, str(scenario), "--table-format", fmt, *full])
        assert result.exit_code == 0, result.stderr
        # Only the tables are in the format's markup; the text around them is plain text.
        if fmt == "unsafehtml":
            tables = "".join(re.findall(r"<table>.*?</table>", result.stdout, re.S))
        else:
            tables = "\n".join(line for line in result.stdout.splitlines() if line.startswith("|"))
        assert "agency" in tables, command
        assert "<script" not in tables and "<img" not in tables and "<b>" not in tables
        if fmt != "unsafehtml":
            rendered = _md().render(tables)  # type: ignore[attr-defined]
            assert "<script" not in rendered and "<img" not in rendered, command
            for line in tables.splitlines():
                if line.startswith("| account"):
                    assert len(re.split(r"(?<!\\)\|", line)) == 5, line
