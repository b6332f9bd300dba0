"""``forcecheck export``: a dataset across incidents, as CSV or JSON Lines."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from forcecheck.cli.application import guard
from forcecheck.cli.options import names


class ExportFormat(StrEnum):
    """Formats of ``export``."""

    csv = "csv"
    jsonl = "jsonl"


def export(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Scenario files or directories (searched recursively).", show_default=False
        ),
    ],
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv or jsonl (JSON Lines).")
    ] = ExportFormat.csv,
    policies: Annotated[
        str | None,
        typer.Option(
            "--policies",
            help="Comma-separated policy ids or paths to judge every scenario under (all: "
            "every policy). Default: each scenario's binding layers, as evaluate shows them.",
        ),
    ] = None,
    output: Annotated[
        str,
        typer.Option("--output", "-o", help="File to write (- for standard output)."),
    ] = "-",
    force: Annotated[bool, typer.Option("--force", help="Replace --output if it exists.")] = False,
) -> None:
    """Write a dataset across incidents: one row per scenario, account, discharge and policy.

    Each row has the outcome, every condition's status (a `condition:<id>` column each),
    whether the policy bound the incident on its date (`in_force`: yes, no, may, unknown),
    the account's status and the sources its values rest on. Load it with pandas or
    DuckDB (docs/reporting.md).
    """
    with guard():
        from forcecheck.app.export_report import export_rows
        from forcecheck.cli.output import write_atomic
        from forcecheck.render.export_view import render_csv, render_jsonl

        chosen = names(policies, "--policies")
        rows = export_rows(paths, chosen)
        render = render_csv if format is ExportFormat.csv else render_jsonl
        write_atomic(output, render(rows), force=force)
        if output != "-":
            typer.echo(f"Wrote {output}: {len(rows)} rows.", err=True)
