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
from forcecheck.app.resolution import resolve_scenario
from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.load.library import binds, in_force_on
from forcecheck.load.reader import input_files
from forcecheck.model.dates import Uncertainty
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario


def export_rows(paths: Sequence[Path], policies: Sequence[str] | None = None) -> list[ExportRow]:
    """Every evaluation of every scenario under ``paths``, in file order."""
    rows: list[ExportRow] = []
    for file in input_files(paths):
        resolved = resolve_scenario(file, policies=policies)
        scenario = resolved.scenario
        for binding in resolved.bindings:
            shown = _in_force(scenario, binding.policy, binding.uncertain)
            result = evaluate_scenario(scenario, binding.policy)
            for account in result.accounts:
                rows += [
                    ExportRow(
                        scenario, account.name, account.account, moment, binding.policy, shown
                    )
                    for moment in account.results
                ]
    return rows


def _in_force(scenario: Scenario, policy: Policy, uncertain: Uncertainty | None) -> str:
    spec = scenario.spec
    if uncertain is not None:
        return "may"
    if spec.date is None:
        return "unknown"
    if spec.agency is not None:
        found = binds(policy, spec.agency, spec.date)
        return "may" if isinstance(found, Uncertainty) else "yes" if found else "no"
    in_force = in_force_on(policy, spec.date)
    return "unknown" if in_force is None else "yes" if in_force else "no"
