"""The prover agrees with brute-force enumeration through the engine, counterexamples too."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcecheck.checks.verify import (
    ProofResult,
    check_property,
    find_unsound_status,
    find_unstable_refinement,
    verify_policy,
)
from forcecheck.engine.explain import evaluate
from forcecheck.load.library import Library
from forcecheck.model.citation import Citation
from forcecheck.model.logic import Status, Value
from forcecheck.model.policy import Policy
from forcecheck.model.properties import Property, Relation
from forcecheck.model.settling import settle
from forcecheck.model.vocabulary import Exclusion, Vocabulary
from forcecheck.symbolic.bdd import FALSE
from forcecheck.symbolic.encoding import encode

from .conftest import policy_from_rules, vocabulary_of
from .strategies import policies

CITATION = Citation(source="src", section="1", quote="q", wording="verbatim")
T, F, U = Value.TRUE, Value.FALSE, Value.UNKNOWN


@st.composite
def with_exclusions(draw: st.DrawFn, policy: Policy) -> Policy:
    """``policy`` over the same facts, with up to two random exclusions."""
    ids = policy.vocabulary.ids
    exclusions: dict[str, Exclusion] = {}
    if len(ids) >= 2:
        for index in range(draw(st.integers(0, 2))):
            chosen = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True))
            facts = {fact: draw(st.booleans()) for fact in chosen}
            exclusions[f"x{index}"] = Exclusion(statement="impossible", facts=facts)
    vocabulary = Vocabulary(policy.vocabulary.facts, exclusions=exclusions)
    return replace(policy, vocabulary=vocabulary)


@st.composite
def properties_of(draw: st.DrawFn, policy: Policy) -> Property:
    """A random property of ``policy``: any rule, relation and status, some facts fixed."""
    ids = policy.vocabulary.ids
    facts = draw(st.dictionaries(st.sampled_from(ids), st.sampled_from(list(Value)), max_size=3))
    conditions = draw(
        st.dictionaries(
            st.sampled_from(list(policy.rules)), st.sampled_from(list(Status)), max_size=1
        )
    )
    return Property(
        id="p",
        statement="random",
        citation=CITATION,
        rule=draw(st.sampled_from(list(policy.rules))),
        relation=draw(st.sampled_from(list(Relation))),
        status=draw(st.sampled_from(list(Status))),
        facts=facts,
        conditions=conditions,
    )


@dataclass(frozen=True)
class World:
    """One possible assignment, with every rule's status from the engine."""

    facts: dict[str, Value]
    statuses: dict[str, Status]

    @property
    def fixed(self) -> int:
        return sum(v is not U for v in self.facts.values())


def every_world(policy: Policy) -> list[World]:
    """All 3**n assignments an account can be evaluated in, evaluated by the engine.

    Those that break no exclusion and that settling leaves as they are: an account whose
    values the exclusions settle further is evaluated settled (model/settling.py).
    """
    ids = policy.vocabulary.ids
    worlds = []
    for values in product(list(Value), repeat=len(ids)):
        facts = dict(zip(ids, values, strict=True))
        if policy.vocabulary.broken_exclusion(facts):
            continue
        if settle(policy.vocabulary, facts).settlements:
            continue
        evaluation = evaluate(policy, facts)
        worlds.append(World(facts, {r: res.status for r, res in evaluation.rules.items()}))
    return worlds


def _matches(world: World, prop: Property) -> bool:
    return all(world.facts[f] is v for f, v in prop.facts.items()) and all(
        world.statuses[r] is s for r, s in prop.conditions.items()
    )


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_prover_agrees_with_enumeration(data: st.DataObject) -> None:
    policy = data.draw(policies(max_facts=8).flatmap(with_exclusions))
    worlds = every_world(policy)
    encoding = encode(policy)
    for _ in range(4):
        prop = data.draw(properties_of(policy))
        result = check_property(encoding, prop)
        matching = [w for w in worlds if _matches(w, prop)]
        violating = [w for w in matching if not prop.holds(w.statuses[prop.rule])]
        if not matching:
            assert result.verdict is ProofResult.VACUOUS
        elif not violating:
            assert result.verdict is ProofResult.PROVED
        else:
            assert result.verdict is ProofResult.VIOLATED
            example = result.counterexample
            assert example is not None
            # It really violates, through the engine, and nothing violates with fewer facts.
            full = {f: example.facts.get(f, U) for f in policy.vocabulary.ids}
            assert any(w.facts == full for w in violating)
            assert example.fixed == min(w.fixed for w in violating)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.data())
def test_builtin_properties_hold_for_generated_policies(data: st.DataObject) -> None:
    policy = data.draw(policies(max_facts=8).flatmap(with_exclusions))
    verdicts = {r.id: r.verdict for r in verify_policy(policy).results}
    assert verdicts == {"monotonicity": ProofResult.PROVED, "soundness": ProofResult.PROVED}


def test_the_valid_space_is_exactly_the_possible_assignments() -> None:
    vocabulary = Vocabulary(
        vocabulary_of(3).facts,
        exclusions={"x": Exclusion(statement="no", facts={"f0": True, "f1": False})},
    )
    policy = policy_from_rules({"r": {"all": ["f0", "f1", "f2"]}}, vocabulary)
    encoding = encode(policy)
    ids = ("f0", "f1", "f2")
    count = sum(
        encoding.bdd.evaluate(encoding.valid, encoding.assignment(dict(zip(ids, v, strict=True))))
        for v in product(list(Value), repeat=3)
    )
    # f0 true with f1 false is excluded (3 assignments); f0 true with f1 unknown, and f1
    # false with f0 unknown, are settled to other values (3 each): no account is evaluated so.
    assert count == 27 - 3 - 3 - 3


def test_a_broken_monotonicity_is_found_and_minimal() -> None:
    policy = policy_from_rules({"r": {"all": ["f0", "f1"]}}, vocabulary_of(3))
    encoding = encode(policy)
    bdd = encoding.bdd
    # Doctor r: met exactly when f1 is unknown, a status new information takes away.
    encoding.rules["r"] = (encoding.fact_is("f1", U), FALSE)
    found = find_unstable_refinement(encoding)
    assert found is not None
    assert (found.rule, found.fact, found.facts) == ("r", "f1", {})
    assert bdd.evaluate(encoding.rules["r"][0], encoding.assignment(found.facts))


def test_a_broken_soundness_is_found_with_its_filling() -> None:
    policy = policy_from_rules({"r": {"all": ["f0"]}}, vocabulary_of(2))
    encoding = encode(policy)
    bdd = encoding.bdd
    # Doctor r: met when f0 is true or unknown, although classically r is just f0.
    met = bdd.or_(encoding.fact_is("f0", T), encoding.fact_is("f0", U))
    encoding.rules["r"] = (met, encoding.fact_is("f0", F))
    found = find_unsound_status(encoding)
    assert found is not None
    assert (found.rule, found.status, found.facts) == ("r", Status.MET, {})
    assert found.filled["f0"] is F and found.relevant == ("f0",)


@pytest.mark.parametrize(
    "policy_id",
    ["cbp-2014", "constitutional-floor", "dhs-2018", "dhs-2023", "doj-2022", "ice-2004"],
)
def test_every_shipped_policy_declares_eight_properties_and_proves_them(
    library: Library, policy_id: str
) -> None:
    policy = library.get(policy_id)
    assert len(policy.properties) >= 8
    result = verify_policy(policy)
    assert [r.id for r in result.failed] == []


def _eight_fact_policy() -> Policy:
    vocabulary = Vocabulary(
        vocabulary_of(8).facts,
        exclusions={"x": Exclusion(statement="no", facts={"f6": True, "f7": False})},
    )
    rules = {
        "decision": {"all": ["basis", {"not": "f4"}, {"if": "f5", "then": "exception"}]},
        "basis": {"any": [{"all": ["f0", {"not": "f1"}]}, {"all": ["f2", "f3", "f7"]}]},
        "exception": {"any": ["f0", {"all": ["f6", {"not": "f1"}]}]},
    }
    return policy_from_rules(rules, vocabulary, decision="decision")


EIGHT = _eight_fact_policy()


@cache
def _eight_worlds() -> list[World]:
    return every_world(EIGHT)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True)
@given(properties_of(EIGHT))
def test_prover_agrees_with_enumeration_over_eight_facts(prop: Property) -> None:
    result = check_property(encode(EIGHT), prop)
    matching = [w for w in _eight_worlds() if _matches(w, prop)]
    violating = [w for w in matching if not prop.holds(w.statuses[prop.rule])]
    expected = (
        ProofResult.VACUOUS
        if not matching
        else ProofResult.VIOLATED
        if violating
        else ProofResult.PROVED
    )
    assert result.verdict is expected
    if result.counterexample is not None:
        full = {f: result.counterexample.facts.get(f, U) for f in EIGHT.vocabulary.ids}
        assert any(w.facts == full for w in violating)
        assert result.counterexample.fixed == min(w.fixed for w in violating)


def test_a_sixty_fact_policy_is_decided_exactly() -> None:
    from bench.verify_scale import generated_policy

    policy = generated_policy(60, seed=0)
    assert len(policy.facts_used) == 60
    results = verify_policy(policy).results
    verdicts = {r.id: r.verdict for r in results}
    assert verdicts["monotonicity"] is verdicts["soundness"] is ProofResult.PROVED
    # Every counterexample has been re-run through the engine by verify itself; here, that
    # it breaks its property with facts that can occur.
    for result in results:
        if result.counterexample is not None:
            prop = policy.properties[result.id]
            facts = result.counterexample.facts
            assert policy.vocabulary.broken_exclusion(facts) is None
            assert not settle(policy.vocabulary, facts).settlements
            assert not prop.holds(evaluate(policy, facts).rules[prop.rule].status)
