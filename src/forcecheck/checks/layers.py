"""verify across layers: a policy must not authorize where a floor binding with it does not.

A department's or a component's policy may be stricter than the regulation and the
Constitution that bind the same officers, never looser. For every pair of a policy and a
**floor** (a policy of a floor layer: regulation, constitution) that can bind the same agency
on the same day, and under every reading of each, two questions are decided over every
possible fact set (the vocabulary's exclusions respected), exactly, by one BDD each:

* is there a fact set on which the policy's decision is met (authorized) and the floor's is
  unmet (not authorized)? That is the policy falling **below the floor**;
* is there one on which the policy authorizes and the floor is unknown (undetermined)? The
  policy then authorizes on facts that do not yet establish what the floor requires: weaker,
  but a reader comparing the two outcomes of one account will see it.

Each answer comes with a minimal counterexample (the fewest facts fixed), re-run through the
ordinary engine like verify's other counterexamples. Where one is found, the policy's own
words may be looser than the floor (a point for the reader), or the encoding may be wrong
(a rule, or an exclusion the vocabulary lacks): the check cannot tell which, so it reports
and, unless asked to be strict, does not fail.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from forcecheck.engine.explain import evaluate
from forcecheck.model.binding import LAYER_ORDER, Span, common_agencies, common_span
from forcecheck.model.logic import Outcome, Status, Value
from forcecheck.model.policy import Policy
from forcecheck.model.readings import variants
from forcecheck.symbolic.bdd import BDD
from forcecheck.symbolic.encoding import encode, variable_order

#: Layers whose policies set a floor for the more specific layers that bind with them.
FLOOR_LAYERS = ("regulation", "constitution")

#: What a floor may answer where the policy above it authorizes: the hard case first.
FLOOR_OUTCOMES = (Outcome.NOT_AUTHORIZED, Outcome.UNDETERMINED)

_STATUS_OF = {Outcome.NOT_AUTHORIZED: Status.UNMET, Outcome.UNDETERMINED: Status.UNKNOWN}


def policy_readings(policy: Policy) -> Iterator[tuple[str | None, Policy]]:
    """Each reading of ``policy``, as (its name, the policy read that way).

    The policy as written, every rule at its default reading, first (name None); then one
    policy per alternative reading, one rule read otherwise at a time (name
    ``rule.reading``, :mod:`forcecheck.model.readings`).
    """
    yield None, policy
    for variant in variants(policy):
        yield variant.label, variant.policy


@dataclass(frozen=True)
class LayerCounterexample:
    """Fact values on which the policy authorizes and the floor does not, fewest fixed."""

    #: The scenario's facts in vocabulary order; facts not listed are not addressed.
    facts: dict[str, Value]
    #: The policy's decision status (always met) and the floor's, from the engine.
    status: Status
    floor_status: Status
    #: One sentence saying what happens.
    note: str
    #: The floor's rules and facts that gave its decision its status, outermost first (the
    #: decision itself left out): where the policy falls short of the floor.
    floor_through: tuple[tuple[str, str], ...] = ()

    @property
    def fixed(self) -> int:
        """How many facts the counterexample fixes to true or false."""
        return sum(value is not Value.UNKNOWN for value in self.facts.values())


@dataclass(frozen=True)
class LayerResult:
    """Whether the policy can authorize where the floor has one outcome, and where."""

    #: The floor's outcome asked about: not_authorized (below the floor) or undetermined.
    floor_outcome: Outcome
    #: None when no possible fact set does it.
    counterexample: LayerCounterexample | None

    @property
    def looser(self) -> bool:
        """Whether the policy can authorize where the floor has ``floor_outcome``."""
        return self.counterexample is not None


@dataclass(frozen=True)
class LayerCheck:
    """A policy against one floor that can bind with it, one reading of each."""

    policy: Policy
    floor: Policy
    #: The readings compared (None: the policy as written, which has no named readings).
    reading: str | None
    floor_reading: str | None
    #: The agencies both can bind, and the days both may have been in force.
    agencies: tuple[str, ...]
    span: Span
    #: One result per outcome of :data:`FLOOR_OUTCOMES`, in that order.
    results: tuple[LayerResult, ...]

    def looser_where(self, floor_outcome: Outcome) -> bool:
        """Whether the policy authorizes on some fact set where the floor has ``floor_outcome``."""
        return any(r.looser for r in self.results if r.floor_outcome is floor_outcome)

    @property
    def below(self) -> bool:
        """Whether the policy falls below the floor: authorizes where the floor does not."""
        return self.looser_where(Outcome.NOT_AUTHORIZED)


def is_floor_of(floor: Policy, policy: Policy) -> bool:
    """Whether ``floor`` is a floor for ``policy``: a floor layer more general than its layer."""
    layers = (policy.spec.layer, floor.spec.layer)
    return (
        floor.spec.layer in FLOOR_LAYERS
        and all(layer in LAYER_ORDER for layer in layers)
        and LAYER_ORDER.index(layers[0]) < LAYER_ORDER.index(layers[1])
    )


def same_vocabulary(a: Policy, b: Policy) -> bool:
    """Whether ``a`` and ``b`` use the same facts and exclusions (else they cannot be compared)."""
    x, y = a.vocabulary, b.vocabulary
    return x is y or (x.facts == y.facts and x.exclusions == y.exclusions)


def layer_pairs(
    policies: Sequence[Policy], floors: Sequence[Policy]
) -> list[tuple[Policy, Policy]]:
    """Every (policy, floor) to check: a floor of the policy that can bind with it.

    Can bind with it: some agency both bind, on some day both may have been in force. Pairs
    over different vocabularies are left out: their facts need not mean the same.
    """
    return [
        (policy, floor)
        for policy in policies
        for floor in floors
        if floor.id != policy.id
        and is_floor_of(floor, policy)
        and common_agencies(policy, floor)
        and common_span(policy, floor) is not None
        and same_vocabulary(policy, floor)
    ]


def check_layers(policy: Policy, floor: Policy) -> list[LayerCheck]:
    """``policy`` against ``floor``, every reading of one against every reading of the other."""
    span = common_span(policy, floor)
    if span is None:
        raise ValueError(f"{policy.id} and {floor.id} cannot bind on the same day")
    agencies = common_agencies(policy, floor)
    return [
        LayerCheck(
            policy=policy,
            floor=floor,
            reading=reading,
            floor_reading=floor_reading,
            agencies=agencies,
            span=span,
            results=compare_decisions(read, floor_read),
        )
        for reading, read in policy_readings(policy)
        for floor_reading, floor_read in policy_readings(floor)
    ]


def compare_decisions(policy: Policy, floor: Policy) -> tuple[LayerResult, ...]:
    """Where ``policy`` authorizes, whether ``floor`` can be not authorized, or undetermined.

    Both are encoded in one BDD over the same fact variables; the fact sets asked about are
    those breaking no exclusion where the policy's decision is met and the floor's has the
    outcome asked about. A cheapest path of that BDD is a fact set with the fewest facts fixed.
    """
    bdd = BDD()
    order = variable_order(policy)
    mine, theirs = encode(policy, bdd, order), encode(floor, bdd, order)
    authorizes = bdd.conj(
        [mine.valid, theirs.valid, mine.status_is(policy.spec.decision, Status.MET)]
    )
    results = []
    for outcome in FLOOR_OUTCOMES:
        wanted = _STATUS_OF[outcome]
        found = bdd.and_(authorizes, theirs.status_is(floor.spec.decision, wanted))
        path = bdd.min_true_path(found)
        example = None
        if path is not None:
            known = mine.decode(path)
            facts = {fact: known[fact] for fact in policy.vocabulary.ids if fact in known}
            example = _counterexample(policy, floor, facts, wanted)
        results.append(LayerResult(outcome, example))
    return tuple(results)


def _counterexample(
    policy: Policy, floor: Policy, facts: Mapping[str, Value], wanted: Status
) -> LayerCounterexample:
    """The counterexample, its statuses read from the engine (which must agree)."""
    status = evaluate(policy, facts).rules[policy.spec.decision].status
    floor_status = evaluate(floor, facts).rules[floor.spec.decision].status
    if status is not Status.MET or floor_status is not wanted:
        raise AssertionError(
            f"verify and the engine disagree on {policy.id} against {floor.id}: {facts}"
        )
    # Imported here: verify's module reads this one's results for its report.
    from forcecheck.checks.verify import deciding_chain

    through = deciding_chain(floor, facts, floor.spec.decision)[1:]
    note = (
        f"{policy.id} finds {policy.spec.decision} met ({Outcome.AUTHORIZED}), "
        f"{floor.id} finds {floor.spec.decision} {floor_status} ({Outcome.of(floor_status)})"
    )
    if through:
        note += " through " + ", ".join(f"{name} ({state})" for name, state in through)
    return LayerCounterexample(dict(facts), status, floor_status, note, through)
