"""An account as the analysis sees it: its fact values at each moment of its timeline.

An account without discharges has one moment; with a timeline, one per discharge (the
account's facts overridden by the discharge's own). The account's outcome combines the
moments (not authorized if any is, else undetermined if any is, else authorized) — which is
Kleene conjunction of the decision's status at each moment.

A timeline keeps each moment's values as the account states them and, beside them, the
values the exclusions settle (:mod:`forcecheck.model.settling`), which are evaluated like
stated ones. A changed or answered timeline is settled again from the stated values, so
switching ``vehicle_involved`` back to true frees the vehicle facts it had settled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forcecheck.engine.evaluation import AccountResult
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.model.settling import Settled, settle
from forcecheck.symbolic.bitset import UNKNOWN, Bits, both, evaluate_bits, known

Moment = Mapping[str, Value]


def outcome_of(bits: Bits) -> Outcome:
    """The outcome of a single fact set (a one-bit status)."""
    if bits.met:
        return Outcome.AUTHORIZED
    if bits.unmet:
        return Outcome.NOT_AUTHORIZED
    return Outcome.UNDETERMINED


@dataclass(frozen=True)
class Timeline:
    """An account's moments under one policy, evaluated many fact sets at a time."""

    policy: Policy
    #: Each moment's values, settled ones included: what is evaluated.
    moments: tuple[Moment, ...]
    #: Each moment's values as stated (None: :attr:`moments` are as stated).
    stated: tuple[Moment, ...] | None = None
    #: Whether some moment's values break an exclusion once settled (an impossible account).
    broken: bool = False
    #: Each moment's settling (empty: nothing was settled), to trace a value to its roots.
    settlings: tuple[Settled, ...] = ()

    @classmethod
    def of(cls, policy: Policy, account: AccountResult) -> Timeline:
        """The moments of an evaluated account."""
        return cls.settled(
            policy,
            tuple(
                {k: f.value for k, f in r.facts.items() if f.settled is None}
                for r in account.results
            ),
        )

    @classmethod
    def settled(cls, policy: Policy, stated: tuple[Moment, ...]) -> Timeline:
        """The timeline of moments stated so, with the values the exclusions settle."""
        found = [settle(policy.vocabulary, moment) for moment in stated]
        return cls(
            policy,
            tuple(s.values for s in found),
            stated,
            any(s.broken is not None for s in found),
            tuple(found),
        )

    def settled_facts(self) -> set[str]:
        """The facts settled (not stated) at one moment or more."""
        stated = self.stated or self.moments
        return {
            fact
            for moment, given in zip(self.moments, stated, strict=True)
            for fact, value in moment.items()
            if value is not Value.UNKNOWN and given.get(fact, Value.UNKNOWN) is Value.UNKNOWN
        }

    def answered(self, answers: Mapping[str, Value]) -> Timeline:
        """The account with ``answers`` where a moment leaves the fact unknown, settled again."""
        stated = self.stated or self.moments
        return Timeline.settled(
            self.policy,
            tuple(
                {
                    **moment,
                    **{
                        f: v
                        for f, v in answers.items()
                        if v is not Value.UNKNOWN and settled.get(f, Value.UNKNOWN) is Value.UNKNOWN
                    },
                }
                for moment, settled in zip(stated, self.moments, strict=True)
            ),
        )

    @property
    def decision_facts(self) -> tuple[str, ...]:
        """The facts the decision depends on, in vocabulary order."""
        below = set(self.policy.facts_below(self.policy.spec.decision))
        return tuple(f for f in self.policy.vocabulary.ids if f in below)

    def open_facts(self) -> tuple[str, ...]:
        """Decision facts unknown (or not addressed) at one moment or more."""
        return tuple(
            f
            for f in self.decision_facts
            if any(m.get(f, Value.UNKNOWN) is Value.UNKNOWN for m in self.moments)
        )

    def known_facts(self) -> tuple[str, ...]:
        """Facts stated true or false at one moment or more that the decision turns on.

        Decision facts, and the facts a decision fact's settled value follows from (in
        vocabulary order); a settled fact itself is not stated, so not listed.
        """
        stated = self.stated or self.moments
        decision = self.decision_facts
        below = set(decision)
        for found in self.settlings:
            below.update(found.stated_roots(tuple(f for f in decision if f in found.settlements)))
        return tuple(
            f
            for f in self.policy.vocabulary.ids
            if f in below and any(m.get(f, Value.UNKNOWN) is not Value.UNKNOWN for m in stated)
        )

    def decide(self, answers: Mapping[str, Bits], full: int) -> Bits:
        """The account's outcome across fact sets.

        ``answers`` fill in facts where a moment leaves them unknown (an answer to a question
        about the account); known values stay as the account gives them.
        """
        total: Bits | None = None
        for moment in self.moments:
            facts: dict[str, Bits] = {}
            for fact_id, value in moment.items():
                if value is not Value.UNKNOWN:
                    facts[fact_id] = known(value is Value.TRUE, full)
            for fact_id, bits in answers.items():
                if fact_id not in facts:
                    facts[fact_id] = bits
            decision = self._decision(facts)
            total = decision if total is None else both(total, decision)
        assert total is not None
        return total

    def outcome(self, answers: Mapping[str, Value] | None = None) -> Outcome:
        """The account's outcome with ``answers`` filling in unknown facts (settled again)."""
        if answers and any(v is not Value.UNKNOWN for v in answers.values()):
            return self.answered(answers).outcome()
        return outcome_of(self.decide({}, 1))

    def replaced(self, fact_id: str, values: tuple[Value, ...]) -> Timeline:
        """The same account with ``fact_id`` set to ``values[i]`` at moment ``i``, settled again."""
        return Timeline.settled(
            self.policy,
            tuple(
                {**moment, fact_id: value}
                for moment, value in zip(self.stated or self.moments, values, strict=True)
            ),
        )

    def values(self, fact_id: str) -> tuple[Value, ...]:
        """The fact's value at each moment (unknown where not addressed)."""
        return tuple(m.get(fact_id, Value.UNKNOWN) for m in self.moments)

    def _decision(self, facts: Mapping[str, Bits]) -> Bits:
        policy = self.policy
        return evaluate_bits(policy, facts, policy.conditions).get(policy.spec.decision, UNKNOWN)
