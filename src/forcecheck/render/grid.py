"""The one place tables are drawn (tabulate): every cell escaped for the format asked for.

``--table-format`` passes any tabulate format through. Most draw plain text, where a cell
needs only to be terminal-safe; some emit markup that a reader's tool will render:
``unsafehtml`` writes cells into HTML unescaped, and ``github`` and ``pipe`` write Markdown
tables, where a ``|`` splits a cell and ``<img onerror=…>`` is raw HTML. Cells and headers
are escaped here for what the format emits, so no caller can forget.
"""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

from forcecheck.render.escape import html_text, markdown_cell, terminal

#: Formats whose cells a renderer takes as HTML or Markdown, and the escaping each needs.
_MARKUP_CELLS = {"unsafehtml": html_text, "github": markdown_cell, "pipe": markdown_cell}


def cell_text(text: object, fmt: str) -> object:
    """``text`` as the content of one cell of a ``fmt`` table; numbers stay numbers."""
    return _MARKUP_CELLS.get(fmt, terminal)(text) if isinstance(text, str) else text


def grid(
    rows: Sequence[Sequence[object]],
    headers: Sequence[str],
    fmt: str,
    maxcolwidths: list[int | None] | list[int] | None = None,
) -> str:
    """A tabulate table of text cells; numbers in cells ("2.1") are never reformatted."""
    return tabulate(
        [[cell_text(cell, fmt) for cell in row] for row in rows],
        headers=[str(cell_text(header, fmt)) for header in headers],
        tablefmt=fmt,
        maxcolwidths=maxcolwidths,
        disable_numparse=True,
    )
