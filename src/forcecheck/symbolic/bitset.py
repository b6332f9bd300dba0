"""Evaluating a policy on many fact sets at once, one bit per fact set.

The analysis questions ("which unknown facts could still decide this?", "which smallest sets
of answers settle it?") each need the outcome under hundreds or thousands of fact sets. Rather
than evaluate them one by one, each fact's value across all of them is packed into two Python
integers: a mask of the fact sets in which it is true (met) and a mask of those in which it
is false (unmet); a fact set in neither mask has the fact unknown. Kleene's strong logic then
becomes bitwise arithmetic, one operation per expression node for all fact sets together.

The semantics are exactly the engine's: the policy's node program evaluated in the two-rail
form (:mod:`forcecheck.model.semantics`) with ``&`` and ``|`` on the masks. A test checks the
two agree on every node.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from functools import reduce
from operator import and_, or_
from typing import NamedTuple

from forcecheck.model.policy import Policy
from forcecheck.model.semantics import TwoRail, program_of, run


class Bits(NamedTuple):
    """A status across many fact sets: where it is met, and where it is unmet."""

    met: int
    unmet: int


#: The status of a fact no fact set gives a value: unknown everywhere.
UNKNOWN = Bits(0, 0)


def known(value: bool, full: int) -> Bits:
    """A fact with the same known value in every fact set (``full`` has a bit for each set)."""
    return Bits(full, 0) if value else Bits(0, full)


def evaluate_bits(
    policy: Policy, facts: Mapping[str, Bits], rules: tuple[str, ...] | None = None
) -> dict[str, Bits]:
    """Every rule's status across the fact sets; facts not in ``facts`` are unknown.

    ``rules`` limits the work to those rules (which must be closed under reference, e.g.
    ``policy.conditions``); by default every rule is evaluated.
    """
    program = program_of(policy)
    index = program.rule_index
    wanted = None if rules is None else {index[rule_id] for rule_id in rules}
    fact_bits = [facts.get(fact_id, UNKNOWN) for fact_id in program.facts]
    values = run(program, _BITS, fact=fact_bits.__getitem__, rules=wanted)
    return {
        rule_id: Bits(*values[program.roots[i]])
        for i, rule_id in enumerate(program.rules)
        if wanted is None or i in wanted
    }


def _conj(masks: Sequence[int]) -> int:
    return reduce(and_, masks)


def _disj(masks: Sequence[int]) -> int:
    return reduce(or_, masks, 0)


#: The two-rail algebra on bit masks: one bit per fact set.
_BITS: TwoRail[int] = TwoRail(_conj, _disj)


def both(left: Bits, right: Bits) -> Bits:
    """Kleene conjunction of two statuses, fact set by fact set (e.g. across discharges)."""
    return Bits(left.met & right.met, left.unmet | right.unmet)


def enumeration(count: int) -> tuple[int, list[Bits]]:
    """Every true/false assignment to ``count`` facts, as one fact set per assignment.

    Returns the mask of all ``2**count`` fact sets and, for each fact, where it is true and
    where false: fact ``i`` is true in fact set ``n`` exactly when bit ``i`` of ``n`` is set.
    """
    size = 1 << count
    full = (1 << size) - 1
    patterns: list[Bits] = []
    for i in range(count):
        # Runs of 2**i zeros then 2**i ones, repeated: bit i of each fact set's index.
        pattern = ((1 << (1 << i)) - 1) << (1 << i)
        length = 1 << (i + 1)
        while length < size:  # doubling: log(size) big-integer operations, not size
            pattern |= pattern << length
            length <<= 1
        patterns.append(Bits(pattern, full ^ pattern))
    return full, patterns


#: Up to this many facts, ``classical_fact_sets`` enumerates every true/false combination.
MAX_EXACT_FACTS = 12
#: Beyond it, ``classical_fact_sets`` draws this many fixed-seed random combinations.
SAMPLES = 1 << 12


def classical_fact_sets(count: int) -> tuple[int, list[Bits], bool]:
    """True/false combinations for ``count`` facts: every one, or a fixed-seed sample.

    Returns the mask of all fact sets, each fact's bits, and whether the combinations are
    exhaustive (else a sample of ``SAMPLES``; the seed is fixed so the same input always
    gives the same answer).
    """
    if count <= MAX_EXACT_FACTS:
        full, patterns = enumeration(count)
        return full, patterns, True
    rng = random.Random(0)
    full = (1 << SAMPLES) - 1
    sampled = []
    for _ in range(count):
        pattern = rng.getrandbits(SAMPLES)
        sampled.append(Bits(pattern, full ^ pattern))
    return full, sampled, False
