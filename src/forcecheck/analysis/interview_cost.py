"""How many questions an interview needs: any plan's cost, and the exact optimum.

An interview asks questions until the Kleene outcome is determined, or no answer can change
it (where it rests on a point the policy's text leaves ``unsettled``), settling through the
exclusions what each answer settles (a settled fact is never asked). Its cost on one fact
set is the number of questions asked. Over every fact set counted, taken as equally likely,
a plan has an *expected* cost and a *worst* cost. This module computes both for any plan,
and the smallest both can be for *any* plan, exactly: so a test can say how far
:class:`forcecheck.analysis.interview.Interview` is from the best possible interview, rather
than from a lower bound no interviewer could reach.

Two models of the answers (:mod:`forcecheck.analysis.interview_space`): ``unknown=False``,
every fact true or false (the classical fact sets the exclusions allow); ``unknown=True``,
yes, no and unknown alike (every settled three-valued fact set the exclusions allow). An
"unknown" means what it means to the interview: the person cannot tell, even from what else
they know, so the fact stays unknown and is not asked again
(:meth:`~forcecheck.analysis.interview_space.Space.state`); the interview's plan can be
priced in either model.

The optimum is a search over interview states, each one node of the residual problem
(:class:`~forcecheck.analysis.interview_space.Space`): two sets of answers that leave the
same residual have the same future, so each is solved at most once. It asks the facts the
decision reads (its *cone*); asking a fact outside it, only for what its answer settles
(``vehicle_involved``), did not lower the optimum of the policies where that was measured
(docs/training.md). The search is branch and bound: a question whose cost cannot beat
the best found so far is dropped as soon as its lower bound says so (an unfinished state
costs at least one question), and what a cut-short search learned is kept as a lower
bound. The worst case is searched below the worst case of the plan that is best on
average. Costs agree with trying every question in every state (tests/test_interview_cost.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from forcecheck.analysis.interview_space import ANSWERS, Space
from forcecheck.model.logic import Value
from forcecheck.model.policy import Policy

#: A plan: given the answers so far, the fact to ask next (None to stop).
Plan = Callable[[Mapping[str, Value]], str | None]

#: Lower bounds within this of the best cost so far cut a question off (float rounding).
_EPS = 1e-12
_INF = float("inf")
#: A question's possible answers: probability, value's index, next state, whether it ends.
_Branches = list[tuple[float, int, int, bool]]


@dataclass(frozen=True)
class InterviewCost:
    """The number of questions over every fact set counted."""

    #: The mean, every counted fact set equally likely.
    expected: float
    #: The most for any counted fact set.
    worst: int


class _Search:
    """The least expected and least worst number of questions from each state (branch and bound)."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self._children: dict[int, list[tuple[int, _Branches]]] = {}
        #: state -> (cost, exact): exact, or a lower bound.
        self._expected: dict[int, tuple[float, bool]] = {}
        self._worst: dict[int, tuple[int, bool]] = {}
        #: state -> the question that is best on average there.
        self.choice: dict[int, int] = {}

    def children(self, state: int) -> list[tuple[int, _Branches]]:
        found = self._children.get(state)
        if found is None:
            space = self.space
            found = [
                (
                    fact,
                    [
                        (p, v, after, space.terminal(after))
                        for p, v, after in space.branches(state, fact)
                    ],
                )
                for fact in space.candidates(state)
            ]
            self._children[state] = found
        return found

    def expected(self, state: int, cap: float = _INF) -> tuple[float, bool]:
        """(cost, True) when the least expected cost is below ``cap``, else (lower bound, False)."""
        known = self._expected.get(state)
        if known is not None and (known[1] or known[0] >= cap - _EPS):
            return known
        if self.space.terminal(state):
            self._expected[state] = (0.0, True)
            return 0.0, True
        memo = self._expected
        options = []
        for fact, branches in self.children(state):
            bounds = [
                0.0 if ends else memo.get(after, (1.0, False))[0] for _, _, after, ends in branches
            ]
            cost = 1 + sum(b[0] * bound for b, bound in zip(branches, bounds, strict=True))
            options.append((cost, fact, branches, bounds))
        options.sort(key=lambda option: option[0])
        best, found, lower = cap, False, _INF
        for bound, fact, branches, bounds in options:
            if bound >= best - _EPS:
                lower = min(lower, bound)
                continue
            total, exact = bound, True
            for i, (p, _, after, ends) in enumerate(branches):
                if ends:
                    continue
                known = memo.get(after)
                if known is None or not known[1]:
                    known = self.expected(after, (best - (total - p * bounds[i])) / p)
                total += p * (known[0] - bounds[i])
                bounds[i] = known[0]
                if not known[1] or total >= best - _EPS:
                    exact = False
                    break
            if exact and total < best - _EPS:
                best, found = total, True
                self.choice[state] = fact
            else:
                lower = min(lower, total)
        result = (best, True) if found else (lower, False)
        memo[state] = result
        return result

    def worst(self, state: int, cap: int) -> tuple[int, bool]:
        """(cost, True) when the least worst cost is below ``cap``, else (a lower bound, False)."""
        known = self._worst.get(state)
        if known is not None and (known[1] or known[0] >= cap):
            return known
        if self.space.terminal(state):
            self._worst[state] = (0, True)
            return 0, True
        memo = self._worst
        options = []
        for fact, branches in self.children(state):
            bound = 1 + max(
                0 if ends else memo.get(after, (1, False))[0] for _, _, after, ends in branches
            )
            options.append((bound, fact, branches))
        options.sort(key=lambda option: option[0])
        best, found, lower = cap, False, 1 << 30
        for bound, _, branches in options:
            if bound >= best:
                lower = min(lower, bound)
                continue
            most, exact = 0, True
            # The hardest answer first: a question fails as soon as one answer does.
            for _, _, after, ends in sorted(branches, key=lambda b: -memo.get(b[2], (0, False))[0]):
                if ends:
                    continue
                cost, sure = self.worst(after, best - 1)
                most = max(most, cost)
                if not sure or 1 + most >= best:
                    exact = False
                    break
            if exact and 1 + most < best:
                best, found = 1 + most, True
            else:
                lower = min(lower, 1 + most)
        result = (best, True) if found else (lower, False)
        memo[state] = result
        return result

    def plan_worst(self, state: int, memo: dict[int, int]) -> int:
        """The worst cost of following :attr:`choice` (the plan best on average) from ``state``."""
        if self.space.terminal(state):
            return 0
        found = memo.get(state)
        if found is None:
            if state not in self.choice:
                self.expected(state)
            fact = self.choice[state]
            branches = dict(self.children(state))[fact]
            found = 1 + max(self.plan_worst(after, memo) for _, _, after, _ in branches)
            memo[state] = found
        return found


def _space(policy: Policy, unknown: bool, facts: Iterable[str] | None = None) -> Space:
    return Space(policy, classical=not unknown, facts=facts)


def optimal_cost(
    policy: Policy, *, unknown: bool = False, start: Mapping[str, Value] | None = None
) -> InterviewCost:
    """The least expected, and the least worst-case, number of questions of any interview.

    Asking the facts the decision reads; ``unknown``: answers may be "unknown" too;
    ``start``: the facts known before the first question. The two minima may come from
    different interviews; each is exact.
    """
    space = _space(policy, unknown, policy.facts_below(policy.spec.decision))
    root = space.state(start or {})
    search = _Search(space)
    with _recursion_room(len(space.facts)):
        expected, _ = search.expected(root)
        upper = search.plan_worst(root, {})
        worst, exact = search.worst(root, upper)
    return InterviewCost(expected, worst if exact else upper)


def plan_cost(
    policy: Policy,
    plan: Plan,
    *,
    unknown: bool = False,
    start: Mapping[str, Value] | None = None,
) -> InterviewCost:
    """The expected and worst number of questions ``plan`` asks.

    Raises ValueError when the plan stops while an answer could still change the outcome,
    or asks a question twice (or a settled fact): its cost would not be comparable.
    """
    space = _space(policy, unknown)
    given = dict(start or {})

    def walk(state: int, answers: dict[str, Value]) -> tuple[float, int]:
        if space.terminal(state):
            return 0.0, 0
        fact = plan(answers)
        if fact is None:
            raise ValueError(f"the plan stopped undetermined after {dict(answers)}")
        if fact in answers or fact in given:
            raise ValueError(f"the plan asked {fact!r} twice")
        position = space.position[fact]
        # Every fact not yet settled is in the state's support (no fact is both true and false).
        if position not in space.support(state):
            raise ValueError(f"the plan asked {fact!r}, which is settled")
        branches = space.branches(state, position)
        results = [(p, walk(after, {**answers, fact: ANSWERS[v]})) for p, v, after in branches]
        return (
            1 + sum(p * e for p, (e, _) in results),
            1 + max(w for _, (_, w) in results),
        )

    with _recursion_room(len(space.facts)):
        expected, worst = walk(space.state(given), {})
    return InterviewCost(expected, worst)


@contextmanager
def _recursion_room(levels: int) -> Iterator[None]:
    """Room on the stack: the searches recurse a few frames per question and per level."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 1000 + 40 * levels))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def interview_plan(policy: Policy) -> Plan:
    """:class:`forcecheck.analysis.interview.Interview`'s choice of question, as a plan."""
    from forcecheck.analysis.interview import Interview

    def choose(answers: Mapping[str, Value]) -> str | None:
        question = Interview(policy, answers=dict(answers)).next_question()
        return question.fact if question else None

    return choose
