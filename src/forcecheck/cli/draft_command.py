"""``forcecheck draft``: a draft account from an agency's statement or a court filing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from forcecheck.cli.application import emit, guard
from forcecheck.cli.options import ForceOption, OutputOption, PolicyOverrideOption, table_format


def draft(
    statement: Annotated[
        Path,
        typer.Argument(
            help="The statement: a UTF-8 text file, or - for standard input.", metavar="STATEMENT"
        ),
    ],
    policy: PolicyOverrideOption = None,
    lexicon: Annotated[
        Path | None,
        typer.Option(
            "--lexicon",
            help="A phrase lexicon of one's own instead of the shipped policy/lexicon.yaml.",
            metavar="FILE",
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Do not print the table of matches on stderr."),
    ] = False,
    table_format_: Annotated[
        str,
        typer.Option(
            "--table-format",
            help="Any tabulate table format for the table of matches (e.g. github, plain).",
            callback=table_format,
        ),
    ] = "simple",
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Draft an account from a statement's words: a scenario file to edit.

    Each fact value the words clearly give is proposed with the sentence that gives it
    (quoted verbatim, with its number and its characters in the text) and the words that
    matched; each stated conclusion ("fearing for his life", "weaponized her vehicle")
    goes under `conclusions:` with the condition it claims. Facts the statement does not
    address are left out. Sentences that report someone else's claim ("witnesses said")
    or hedge ("it is unclear whether") are shown, never proposed. The matching is the
    phrase lexicon's (policy/lexicon.yaml), nothing else. The YAML goes to standard output
    (or --output); the table of what matched which words to standard error. Pipe it on:
    `forcecheck draft s.txt | forcecheck questions -`.
    """
    with guard():
        from forcecheck.app.draft_report import draft_report
        from forcecheck.render.draft_view import draft_table, draft_yaml

        report = draft_report(statement, policy, lexicon)
        text = draft_yaml(report.draft, report.statement, report.policy_ref, report.lexicon)
        emit(text, output, force)
        if not quiet:
            sys.stdout.flush()
            sys.stderr.write(draft_table(report.draft, table_format_))
