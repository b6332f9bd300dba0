"""The text of ``forcecheck evaluate FILE``: the application's report, rendered.

One function, shared by the typer command and the start-up fast path
(:mod:`forcecheck.cli.fast_path`), so that both give the very same report. Renderers are
imported only for the format asked for: tabulate, for one, only for tables. This module
itself imports nothing, so that the fast path can read :data:`REPORT_FORMATS` cheaply.
"""

from __future__ import annotations

from pathlib import Path

#: The report formats of ``evaluate``, as given on the command line.
REPORT_FORMATS = ("table", "json", "markdown", "html")


def evaluate_text(
    file: Path,
    format: str,
    policy: str | None = None,
    account: str | None = None,
    table_format: str = "simple_grid",
    full: bool = False,
) -> str:
    """The report of ``evaluate`` for a scenario file; raises InputError on bad input.

    ``policy`` overrides the scenario's own (as ``--policy``); ``account`` keeps one account;
    ``format`` is one of :data:`REPORT_FORMATS`; ``table_format`` is a tabulate format;
    ``full``: a table report prints every table after its summary (without it, a scenario
    with several accounts or layers prints the summary alone; the other formats are whole).
    """
    from forcecheck.app.evaluate_report import evaluate_report

    report = evaluate_report(file, format, policy, account)
    if format == "json":
        from forcecheck.render.json_report import render_json

        return render_json(report)
    if format == "markdown":
        from forcecheck.render.markdown import render_markdown

        return render_markdown(report)
    if format == "html":
        from forcecheck.render.html import render_report_html

        return render_report_html(report)
    from forcecheck.render import table

    # Looked up at call time: a test replaces the renderer to see a failure handled.
    return table.render_table(report, table_format, full=True if full else None)
