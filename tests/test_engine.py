"""The engine: Kleene evaluation of whole policies, checked by property tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcecheck.engine.explain import Evaluation, NodeResult, evaluate
from forcecheck.model.logic import Outcome, Status, Value
from forcecheck.model.policy import Policy
from forcecheck.render.reasons import reason_text

from .conftest import policy_from_rules, vocabulary_of
from .strategies import fact_sets, policies, values

T, F, U = Value.TRUE, Value.FALSE, Value.UNKNOWN


def _nodes(node: NodeResult) -> list[NodeResult]:
    found = [node]
    for child in node.children:
        found += _nodes(child)
    return found


def _all_statuses(evaluation: Evaluation) -> list[Status]:
    return [n.status for r in evaluation.rules.values() for n in _nodes(r.tree)]


@st.composite
def refinement(draw: st.DrawFn, policy: Policy) -> tuple[dict[str, Value], dict[str, Value]]:
    """A fact set, and the same set with some unknown facts replaced by true or false."""
    facts = draw(fact_sets(policy.vocabulary))
    refined = dict(facts)
    for fact_id in policy.vocabulary.ids:
        if facts.get(fact_id, U) is U and draw(st.booleans()):
            refined[fact_id] = draw(st.sampled_from([T, F]))
    return facts, refined


def _check_monotone(policy: Policy, facts: dict[str, Value], refined: dict[str, Value]) -> None:
    before = _all_statuses(evaluate(policy, facts))
    after = _all_statuses(evaluate(policy, refined))
    for old, new in zip(before, after, strict=True):
        if old is not Status.UNKNOWN:
            assert new is old


@given(st.data())
def test_monotone_on_dhs_2023(dhs: Policy, data: st.DataObject) -> None:
    facts, refined = data.draw(refinement(dhs))
    _check_monotone(dhs, facts, refined)


@pytest.mark.slow
@settings(max_examples=150)
@given(st.data())
def test_monotone_on_generated_policies(data: st.DataObject) -> None:
    policy = data.draw(policies())
    facts, refined = data.draw(refinement(policy))
    _check_monotone(policy, facts, refined)


@pytest.mark.slow
@settings(max_examples=150)
@given(st.data())
def test_total_and_deterministic_on_generated_policies(data: st.DataObject) -> None:
    policy = data.draw(policies())
    facts = data.draw(fact_sets(policy.vocabulary))
    first, second = evaluate(policy, facts), evaluate(policy, dict(reversed(facts.items())))
    assert _all_statuses(first) == _all_statuses(second)
    assert [reason_text(r) for r in first.rules.values()] == [
        reason_text(r) for r in second.rules.values()
    ]
    assert first.outcome in set(Outcome)


def test_a_rule_used_twice_has_one_status() -> None:
    vocabulary = vocabulary_of(2)
    policy = policy_from_rules(
        {"top": {"all": ["shared", {"not": {"not": "shared"}}]}, "shared": {"any": ["f0", "f1"]}},
        vocabulary,
    )
    result = evaluate(policy, {"f0": F, "f1": U})
    assert result.rules["shared"].status is Status.UNKNOWN
    assert result.rules["top"].status is Status.UNKNOWN
    assert evaluate(policy, {"f1": T}).outcome is Outcome.AUTHORIZED


def test_facts_used_record_value_and_whether_supplied(dhs: Policy) -> None:
    result = evaluate(dhs, {"warning_shot": T})
    uses = {u.id: u for u in result.rules["no_warning_shot"].facts}
    assert uses["warning_shot"].value is T and uses["warning_shot"].supplied
    verbal = {u.id: u for u in result.rules["verbal_warning_rule"].facts}
    assert not verbal["verbal_warning_given"].supplied
    assert "verbal_warning_given" in result.not_addressed
    assert "warning_shot" not in result.not_addressed


# ---------------------------------------------------------------- what DHS 2023 says

AUTHORIZED_BASE = {
    "subject_threatened_deadly_force": T,
    "threat_ended": F,
    "other_defense_available": F,
    "threat_only_to_property_or_self": F,
    "shot_at_vehicle": F,
    "shot_solely_to_disable_vehicle": F,
    "warning_shot": F,
    "verbal_warning_feasible": F,
    "significant_threat_if_escapes": F,
}


def test_an_armed_attack_is_authorized(dhs: Policy) -> None:
    result = evaluate(dhs, AUTHORIZED_BASE)
    assert result.outcome is Outcome.AUTHORIZED
    assert result.rules["imminent_threat"].status is Status.MET


@given(
    st.sampled_from(
        [
            "warning_shot",
            "shot_solely_to_disable_vehicle",
            "threat_only_to_property_or_self",
            "threat_ended",
            "other_defense_available",
        ]
    )
)
def test_each_prohibition_alone_defeats_an_otherwise_authorized_shot(
    dhs: Policy, fact: str
) -> None:
    assert evaluate(dhs, AUTHORIZED_BASE | {fact: T}).outcome is Outcome.NOT_AUTHORIZED


def test_feasible_warning_not_given_defeats_it(dhs: Policy) -> None:
    facts = AUTHORIZED_BASE | {"verbal_warning_feasible": T, "verbal_warning_given": F}
    result = evaluate(dhs, facts)
    assert result.outcome is Outcome.NOT_AUTHORIZED
    assert result.rules["verbal_warning_rule"].status is Status.UNMET


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "subject_armed",
                "subject_fleeing",
                "verbal_warning_given",
                "necessary_to_prevent_escape",
                "officer_placed_self_in_path",
                "person_in_vehicle_path",
                "could_avoid_vehicle",
                "shot_at_vehicle",
                "threat_ended",
                "warning_shot",
            ]
        ),
        values,
    )
)
def test_flight_alone_never_authorizes(dhs: Policy, others: dict[str, Value]) -> None:
    # No deadly threat, no vehicle threat, no significant threat if he escapes:
    # whatever else is true, flight alone is no basis.
    facts = others | {
        "subject_threatened_deadly_force": F,
        "vehicle_moving_toward_person": F,
        "person_struck_or_dragged": F,
        "significant_threat_if_escapes": F,
    }
    assert evaluate(dhs, facts).outcome is Outcome.NOT_AUTHORIZED


def test_a_dangerous_fleeing_subject_may_be_stopped(dhs: Policy) -> None:
    facts = AUTHORIZED_BASE | {
        "subject_threatened_deadly_force": F,
        "subject_fleeing": T,
        "significant_threat_if_escapes": T,
        "necessary_to_prevent_escape": T,
        "vehicle_moving_toward_person": F,
        "person_struck_or_dragged": F,
    }
    result = evaluate(dhs, facts)
    assert result.rules["fleeing_subject_exception"].status is Status.MET
    assert result.outcome is Outcome.AUTHORIZED


VEHICLE = AUTHORIZED_BASE | {
    "subject_threatened_deadly_force": F,
    "shot_at_vehicle": T,
    "vehicle_moving_toward_person": T,
    "subject_driving": T,
    "person_in_vehicle_path": T,
}


def test_a_car_bearing_down_on_an_officer_who_cannot_get_clear(dhs: Policy) -> None:
    assert evaluate(dhs, VEHICLE | {"could_avoid_vehicle": F}).outcome is Outcome.AUTHORIZED


def test_an_officer_who_could_step_aside_may_not_shoot_the_driver(dhs: Policy) -> None:
    result = evaluate(dhs, VEHICLE | {"could_avoid_vehicle": T})
    assert result.rules["moving_vehicle_rule"].status is Status.UNMET
    assert result.outcome is Outcome.NOT_AUTHORIZED


def test_whether_he_could_step_aside_decides_it_when_unknown(dhs: Policy) -> None:
    result = evaluate(dhs, VEHICLE)
    assert result.outcome is Outcome.UNDETERMINED
    assert "could_avoid_vehicle" in result.not_addressed
    assert evaluate(dhs, VEHICLE | {"could_avoid_vehicle": T}).outcome is not result.outcome


def test_safe_tactics_is_a_finding_not_part_of_the_decision(dhs: Policy) -> None:
    result = evaluate(dhs, VEHICLE | {"could_avoid_vehicle": F, "officer_placed_self_in_path": T})
    assert result.outcome is Outcome.AUTHORIZED
    assert [f.rule.id for f in result.findings] == ["safe_tactics"]
    assert result.findings[0].status is Status.UNMET
    assert "safe_tactics" not in {c.rule.id for c in result.conditions}


def test_every_condition_is_cited(dhs: Policy) -> None:
    result = evaluate(dhs, {})
    for condition in (*result.conditions, *result.findings):
        citation = condition.rule.citation
        assert citation.quote and citation.section and citation.source in dhs.spec.sources
