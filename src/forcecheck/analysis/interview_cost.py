"""How many questions an interview needs: any plan's cost, and the exact optimum.

An interview asks yes/no questions until the Kleene outcome is determined, or no answer
can change it (where it rests on a point the policy's text leaves ``unsettled``). Its cost on one
classical fact set (a true/false value for every fact) is the number of questions asked.
Over every classical fact set the vocabulary's exclusions allow, taken as equally likely, a
plan has an *expected* cost and a *worst* cost. This module computes both for any plan, and
the smallest both can be for *any* plan, exactly: so a test can say how far
:class:`forcecheck.analysis.interview.Interview` is from the best possible interview, rather
than from a lower bound no interviewer could reach.

The optimum is a search over interview states, made tractable by identifying a state with
its *residual*: the decision's (met, unmet) BDDs and the BDD of the valid classical fact
sets, each restricted by the answers so far. Two answer sets with the same residual have the
same future, so each residual is solved once (dynamic programming over the BDD's
subfunctions). Only the facts the residual still depends on are candidates: asking any other
cannot help.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from forcecheck.engine.explain import decide
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.model.settling import settle
from forcecheck.symbolic.bdd import FALSE, TRUE
from forcecheck.symbolic.encoding import Encoding, classical_valid, encode

#: A plan: given the answers so far, the fact to ask next (None to stop).
Plan = Callable[[Mapping[str, Value]], str | None]

#: An interview state: the decision's (met, unmet) and the valid classical fact sets, as BDD nodes.
_State = tuple[int, int, int]


@dataclass(frozen=True)
class InterviewCost:
    """The number of questions over every classical fact set the exclusions allow."""

    #: The mean, every allowed classical fact set equally likely.
    expected: float
    #: The most for any allowed classical fact set.
    worst: int


class _Space:
    """The policy's decision over interview states, with the means to branch on a fact."""

    def __init__(self, policy: Policy) -> None:
        self.encoding: Encoding = encode(policy)
        self.bdd = self.encoding.bdd
        met, unmet = self.encoding.rules[policy.spec.decision]
        # Where no fact is both true and false: a rail may hold anything on those impossible
        # assignments (``unsettled`` leaves ``if f then f`` unmet exactly there), so whether
        # any answer can still settle the outcome is asked only where facts are consistent.
        bdd = self.bdd
        self._proper = bdd.conj(
            bdd.neg(
                bdd.and_(
                    bdd.var(self.encoding.true_var(fact)), bdd.var(self.encoding.false_var(fact))
                )
            )
            for fact in self.encoding.facts
        )
        self.start: _State = (met, unmet, classical_valid(self.encoding))
        self._fact_of = {
            var: fact
            for fact in self.encoding.facts
            for var in (self.encoding.true_var(fact), self.encoding.false_var(fact))
        }
        self._classical = sorted(self.encoding.classical_var(f) for f in self.encoding.facts)
        self._level = {var: i for i, var in enumerate(self._classical)}
        self._counts: dict[int, int] = {}

    def determined(self, state: _State) -> bool:
        """Whether asking more can change nothing.

        Either the outcome is settled with every unanswered fact unknown, or no unanswered
        fact can settle it: it rests on a point the policy's text leaves unsettled.
        """
        met, unmet, _ = state
        # A missing variable reads as false: every unanswered fact neither true nor false.
        settled = self.bdd.evaluate(met, {}) or self.bdd.evaluate(unmet, {})
        if settled:
            return True
        # Neither rail holds anywhere facts are consistent: no answers can settle it.
        proper = self._proper
        return self.bdd.and_(met, proper) == FALSE and self.bdd.and_(unmet, proper) == FALSE

    def candidates(self, state: _State) -> list[str]:
        """The facts the state's outcome still depends on, in vocabulary order."""
        met, unmet, _ = state
        support = self.bdd.support(met) | self.bdd.support(unmet)
        found = {self._fact_of[v] for v in support if v in self._fact_of}
        return [f for f in self.encoding.facts if f in found]

    def branches(self, state: _State, fact: str) -> list[tuple[float, Value, _State]]:
        """Each possible answer to ``fact``: its probability, the value, the next state."""
        met, unmet, valid = state
        encoding = self.encoding
        true_var, false_var = encoding.true_var(fact), encoding.false_var(fact)
        classical = encoding.classical_var(fact)
        found = []
        total = self._count(valid)
        for answer in (True, False):
            allowed = self._cofactor(valid, classical, answer)
            count = self._count(allowed)
            if count:
                after = (
                    self._cofactor(self._cofactor(met, true_var, answer), false_var, not answer),
                    self._cofactor(self._cofactor(unmet, true_var, answer), false_var, not answer),
                    allowed,
                )
                # ``allowed`` no longer depends on the asked fact's variable, so counting it
                # over every variable counts each of its classical fact sets twice.
                found.append((count / (2 * total), Value.TRUE if answer else Value.FALSE, after))
        return found

    def _cofactor(self, node: int, var: int, value: bool) -> int:
        return self.bdd.cofactor(node, var, value)

    def _count(self, node: int) -> int:
        """The classical fact sets in ``node``."""
        if node <= TRUE:
            return node << len(self._classical)
        var, _, _ = self.bdd.node(node)
        return self._count_below(node) << self._level[var]

    def _count_below(self, node: int) -> int:
        # Satisfying assignments of the classical variables from the node's own level down.
        if node <= TRUE:
            return node
        found = self._counts.get(node)
        if found is None:
            var, low, high = self.bdd.node(node)
            level = self._level[var]
            found = sum(
                self._count_below(child) << (self._below(child) - level - 1)
                for child in (low, high)
            )
            self._counts[node] = found
        return found

    def _below(self, node: int) -> int:
        return len(self._classical) if node <= TRUE else self._level[self.bdd.node(node)[0]]


def optimal_cost(policy: Policy) -> InterviewCost:
    """The least expected, and the least worst-case, number of questions of any interview.

    The two minima may come from different interviews; each is exact.
    """
    space = _Space(policy)
    solved: dict[_State, tuple[float, int]] = {}

    def solve(state: _State) -> tuple[float, int]:
        found = solved.get(state)
        if found is not None:
            return found
        if space.determined(state):
            found = (0.0, 0)
        else:
            expected, worst = float("inf"), 1 << 30
            for fact in space.candidates(state):
                results = [(p, solve(after)) for p, _, after in space.branches(state, fact)]
                expected = min(expected, 1 + sum(p * e for p, (e, _) in results))
                worst = min(worst, 1 + max(w for _, (_, w) in results))
            found = (expected, worst)
        solved[state] = found
        return found

    expected, worst = solve(space.start)
    return InterviewCost(expected, worst)


def plan_cost(policy: Policy, plan: Plan) -> InterviewCost:
    """The expected and worst number of questions ``plan`` asks.

    Raises ValueError when the plan stops while an answer could still change the outcome,
    or asks a question twice: its cost would not be comparable.
    """
    space = _Space(policy)

    def settled(answers: dict[str, Value]) -> bool:
        # The interview settles its answers through the exclusions: a threat still going on
        # settles that it had not ended, so it may stop before the residual says so.
        if not answers:
            return False
        values = settle(policy.vocabulary, answers).values
        return decide(policy, values) is not Outcome.UNDETERMINED

    def walk(state: _State, answers: dict[str, Value]) -> tuple[float, int]:
        if space.determined(state) or settled(answers):
            return 0.0, 0
        fact = plan(answers)
        if fact is None:
            raise ValueError(f"the plan stopped undetermined after {dict(answers)}")
        if fact in answers:
            raise ValueError(f"the plan asked {fact!r} twice")
        results = [
            (p, walk(after, {**answers, fact: value}))
            for p, value, after in space.branches(state, fact)
        ]
        return (
            1 + sum(p * e for p, (e, _) in results),
            1 + max(w for _, (_, w) in results),
        )

    expected, worst = walk(space.start, {})
    return InterviewCost(expected, worst)


def interview_plan(policy: Policy) -> Plan:
    """:class:`forcecheck.analysis.interview.Interview`'s choice of question, as a plan."""
    from forcecheck.analysis.interview import Interview

    def choose(answers: Mapping[str, Value]) -> str | None:
        question = Interview(policy, answers=dict(answers)).next_question()
        return question.fact if question else None

    return choose
