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
            help="Policy ids or paths to policy files. Default: every policy of the policy "
            "directory (the shipped policies, or --policies-dir).",
            metavar="[POLICY]...",
        ),
    ] = None,
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
    strict_layers: Annotated[
        bool,
        typer.Option(
            "--strict-layers",
            help="Also exit 1 when a policy falls below a floor that binds with it "
            "(authorizes on facts where the regulation or the Constitution does not).",
        ),
    ] = False,
) -> None:
    """Prove every property of each policy over every combination of fact values.

    Each declared property, plus the built-in monotonicity and soundness, is decided over
    all true/false/unknown fact sets of the vocabulary's facts (symbolically, not by
    sampling). A violated property is shown with a minimal counterexample: a scenario file
    that `forcecheck evaluate` runs. Exits 1 when any property is violated or vacuous.

    Across layers, each policy is checked against every floor (the regulation, the
    Constitution) that can bind the same agency on the same day: a fact set on which the
    policy authorizes and the floor does not, or is undetermined, is shown as a scenario.
    These are reported, not failed, unless --strict-layers is given.
    """
    with guard():
        from forcecheck.app.library_report import layers_report, verify_report
        from forcecheck.render.verify_view import render_verification, render_verification_json

        verified = verify_report(policies)
        layers = layers_report(policies)
        if format is Format.json:
            sys.stdout.write(render_verification_json(verified, layers))
        else:
            sys.stdout.write(render_verification(verified, table_format, layers))
        below = any(check.below for check, _, _ in layers)
        if any(verification.failed for verification, _ in verified) or (strict_layers and below):
            raise typer.Exit(EXIT_FAILED)
