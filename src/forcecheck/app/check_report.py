"""``forcecheck check``: run scenario files' ``expect:`` blocks, with rule coverage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from forcecheck.checks.check import check_paths
from forcecheck.checks.coverage import PolicyCoverage
from forcecheck.checks.expect import CheckReport


@dataclass(frozen=True)
class CheckRun:
    """What ``check`` found, and the rule coverage when asked for."""

    report: CheckReport
    coverage: list[PolicyCoverage] | None

    @property
    def incomplete(self) -> tuple[str, ...]:
        """The policies not driven to every status on every rule (with coverage)."""
        return tuple(c.policy.id for c in self.coverage or () if not c.full)

    @property
    def full_coverage(self) -> bool:
        """Whether coverage was measured, some policy was evaluated, and all of it full."""
        return bool(self.coverage) and not self.incomplete


def check_run(paths: Sequence[Path], coverage: bool = False) -> CheckRun:
    """Check every scenario under ``paths``; raises InputError on an invalid file."""
    from forcecheck.checks.coverage import coverage as rule_coverage

    report = check_paths(paths)
    covered = rule_coverage(report.results) if coverage else None
    return CheckRun(report, covered)
