"""An account as the analysis sees it: its fact values at each moment of its timeline.

An account without discharges has one moment; with a timeline, one per discharge (the
account's facts overridden by the discharge's own). The account's outcome combines the
moments (not authorized if any is, else undetermined if any is, else authorized) — which is
Kleene conjunction of the decision's status at each moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forcecheck.engine.evaluation import AccountResult
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
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
    moments: tuple[Moment, ...]

    @classmethod
    def of(cls, policy: Policy, account: AccountResult) -> Timeline:
        """The moments of an evaluated account."""
        return cls(
            policy,
            tuple({k: f.value for k, f in r.facts.items()} for r in account.results),
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
        """Decision facts given true or false at one moment or more."""
        return tuple(
            f
            for f in self.decision_facts
            if any(m.get(f, Value.UNKNOWN) is not Value.UNKNOWN for m in self.moments)
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
        """The account's outcome with ``answers`` filling in unknown facts."""
        bits = {
            f: known(v is Value.TRUE, 1)
            for f, v in (answers or {}).items()
            if v is not Value.UNKNOWN
        }
        return outcome_of(self.decide(bits, 1))

    def replaced(self, fact_id: str, values: tuple[Value, ...]) -> Timeline:
        """The same account with ``fact_id`` set to ``values[i]`` at moment ``i``."""
        return Timeline(
            self.policy,
            tuple(
                {**moment, fact_id: value}
                for moment, value in zip(self.moments, values, strict=True)
            ),
        )

    def values(self, fact_id: str) -> tuple[Value, ...]:
        """The fact's value at each moment (unknown where not addressed)."""
        return tuple(m.get(fact_id, Value.UNKNOWN) for m in self.moments)

    def _decision(self, facts: Mapping[str, Bits]) -> Bits:
        policy = self.policy
        return evaluate_bits(policy, facts, policy.conditions).get(policy.spec.decision, UNKNOWN)
