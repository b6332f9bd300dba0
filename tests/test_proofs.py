"""Lint's proofs (`symbolic.encoding.ClassicalRules`), against enumeration, and at scale."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

from forcecheck.checks.lint import lint_paths
from forcecheck.load.library import shipped
from forcecheck.model.logic import Status
from forcecheck.model.policy import Expr, FactRef, Policy, RuleRef
from forcecheck.symbolic.encoding import ClassicalRules

from .strategies import policies

Env = Mapping[str, bool]
_STATUS = {True: Status.MET, False: Status.UNMET, None: Status.UNKNOWN}


def _and(parts: list[bool | None]) -> bool | None:
    return False if False in parts else None if None in parts else True


def _or(parts: list[bool | None]) -> bool | None:
    return True if True in parts else None if None in parts else False


def _classical(
    policy: Policy, forced: Mapping[str, bool] | None = None
) -> Callable[[Env], dict[str, bool | None]]:
    """A reference written apart from the node program: by walking the trees, every fact
    true or false (None: unknown, which only an `unsettled` point gives).

    Rules in ``forced`` are not computed: every reference to one reads the given value.
    """
    forced = forced or {}

    def evaluate(env: Env) -> dict[str, bool | None]:
        rules: dict[str, bool | None] = {}

        def value(expr: Expr) -> bool | None:
            if isinstance(expr, FactRef):
                return env[expr.fact]
            if isinstance(expr, RuleRef):
                return forced.get(expr.rule, rules[expr.rule])
            # Written out by hand: the reference the proofs are checked by.
            parts = [value(part) for part in expr.parts]
            if expr.op == "unsettled":
                return None
            if expr.op == "not":
                return None if parts[0] is None else not parts[0]
            if expr.op == "if":
                return _or([None if parts[0] is None else not parts[0], parts[1]])
            return _and(parts) if expr.op == "all" else _or(parts)

        for rule_id in policy.order:
            rules[rule_id] = value(policy.rules[rule_id].expr)
        return rules

    return evaluate


def _assignments(policy: Policy) -> list[dict[str, bool]]:
    ids = policy.vocabulary.ids
    return [dict(zip(ids, bits, strict=True)) for bits in product((False, True), repeat=len(ids))]


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(policies(max_facts=6, max_rules=5))
def test_constants_and_influence_agree_with_enumeration(policy: Policy) -> None:
    proofs = ClassicalRules(policy)
    envs = _assignments(policy)
    computed = [_classical(policy)(env) for env in envs]
    decision = policy.spec.decision
    for rule_id in policy.rules:
        seen = {values[rule_id] for values in computed}
        expected = _STATUS[seen.pop()] if len(seen) == 1 else None
        assert proofs.constant(rule_id) == expected
        if rule_id == decision:
            continue
        as_constant = [
            [_classical(policy, {rule_id: value})(env)[decision] for env in envs]
            for value in (True, False)
        ]
        actual = [values[decision] for values in computed]
        assert proofs.influences(rule_id, decision) == (actual not in as_constant)


def _write_policy(directory: Path, facts: int, rules: dict[str, Any], decision: str) -> None:
    citation = {"source": "s", "section": "1", "quote": "q", "wording": "secondary"}
    vocabulary = {"facts": {f"f{i}": {"question": f"Fact {i}?"} for i in range(facts)}}
    (directory / "facts.yaml").write_text(yaml.safe_dump(vocabulary))
    policy = {
        "id": "generated",
        "title": "Generated",
        "document": "generated",
        "issuer": "tests",
        "agencies": ["ALL"],
        "effective": date(2000, 1, 1),
        "sources": {"s": {"title": "source"}},
        "decision": decision,
        "rules": {k: {"title": k, "citation": citation, **v} for k, v in rules.items()},
    }
    (directory / "generated.yaml").write_text(yaml.safe_dump(policy, sort_keys=False))


def _messages(directory: Path) -> list[str]:
    return [d.message for d in lint_paths([directory / "generated.yaml"], shipped())]


def test_lint_proves_rules_over_many_facts(tmp_path: Path) -> None:
    # Enumeration stopped at 18 facts and said nothing beyond; the proofs have no limit.
    wide = [f"f{i}" for i in range(1, 40)]
    rules = {
        "decision": {"all": ["f0", "always", "redundant"]},
        "always": {"any": ["f1", {"not": "f1"}, *wide]},
        "redundant": {"any": ["f0", *wide]},
    }
    _write_policy(tmp_path, 40, rules, "decision")
    assert _messages(tmp_path) == [
        "rule 'always' is met whatever the facts",
        "rule 'redundant' never changes the decision: whatever its status, the outcome is the same",
    ]


@pytest.mark.slow
def test_lint_of_two_thousand_rules_finishes(tmp_path: Path) -> None:
    # Shaped like bench/run.py's generated policies: groups of five facts in four shapes,
    # each pair of groups joined with a shared rule. Lint proves every rule; it used to take
    # time quadratic in the rules (4,000 rules: 99 s); this takes a few seconds.
    groups = 1400
    shapes: list[Callable[[list[str]], dict[str, Any]]] = [
        lambda g: {"all": g},
        lambda g: {"any": [{"all": g[:2]}, *g[2:]]},
        lambda g: {"all": [{"not": g[0]}, {"any": g[1:3]}, {"if": g[3], "then": g[-1]}]},
        lambda g: {"any": [{"not": g[0]}, {"all": g[1:]}]},
    ]
    rules: dict[str, Any] = {
        f"g{i}": shapes[i % 4]([f"f{5 * i + k}" for k in range(5)]) for i in range(groups)
    }
    rules["shared"] = {"any": ["g0", "g1"]}
    mids = [f"m{i}" for i in range(2, groups, 2)]
    for index, mid in zip(range(2, groups, 2), mids, strict=True):
        rules[mid] = {"any": [f"g{index}", f"g{index + 1}", "shared"]}
    rules["decision"] = {"all": ["shared", *mids]}
    _write_policy(tmp_path, 5 * groups, rules, "decision")
    assert len(rules) > 2000
    # Every mid rule holds where `shared` does, which the decision requires: so the
    # decision is `shared`, and only it and its two groups matter.
    idle = [m for m in _messages(tmp_path) if "never changes the decision" in m]
    assert len(idle) == len(rules) - 4
    assert not [m for m in idle if "'shared'" in m or "'g0'" in m or "'g1'" in m]
