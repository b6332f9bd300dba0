"""``forcecheck questions``: what to ask next about each account of a scenario."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forcecheck.analysis import Questions
from forcecheck.analysis.layer_questions import LayerQuestions
from forcecheck.analysis.questions import ReadingQuestions
from forcecheck.app.resolution import resolve_scenario
from forcecheck.engine.evaluation import AccountResult, ScenarioResult
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
    #: Every other layer the scenario is judged under (state law, immunity view and the
    #: other federal layers): per layer, each account's questions there, in scenario order.
    layers: tuple[tuple[LayerQuestions, ...], ...] = ()


def questions_report(
    file: Path, account: str | None = None, policy: str | None = None
) -> QuestionsReport:
    """The questions for ``account`` (default: every account); raises InputError on bad input.

    Under the main policy, and under each other layer the scenario is judged under (unless
    ``policy`` names one).
    """
    from forcecheck.analysis import questions_for
    from forcecheck.engine.evaluation import evaluate_layers

    resolved = resolve_scenario(file, policy)
    result = evaluate_layers(
        resolved.scenario, list(resolved.policies), account, resolved.uncertain
    )
    found = tuple(questions_for(resolved.policy, a) for a in result.accounts)
    layers = tuple(
        tuple(
            _layer_questions(questions_for(layer.policy, a), a, main)
            for a, main in zip(layer.accounts, found, strict=True)
        )
        for layer in result.layers[1:]
    )
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
    return QuestionsReport(resolved.scenario, found, result, tuple(readings), layers)


def _layer_questions(under: Questions, account: AccountResult, main: Questions) -> LayerQuestions:
    from forcecheck.analysis.turns_on import turns_on

    asked = {q.fact for q in main.questions}
    return LayerQuestions(
        under, tuple(q for q in under.questions if q.fact not in asked), turns_on(under, account)
    )
