"""Short, readable failures for property tests: fact sets, assertions, failure reports.

A failing property test should say, in a few lines, what a maintainer needs to find the
bug: the facts that matter, the condition that broke, its status and the status expected,
and the parts that gave it that status. This module gives

* :class:`FactSet`, the dict :func:`forcecheck.testing.fact_sets` draws: it prints as
  ``FactSet(warning_shot=true)`` (in pytest's traceback and in hypothesis's failing
  example), the facts not addressed left out and the fixed ones included;
* :func:`assert_outcome` and :func:`assert_status`, which raise an :class:`AssertionError`
  whose message is that short report (:func:`failure_report`), for an evaluation, one
  moment, an account or a whole scenario's result.

Needs neither hypothesis nor pytest: the pytest plugin uses the same report for scenario
files' failures.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from forcecheck.engine.evaluation import AccountResult, DischargeResult, ScenarioResult
from forcecheck.engine.explain import Evaluation, NodeResult
from forcecheck.model.logic import Outcome, Status, Value
from forcecheck.model.policy import FactRef, RuleRef

# pytest shows the line of the test that called an assertion here, not this module's.
__tracebackhide__ = True

#: What :func:`assert_outcome` and :func:`assert_status` accept: one evaluation, one moment
#: of an account (a discharge), an account, or a scenario (every account).
Result = Evaluation | DischargeResult | AccountResult | ScenarioResult

#: An account's moments: each discharge's id (None: the account as a whole), its evaluation.
Moments = list[tuple[str | None, Evaluation]]

#: The decision status each outcome stands for.
DECISION_STATUS = {
    Outcome.AUTHORIZED: Status.MET,
    Outcome.NOT_AUTHORIZED: Status.UNMET,
    Outcome.UNDETERMINED: Status.UNKNOWN,
}


class FactSet(dict[str, Value]):
    """A fact set (fact id -> value) that prints short: ``FactSet(warning_shot=true)``.

    A plain dict in every other way. Facts not addressed are not in it, so a shrunk
    example shows only the facts that matter and the ones the strategy held fixed.
    """

    def __repr__(self) -> str:
        return f"FactSet({facts_text(self)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # hypothesis prints a failing example with IPython's protocol; this method wins
        # over its record of how the value was built (a long call listing every fact
        # drawn, as None when left out, and none of the fixed ones).
        printer.text(repr(self))


def facts_text(facts: dict[str, Value]) -> str:
    """``a=true, b=unknown``, in the given order."""
    return ", ".join(f"{fact}={value}" for fact, value in facts.items())


class PropertyFailure(AssertionError):
    """An assertion of :func:`assert_outcome` or :func:`assert_status` that did not hold.

    Made from the raw result; its message, :func:`failure_report`'s, is made only when it
    is printed (see :func:`_raise`).
    """

    # Arguments (BaseException keeps them; no Python __init__, see _raise): the account's
    # name (None: a bare evaluation), its moments, the condition (None: the outcome), the
    # expected status or outcome, and the outcome found.
    args: tuple[str | None, Moments, str | None, Status | Outcome, Outcome]

    def __str__(self) -> str:
        account, moments, condition, expected, outcome = self.args
        if condition is None:
            want = Outcome(expected)
            discharge, evaluation = next(
                (m for m in moments if m[1].outcome is not want), moments[0]
            )
            return failure_report(
                evaluation,
                evaluation.policy.spec.decision,
                DECISION_STATUS[want],
                where=_where(account, discharge),
                headline=f"outcome: expected {want}, got {outcome}",
            )
        [(discharge, evaluation)] = moments
        return failure_report(
            evaluation, condition, Status(expected), where=_where(account, discharge)
        )


def assert_outcome(result: Result, expected: Outcome | str) -> None:
    """Raise an AssertionError with a short report unless ``result``'s outcome is ``expected``.

    For an account, its overall outcome (the strictest across its discharges); for a
    scenario, every account's. The report names the first moment that differs.
    """
    want = Outcome(expected)
    wrong = [(name, got, moments) for name, got, moments in _checked(result) if got is not want]
    _raise(next((PropertyFailure(n, m, None, want, got) for n, got, m in wrong), None))


def assert_status(result: Result, condition: str, expected: Status | str) -> None:
    """Raise an AssertionError with a short report unless ``condition`` has status ``expected``.

    For an account or a scenario, at every moment (each discharge of each account). A
    condition the policy does not have raises KeyError.
    """
    want = Status(expected)
    moments = [(name, m) for name, _, found in _checked(result) for m in found]
    wrong = [(n, m) for n, m in moments if m[1].rules[condition].status is not want]
    _raise(next((PropertyFailure(n, [m], condition, want, m[1].outcome) for n, m in wrong), None))


def _raise(failure: PropertyFailure | None) -> None:
    """Raise ``failure``, if any, on a line that passing examples run too.

    hypothesis's explain phase prints every line that only failing examples ran ("These
    lines were always and only run by failing test cases"): a helper's own ``raise``, or
    the making of its message, would be such a line, and point at forcecheck rather than
    at the policy. So the checks above run the same lines whatever they find, the message
    is made when printed, and the failure is thrown through an empty generator here.
    """
    _ = None if failure is None else (_ for _ in ()).throw(failure)


def failure_report(
    evaluation: Evaluation,
    condition: str,
    expected: Status,
    *,
    where: str = "",
    headline: str | None = None,
) -> str:
    """A few lines: what was expected, the facts, the condition, its status, its parts.

    ``condition`` is the rule that did not have the ``expected`` status (the decision, for
    an outcome); its parts are the rules and facts it reads directly, each with its status
    or value: the one whose status is wrong is where the bug is.
    """
    got = evaluation.rules[condition].status
    first = headline or f"condition '{condition}': expected {expected}, got {got}"
    lines = [f"{where}{' ' if where else ''}under {evaluation.policy.id}: {first}"]
    lines += [f"  {line}" for line in explanation(evaluation, condition, expected)]
    return "\n".join(lines)


def explanation(evaluation: Evaluation, condition: str, expected: Status) -> list[str]:
    """The facts, ``condition``'s status and the one expected, and the parts it reads."""
    got = evaluation.rules[condition].status
    role = " (the decision)" if condition == evaluation.policy.spec.decision else ""
    return [
        f"facts: {stated_facts(evaluation)}",
        f"{condition}{role} is {got}, expected {expected}; it reads:",
        *(f"  {line}" for line in parts_text(evaluation, condition)),
    ]


def stated_facts(evaluation: Evaluation) -> str:
    """The facts the evaluation was given (settled ones marked), the rest not addressed."""
    given = [
        f"{fact}={use.value}" + (" (settled)" if use.settled is not None else "")
        for fact, use in evaluation.facts.items()
        if use.supplied
    ]
    return (", ".join(given) + "; the rest not addressed") if given else "none addressed"


def parts_text(evaluation: Evaluation, rule: str) -> list[str]:
    """``part: status`` for each rule and fact ``rule``'s expression names directly."""
    lines: list[str] = []
    for leaf in _leaves(evaluation.rules[rule].tree):
        expr = leaf.expr
        if isinstance(expr, RuleRef):
            lines.append(f"{expr.rule}: {leaf.status}")
        elif isinstance(expr, FactRef):
            use = evaluation.facts.get(expr.fact)
            value = use.value if use is not None and use.supplied else "not addressed"
            lines.append(f"{expr.fact} (fact): {value}")
    return list(dict.fromkeys(lines))


def _leaves(node: NodeResult) -> Iterator[NodeResult]:
    if isinstance(node.expr, RuleRef | FactRef):
        yield node
        return
    for child in node.children:
        yield from _leaves(child)


def _where(account: str | None, discharge: str | None) -> str:
    parts = []
    if account is not None:
        parts.append(f"account '{account}'")
    if discharge is not None:
        parts.append(f"discharge '{discharge}'")
    return ", ".join(parts)


def _checked(result: Result) -> Iterable[tuple[str | None, Outcome, Moments]]:
    """Each account of ``result`` (None: a bare evaluation), its outcome and its moments."""
    if isinstance(result, Evaluation):
        return [(None, result.outcome, [(None, result)])]
    if isinstance(result, DischargeResult):
        return [(result.account, result.outcome, [_moment(result)])]
    accounts = result.accounts if isinstance(result, ScenarioResult) else (result,)
    return [
        (account.name, account.outcome, [_moment(r) for r in account.results])
        for account in accounts
    ]


def _moment(result: DischargeResult) -> tuple[str | None, Evaluation]:
    return (result.discharge.id if result.discharge else None, result.evaluation)
