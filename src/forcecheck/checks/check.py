"""Running scenario files' ``expect:`` blocks as tests (``forcecheck check``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forcecheck.checks.expect import Mismatch, check_expectations
from forcecheck.engine.evaluation import ScenarioResult, evaluate_scenario
from forcecheck.load.library import policy_for_scenario, shipped
from forcecheck.load.reader import input_files
from forcecheck.load.scenario_loader import load_scenario


@dataclass
class CheckReport:
    """What ``check`` found: files that passed, mismatches of those that failed, skips."""

    passed: list[str] = field(default_factory=list)
    failures: dict[str, list[Mismatch]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    #: Every scenario evaluated (passed or failed), in file order: what coverage counts.
    results: list[ScenarioResult] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """How many files failed."""
        return len(self.failures)

    def lines(self) -> list[str]:
        """One line per mismatch, then the summary line."""
        out = [f"{m.location}: {m}" for mismatches in self.failures.values() for m in mismatches]
        summary = f"{len(self.passed)} passed, {self.failed} failed"
        if self.skipped:
            summary += f", {len(self.skipped)} skipped"
        return [*out, summary]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON."""
        return {
            "passed": self.passed,
            "failed": [
                {
                    "path": path,
                    "mismatches": [
                        {
                            "line": m.location.line,
                            "col": m.location.col,
                            "account": m.account,
                            "discharge": m.discharge,
                            "subject": m.subject,
                            "expected": m.expected,
                            "got": m.got,
                        }
                        for m in mismatches
                    ],
                }
                for path, mismatches in self.failures.items()
            ],
            "skipped": self.skipped,
            "summary": {"passed": len(self.passed), "failed": self.failed},
        }


def check_paths(paths: Iterable[Path]) -> CheckReport:
    """Evaluate every scenario under ``paths`` and compare it with its ``expect:`` block.

    Invalid files raise (the CLI reports them with exit code 3), as ``evaluate`` would.
    """
    library = shipped()
    report = CheckReport()
    for path in input_files(paths):
        scenario = load_scenario(path, library.vocabulary)
        if scenario.spec.expect is None:
            report.skipped.append(str(path))
            continue
        result = evaluate_scenario(scenario, policy_for_scenario(scenario, library))
        report.results.append(result)
        mismatches = check_expectations(result)
        if mismatches:
            report.failures[str(path)] = mismatches
        else:
            report.passed.append(str(path))
    return report
