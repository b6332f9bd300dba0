"""``forcecheck evaluate``: a scenario's report, or many minimal scenarios with --batch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from forcecheck.cli.application import emit, guard
from forcecheck.cli.options import (
    ForceOption,
    OutputOption,
    ReportFormat,
    ReportFormatOption,
    TableFormatOption,
    policy_ref,
)


def evaluate(
    file: Annotated[
        Path | None,
        typer.Argument(help="A scenario file (YAML or JSON).", metavar="FILE", show_default=False),
    ] = None,
    format: ReportFormatOption = ReportFormat.table,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy id (e.g. dhs-2023) or path to a policy file; overrides the scenario's.",
            callback=policy_ref,
        ),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option("--account", "-a", help="Evaluate only this account of the scenario."),
    ] = None,
    table_format: TableFormatOption = "simple_grid",
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="As a table: every condition, the facts given, citations and sources after "
            "the summary, and each other layer's conditions not met, with their reasons. "
            "Without it, a scenario with several accounts or binding layers "
            "prints the summary alone (Markdown, HTML and JSON are always whole).",
        ),
    ] = False,
    output: OutputOption = None,
    force: ForceOption = False,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            help="Evaluate a JSON Lines file (- for stdin) of minimal scenarios instead of "
            "FILE: one JSON result per line, in order; exits 1 if any line failed.",
            metavar="JSONL",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="With --batch: worker processes (default: all cores)."
        ),
    ] = None,
    conditions: Annotated[
        bool,
        typer.Option("--conditions", help="With --batch: every condition's status per line."),
    ] = False,
) -> None:
    """Evaluate a scenario: the outcome per account and discharge, and every condition.

    The report opens with a summary: each account's outcome under each binding policy,
    what each undetermined outcome turns on, and the disputed facts that matter. Then, for
    each condition, its status (met, unmet or unknown), a short reason and the policy's own
    words (as a table, with --full when the scenario has several accounts or layers).
    Exits 0 whatever the outcome.

    With --batch, evaluates many minimal scenarios, one JSON object per line
    ({"policy": ..., "facts": {...}}), and writes one JSON result per line (see
    docs/performance.md).
    """
    if (file is None) == (batch is None):
        raise typer.BadParameter("give a scenario FILE, or --batch JSONL, but not both")
    if batch is not None and account is not None:
        raise typer.BadParameter("--account does not apply to --batch (one account per line)")
    if batch is not None and output is not None:
        raise typer.BadParameter("--output applies to a scenario FILE; redirect --batch output")
    if batch is not None and full:
        raise typer.BadParameter("--full applies to a scenario FILE, not to --batch")
    if batch is None and (jobs is not None or conditions):
        raise typer.BadParameter("--jobs and --conditions apply only to --batch")
    if batch is not None:
        with guard():
            from forcecheck.cli.batch_command import run_batch_command
            from forcecheck.engine.batch import default_jobs

            code = run_batch_command(batch, policy, jobs or default_jobs(), conditions)
        raise typer.Exit(code)
    assert file is not None
    with guard():
        from forcecheck.cli.report_text import evaluate_text

        # The start-up fast path (forcecheck.cli.fast_path) calls the same function.
        text = evaluate_text(file, format.value, policy, account, table_format, full)
        emit(text, output, force)
