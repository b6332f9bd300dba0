"""Options and arguments several commands share, with the checks typer runs on them."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    """Output formats of the commands that print a table or JSON."""

    table = "table"
    json = "json"


class DocumentFormat(StrEnum):
    """Output formats of the analyses a reporter may paste into a draft (questions, whatif)."""

    table = "table"
    json = "json"
    markdown = "markdown"


class ReportFormat(StrEnum):
    """Output formats of the reports (``evaluate`` and ``compare``)."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


def table_format(value: str) -> str:
    """Check a ``--table-format`` value against tabulate's formats."""
    from forcecheck.render.table import table_formats

    if value not in table_formats():
        raise typer.BadParameter(f"unknown table format; use one of: {', '.join(table_formats())}")
    return value


def policy_ref(value: str | None) -> str | None:
    """Check a ``--policy`` value: a policy id or path, not blank."""
    if value is not None and not value.strip():
        raise typer.BadParameter("give a policy id (e.g. dhs-2023) or a path")
    return value


def names(value: str | None, option: str) -> tuple[str, ...] | None:
    """A comma-separated option's names, in order and without repeats; None when not given."""
    if value is None:
        return None
    found = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    if not found:
        raise typer.BadParameter(
            "names nothing; give one or more, separated by commas", param_hint=option
        )
    return found


ScenarioArgument = Annotated[
    Path, typer.Argument(help="A scenario file (YAML or JSON).", metavar="FILE")
]
PolicyOverrideOption = Annotated[
    str | None,
    typer.Option(
        "--policy",
        "-p",
        help="Policy id or path; overrides the scenario's.",
        callback=policy_ref,
    ),
]
AccountFilterOption = Annotated[
    str | None,
    typer.Option("--account", "-a", help="Only this account (default: every account)."),
]
ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, json, markdown (a document to paste into a draft) or html "
        "(a self-contained page with a what-if panel; see `forcecheck report`).",
        case_sensitive=False,
    ),
]
FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format: table or json.", case_sensitive=False),
]
DocumentFormatOption = Annotated[
    DocumentFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, json or markdown (a document to paste into a draft).",
        case_sensitive=False,
    ),
]
TableFormatOption = Annotated[
    str,
    typer.Option(
        "--table-format",
        help="Any tabulate table format for tables (e.g. github, grid, plain).",
        callback=table_format,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to this file (atomically) instead of standard output.",
        metavar="FILE",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="With --output: replace the file if it exists.")
]
