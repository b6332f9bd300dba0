"""Running scenario files' ``expect:`` blocks as tests (``forcecheck check``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from forcecheck.checks.expect import CheckReport, check_expectations
from forcecheck.engine.evaluation import ScenarioResult, evaluate_layers
from forcecheck.load.library import Library, active, scenario_layers
from forcecheck.load.reader import input_files
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.model.scenario import Scenario


def evaluate_for_expectations(
    scenario: Scenario, library: Library, account: str | None = None
) -> ScenarioResult:
    """``scenario`` under every layer it is judged by, as ``evaluate`` reports them.

    The main layer first (the expectations' outcome and conditions are its); an ``expect``
    block may name the others (``layers``).
    """
    bindings = scenario_layers(scenario, library)
    return evaluate_layers(
        scenario,
        [b.policy for b in bindings],
        account,
        uncertain=[b.uncertain for b in bindings],
    )


def check_paths(paths: Iterable[Path], library: Library | None = None) -> CheckReport:
    """Evaluate every scenario under ``paths`` and compare it with its ``expect:`` block.

    Scenarios are read against ``library`` (default: the active one). Invalid files raise
    (the CLI reports them with exit code 3), as ``evaluate`` would.
    """
    library = library or active()
    report = CheckReport()
    for path in input_files(paths):
        scenario = load_scenario(path, library.vocabulary)
        if scenario.spec.expect is None:
            report.skipped.append(str(path))
            continue
        result = evaluate_for_expectations(scenario, library)
        report.results.append(result)
        mismatches = check_expectations(result)
        if mismatches:
            report.failures[str(path)] = mismatches
        else:
            report.passed.append(str(path))
    return report
