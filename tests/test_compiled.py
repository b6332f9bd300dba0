"""Compiled evaluation agrees with the tree-walking interpreter on every node."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcecheck.engine.compiled import (
    OUTCOME_BY_CODE,
    STATUS_BY_CODE,
    CompiledPolicy,
    compile_policy,
    compile_uncached,
    plain_values,
)
from forcecheck.engine.explain import NodeResult, decide, evaluate, evaluate_interpreted
from forcecheck.errors import UnknownFactError
from forcecheck.model.logic import Outcome, Status, Value
from forcecheck.model.policy import Policy

from .conftest import policy_from_rules, vocabulary_of
from .strategies import fact_sets, policies

T, F, U = Value.TRUE, Value.FALSE, Value.UNKNOWN


def _nodes(node: NodeResult) -> list[Status]:
    found = [node.status]
    for child in node.children:
        found += _nodes(child)
    return found


def _variants(policy: Policy) -> list[CompiledPolicy]:
    """The cached compile, and compiles that hoist every shared rule, or none."""
    return [
        compile_policy(policy),
        compile_uncached(policy, max_shared_inline_size=0, max_inline_depth=1),
        compile_uncached(policy, max_shared_inline_size=10**6, max_inline_depth=10**6),
    ]


def _check_agreement(policy: Policy, facts: dict[str, Value]) -> None:
    reference = evaluate_interpreted(policy, facts)
    # The explanation built from compiled statuses is the interpreter's, node for node.
    assert evaluate(policy, facts) == reference
    assert decide(policy, facts) is reference.outcome
    expected_rules = [reference.rules[rule_id].status for rule_id in policy.rules]
    expected_nodes = [s for rule_id in policy.order for s in _nodes(reference.rules[rule_id].tree)]
    plain = plain_values(facts)
    for compiled in _variants(policy):
        assert OUTCOME_BY_CODE[compiled.decision_code(plain)] is reference.outcome
        assert [STATUS_BY_CODE[c] for c in compiled.rule_codes(plain)] == expected_rules
        assert [STATUS_BY_CODE[c] for c in compiled.node_codes(plain)] == expected_nodes


@pytest.mark.slow
@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.data())
def test_compiled_agrees_with_interpreter_on_generated_policies(data: st.DataObject) -> None:
    policy = data.draw(policies(max_facts=6, max_rules=6))
    _check_agreement(policy, data.draw(fact_sets(policy.vocabulary)))


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.data())
def test_compiled_agrees_with_interpreter_on_shipped_policies(
    library: object, data: st.DataObject
) -> None:
    from forcecheck.load.library import Library

    assert isinstance(library, Library)
    policy = data.draw(st.sampled_from(library.policies()))
    _check_agreement(policy, data.draw(fact_sets(policy.vocabulary)))


def test_plain_values_take_json_forms(dhs: Policy) -> None:
    compiled = compile_policy(dhs)
    facts = {"subject_threatened_deadly_force": T, "threat_ended": F, "verbal_warning_given": U}
    json_form = {"subject_threatened_deadly_force": True, "threat_ended": False}
    as_json = compiled.rule_codes({**json_form, "verbal_warning_given": "unknown"})
    assert as_json == compiled.rule_codes(plain_values(facts))
    assert compiled.statuses(facts)["imminent_threat"] is Status.MET


def test_a_deep_chain_of_rules_compiles() -> None:
    # 40 rules, each the `not` of the next (near the nesting limit of 100, which counts
    # the rules referred to): inlining all of them would nest 80 deep.
    vocabulary = vocabulary_of(2)
    rules: dict[str, Any] = {f"r{i}": {"not": f"r{i + 1}"} for i in range(40)}
    rules["r40"] = {"all": ["f0", {"any": ["f1", "f0"]}]}
    policy = policy_from_rules(rules, vocabulary, decision="r0")
    for f0 in (T, F, U):
        for f1 in (T, F, U):
            _check_agreement(policy, {"f0": f0, "f1": f1})
    assert decide(policy, {"f0": T}) is Outcome.AUTHORIZED  # an even number of negations


def test_a_widely_shared_rule_is_computed_once_not_inlined() -> None:
    vocabulary = vocabulary_of(20)
    big = {"all": [f"f{i}" for i in range(20)]}
    rules = {"top": {"any": [{"all": ["big", f"f{i}"]} for i in range(10)]}, "big": big}
    policy = policy_from_rules(rules, vocabulary, decision="top")
    compiled = compile_policy(policy)
    decision_source = compiled.source.split("def rules")[0]
    assert decision_source.count("g(k19) is True") == 1
    _check_agreement(policy, {f"f{i}": T for i in range(20)})


def test_generated_source_holds_no_text_from_the_policy(dhs: Policy) -> None:
    source = compile_policy(dhs).source
    for name in [*dhs.vocabulary.ids, *dhs.rules]:
        assert name not in source


def test_compiled_once_per_policy_and_shared_by_content(dhs: Policy) -> None:
    assert compile_policy(dhs) is compile_policy(dhs)
    # Compiling the same content twice shares the generated code (the content cache is
    # bounded, so compare two fresh compilations rather than one from earlier in the run).
    assert compile_uncached(dhs).decision_code is compile_uncached(dhs).decision_code


def test_decide_rejects_an_unknown_fact_with_a_suggestion(dhs: Policy) -> None:
    with pytest.raises(UnknownFactError) as caught:
        decide(dhs, {"subject_flee": T})
    assert caught.value.help == "did you mean 'subject_fleeing'?"
