"""forcecheck.testing's strategies generate valid input for a policy, and only that."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.engine.explain import evaluate
from forcecheck.errors import UnknownFactError
from forcecheck.load.library import Library, shipped
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import DEFAULT_ACCOUNT, Scenario
from forcecheck.model.vocabulary import Fact, Vocabulary
from forcecheck.testing import fact_sets, possible, scenario_texts, scenarios

from .conftest import ROOT, invoke, policy_from_rules, vocabulary_of

AS_VALUE: dict[object, Value] = {True: Value.TRUE, False: Value.FALSE, "unknown": Value.UNKNOWN}
FAST = settings(max_examples=60, derandomize=True, deadline=None, database=None)
SHIPPED = shipped()
DHS = SHIPPED.get("dhs-2023")


@FAST
@given(st.data())
def test_fact_sets_hold_fixed_facts_and_use_only_declared_ones(data: st.DataObject) -> None:
    policy = SHIPPED.get(data.draw(st.sampled_from(SHIPPED.ids())))
    vocabulary = policy.vocabulary.ids
    fixed = data.draw(
        st.dictionaries(
            st.sampled_from(vocabulary), st.sampled_from([True, False, "unknown", None])
        )
    )
    # A fixed combination the vocabulary excludes, at once or once the values it settles are
    # settled, is refused (tested below), not drawn from.
    stated = {fact: AS_VALUE[value] for fact, value in fixed.items() if value is not None}
    assume(possible(policy.vocabulary, stated))
    used_only = data.draw(st.booleans())
    facts = data.draw(fact_sets(policy, used_only=used_only, fixed=fixed))
    for fact, value in fixed.items():
        if value is None:
            assert fact not in facts
        else:
            assert facts[fact] is AS_VALUE[value]
    allowed = set(policy.facts_used if used_only else vocabulary) | set(fixed)
    assert set(facts) <= allowed
    assert list(facts) == [f for f in vocabulary if f in facts], "vocabulary order"
    # Totality: whatever is generated evaluates.
    assert evaluate(policy, facts).outcome in set(Outcome)


@FAST
@given(fact_sets(DHS, used_only=True, not_addressed=False))
def test_without_not_addressed_every_used_fact_has_a_value(facts: dict[str, Value]) -> None:
    assert list(facts) == list(DHS.facts_used)


@FAST
@given(fact_sets(vocabulary_of(5)))
def test_a_vocabulary_alone_is_a_source(facts: dict[str, Value]) -> None:
    assert set(facts) <= {f"f{i}" for i in range(5)}


def test_every_value_and_absence_are_generated() -> None:
    seen: set[Value | None] = set()

    @settings(max_examples=100, derandomize=True, database=None)
    @given(fact_sets(DHS, used_only=True))
    def collect(facts: dict[str, Value]) -> None:
        seen.update(facts.values())
        if len(facts) < len(DHS.facts_used):
            seen.add(None)

    collect()
    assert seen == {Value.TRUE, Value.FALSE, Value.UNKNOWN, None}


def test_examples_shrink_to_the_facts_that_matter() -> None:
    # What a property test reports on failure: as few facts as will do.
    minimal = find(
        fact_sets(DHS),
        lambda facts: evaluate(DHS, facts).outcome is Outcome.NOT_AUTHORIZED,
        # No explain phase: it traces every call, and there is nothing here to explain.
        settings=settings(derandomize=True, database=None, phases=[Phase.generate, Phase.shrink]),
    )
    # Shrinking stops at a local minimum: one to three facts (a warning shot; a feasible
    # warning not given; no threat, no driver and no escape to stop), never the dozens a
    # random draw holds. Where it stops depends on the vocabulary's order of facts.
    assert len(minimal) <= 3
    assert evaluate(DHS, minimal).outcome is Outcome.NOT_AUTHORIZED


def test_an_unknown_fixed_fact_is_named_with_a_suggestion() -> None:
    with pytest.raises(UnknownFactError) as error:
        fact_sets(DHS, fixed={"warning_shots": True})
    assert "warning_shots" in error.value.message
    assert error.value.help == "did you mean 'warning_shot'?"


def test_a_bad_fixed_value_is_refused() -> None:
    with pytest.raises(ValueError, match="quoted text"):
        fact_sets(DHS, fixed={"warning_shot": "true"})


@pytest.mark.parametrize(
    "kwargs",
    [{"form": "timeline"}, {"max_accounts": 0}, {"max_discharges": 101}],
)
def test_bad_arguments_are_hypothesis_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidArgument):
        scenarios(DHS, **kwargs)  # type: ignore[arg-type]


def test_used_only_needs_a_policy() -> None:
    with pytest.raises(InvalidArgument):
        fact_sets(DHS.vocabulary, used_only=True)


@pytest.mark.parametrize("ref", ["dhs-2023", str(ROOT / "docs/examples/example-policy.yaml")])
def test_a_policy_can_be_named_by_id_or_path(ref: str) -> None:
    @FAST
    @given(fact_sets(ref, used_only=True))
    def check(facts: dict[str, Value]) -> None:
        assert set(facts) <= set(DHS.vocabulary.ids)

    check()


FIXED = {"warning_shot": True, "subject_fleeing": False}


@pytest.mark.slow
@FAST
@given(scenarios(DHS, form="accounts", max_accounts=4, max_discharges=3, fixed=FIXED))
def test_scenarios_hold_fixed_facts_in_every_account_and_discharge(scenario: Scenario) -> None:
    result = evaluate_scenario(scenario, DHS)
    assert 1 <= len(result.accounts) <= 4
    for account in result.accounts:
        assert len(account.results) <= 3
        for moment in account.results:
            assert {f: moment.facts[f].value for f in FIXED} == {
                "warning_shot": Value.TRUE,
                "subject_fleeing": Value.FALSE,
            }
        # DHS 2023 never authorizes a warning shot.
        assert account.outcome is Outcome.NOT_AUTHORIZED


@FAST
@given(scenarios(DHS, max_discharges=2))
def test_minimal_scenarios_are_one_default_account(scenario: Scenario) -> None:
    assert scenario.spec.accounts is None
    assert list(scenario.accounts) == [DEFAULT_ACCOUNT]
    assert scenario.spec.policy == "dhs-2023"


def test_scenarios_reach_several_accounts_and_discharges() -> None:
    accounts: set[int] = set()
    discharges: set[int] = set()

    @FAST
    @given(scenarios(DHS, form="accounts", max_discharges=2))
    def collect(scenario: Scenario) -> None:
        accounts.add(len(scenario.accounts))
        discharges.update(len(a.discharges) for a in scenario.accounts.values())

    collect()
    assert accounts == {1, 2, 3} and discharges == {0, 1, 2}


@pytest.mark.slow
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=scenario_texts(DHS, form="accounts", max_discharges=2))
def test_scenario_texts_are_accepted_by_forcecheck_evaluate(tmp_path: Path, text: str) -> None:
    file = tmp_path / "generated.yaml"
    file.write_text(text)
    result = invoke(["evaluate", str(file), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["policy"]["id"] == "dhs-2023"


ECPD_DIR = ROOT / "docs/examples/policy-repo/policy"
ECPD = Library(ECPD_DIR).get("ecpd-2024")


@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=scenario_texts(ECPD))
def test_a_policy_of_ones_own_is_named_by_path(tmp_path: Path, text: str) -> None:
    assert f"policy: {(ECPD_DIR / 'ecpd-2024.yaml').resolve()}" in text
    (tmp_path / "s.yaml").write_text(text)
    result = invoke(["evaluate", str(tmp_path / "s.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["policy"]["id"] == "ecpd-2024"


@FAST
@given(st.data())
def test_generated_policies_get_scenarios_without_a_policy_key(data: st.DataObject) -> None:
    policy: Policy = policy_from_rules({"r": {"all": ["f0", {"not": "f1"}]}}, vocabulary_of(3))
    scenario = data.draw(scenarios(policy, used_only=True))
    assert scenario.spec.policy is None
    assert set(scenario.spec.facts or {}) <= {"f0", "f1"}
    evaluate_scenario(scenario, policy)


class ExcludingVocabulary(Vocabulary):
    """Three facts; f0 true with f1 false cannot hold, as a facts.yaml exclusion says."""

    # Unannotated on purpose: the shape of Vocabulary.broken_exclusion's result is the
    # vocabulary's business; the strategies only ask whether there is one.
    def broken_exclusion(self, values):
        if values.get("f0") is Value.TRUE and values.get("f1") is Value.FALSE:
            return "f0-needs-f1"
        return None


EXCLUDING = policy_from_rules(
    {"r": {"any": ["f0", "f1", "f2"]}},
    ExcludingVocabulary({f"f{i}": Fact(question=f"Fact {i}?") for i in range(3)}),
)


def test_excluded_combinations_are_never_generated() -> None:
    seen: list[dict[str, Value]] = []

    @settings(max_examples=200, derandomize=True, database=None)
    @given(st.one_of(fact_sets(EXCLUDING), scenarios(EXCLUDING, max_discharges=3)))
    def collect(example: dict[str, Value] | Scenario) -> None:
        if isinstance(example, dict):
            seen.append(example)
            return
        for moment in evaluate_scenario(example, EXCLUDING).accounts[0].results:
            seen.append({fact: used.value for fact, used in moment.facts.items()})

    collect()
    excluded = [f for f in seen if f.get("f0") is Value.TRUE and f.get("f1") is Value.FALSE]
    assert not excluded
    # Not vacuous: each half of the excluded combination does occur.
    assert any(facts.get("f0") is Value.TRUE for facts in seen)
    assert any(facts.get("f1") is Value.FALSE for facts in seen)


def test_fixed_facts_that_are_excluded_are_refused() -> None:
    with pytest.raises(InvalidArgument, match="excludes"):
        fact_sets(EXCLUDING, fixed={"f0": True, "f1": False})


def test_importing_forcecheck_and_its_plugin_needs_no_hypothesis() -> None:
    code = (
        "import sys, forcecheck, forcecheck.testing, forcecheck.testing.plugin; "
        "print(sorted(m for m in ('hypothesis', 'pydantic', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
