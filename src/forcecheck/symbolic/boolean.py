"""Rules as classical (two-valued) Boolean functions, for exhaustive static checks.

The three-valued engine answers "what follows from these facts"; static checks ask
"for every way the facts could be", which only needs true and false: by monotonicity a
Kleene result that is met or unmet agrees with every classical completion.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from itertools import product

from forcecheck.model.policy import AllOf, AnyOf, Expr, FactRef, IfThen, Not, Policy, RuleRef

Assignment = Mapping[str, bool]
BoolFn = Callable[[Assignment], bool]

#: Exhaustive checks enumerate at most 2**MAX_EXHAUSTIVE_FACTS assignments.
MAX_EXHAUSTIVE_FACTS = 18


def compile_rules(policy: Policy, free: frozenset[str] = frozenset()) -> dict[str, BoolFn]:
    """Each rule as a function of an assignment of facts.

    Rules named in ``free`` are not computed: they read their value from the assignment
    under their own id, as if they were facts (to ask whether a rule influences another).
    """
    compiled: dict[str, BoolFn] = {}

    def build(expr: Expr) -> BoolFn:
        if isinstance(expr, FactRef):
            name = expr.fact
            return lambda env: env[name]
        if isinstance(expr, RuleRef):
            rule_id = expr.rule
            if rule_id in free:
                return lambda env: env[rule_id]
            return lambda env: compiled[rule_id](env)
        if isinstance(expr, Not):
            part = build(expr.part)
            return lambda env: not part(env)
        if isinstance(expr, IfThen):
            condition, consequence = build(expr.condition), build(expr.consequence)
            return lambda env: (not condition(env)) or consequence(env)
        parts = [build(p) for p in expr.parts]
        if isinstance(expr, AllOf):
            return lambda env: all(p(env) for p in parts)
        assert isinstance(expr, AnyOf)
        return lambda env: any(p(env) for p in parts)

    for rule_id in policy.order:
        compiled[rule_id] = build(policy.rules[rule_id].expr)
    return compiled


def facts_below(
    policy: Policy, rule_id: str, stop: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The facts ``rule_id`` depends on, directly or through other rules (not through ``stop``)."""
    seen: dict[str, None] = {}
    stack = [rule_id]
    visited: set[str] = set()
    while stack:
        current = stack.pop()
        if current in visited or (current in stop and current != rule_id):
            continue
        visited.add(current)
        rule = policy.rules[current]
        for fact in rule.facts:
            seen[fact] = None
        stack.extend(rule.rule_refs)
    return tuple(sorted(seen))


def assignments(names: tuple[str, ...]) -> Iterator[dict[str, bool]]:
    """Every assignment of true/false to ``names``."""
    for values in product((False, True), repeat=len(names)):
        yield dict(zip(names, values, strict=True))


def constant_value(policy: Policy, rule_id: str) -> bool | None:
    """The rule's value if it is the same for every assignment of its facts, else None.

    Raises ValueError when the rule depends on too many facts to enumerate.
    """
    names = facts_below(policy, rule_id)
    if len(names) > MAX_EXHAUSTIVE_FACTS:
        raise ValueError(f"{len(names)} facts: too many to enumerate")
    fn = compile_rules(policy)[rule_id]
    seen: set[bool] = set()
    for env in assignments(names):
        seen.add(fn(env))
        if len(seen) == 2:
            return None
    return seen.pop()


def influences(policy: Policy, rule_id: str, target: str) -> bool:
    """Whether ``rule_id`` ever matters to ``target``.

    A rule does not matter when ``target`` is the same function of the facts with the rule
    replaced by a constant (always true, or always false): then the rule could be deleted
    without changing a single outcome. Exhaustive over the facts ``target`` depends on;
    raises ValueError when there are too many to enumerate.
    """
    computed = compile_rules(policy)[target]
    forced = compile_rules(policy, free=frozenset({rule_id}))[target]
    names = facts_below(policy, target)
    if len(names) > MAX_EXHAUSTIVE_FACTS:
        raise ValueError(f"{len(names)} facts: too many to enumerate")

    def same_as_constant(value: bool) -> bool:
        def agrees(env: dict[str, bool]) -> bool:
            return computed(env) == forced({**env, rule_id: value})

        # A seeded random probe finds a disagreement quickly in the usual case;
        # enumeration proves agreement. Seeded, so every run gives the same answer.
        rng = random.Random(0)
        for _ in range(2000):
            if not agrees({name: rng.random() < 0.5 for name in names}):
                return False
        return all(agrees(env) for env in assignments(names))

    return not (same_as_constant(True) or same_as_constant(False))
