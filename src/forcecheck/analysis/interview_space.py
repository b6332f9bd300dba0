"""Interview states as one canonical node each: a decision diagram over the facts' values.

An interview's state is what its answers leave of the problem: which values the remaining
facts may still take (the exclusions, settled), and the decision's status for each. Two
answer sets that leave the same problem have the same future, so an exact search over
interviews (:mod:`forcecheck.analysis.interview_cost`) solves each residual problem once.

The residual is kept as one node of a reduced, ordered *ternary* decision diagram: a
fact is one level with three children, one per value (true, false, unknown), and each
terminal says whether the fact set it stands for is possible and, if so, the decision's
status there. It is built once per policy from the BDDs of :mod:`forcecheck.symbolic.encoding`
(the dual rails: *is true*, *is false*), the decision's Kleene met and unmet and the fact
sets the exclusions allow, *settled* (``Encoding.valid``): where an exclusion forces a fact,
only the forced value is possible, so settling needs no separate step. Answering a fact
takes a child; the values the answer settles are then the facts with one possible value
left, and are fixed too, so a state never offers a settled fact as a question. Nodes are
unique (equal residuals are one int), so a state is a memo key of its own.

Two models of the person answering, each counting fact sets as equally likely:

- ``classical``: every fact is true or false (the person always knows); the fact sets
  counted are the classical ones the exclusions allow;
- otherwise every value is possible: each fact true, false or unknown, the fact sets
  counted being every settled three-valued fact set the exclusions allow — so, with no
  exclusion in the way, each answer (yes, no, unknown) is equally likely, a third each.

A person's knowledge is taken as settled through the exclusions, so a fact answered unknown
stays unknown (:meth:`Space.state` says how answers that are not so closed are read).
Either way the state's outcome is its status where every unanswered fact is unknown (the
least the answers say), which is the interview's own evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.symbolic.bdd import BDD, FALSE, TRUE
from forcecheck.symbolic.encoding import encode, variable_order

#: The impossible terminal; every other terminal is a leaf: a status and a count.
IMPOSSIBLE = 0
#: A leaf's status: the decision unknown, met, unmet.
UNKNOWN, MET, UNMET = 1, 2, 3
#: A child index per value: true, false, unknown.
ANSWERS: tuple[Value, Value, Value] = (Value.TRUE, Value.FALSE, Value.UNKNOWN)
_INDEX = {value: i for i, value in enumerate(ANSWERS)}
_OUTCOMES = {MET: Outcome.AUTHORIZED, UNMET: Outcome.NOT_AUTHORIZED}


class Space:
    """A policy's decision (or one of its findings) as a ternary diagram of interview states.

    ``classical``: count only classical fact sets (every fact true or false).
    ``facts``: the facts that may be asked (default: every fact of the vocabulary); they
    must include every fact the rule depends on. The diagram has a level for each of them
    only: the other facts are counted into its leaves (a leaf is a status and the number of
    counted fact sets of the other facts that go with it), so a state does not carry them.
    The exclusions still settle through them: a fact is settled when every possible fact
    set of *all* the facts gives it one value.
    """

    def __init__(
        self,
        policy: Policy,
        *,
        classical: bool = False,
        rule: str | None = None,
        facts: Iterable[str] | None = None,
        order: Sequence[str] = (),
    ) -> None:
        self.policy = policy
        self.classical = classical
        rule = rule or policy.spec.decision
        everything = variable_order(policy)
        # The facts ``order`` names first, in its order; then the rest, in the variable order.
        first = [f for f in order if f in everything]
        everything = (*first, *(f for f in everything if f not in set(first)))
        wanted = set(everything if facts is None else facts)
        missing = set(policy.facts_below(rule)) - wanted
        if missing:
            raise ValueError(f"the facts to ask leave out facts {rule} reads: {sorted(missing)}")
        #: The facts that may be asked, first in the variable order; then the rest.
        self.facts: tuple[str, ...] = tuple(f for f in everything if f in wanted)
        self.encoding = encode(
            policy, facts=(*self.facts, *(f for f in everything if f not in wanted))
        )
        self.position = {fact: i for i, fact in enumerate(self.facts)}
        levels = len(self.facts)
        self._levels = levels
        # Node tables: a terminal's level is below every fact's.
        self._level: list[int] = [levels]
        self._kids: list[tuple[int, int, int]] = [(0, 0, 0)]
        self._leaf: list[tuple[int, int]] = [(UNKNOWN, 0)]
        self._leaves: dict[tuple[int, int], int] = {}
        self._unique: dict[tuple[int, int, int, int], int] = {}
        self._answered: dict[int, int] = {}
        self._settled: dict[int, int] = {}
        self._bottom: dict[int, int] = {}
        self._below: dict[int, int] = {}
        self._support: dict[int, int] = {}
        self._decidable: dict[int, bool] = {}
        self._ordered: dict[int, float] = {}
        self._bottoms: dict[int, int] = {}
        self._base = 2 if classical else 3
        self._stride = levels * 3
        met, unmet = self.encoding.rules[rule]
        self.root = self.settle(self._build(self.encoding.bdd, met, unmet, self.encoding.valid))

    # ------------------------------------------------------------ building

    def _node(self, level: int, kids: tuple[int, int, int]) -> int:
        if kids[0] == kids[1] == kids[2]:
            return kids[0]
        key = (level, *kids)
        found = self._unique.get(key)
        if found is None:
            found = len(self._level)
            self._level.append(level)
            self._kids.append(kids)
            self._leaf.append((UNKNOWN, 0))
            self._unique[key] = found
        return found

    def _leaf_of(self, status: int, count: int) -> int:
        found = self._leaves.get((status, count))
        if found is None:
            found = len(self._level)
            self._level.append(self._levels)
            self._kids.append((found, found, found))
            self._leaf.append((status, count))
            self._leaves[(status, count)] = found
        return found

    def _build(self, bdd: BDD, met: int, unmet: int, valid: int) -> int:
        """The ternary diagram of (met, unmet, valid), three BDDs over the fact rails."""
        memo: dict[tuple[int, int, int], int] = {}
        counts: dict[tuple[int, int], int] = {}
        stride = 3  # the encoding's variables per fact: is-true, is-false, classical
        levels = self._levels
        total = len(self.encoding.facts)
        values = (
            ((True, False), (False, True))
            if self.classical
            else ((True, False), (False, True), (False, False))
        )

        def top(node: int) -> int:
            return bdd.node(node)[0] // stride if node > TRUE else total

        def restricted(node: int, level: int, is_true: bool, is_false: bool) -> int:
            node = bdd.cofactor(node, stride * level, is_true)
            return bdd.cofactor(node, stride * level + 1, is_false)

        def count(v: int, level: int) -> int:
            # The counted fact sets of the facts from ``level`` down in which ``v`` holds.
            if v == FALSE:
                return 0
            if level == total:
                return 1
            key = (v, level)
            found = counts.get(key)
            if found is None:
                found = sum(count(restricted(v, level, t, f), level + 1) for t, f in values)
                counts[key] = found
            return found

        def go(m: int, u: int, v: int) -> int:
            if v == FALSE:
                return IMPOSSIBLE
            key = (m, u, v)
            found = memo.get(key)
            if found is None:
                level = min(top(m), top(u), top(v))
                if level >= levels:
                    if m > TRUE or u > TRUE:
                        raise AssertionError("the rule reads a fact that is not asked")
                    status = MET if m == TRUE else UNMET if u == TRUE else UNKNOWN
                    found = self._leaf_of(status, count(v, levels))
                else:
                    kids = [
                        go(*(restricted(node, level, t, f) for node in (m, u, v)))
                        for t, f in ((True, False), (False, True), (False, False))
                    ]
                    found = self._node(level, (kids[0], kids[1], kids[2]))
                memo[key] = found
            return found

        return go(met, unmet, valid)

    # ------------------------------------------------------------ answering

    def answer(self, node: int, fact: int, value: int) -> int:
        """``node`` with fact number ``fact`` given value ``value`` (0 true, 1 false, 2 unknown).

        Not settled: see :meth:`child`.
        """
        level = self._level[node]
        if level > fact:
            return node
        if level == fact:
            return self._kids[node][value]
        key = node * self._stride + fact * 3 + value
        found = self._answered.get(key)
        if found is None:
            kids = self._kids[node]
            found = self._node(
                level,
                (
                    self.answer(kids[0], fact, value),
                    self.answer(kids[1], fact, value),
                    self.answer(kids[2], fact, value),
                ),
            )
            self._answered[key] = found
        return found

    def settle(self, node: int) -> int:
        """``node`` with every fact that has one possible value left fixed to it.

        Those are the facts the exclusions settle: the least a state's answers say, every
        other fact unknown, is then a possible fact set, and its status the outcome.
        """
        found = self._settled.get(node)
        if found is not None:
            return found
        found = node
        if self._bottom_of(node) == IMPOSSIBLE:
            for fact in self.support(node):
                if self.answer(found, fact, 2) == IMPOSSIBLE:
                    value = 0 if self.answer(found, fact, 0) != IMPOSSIBLE else 1
                    found = self.answer(found, fact, value)
        self._settled[node] = found
        return found

    def child(self, node: int, fact: int, value: int) -> int:
        """The state after answering: :meth:`answer`, then :meth:`settle`."""
        return self.settle(self.answer(node, fact, value))

    # ------------------------------------------------------------ reading

    def _bottom_of(self, node: int) -> int:
        """The leaf where every fact left is unknown (IMPOSSIBLE when that is impossible)."""
        found = self._bottom.get(node)
        if found is None:
            found = node
            levels, level, kids = self._levels, self._level, self._kids
            while level[found] < levels:
                found = kids[found][2]
            self._bottom[node] = found
        return found

    def status(self, node: int) -> int:
        """The decision's status in a settled state (every unanswered fact unknown)."""
        return self._leaf[self._bottom_of(node)][0]

    def outcome(self, node: int) -> Outcome:
        """The outcome in a settled state."""
        return _OUTCOMES.get(self.status(node), Outcome.UNDETERMINED)

    def decidable(self, node: int) -> bool:
        """Whether some answers still possible would determine the outcome."""
        found = self._decidable.get(node)
        if found is None:
            if self._level[node] == self._levels:
                status, count = self._leaf[node]
                found = status != UNKNOWN and count > 0
            else:
                kids = self._kids[node]
                found = self.decidable(kids[0]) or self.decidable(kids[1])
                if not found and not self.classical:
                    found = self.decidable(kids[2])
            self._decidable[node] = found
        return found

    def terminal(self, node: int) -> bool:
        """Whether the interview is over: the outcome is determined, or can no longer be."""
        return self.status(node) != UNKNOWN or not self.decidable(node)

    def support(self, node: int) -> list[int]:
        """The facts (as numbers) ``node`` still depends on, root first."""
        mask = self._support_mask(node)
        found = []
        while mask:
            low = mask & -mask
            found.append(low.bit_length() - 1)
            mask ^= low
        return found

    candidates = support

    def _support_mask(self, node: int) -> int:
        if self._level[node] == self._levels:
            return 0
        found = self._support.get(node)
        if found is None:
            kids = self._kids[node]
            found = (
                (1 << self._level[node])
                | self._support_mask(kids[0])
                | self._support_mask(kids[1])
                | self._support_mask(kids[2])
            )
            self._support[node] = found
        return found

    def count(self, node: int) -> int:
        """The fact sets counted in ``node``, over every fact of the vocabulary."""
        return int(self._count_below(node) * self._base ** self._level[node])

    def _count_below(self, node: int) -> int:
        # The counted fact sets over the facts from the node's own level down.
        level = self._level[node]
        if level == self._levels:
            return self._leaf[node][1]
        found = self._below.get(node)
        if found is None:
            kids = self._kids[node]
            base = self._base
            found = 0
            for kid in kids[:2] if self.classical else kids:
                found += int(self._count_below(kid) * base ** (self._level[kid] - level - 1))
            self._below[node] = found
        return found

    def branches(self, node: int, fact: int) -> list[tuple[float, int, int]]:
        """Each possible answer to ``fact``: its probability, the value's index, the state.

        The probabilities are the shares of the counted fact sets of ``node`` with each value.
        """
        found = []
        total = 0
        for value in (0, 1) if self.classical else (0, 1, 2):
            answered = self.answer(node, fact, value)
            # ``answered`` no longer depends on ``fact``: each count has the same factor.
            weight = self.count(answered)
            if weight:
                found.append((weight, value, self.settle(answered)))
                total += weight
        return [(weight / total, value, after) for weight, value, after in found]

    def state(self, answers: Mapping[str, Value], start: int | None = None) -> int:
        """The settled state after ``answers`` (facts outside the diagram are ignored).

        What "unknown" means, for the optimum and the interview alike: the person cannot
        tell, even from what else they know. What a person knows is a settled fact set (the
        exclusions' consequences included: someone who knows no vehicle was involved knows
        nobody stood in its path), so in the states counted a fact answered "unknown" stays
        unknown and is not asked again. Answers that are not so closed (unknown, then an
        answer that settles that fact) are read as the evaluation reads them: the yes/no
        answers are applied first, settled, and an "unknown" holds only for a fact they
        leave open.
        """
        node = self.root if start is None else start
        unknown = []
        for fact, value in answers.items():
            position = self.position.get(fact)
            if position is None:
                continue
            if value is Value.UNKNOWN:
                unknown.append(position)
            else:
                node = self.answer(node, position, _INDEX[value])
        node = self.settle(node)
        open_facts = self._support_mask(node)
        for position in unknown:
            if open_facts >> position & 1:
                node = self.answer(node, position, _INDEX[Value.UNKNOWN])
        return self.settle(node)

    def ordered_cost(self, node: int) -> float:
        """The expected number of questions asked from ``node`` in the diagram's fact order.

        The plan that asks, of the facts the state still depends on, the first in the
        diagram's order, each time, until the state is terminal (a settled fact, one value
        left, is not asked). Exact for that plan, over the counted fact sets; one pass over
        the nodes below ``node``, each solved once for every state: the interview's estimate
        of what a state still costs (:mod:`forcecheck.analysis.interview_rank`).
        """
        found = self._ordered.get(node)
        if found is None:
            if self._level[node] == self._levels or self._ends(node):
                found = 0.0
            else:
                level = self._level[node]
                options = self._kids[node][:2] if self.classical else self._kids[node]
                kids = [k for k in options if k != IMPOSSIBLE]
                if len(kids) == 1:
                    found = self.ordered_cost(kids[0])
                else:
                    # Shares only: floats are plenty, and far quicker than the exact counts.
                    weights = [
                        float(self._count_below(k)) * self._base ** (self._level[k] - level - 1)
                        for k in kids
                    ]
                    pairs = zip(weights, kids, strict=True)
                    after = sum(w * self.ordered_cost(k) for w, k in pairs if w)
                    found = 1.0 + after / sum(weights)
            self._ordered[node] = found
        return found

    def _ends(self, node: int) -> bool:
        """:meth:`terminal`, for a state not settled (a fact with one value left takes it)."""
        return self._leaf[self._settled_bottom(node)][0] != UNKNOWN or not self.decidable(node)

    def _settled_bottom(self, node: int) -> int:
        # The leaf where every fact left is unknown but those with one value left.
        if self._level[node] == self._levels:
            return node
        found = self._bottoms.get(node)
        if found is None:
            kids = self._kids[node]
            kid = next((k for k in (kids[2], kids[0], kids[1]) if k != IMPOSSIBLE), IMPOSSIBLE)
            found = self._settled_bottom(kid)
            self._bottoms[node] = found
        return found

    def fact(self, number: int) -> str:
        """The fact with number ``number``."""
        return self.facts[number]

    def numbers(self, facts: Sequence[str]) -> list[int]:
        """The numbers of ``facts``."""
        return [self.position[f] for f in facts]

    @property
    def size(self) -> int:
        """The number of nodes built so far (terminals included)."""
        return len(self._level)
