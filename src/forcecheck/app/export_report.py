"""``forcecheck export``: a dataset across incidents, one row per evaluation.

A row is one scenario × account × discharge × policy: the outcome, every condition's
status, whether the policy bound the incident, and the account's sources. By default each
scenario is judged under every layer that bound (or may have bound) it, as ``evaluate``
does; ``policies`` names others.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from forcecheck.analysis.report_data import ExportRow
from forcecheck.app.resolution import binding_state, resolve_scenario
from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.load.reader import input_files


def export_rows(paths: Sequence[Path], policies: Sequence[str] | None = None) -> list[ExportRow]:
    """Every evaluation of every scenario under ``paths``, in file order."""
    rows: list[ExportRow] = []
    for file in input_files(paths):
        resolved = resolve_scenario(file, policies=policies)
        scenario = resolved.scenario
        for binding in resolved.bindings:
            shown = "may" if binding.uncertain else binding_state(scenario, binding.policy)[0]
            result = evaluate_scenario(scenario, binding.policy)
            for account in result.accounts:
                rows += [
                    ExportRow(
                        scenario, account.name, account.account, moment, binding.policy, shown
                    )
                    for moment in account.results
                ]
    return rows
