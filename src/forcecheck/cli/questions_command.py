"""``forcecheck questions``: the open facts that could still decide each outcome."""

from __future__ import annotations

from forcecheck.cli.application import emit, guard
from forcecheck.cli.options import (
    AccountFilterOption,
    DocumentFormat,
    DocumentFormatOption,
    ForceOption,
    OutputOption,
    PolicyOverrideOption,
    ScenarioArgument,
    TableFormatOption,
)


def questions(
    file: ScenarioArgument,
    account: AccountFilterOption = None,
    policy: PolicyOverrideOption = None,
    format: DocumentFormatOption = DocumentFormat.table,
    table_format: TableFormatOption = "simple_grid",
    output: OutputOption = None,
    force: ForceOption = False,
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
        if format is DocumentFormat.json:
            text = render_questions_json(
                report.scenario, report.questions, report.result, report.readings, report.layers
            )
        elif format is DocumentFormat.markdown:
            from forcecheck.render.markdown_questions import render_questions_markdown

            text = render_questions_markdown(report.scenario, report.questions, report.layers)
        else:
            text = render_questions(
                report.scenario,
                report.questions,
                table_format,
                report.result,
                report.readings,
                report.layers,
            )
        emit(text, output, force)
