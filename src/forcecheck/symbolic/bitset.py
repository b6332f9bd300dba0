"""Evaluating a policy on many fact sets at once, one bit per fact set.

The analysis questions ("which unknown facts could still decide this?", "which smallest sets
of answers settle it?") each need the outcome under hundreds or thousands of fact sets. Rather
than evaluate them one by one, each fact's value across all of them is packed into two Python
integers: a mask of the fact sets in which it is true (met) and a mask of those in which it
is false (unmet); a fact set in neither mask has the fact unknown. Kleene's strong logic then
becomes bitwise arithmetic, one operation per expression node for all fact sets together.

The semantics are exactly the engine's (see logic.py): ``all`` is met where every part is met
and unmet where any part is unmet; ``any`` dually; ``not`` swaps met and unmet; ``if/then``
is ``any(not condition, consequence)``. A test checks the two agree on every node.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import NamedTuple

from forcecheck.model.policy import AllOf, AnyOf, Expr, FactRef, IfThen, Not, Policy, RuleRef


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
    wanted = None if rules is None else set(rules)
    results: dict[str, Bits] = {}
    for rule_id in policy.order:
        if wanted is None or rule_id in wanted:
            results[rule_id] = _node(policy.rules[rule_id].expr, facts, results)
    return results


def _node(expr: Expr, facts: Mapping[str, Bits], rules: Mapping[str, Bits]) -> Bits:
    if isinstance(expr, FactRef):
        return facts.get(expr.fact, UNKNOWN)
    if isinstance(expr, RuleRef):
        return rules[expr.rule]
    if isinstance(expr, Not):
        part = _node(expr.part, facts, rules)
        return Bits(part.unmet, part.met)
    if isinstance(expr, IfThen):
        condition = _node(expr.condition, facts, rules)
        consequence = _node(expr.consequence, facts, rules)
        return Bits(condition.unmet | consequence.met, condition.met & consequence.unmet)
    parts = [_node(part, facts, rules) for part in expr.parts]
    met, unmet = parts[0]
    if isinstance(expr, AllOf):
        for part in parts[1:]:
            met &= part.met
            unmet |= part.unmet
    else:
        assert isinstance(expr, AnyOf)
        for part in parts[1:]:
            met |= part.met
            unmet &= part.unmet
    return Bits(met, unmet)


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


#: Up to this many facts, ``completions`` enumerates every true/false combination.
MAX_EXACT_FACTS = 12
#: Beyond it, ``completions`` draws this many fixed-seed random combinations.
SAMPLES = 1 << 12


def completions(count: int) -> tuple[int, list[Bits], bool]:
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
