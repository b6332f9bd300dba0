"""Settling: the fact values an account's own values force, through the exclusions.

An exclusion names values that cannot all hold at once. When an account holds every value
of an exclusion but one, the last fact cannot take the value the exclusion names, so it
takes the other: ``vehicle_involved: false`` settles ``shot_at_vehicle: false``
(exclusion ``no_vehicle_no_shot_at_vehicle``), which in turn settles
``shot_solely_to_disable_vehicle: false`` (``disabling_shot_is_at_vehicle``). This is unit
propagation to a fixpoint, nothing cleverer: a value follows only from values held, one
exclusion at a time, so every settled value can be explained as a short chain.

A value the account states (true or false) is never changed; only a fact it leaves unknown
or does not address is settled. When the values held and settled break an exclusion, the
account is impossible: :attr:`Settled.broken` says which exclusion, and
:meth:`Settled.chain` which stated values led there.

Pure and deterministic: exclusions are visited in the vocabulary's order, pass after pass,
until a pass settles nothing; the cost is the exclusions' total size times the number of
passes (one more than the longest chain), a few hundred steps for the shipped vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forcecheck.model.logic import Value
from forcecheck.model.vocabulary import BrokenExclusion, Exclusion, Vocabulary


@dataclass(frozen=True, slots=True)
class Settlement:
    """A fact's value that follows from an exclusion and the values of its other facts."""

    fact: str
    value: Value
    #: The exclusion's id.
    exclusion: str
    #: The exclusion's other facts with the values that forced this one, in its order.
    because: tuple[tuple[str, Value], ...]

    def because_text(self) -> str:
        """``vehicle_involved: false`` (several joined by ``, ``)."""
        return ", ".join(f"{fact}: {value}" for fact, value in self.because)

    def text(self) -> str:
        """``follows from vehicle_involved: false; exclusion no_vehicle_no_shot_at_vehicle``."""
        return f"follows from {self.because_text()}; exclusion {self.exclusion}"


@dataclass(frozen=True)
class Settled:
    """An account's values at one moment, with every value the exclusions settle."""

    #: The values as given (unknown ones included), then each settled value.
    values: dict[str, Value]
    #: The settled facts, in the order they were settled.
    settlements: dict[str, Settlement]
    #: The exclusion the values break, once settled; None when they break none.
    broken: BrokenExclusion | None = None

    def chain(self, facts: tuple[str, ...]) -> tuple[Settlement, ...]:
        """The settlements behind ``facts``, in the order they were settled (roots first)."""
        wanted: set[str] = set()
        stack = list(facts)
        while stack:
            fact = stack.pop()
            settlement = self.settlements.get(fact)
            if settlement is None or fact in wanted:
                continue
            wanted.add(fact)
            stack.extend(f for f, _ in settlement.because)
        return tuple(s for f, s in self.settlements.items() if f in wanted)

    def stated_roots(self, facts: tuple[str, ...]) -> tuple[str, ...]:
        """The facts among ``facts`` and behind their settlements that were given, not settled.

        In the order of ``facts`` and then of the chain: where an error points.
        """
        found: dict[str, None] = {}
        for fact in facts:
            if fact not in self.settlements:
                found[fact] = None
        for settlement in self.chain(facts):
            for fact, _ in settlement.because:
                if fact not in self.settlements:
                    found[fact] = None
        return tuple(found)

    def conflict(self, who: str, vocabulary_name: str) -> str:
        """The broken exclusion in words, naming the chain of settled values that led there.

        ``who`` says whose values they are ("account 'agency'"); ``vocabulary_name`` is the
        file that declares the exclusion. Without settled values in it, this is the message
        an account that states a broken exclusion outright always got.
        """
        if self.broken is None:
            return ""
        exclusion = self.broken.exclusion
        names = tuple(exclusion.facts)
        both = "both" if len(names) == 2 else "all"
        tail = f"{exclusion.statement} (exclusion '{self.broken.id}' in {vocabulary_name})"
        steps = self.chain(names)
        if not steps:
            return f"{who} says {exclusion.describe()}, which cannot {both} hold: {tail}"
        stated = " and ".join(f"{fact} is {self.values[fact]}" for fact in self.stated_roots(names))
        chain = "; ".join(
            f"{s.because_text()} settles {s.fact}: {s.value} (exclusion {s.exclusion})"
            for s in steps
        )
        return (
            f"{who} says {stated}, which cannot hold together: {chain}; and "
            f"{exclusion.describe()} cannot {both} hold: {tail}"
        )


def held(exclusion: Exclusion, values: Mapping[str, Value]) -> list[str]:
    """The facts of ``exclusion`` whose value in ``values`` is the one it names."""
    return [
        fact
        for fact, value in exclusion.facts.items()
        if values.get(fact) is (Value.TRUE if value else Value.FALSE)
    ]


def settle(vocabulary: Vocabulary, values: Mapping[str, Value]) -> Settled:
    """Every value the exclusions force, given ``values`` (see the module docstring).

    A fact absent from ``values`` or unknown in it may be settled; a true or false value is
    kept. Stops at the first exclusion the values break (then :attr:`Settled.broken`).
    """
    current = dict(values)
    settlements: dict[str, Settlement] = {}
    exclusions = vocabulary.exclusions
    if not exclusions:
        return Settled(current, settlements)
    changed = True
    while changed:
        changed = False
        for exclusion_id, exclusion in exclusions.items():
            holding = held(exclusion, current)
            if len(holding) == len(exclusion.facts):
                return Settled(current, settlements, BrokenExclusion(exclusion_id, exclusion))
            if len(holding) != len(exclusion.facts) - 1:
                continue
            (last,) = (f for f in exclusion.facts if f not in holding)
            if current.get(last, Value.UNKNOWN) is not Value.UNKNOWN:
                continue
            value = Value.FALSE if exclusion.facts[last] else Value.TRUE
            current[last] = value
            settlements[last] = Settlement(
                last, value, exclusion_id, tuple((f, current[f]) for f in holding)
            )
            changed = True
    return Settled(current, settlements)


def forbidden(vocabulary: Vocabulary, values: Mapping[str, Value], fact: str) -> set[Value]:
    """The values ``fact`` cannot take given the others (each would break an exclusion).

    The value ``values`` gives ``fact`` itself is replaced, so a stated value can be tested
    against the rest.
    """
    others = {k: v for k, v in values.items() if k != fact}
    return {
        value
        for value in (Value.TRUE, Value.FALSE)
        if settle(vocabulary, {**others, fact: value}).broken is not None
    }


__all__ = ["Settled", "Settlement", "forbidden", "held", "settle"]
