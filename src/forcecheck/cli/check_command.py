"""``forcecheck check``: run scenario files' ``expect:`` blocks like tests."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from forcecheck.cli.application import EXIT_FAILED, guard
from forcecheck.cli.options import Format, FormatOption, TableFormatOption
from forcecheck.render.check_view import check_json, check_lines


def check(
    paths: Annotated[
        list[Path], typer.Argument(help="Scenario files or directories (searched recursively).")
    ],
    format: FormatOption = Format.table,
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="After the results, report which statuses (met, unmet, unknown) the "
            "scenarios drove each rule of each policy to, and the first scenario that did.",
        ),
    ] = False,
    require_full_coverage: Annotated[
        bool,
        typer.Option(
            "--require-full-coverage",
            help="Implies --coverage; also exit 1 unless every rule was driven to met, "
            "unmet and unknown.",
        ),
    ] = False,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """Run the `expect:` blocks of scenario files like tests; exit 1 if any fails.

    Every mismatch is reported as `path:line:col: expected X, got Y`, all of them, then a
    summary line `N passed, N failed`. Files without `expect:` are skipped. With
    --coverage, a table per policy follows; coverage alone never changes the exit code.
    """
    with guard():
        import json

        from forcecheck.app.check_report import check_run

        run = check_run(paths, coverage or require_full_coverage)
        report, covered = run.report, run.coverage
        if format is Format.json:
            data = check_json(report)
            if covered is not None:
                from forcecheck.render.coverage_view import coverage_json

                data["coverage"] = coverage_json(covered)
            sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        else:
            for line in check_lines(report):
                typer.echo(line)
            if covered is not None:
                from forcecheck.render.coverage_view import render_coverage

                sys.stdout.write("\n" + render_coverage(covered, table_format))
        short = require_full_coverage and not run.full_coverage
        if short:
            typer.echo(
                "error: coverage is not full for: "
                + (", ".join(run.incomplete) or "no policy (no scenario was evaluated)"),
                err=True,
            )
        if report.failed or short:
            raise typer.Exit(EXIT_FAILED)
