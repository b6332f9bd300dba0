"""The building blocks of the HTML report: code, tables, sections, cited links.

Every piece of text passes through :func:`forcecheck.render.escape.html_text` (``e``) on its
way in; a link only through ``safe_url``.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

from forcecheck.render.escape import html_attribute, html_text, safe_url

e = html_text


def code(text: str) -> str:
    """An identifier from a file (account, fact, rule) as ``<code>``, escaped."""
    return f"<code>{e(text)}</code>"


def published_path(path: str) -> str:
    """A scenario's path as a published page may show it: as given, unless it is absolute.

    A relative path stays as the command line gave it (``scenarios/x.yaml``,
    ``../cases/x.yaml``); an absolute one (``/home/alice/cases/x.yaml``, ``C:/Users/...``)
    would publish the layout of the machine that made the page, so only its file name is
    shown.
    """
    posix, windows = PurePosixPath(path), PureWindowsPath(path)
    if posix.is_absolute():
        return posix.name or path
    if windows.drive or windows.is_absolute():
        return windows.name or path
    return path


def table(
    caption: str,
    headers: list[str],
    rows: list[list[str]],
    row_classes: list[str] | None = None,
    table_class: str = "",
) -> str:
    """A table with a caption, column headers, and the first cell of each row as its header.

    Cells are HTML already (callers escape what they put in them). ``table_class`` is the
    table's class, for a table the stylesheet lays out its own way (``compare``).
    """
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = []
    for index, row in enumerate(rows):
        css = (row_classes or [""] * len(rows))[index]
        cells = f'<th scope="row">{row[0]}</th>' + "".join(f"<td>{c}</td>" for c in row[1:])
        body.append(f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    opening = f'<table class="{table_class}">' if table_class else "<table>"
    # Wide tables scroll sideways on a narrow screen instead of overflowing the page.
    return (
        f'<div class="wide">{opening}<caption>{caption}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def section(anchor: str, title: str, body: str) -> str:
    """A titled section of the page, with the anchor the contents link to."""
    return f'<section aria-labelledby="h-{anchor}"><h2 id="h-{anchor}">{title}</h2>{body}</section>'


def cite(title: str, url: str | None) -> str:
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
