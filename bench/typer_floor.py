"""A typer command with ``evaluate``'s options that does nothing: the start-up floor.

typer builds a pydantic adapter for every option on every run, so a command that only
parses its options already costs more than importing the libraries. The benchmark times
this beside ``forcecheck evaluate`` to show what is forcecheck's own start-up.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import tabulate  # noqa: F401  (imported by forcecheck evaluate too)
import typer
import yaml  # noqa: F401

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


class Format(StrEnum):
    """As in forcecheck."""

    table = "table"
    json = "json"


@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug")] = False) -> None:
    """Root."""


@app.command()
def evaluate(
    file: Annotated[Path | None, typer.Argument()] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    policy: Annotated[str | None, typer.Option("--policy", "-p")] = None,
    account: Annotated[str | None, typer.Option("--account", "-a")] = None,
    table_format: Annotated[str, typer.Option("--table-format")] = "simple_grid",
    batch: Annotated[Path | None, typer.Option("--batch")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j")] = None,
    conditions: Annotated[bool, typer.Option("--conditions")] = False,
) -> None:
    """Parse the options and stop."""
    sys.stdout.write("\n")


@app.command()
def other() -> None:
    """A second command, so that typer keeps the command group."""


if __name__ == "__main__":
    app()
