"""``forcecheck report``: the HTML report of a scenario, for a browser or a projector."""

from __future__ import annotations

from forcecheck.cli.evaluate_command import evaluate
from forcecheck.cli.options import (
    AccountFilterOption,
    ForceOption,
    OutputOption,
    PolicyOverrideOption,
    ReportFormat,
    ScenarioArgument,
)


def report(
    file: ScenarioArgument,
    output: OutputOption = None,
    force: ForceOption = False,
    policy: PolicyOverrideOption = None,
    account: AccountFilterOption = None,
) -> None:
    """Write a scenario's report as one self-contained HTML page (no network needed).

    The page shows each account's outcome as a badge, the timeline of discharges, the
    disputed facts (decisive ones marked), the questions to ask, every condition as a
    tree, and every policy quote with its section and source; it prints cleanly to PDF.
    Its what-if panel lets a reader set any fact to true, false or unknown and see the
    conditions and outcome update at once. Same as `evaluate --format html`.
    """
    evaluate(
        file=file,
        format=ReportFormat.html,
        policy=policy,
        account=account,
        table_format="simple_grid",
        output=output,
        force=force,
        batch=None,
        jobs=None,
        conditions=False,
    )
