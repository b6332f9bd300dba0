"""``forcecheck evaluate`` (and ``report``): a scenario's evaluation and its analyses, once.

The report object (:class:`~forcecheck.analysis.report_data.EvaluationReport`) holds
everything a renderer shows; which analyses run depends on what the format shows (a table
has no questions), so that the common case stays fast. The start-up fast path
(:mod:`forcecheck.cli.fast_path`) and the typer command both call it, through
:func:`forcecheck.cli.report_text.evaluate_text`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from forcecheck.analysis.report_data import EvaluationReport, PageData, StrictestReading
from forcecheck.app.resolution import resolve_scenario
from forcecheck.engine.evaluation import ScenarioResult, evaluate_layers, strictest
from forcecheck.load.library import in_force_on
from forcecheck.model.logic import Outcome

if TYPE_CHECKING:
    from forcecheck.analysis.compare import Comparison
    from forcecheck.analysis.questions import Questions
    from forcecheck.analysis.turns_on import TurnsOn

#: The formats that list each account's questions.
_WITH_QUESTIONS = ("markdown", "html")
#: The formats whose summary names the decisive disputes (with several accounts).
_WITH_DISPUTES = ("table", "markdown")


def evaluate_report(
    file: Path, format: str, policy: str | None = None, account: str | None = None
) -> EvaluationReport:
    """The report of ``evaluate`` for a scenario file; raises InputError on bad input.

    ``policy`` overrides the scenario's own (as ``--policy``); ``account`` keeps one
    account; ``format`` (table, json, markdown or html) decides which analyses run.
    """
    resolved = resolve_scenario(file, policy, expectations=True)
    result = evaluate_layers(
        resolved.scenario, list(resolved.policies), account, resolved.uncertain
    )
    if format == "html":
        report = page_report(result)
    else:
        report = build_evaluation_report(
            result,
            questions=format in _WITH_QUESTIONS,
            compare=format in _WITH_DISPUTES and len(result.accounts) > 1,
        )
    return replace(report, state_law=resolved.state_law) if resolved.state_law else report


def page_report(result: ScenarioResult) -> EvaluationReport:
    """What the HTML page of an evaluation shows: with several accounts, their disputes."""
    return build_evaluation_report(
        result, questions=True, compare=len(result.accounts) > 1, page=True
    )


def build_evaluation_report(
    result: ScenarioResult,
    *,
    questions: bool = False,
    compare: bool = False,
    page: bool = False,
    comparison: Comparison | None = None,
) -> EvaluationReport:
    """The analyses of an evaluation: conclusions and layers always; the rest when asked.

    ``questions``: each account's questions; ``compare``: the accounts side by side (their
    disputes), unless ``comparison`` is given already; ``page``: the HTML page's program and
    node statuses. The HTML page asks for all three.
    """
    from forcecheck.analysis import check_conclusions

    policy = result.policy
    found = comparison
    if found is None and compare:
        from forcecheck.analysis.compare import compare_accounts

        found = compare_accounts(result.scenario, policy)
    asked = None
    if found is not None and found.questions:
        asked = found.questions  # the comparison asked them already
    elif questions:
        from forcecheck.analysis import questions_for

        asked = tuple(questions_for(policy, a) for a in result.accounts)
    main_turns_on, layer_turns_on = _turns_on(result, asked)
    tiers = tuple(
        strictest([layer.accounts[i].outcome for layer in result.federal_layers])
        for i in range(len(result.accounts) if result.layers else 0)
    )
    return EvaluationReport(
        result=result,
        in_force=in_force_on(policy, result.scenario.spec.date),
        conclusions=tuple(check_conclusions(a) for a in result.accounts),
        strictest=tiers,
        strictest_rests_on=tuple(
            _rests_on_uncertain(result, i, tier) for i, tier in enumerate(tiers)
        ),
        strictest_readings=tuple(
            _strictest_readings(result, i, tier) for i, tier in enumerate(tiers)
        ),
        questions=asked,
        comparison=found,
        page=_page_data(result) if page else None,
        turns_on=main_turns_on,
        layer_turns_on=layer_turns_on,
    )


def _turns_on(
    result: ScenarioResult, asked: tuple[Questions, ...] | None
) -> tuple[tuple[TurnsOn | None, ...], tuple[tuple[TurnsOn | None, ...], ...]]:
    """What each undetermined outcome turns on: under the report's policy, and per layer.

    The questions already asked (of the report's policy) are reused; a layer that is the
    report's policy shares its answer.
    """
    from forcecheck.analysis import questions_for
    from forcecheck.analysis.turns_on import turns_on

    def of(
        policy_result: ScenarioResult, known: tuple[Questions, ...] | None
    ) -> tuple[TurnsOn | None, ...]:
        return tuple(
            turns_on(
                known[i] if known is not None else questions_for(policy_result.policy, account),
                account,
            )
            if account.outcome is Outcome.UNDETERMINED
            else None
            for i, account in enumerate(policy_result.accounts)
        )

    main = of(result, asked)
    layers = tuple(
        main if layer.policy.id == result.policy.id else of(layer, None) for layer in result.layers
    )
    return main, layers


def _strictest_readings(
    result: ScenarioResult, index: int, tier: Outcome
) -> tuple[StrictestReading, ...]:
    """The readings of one layer that would make account ``index``'s strictest outcome differ.

    One layer read otherwise at a time, every other layer at its default reading, as the
    readings themselves are built.
    """
    found: list[StrictestReading] = []
    federal = result.federal_layers
    for position, layer in enumerate(federal):
        for reading in layer.differing:
            outcomes = [
                (reading if at == position else other).accounts[index].outcome
                for at, other in enumerate(federal)
            ]
            other = strictest(outcomes)
            if other is not tier:
                found.append(StrictestReading(layer.policy.id, reading.label, other))
    return tuple(found)


def _rests_on_uncertain(result: ScenarioResult, index: int, tier: Outcome) -> tuple[str, ...]:
    """The layers that only may bind on which account ``index``'s strictest outcome rests.

    Empty when the layers that certainly bind reach it alone; else every layer that may
    bind and gives that outcome (without them it would be less strict, or rest on nothing).
    """
    federal = result.federal_layers
    certain = [layer.accounts[index].outcome for layer in federal if not layer.uncertain]
    if certain and strictest(certain) == tier:
        return ()
    return tuple(
        layer.policy.id
        for layer in federal
        if layer.uncertain and layer.accounts[index].outcome == tier
    )


def _page_data(result: ScenarioResult) -> PageData:
    from forcecheck.engine.explain import node_statuses
    from forcecheck.engine.program import node_program

    return PageData(
        program=node_program(result.policy),
        statuses=tuple(
            tuple(node_statuses(m.evaluation) for m in a.results) for a in result.accounts
        ),
    )
