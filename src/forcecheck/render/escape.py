"""Making untrusted text safe to show: in a terminal, in Markdown, in HTML.

Scenario files come from the public, and reports get published. Every piece of text taken
from an input file (titles, quotes, notes, source names, URLs, account names) passes through
one of these functions on its way into output:

* :func:`terminal` — plain text and tables: no control characters, no escape sequences
  (which could recolour, retitle or rewrite a terminal), no bidirectional overrides (which
  could make text read differently from what it is).
* :func:`markdown_inline`, :func:`markdown_cell` and :func:`markdown_code` — Markdown text
  and identifiers: every character that could start emphasis, a link, an image, HTML, a
  heading, a list, a table cell or code is escaped, so the text renders as exactly what was
  written. This is the one Markdown policy: the Markdown renderer uses nothing else.
* :func:`html_text` and :func:`html_attribute` — HTML: ``& < > " '`` as entities.
* :func:`safe_url` — a URL only if it is ``http``, ``https`` or ``mailto`` (never
  ``javascript:`` or ``data:``), for use in a link.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from forcecheck.errors import reveal, visible

#: ANSI/VT escape sequences: CSI (``ESC [`` ... final byte), OSC (``ESC ]`` ... BEL or ST),
#: DCS/SOS/PM/APC strings, and two-byte ``ESC x`` sequences; also their 8-bit C1 forms.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]              # CSI ... final byte
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])     # OSC, DCS, SOS, PM, APC ...
      .*?(?:\x07|\x1b\\|\x9c|$)                   # ... up to BEL or ST (or the end)
    | \x1b[ -/]*[0-~]                              # ESC x (with intermediate bytes)
    """,
    re.VERBOSE | re.DOTALL,
)
#: Control characters other than tab and newline: C0, DEL, C1; and the Unicode bidi
#: controls (embeddings, overrides, isolates, and the marks LRM, RLM and ALM) that can
#: reorder how a line reads.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
#: What a removed control character is shown as, so a reader sees something was there.
REPLACEMENT = "\ufffd"


def terminal(text: str) -> str:
    """``text`` safe for a terminal: escape sequences removed, other controls replaced.

    Newline and tab are kept; a carriage return (which could overwrite a line) is not.
    Invisible characters and look-alike letters mixed into a word are shown as escapes
    (:func:`forcecheck.errors.reveal`), so two names that differ never read the same. Every
    other function here starts from this one.
    """
    return reveal(_CONTROL.sub(REPLACEMENT, _ESCAPE_SEQUENCE.sub("", text)))


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


#: Characters that always carry meaning in Markdown: code, emphasis, links and images, table
#: cells, strikethrough, and the backslash itself.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]|~])")
#: An underscore at a word boundary can open or close emphasis; inside a word it cannot.
_MARKDOWN_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
#: What makes a line a heading, list item, block quote or rule when it starts one.
_MARKDOWN_LINE_START = re.compile(r"^([-+*#>=]|\d+[.)])")


def markdown_inline(text: str | None) -> str:
    """``text`` as literal Markdown inline text, on one line: the one Markdown policy.

    HTML, autolinks and entities are neutralised as entities (``& < >``); the characters
    that make code, emphasis, links, images, strikethrough or table cells are
    backslash-escaped (an underscore only where it could open or close emphasis); a
    character that would start a heading, list, quote or underline is escaped. Line breaks
    become spaces, so the text cannot start a block of its own. Ordinary punctuation stays
    readable in the raw text, for reporters who paste it into a draft. None is empty.
    """
    if not text:
        return ""
    text = one_line(terminal(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _MARKDOWN_EDGE_UNDERSCORE.sub(r"\\_", text)
    return _MARKDOWN_LINE_START.sub(lambda m: m[1][:-1] + "\\" + m[1][-1], text)


#: What an identifier may hold to be shown as code: a code span shows its text literally, but
#: a backtick would end it and a ``|`` would still split a table cell.
_MARKDOWN_CODE_UNSAFE = re.compile(r"[`|]")


def markdown_code(text: str) -> str:
    """An identifier from a file (account, discharge, rule or fact id) as Markdown.

    Shown as code when it can be: on one line, with control and invisible characters made
    visible (:func:`forcecheck.errors.visible`), so a newline cannot end the span and start
    an HTML block. An identifier holding a backtick or ``|`` is shown as escaped text.
    """
    shown = visible(text)
    if not shown or _MARKDOWN_CODE_UNSAFE.search(shown):
        return markdown_inline(shown)
    return f"`{shown}`"


def markdown_cell(text: str) -> str:
    """``text`` as the content of a Markdown (GFM) table cell.

    As :func:`markdown_inline`, but a line break in the text is kept as ``<br>`` (the one
    way to break a line inside a cell), and ``|`` is escaped so it cannot end the cell.
    """
    lines = [markdown_inline(line) for line in terminal(text).splitlines()]
    return "<br>".join(line for line in lines if line)


def html_text(text: str) -> str:
    """``text`` as HTML element content: ``& < > " '`` as entities, controls replaced."""
    return html.escape(terminal(text), quote=True)


def html_attribute(text: str) -> str:
    """``text`` as a double- or single-quoted HTML attribute value, on one line."""
    return html.escape(one_line(terminal(text)), quote=True)


_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_url(url: str) -> str | None:
    """``url`` if it is an ``http``, ``https`` or ``mailto`` URL, else None.

    Browsers ignore whitespace and controls inside a scheme (``java<TAB>script:``), so any
    URL holding them is refused outright. Escape the result for its context (HTML
    attribute, Markdown link) before use.
    """
    if url != url.strip() or _CONTROL.search(url) or any(ch.isspace() for ch in url):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in _SAFE_SCHEMES else None
