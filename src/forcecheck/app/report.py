"""The text of ``forcecheck evaluate FILE``: load, evaluate, render (no printing).

One function, shared by the typer command and the start-up fast path
(:mod:`forcecheck.__main__`), so that both give the very same report. Renderers are
imported only for the format asked for: tabulate, for one, only for tables.
"""

from __future__ import annotations

from pathlib import Path

#: The report formats of ``evaluate``, as given on the command line.
REPORT_FORMATS = ("table", "json", "markdown", "html")


def evaluate_report(
    file: Path,
    format: str,
    policy: str | None = None,
    account: str | None = None,
    table_format: str = "simple_grid",
) -> str:
    """The report of ``evaluate`` for a scenario file; raises InputError on bad input.

    ``policy`` overrides the scenario's own (as ``--policy``); ``account`` keeps one account;
    ``format`` is one of :data:`REPORT_FORMATS`; ``table_format`` is a tabulate format.
    """
    from forcecheck.analysis import validate_conclusions
    from forcecheck.checks.expect import validate_expectations
    from forcecheck.engine.evaluation import evaluate_layers
    from forcecheck.load.cache import load_scenario_cached
    from forcecheck.load.library import scenario_layers, shipped

    library = shipped()
    scenario = load_scenario_cached(file, library.vocabulary)
    layers = scenario_layers(scenario, library, policy)
    if policy is None:
        # Expectations are written for the scenario's own policy; under another one its
        # rule ids may simply not exist.
        validate_expectations(scenario, layers[0])
        validate_conclusions(scenario, layers[0])
    result = evaluate_layers(scenario, layers, account)
    if format == "json":
        from forcecheck.render.json_report import render_json

        return render_json(result)
    if format == "markdown":
        from forcecheck.render.markdown import render_markdown

        return render_markdown(result)
    if format == "html":
        from forcecheck.render.html import render_report_html

        return render_report_html(result)
    from forcecheck.render.table import render_table

    return render_table(result, table_format)
