"""Making untrusted text safe to show: in a terminal, in Markdown, in HTML.

Scenario files come from the public, and reports get published. Every piece of text taken
from an input file (titles, quotes, notes, source names, URLs, account names) passes through
one of these functions on its way into output:

* :func:`terminal` — plain text and tables: no control characters, no escape sequences
  (which could recolour, retitle or rewrite a terminal), no bidirectional overrides (which
  could make text read differently from what it is).
* :func:`markdown_inline` and :func:`markdown_cell` — Markdown text: every character that
  could start emphasis, a link, an image, HTML, a heading, a list, a table cell or code is
  backslash-escaped, so the text renders as exactly what was written.
* :func:`html_text` and :func:`html_attribute` — HTML: ``& < > " '`` as entities.
* :func:`safe_url` — a URL only if it is ``http``, ``https`` or ``mailto`` (never
  ``javascript:`` or ``data:``), for use in a link.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

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
#: controls (embeddings, overrides, isolates) that can reorder how a line reads.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: What a removed control character is shown as, so a reader sees something was there.
REPLACEMENT = "\ufffd"


def terminal(text: str) -> str:
    """``text`` safe for a terminal: escape sequences removed, other controls replaced.

    Newline and tab are kept; a carriage return (which could overwrite a line) is not.
    """
    return _CONTROL.sub(REPLACEMENT, _ESCAPE_SEQUENCE.sub("", text))


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


# Every ASCII punctuation character may be backslash-escaped in CommonMark and GFM. These can
# mean something anywhere in a line (parentheses only after `]`, which is escaped) ...
_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]<>!|~&$:#])")
# ... and these only at the start of one (lists, headings, quotes, setext underlines).
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def markdown_inline(text: str) -> str:
    """``text`` as literal Markdown inline text, on one line.

    Backslash-escapes everything that could be markup: emphasis (``* _ ~``), code
    (`````), links and images (``[ ] !``), HTML and autolinks (``< > :``), entities
    (``&``), table cells (``|``), maths (``$``), and a list marker, heading, quote or
    underline at the start. Line breaks become spaces, so the text cannot start a block
    of its own.
    """
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", one_line(terminal(text)))
    # Only punctuation can be escaped: "1." becomes "1\\." (a backslash before a digit is
    # shown as a backslash).
    return _MARKDOWN_LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], escaped)


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


def markdown_link(text: str, url: str | None) -> str:
    """A Markdown link to ``url`` showing ``text``; just the text if the URL is unsafe."""
    label = markdown_inline(text)
    target = safe_url(url) if url else None
    if target is None:
        return label
    # Inside <...> a link destination may hold anything but < > and line breaks.
    return f"[{label}](<{target.replace('<', '%3C').replace('>', '%3E')}>)"
