"""What ``forcecheck check`` prints: one line per mismatch, then a test runner's summary."""

from __future__ import annotations

from typing import Any

from forcecheck.checks.expect import CheckReport


def check_lines(report: CheckReport) -> list[str]:
    """One line per mismatch (``path:line:col: ...``), then ``N passed, N failed``."""
    out = [f"{m.location}: {m}" for mismatches in report.failures.values() for m in mismatches]
    summary = f"{len(report.passed)} passed, {report.failed} failed"
    if report.skipped:
        summary += f", {len(report.skipped)} skipped"
    return [*out, summary]


def check_json(report: CheckReport) -> dict[str, Any]:
    """The report as JSON (``check --format json``)."""
    return {
        "passed": report.passed,
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
            for path, mismatches in report.failures.items()
        ],
        "skipped": report.skipped,
        "summary": {"passed": len(report.passed), "failed": report.failed},
    }
