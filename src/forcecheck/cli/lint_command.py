"""``forcecheck lint``: check policies and scenarios statically."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from forcecheck.cli.application import EXIT_FAILED, EXIT_INPUT, guard


def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Policy, vocabulary or scenario files or directories. "
            "Default: the policy directory (the shipped policies, or --policies-dir)."
        ),
    ] = None,
) -> None:
    """Check policies and scenarios statically; one line per problem, with file and line.

    Verbatim quotes must appear word for word in policy/sources/; unused, constant and
    never-decisive rules are warned about. Every file is checked, even after one that does
    not load. Exits 3 when a file does not load (each such error is followed by its help:
    line), else 1 when any other error is found.
    """
    with guard():
        from forcecheck.app.library_report import lint_report

        diagnostics = lint_report(paths)
        for diagnostic in diagnostics:
            typer.echo(diagnostic.render())
        errors = sum(d.severity == "error" for d in diagnostics)
        warnings = len(diagnostics) - errors
        typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
        if any(d.unloadable for d in diagnostics):
            raise typer.Exit(EXIT_INPUT)
        if errors:
            raise typer.Exit(EXIT_FAILED)
