"""``forcecheck facts``: the codebook, how to code each fact and what reads it."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from forcecheck.cli.application import guard
from forcecheck.cli.options import ReportFormat


def facts(
    ids: Annotated[
        list[str] | None,
        typer.Argument(help="Fact ids to show (default: every fact).", show_default=False),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option("--topic", help="Only the facts of this topic (e.g. 'the vehicle')."),
    ] = None,
    format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="table (a block per fact), json or markdown."),
    ] = ReportFormat.table,
) -> None:
    """Show the fact codebook: each fact's question, rule of thumb, hard cases, exclusions.

    For coders setting a scenario's values: how to set each fact so that two careful coders
    set the same value, the known hard cases with the drill that shows each, the
    combinations no account may hold, and which rules of which policies read it.
    """
    with guard():
        from forcecheck.app.codebook import codebook
        from forcecheck.render.facts_view import (
            render_facts_json,
            render_facts_markdown,
            render_facts_text,
        )

        entries = codebook(ids or (), topic)
        if format is ReportFormat.json:
            sys.stdout.write(render_facts_json(entries))
        elif format is ReportFormat.markdown:
            sys.stdout.write(render_facts_markdown(entries))
        else:
            sys.stdout.write(render_facts_text(entries))
