"""``forcecheck questions``: the open facts that could still decide each outcome."""

from __future__ import annotations

import sys

from forcecheck.cli.application import guard
from forcecheck.cli.options import (
    AccountFilterOption,
    Format,
    FormatOption,
    PolicyOverrideOption,
    ScenarioArgument,
    TableFormatOption,
)


def questions(
    file: ScenarioArgument,
    account: AccountFilterOption = None,
    policy: PolicyOverrideOption = None,
    format: FormatOption = Format.table,
    table_format: TableFormatOption = "simple_grid",
) -> None:
    """What to ask next: the open facts that could still decide each account's outcome.

    For an undetermined outcome: each unknown or not-addressed fact that could settle it,
    as a plain question, ranked (a fact that settles it alone first), with the policy rule
    it tests; then the smallest sets of facts whose answers settle it. For a determined
    outcome: the facts it rests on.
    """
    with guard():
        from forcecheck.app.questions_report import questions_report
        from forcecheck.render.questions_view import render_questions, render_questions_json

        report = questions_report(file, account, policy)
        if format is Format.json:
            sys.stdout.write(
                render_questions_json(
                    report.scenario, report.questions, report.result, report.readings, report.layers
                )
            )
        else:
            sys.stdout.write(
                render_questions(
                    report.scenario,
                    report.questions,
                    table_format,
                    report.result,
                    report.readings,
                    report.layers,
                )
            )
