"""A policy's rules as Boolean functions over the whole three-valued fact space.

Each fact gets two BDD variables, *is true* and *is false*: a fact that is true sets the
first, false the second, unknown neither, and no assignment sets both (``valid`` says so).
Every rule then gets two functions, *met* and *unmet*; it is unknown where neither holds.
These follow the engine's Kleene semantics exactly (see logic.py):

* a fact: met = is-true, unmet = is-false;
* ``not a``: met and unmet swap;
* ``all``: met = every part met, unmet = some part unmet;
* ``any``: met = some part met, unmet = every part unmet;
* ``if a then b`` (= ``any: [not a, b]``): met = a unmet or b met, unmet = a met and b unmet.

So one BDD per rule and status stands for the rule's status under all 3**n assignments at
once; a question about every assignment is a question about whether a BDD is empty.

A third variable per fact, *world*, serves the built-in soundness check: it holds one
classical (true/false) value of the fact, so that "every way of filling in the unknowns"
can be quantified over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from forcecheck.model.logic import Status, Value
from forcecheck.model.policy import AllOf, AnyOf, Expr, FactRef, IfThen, Not, Policy, RuleRef
from forcecheck.symbolic.bdd import BDD, FALSE, TRUE

#: A rule's (met, unmet) pair of BDDs.
Rails = tuple[int, int]

#: Variables per fact: is-true, is-false, world.
_STRIDE = 3


@dataclass
class Encoding:
    """A policy's rules as BDDs over the fact space, with the means to read answers back."""

    bdd: BDD
    policy: Policy
    #: Facts in variable order (the first nearest the root).
    facts: tuple[str, ...]
    #: Each rule's (met, unmet) over the three-valued fact variables.
    rules: dict[str, Rails]
    #: The assignments that can occur: no fact both true and false, no exclusion broken.
    valid: int
    _positions: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._positions = {fact: i for i, fact in enumerate(self.facts)}

    def true_var(self, fact: str) -> int:
        """The variable "``fact`` is true"."""
        return _STRIDE * self._positions[fact]

    def false_var(self, fact: str) -> int:
        """The variable "``fact`` is false"."""
        return _STRIDE * self._positions[fact] + 1

    def world_var(self, fact: str) -> int:
        """The variable holding one classical value of ``fact`` (soundness check)."""
        return _STRIDE * self._positions[fact] + 2

    def fact_is(self, fact: str, value: Value) -> int:
        """The assignments in which ``fact`` has ``value``."""
        t, f = self.bdd.var(self.true_var(fact)), self.bdd.var(self.false_var(fact))
        if value is Value.TRUE:
            return self.bdd.and_(t, self.bdd.neg(f))
        if value is Value.FALSE:
            return self.bdd.and_(self.bdd.neg(t), f)
        return self.bdd.and_(self.bdd.neg(t), self.bdd.neg(f))

    def status_is(self, rule: str, status: Status) -> int:
        """The assignments in which ``rule`` has ``status``."""
        met, unmet = self.rules[rule]
        if status is Status.MET:
            return met
        if status is Status.UNMET:
            return unmet
        return self.bdd.and_(self.bdd.neg(met), self.bdd.neg(unmet))

    def status_in(self, rule: str, statuses: tuple[Status, ...]) -> int:
        """The assignments in which ``rule`` has one of ``statuses``."""
        return self.bdd.disj(self.status_is(rule, s) for s in statuses)

    def decode(self, path: Mapping[int, bool]) -> dict[str, Value]:
        """The known facts of an assignment (variables missing from ``path`` are false)."""
        known: dict[str, Value] = {}
        for fact in self.facts:
            if path.get(self.true_var(fact)):
                known[fact] = Value.TRUE
            elif path.get(self.false_var(fact)):
                known[fact] = Value.FALSE
        return known

    def assignment(self, facts: Mapping[str, Value]) -> dict[int, bool]:
        """Every three-valued fact variable set as ``facts`` says (others unknown)."""
        values: dict[int, bool] = {}
        for fact in self.facts:
            value = facts.get(fact, Value.UNKNOWN)
            values[self.true_var(fact)] = value is Value.TRUE
            values[self.false_var(fact)] = value is Value.FALSE
        return values

    def three_valued_vars(self) -> Iterator[int]:
        """Every is-true and is-false variable."""
        for fact in self.facts:
            yield self.true_var(fact)
            yield self.false_var(fact)


def variable_order(policy: Policy) -> tuple[str, ...]:
    """Facts in the order a depth-first walk from the decision meets them, then the rest.

    Facts used together sit together, which keeps the BDDs small (a standard heuristic).
    """
    seen: dict[str, None] = {}
    visited: set[str] = set()

    def visit_expr(expr: Expr) -> None:
        if isinstance(expr, FactRef):
            seen.setdefault(expr.fact, None)
        elif isinstance(expr, RuleRef):
            visit_rule(expr.rule)
        elif isinstance(expr, Not):
            visit_expr(expr.part)
        elif isinstance(expr, IfThen):
            visit_expr(expr.condition)
            visit_expr(expr.consequence)
        else:
            for part in expr.parts:
                visit_expr(part)

    def visit_rule(rule_id: str) -> None:
        if rule_id not in visited:
            visited.add(rule_id)
            visit_expr(policy.rules[rule_id].expr)

    for rule_id in (policy.spec.decision, *policy.findings, *policy.rules):
        visit_rule(rule_id)
    for fact in policy.vocabulary.ids:
        seen.setdefault(fact, None)
    return tuple(seen)


def encode_rules(policy: Policy, bdd: BDD, fact_rails: Callable[[str], Rails]) -> dict[str, Rails]:
    """Every rule's (met, unmet), given each fact's (met, unmet)."""
    rules: dict[str, Rails] = {}

    def expr_rails(expr: Expr) -> Rails:
        if isinstance(expr, FactRef):
            return fact_rails(expr.fact)
        if isinstance(expr, RuleRef):
            return rules[expr.rule]
        if isinstance(expr, Not):
            met, unmet = expr_rails(expr.part)
            return unmet, met
        if isinstance(expr, IfThen):
            c_met, c_unmet = expr_rails(expr.condition)
            q_met, q_unmet = expr_rails(expr.consequence)
            return bdd.or_(c_unmet, q_met), bdd.and_(c_met, q_unmet)
        parts = [expr_rails(part) for part in expr.parts]
        mets = [met for met, _ in parts]
        unmets = [unmet for _, unmet in parts]
        if isinstance(expr, AllOf):
            return bdd.conj(mets), bdd.disj(unmets)
        assert isinstance(expr, AnyOf)
        return bdd.disj(mets), bdd.conj(unmets)

    for rule_id in policy.order:
        rules[rule_id] = expr_rails(policy.rules[rule_id].expr)
    return rules


def encode(policy: Policy, bdd: BDD | None = None) -> Encoding:
    """Encode ``policy`` over the whole three-valued space of its vocabulary's facts."""
    bdd = bdd or BDD()
    facts = variable_order(policy)
    positions = {fact: i for i, fact in enumerate(facts)}

    def rails(fact: str) -> Rails:
        i = positions[fact]
        return bdd.var(_STRIDE * i), bdd.var(_STRIDE * i + 1)

    rules = encode_rules(policy, bdd, rails)
    valid = TRUE
    for fact in facts:
        t, f = rails(fact)
        valid = bdd.and_(valid, bdd.neg(bdd.and_(t, f)))
    for exclusion in policy.vocabulary.exclusions.values():
        held = bdd.conj(rails(fact)[0 if value else 1] for fact, value in exclusion.facts.items())
        valid = bdd.and_(valid, bdd.neg(held))
    return Encoding(bdd=bdd, policy=policy, facts=facts, rules=rules, valid=valid)


def classical_rules(encoding: Encoding) -> dict[str, int]:
    """Every rule's two-valued function of the *world* variables (true = met)."""
    bdd = encoding.bdd

    def rails(fact: str) -> Rails:
        world = bdd.var(encoding.world_var(fact))
        return world, bdd.neg(world)

    return {rule: met for rule, (met, _) in encode_rules(encoding.policy, bdd, rails).items()}


def classical_valid(encoding: Encoding) -> int:
    """The classical assignments (of the world variables) that break no exclusion."""
    bdd = encoding.bdd
    valid = TRUE
    for exclusion in encoding.policy.vocabulary.exclusions.values():
        held = bdd.conj(
            bdd.var(encoding.world_var(fact))
            if value
            else bdd.neg(bdd.var(encoding.world_var(fact)))
            for fact, value in exclusion.facts.items()
        )
        valid = bdd.and_(valid, bdd.neg(held))
    return valid


__all__ = ["FALSE", "TRUE", "Encoding", "classical_rules", "classical_valid", "encode"]
