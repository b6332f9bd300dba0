"""Which question to ask: the one that leaves the fewest questions to come, "unknown" counted.

The interview (:mod:`forcecheck.analysis.interview`) asks the open question after which the
*expected number of questions still to ask* is least, over every answer a person may give —
yes, no and unknown. The answers are weighted as in
:mod:`forcecheck.analysis.interview_space` with unknowns (the optimum's ``unknown=True``):
every settled three-valued fact set the vocabulary's exclusions allow is equally likely, so
where no exclusion is in the way each answer is a third, and an "unknown" is as likely as a
"yes". There is no record of how often a witness does not know; equal odds are the
assumption that favours no answer.

The exact expectation is the optimum of :mod:`forcecheck.analysis.interview_cost`, which
takes minutes on the larger policies: far from the half second a question may take. So the
interview uses a stated estimate, one step of lookahead and then a fixed plan. The cost of
asking ``f`` in state ``s`` is

    1 + sum over the answers a to f of  P(a | s) * C(s after a)

where ``C`` is the exact expected cost of one fixed plan from that state: ask, of the facts
the state still depends on, the first in a fixed order (the order of
:mod:`forcecheck.analysis.questions`' ranking at the interview's start), until it is settled
(:meth:`~forcecheck.analysis.interview_space.Space.ordered_cost`: one pass over the diagram,
each state solved once and kept from question to question). Because ``C`` is the cost of a
real plan, choosing by it is a step of policy improvement (a "rollout"): in the model, the
interview asks on average no more than the fixed plan would. How far it is from the optimum
is measured in docs/training.md (``bench/interview_rank.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from forcecheck.analysis.interview_space import Space
from forcecheck.model.logic import Value
from forcecheck.model.policy import Policy
from forcecheck.model.settling import settle

#: At most this many rankers are kept (one per policy, rule and starting facts).
_KEPT = 16


class Ranker:
    """The expected number of questions to come after each question, in one rule's space."""

    def __init__(self, policy: Policy, rule: str, order: Sequence[str]) -> None:
        self.policy = policy
        self.rule = rule
        #: The rule's facts.
        self.below = frozenset(policy.facts_below(rule))
        # The rule's facts, and those of ``order`` (a fact no rule reads, asked for the
        # facts its answer settles); the others are counted into the leaves.
        facts = (*sorted(self.below), *(f for f in order if f not in self.below))
        self.space = Space(policy, rule=rule, facts=facts, order=order)

    def state(self, answers: Mapping[str, Value]) -> int:
        """The state after ``answers`` (yes, no and unknown; any fact of the vocabulary).

        The yes/no answers are settled through the exclusions first, so that a fact outside
        the space (``vehicle_involved``) still settles the facts in it; then "unknown" holds
        for the facts they leave open (:meth:`Space.state`).
        """
        known = {f: v for f, v in answers.items() if v is not Value.UNKNOWN}
        settled = settle(self.policy.vocabulary, known).values
        unknown = {f: v for f, v in answers.items() if v is Value.UNKNOWN and f not in settled}
        return self.space.state({**settled, **unknown})

    def terminal(self, state: int) -> bool:
        """Whether nothing is left to ask: the outcome is determined, or can no longer be."""
        return self.space.terminal(state)

    def asks(self, state: int, fact: str) -> bool:
        """Whether an answer to ``fact`` can still change anything in ``state``."""
        position = self.space.position.get(fact)
        return position is not None and position in self.space.support(state)

    def candidates(self, state: int, listed: Sequence[str]) -> list[str]:
        """The facts of ``listed`` (the analysis' questions) the state still depends on.

        A fact answered "unknown" stays unknown, so a question that mattered only through
        it no longer does. When none is left but the state is not terminal (a question the
        analysis weighs at nought could still decide it), the rule's facts it depends on,
        else every fact it depends on: an interview never stops while an answer could
        still decide it.
        """
        space = self.space
        depends = [space.fact(n) for n in space.support(state)]
        found = [f for f in listed if f in depends]
        return found or [f for f in depends if f in self.below] or depends

    def expected(self, state: int, fact: str) -> float:
        """The questions expected from ``state`` on if ``fact`` is asked now (it included)."""
        space = self.space
        position = space.position[fact]
        weights = []
        for value in range(3):
            after = space.answer(state, position, value)
            weights.append((space.count(after), after))
        total = sum(w for w, _ in weights)
        return 1.0 + sum(w * space.ordered_cost(after) for w, after in weights if w) / total

    def rank(self, state: int, facts: Iterable[str]) -> list[tuple[str, float]]:
        """``facts`` that can still change anything, fewest questions to come first.

        Ties keep the order of ``facts``.
        """
        found = [(fact, self.expected(state, fact)) for fact in facts if self.asks(state, fact)]
        return sorted(found, key=lambda item: item[1])


#: Start facts (sorted), as a key.
StartKey = tuple[tuple[str, Value], ...]

_RANKERS: dict[tuple[int, str, StartKey], tuple[Policy, Ranker]] = {}


def ranker_for(
    policy: Policy, rule: str, start: StartKey, order: Callable[[], Sequence[str]]
) -> Ranker:
    """The ranker for ``rule`` of ``policy`` from the known facts ``start``.

    ``order`` gives the fixed plan's order, called only when no ranker is kept for them
    (the spaces are kept for reuse: an interview builds one, question after question).
    """
    key = (id(policy), rule, start)
    kept = _RANKERS.get(key)
    # The policy is kept with its ranker, so its id is not reused while the entry lives.
    if kept is None or kept[0] is not policy:
        if len(_RANKERS) >= _KEPT:
            _RANKERS.pop(next(iter(_RANKERS)))
        kept = (policy, Ranker(policy, rule, order()))
        _RANKERS[key] = kept
    return kept[1]
