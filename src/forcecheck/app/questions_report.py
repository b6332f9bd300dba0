"""``forcecheck questions``: what to ask next about each account of a scenario."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forcecheck.analysis import Questions
from forcecheck.analysis.questions import ReadingQuestions
from forcecheck.app.resolution import resolve_scenario
from forcecheck.engine.evaluation import ScenarioResult
from forcecheck.model.scenario import Scenario


@dataclass(frozen=True)
class QuestionsReport:
    """Each evaluated account's questions, in scenario order."""

    scenario: Scenario
    questions: tuple[Questions, ...]
    #: The evaluation the questions were asked of, with its readings (default reading).
    result: ScenarioResult | None = None
    #: For each alternative reading that decides otherwise, each account's added questions.
    readings: tuple[ReadingQuestions, ...] = ()


def questions_report(
    file: Path, account: str | None = None, policy: str | None = None
) -> QuestionsReport:
    """The questions for ``account`` (default: every account); raises InputError on bad input."""
    from forcecheck.analysis import questions_for
    from forcecheck.engine.evaluation import evaluate_scenario

    resolved = resolve_scenario(file, policy)
    result = evaluate_scenario(resolved.scenario, resolved.policy, account)
    found = tuple(questions_for(resolved.policy, a) for a in result.accounts)
    readings = []
    for reading in result.differing:
        for default, read in zip(found, reading.accounts, strict=True):
            asked = {q.fact for q in default.questions}
            under = questions_for(reading.variant.policy, read, settling_sets=False)
            readings.append(
                ReadingQuestions(
                    reading.label,
                    read.name,
                    read.outcome,
                    tuple(q for q in under.questions if q.fact not in asked),
                )
            )
    return QuestionsReport(resolved.scenario, found, result, tuple(readings))
