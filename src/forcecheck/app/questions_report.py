"""``forcecheck questions``: what to ask next about each account of a scenario."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forcecheck.analysis import Questions
from forcecheck.app.resolution import resolve_scenario
from forcecheck.model.scenario import Scenario


@dataclass(frozen=True)
class QuestionsReport:
    """Each evaluated account's questions, in scenario order."""

    scenario: Scenario
    questions: tuple[Questions, ...]


def questions_report(
    file: Path, account: str | None = None, policy: str | None = None
) -> QuestionsReport:
    """The questions for ``account`` (default: every account); raises InputError on bad input."""
    from forcecheck.analysis import questions_for
    from forcecheck.engine.evaluation import evaluate_scenario

    resolved = resolve_scenario(file, policy)
    result = evaluate_scenario(resolved.scenario, resolved.policy, account)
    found = tuple(questions_for(resolved.policy, a) for a in result.accounts)
    return QuestionsReport(resolved.scenario, found)
