"""The ``forcecheck`` command line: the only module that prints or exits.

Every command is a thin layer over a library call. Exit codes (see docs/errors.md):
0 ran (and, for checks, everything passed); 1 a check failed; 2 usage error;
3 invalid input; 4 internal error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import InputError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_INTERNAL = 4

app = typer.Typer(
    name="forcecheck",
    help="Check uses of deadly force against the written policy that governs them.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}


class Format(StrEnum):
    """Output formats of ``evaluate``."""

    table = "table"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"forcecheck {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a Python traceback for internal errors.")
    ] = False,
) -> None:
    """Check uses of deadly force against the written policy that governs them."""
    _state["debug"] = debug


@contextmanager
def _guard() -> Iterator[None]:
    """Turn library errors into one message and an exit code; never a traceback."""
    try:
        yield
    except InputError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if _state["debug"]:
            raise
        typer.echo(
            f"error: internal error: {type(exc).__name__}: {exc}\n"
            "help: this is a bug in forcecheck; run again with --debug for the traceback "
            "and report it",
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="A scenario file (YAML or JSON).")],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format: table or json.")
    ] = Format.table,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy id (e.g. dhs-2023) or path to a policy file; overrides the scenario's.",
        ),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option("--account", "-a", help="Evaluate only this account of the scenario."),
    ] = None,
    table_format: Annotated[
        str,
        typer.Option(
            "--table-format",
            help="Any tabulate table format for the table output (e.g. github, grid, plain).",
        ),
    ] = "simple_grid",
) -> None:
    """Evaluate a scenario: the outcome per account and discharge, and every condition.

    For each condition the report gives its status (met, unmet or unknown), a short
    reason and the policy's own words. Exits 0 whatever the outcome.
    """
    with _guard():
        from .evaluation import evaluate_scenario
        from .expect import validate_expectations
        from .library import policy_for_scenario, shipped
        from .scenario import load_scenario

        library = shipped()
        scenario = load_scenario(file, library.vocabulary)
        chosen = policy_for_scenario(scenario, library, policy)
        validate_expectations(scenario, chosen)
        result = evaluate_scenario(scenario, chosen, account)
        if format is Format.json:
            from .render.json_report import render_json

            text = render_json(result)
        else:
            from .render.table import render_table

            text = render_table(result, table_format)
        sys.stdout.write(text)


def main() -> None:
    """Entry point of the ``forcecheck`` console script."""
    app()
