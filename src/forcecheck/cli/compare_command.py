"""``forcecheck compare``: evaluations side by side, marking where they differ."""

from __future__ import annotations

from typing import Annotated

import typer

from forcecheck.cli.application import emit, guard
from forcecheck.cli.options import (
    ForceOption,
    OutputOption,
    ReportFormat,
    ReportFormatOption,
    ScenarioArgument,
    TableFormatOption,
    names,
)


def compare(
    file: ScenarioArgument,
    policies: Annotated[
        str | None,
        typer.Option(
            "--policies",
            help="Comma-separated policy ids or paths: compare one account across them. "
            "`all`: every layer that binds (or may bind) the scenario's agency on its date; "
            "every policy when it gives no date and agency. Without it, compare the "
            "scenario's accounts under one policy.",
        ),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option("--policy", "-p", help="The policy for comparing accounts."),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            "-a",
            help="Comma-separated accounts to compare (default: every account). With "
            "--policies: the one account to compare across policies (default: the first).",
        ),
    ] = None,
    format: ReportFormatOption = ReportFormat.table,
    table_format: TableFormatOption = "simple_grid",
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Show evaluations side by side, marking (≠) where conditions or outcomes differ.

    With --policies a,b,...: one account under each policy (--policies all: every layer that
    binds the scenario's agency on its date, a layer that only may bind marked so). Without:
    every account of the scenario under one policy.
    """
    with guard():
        from forcecheck.app.compare_report import compare_report

        accounts = names(account, "--account")
        refs = names(policies, "--policies")
        if refs is not None and accounts is not None and len(accounts) > 1:
            raise typer.BadParameter(
                "with --policies, --account names one account", param_hint="--account"
            )
        html = format is ReportFormat.html
        report = compare_report(file, refs, policy, accounts, page=html)
        if format is ReportFormat.json:
            from forcecheck.render.compare_view import render_comparison_json

            text = render_comparison_json(report.comparison)
        elif format is ReportFormat.markdown:
            from forcecheck.render.markdown_compare import render_comparison_markdown

            text = render_comparison_markdown(report)
        elif html:
            from forcecheck.render.html import render_comparison_html

            text = render_comparison_html(report)
        else:
            from forcecheck.render.compare_view import render_comparison

            text = render_comparison(report.comparison, table_format)
        emit(text, output, force)
