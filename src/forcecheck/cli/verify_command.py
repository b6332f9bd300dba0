"""``forcecheck verify``: prove each policy's declared and built-in properties."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from forcecheck.cli.application import EXIT_FAILED, guard
from forcecheck.cli.options import Format, FormatOption, TableFormatOption


def verify(
    policies: Annotated[
        list[str] | None,
        typer.Argument(
            help="Policy ids or paths to policy files. Default: every shipped policy.",
            metavar="[POLICY]...",
        ),
    ] = None,
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """Prove every property of each policy over every combination of fact values.

    Each declared property, plus the built-in monotonicity and soundness, is decided over
    all true/false/unknown fact sets of the vocabulary's facts (symbolically, not by
    sampling). A violated property is shown with a minimal counterexample: a scenario file
    that `forcecheck evaluate` runs. Exits 1 when any property is violated or vacuous.
    """
    with guard():
        from forcecheck.app.library_report import verify_report
        from forcecheck.render.verify_view import render_verification, render_verification_json

        verified = verify_report(policies)
        if format is Format.json:
            sys.stdout.write(render_verification_json(verified))
        else:
            sys.stdout.write(render_verification(verified, table_format))
        if any(verification.failed for verification, _ in verified):
            raise typer.Exit(EXIT_FAILED)
