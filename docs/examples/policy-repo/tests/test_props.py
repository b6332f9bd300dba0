"""Promises General Order 5.1 makes, tested over generated facts and scenarios."""

from pathlib import Path

from hypothesis import given, settings

from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.engine.explain import evaluate
from forcecheck.load.library import Library
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.scenario import Scenario
from forcecheck.testing import assert_outcome, fact_sets, scenarios

POLICY = Library(Path(__file__).resolve().parents[1] / "policy").get("ecpd-2024")
# The same examples on every run, so a CI failure reproduces on a laptop.
CHECK = settings(max_examples=200, derandomize=True, deadline=None)


@CHECK
@given(fact_sets(POLICY, used_only=True, fixed={"warning_shot": True}))
def test_a_warning_shot_is_never_authorized(facts: dict[str, Value]) -> None:
    """General Order 5.1.5: warning shots are prohibited."""
    assert_outcome(evaluate(POLICY, facts), Outcome.NOT_AUTHORIZED)


@CHECK
@given(
    fact_sets(
        POLICY,
        fixed={
            "subject_fleeing": True,
            "subject_threatened_deadly_force": False,
            "vehicle_moving_toward_person": False,
        },
    )
)
def test_flight_alone_never_authorizes_deadly_force(facts: dict[str, Value]) -> None:
    """5.1.6: no deadly force solely to prevent the escape of a fleeing person."""
    assert evaluate(POLICY, facts).outcome is Outcome.NOT_AUTHORIZED


@CHECK
@given(fact_sets(POLICY, used_only=True))
def test_the_verbal_warning_is_a_finding_not_a_condition(facts: dict[str, Value]) -> None:
    """5.1.3 is reported beside the decision; it never changes the outcome."""
    given_warning = evaluate(POLICY, facts | {"verbal_warning_given": Value.TRUE})
    no_warning = evaluate(POLICY, facts | {"verbal_warning_given": Value.FALSE})
    assert given_warning.outcome is no_warning.outcome


@CHECK
@given(
    scenarios(
        POLICY,
        form="accounts",
        max_discharges=3,
        fixed={"threat_ended": True},
    )
)
def test_no_discharge_is_authorized_once_the_threat_has_ended(scenario: Scenario) -> None:
    """5.1.2: deadly force only to stop an imminent threat, at every discharge."""
    assert_outcome(evaluate_scenario(scenario, POLICY), Outcome.NOT_AUTHORIZED)
