"""A policy's rules as Boolean functions over the whole three-valued fact space.

Each fact gets two BDD variables, *is true* and *is false*: a fact that is true sets the
first, false the second, unknown neither, and no assignment sets both (``valid`` says so).
Every rule then gets two functions, *met* and *unmet*; it is unknown where neither holds.
These follow the engine's Kleene semantics exactly: they are the policy's node program
evaluated in the two-rail form (:class:`forcecheck.model.semantics.Rails`) with BDD
conjunction and disjunction; a fact is met where is-true holds, unmet where is-false does.

So one BDD per rule and status stands for the rule's status under all 3**n assignments at
once; a question about every assignment is a question about whether a BDD is empty.

A third variable per fact, *classical*, serves the built-in soundness check and lint's proofs:
it holds one classical (true/false) value of the fact, so that "every refinement of the
unknowns" can be quantified over (:func:`classical_rules`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress, count
from operator import ne

from forcecheck.model.logic import Status, Value
from forcecheck.model.policy import Expr, FactRef, Policy, RuleRef
from forcecheck.model.semantics import TwoRail, program_of, rerun, run
from forcecheck.symbolic.bdd import BDD, FALSE, TRUE

#: A rule's (met, unmet) pair of BDDs.
Rails = tuple[int, int]

#: Variables per fact: is-true, is-false, classical.
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
    #: The assignments an account is evaluated in: no fact both true and false, no exclusion
    #: broken, and none the exclusions would settle further (model/settling.py).
    valid: int
    #: The assignments that break nothing, settled or not: what the rule language's own
    #: laws (monotonicity, soundness) are proved over. Defaults to ``valid``.
    possible: int = -1
    _positions: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._positions = {fact: i for i, fact in enumerate(self.facts)}
        if self.possible == -1:
            self.possible = self.valid

    def true_var(self, fact: str) -> int:
        """The variable "``fact`` is true"."""
        return _STRIDE * self._positions[fact]

    def false_var(self, fact: str) -> int:
        """The variable "``fact`` is false"."""
        return _STRIDE * self._positions[fact] + 1

    def classical_var(self, fact: str) -> int:
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


def encode_rules(
    policy: Policy,
    bdd: BDD,
    fact_rails: Callable[[str], Rails],
    rule_rails: Mapping[str, Rails] | None = None,
    rules: Collection[str] | None = None,
) -> dict[str, Rails]:
    """Every rule's (met, unmet), given each fact's (met, unmet).

    ``rule_rails`` gives some rules' rails outright (their references read them, their
    expressions are not encoded); ``rules`` limits the work to those rules (each of their
    references must then be in ``rules`` or ``rule_rails``).
    """
    program = program_of(policy)
    index = program.rule_index
    given = {index[rule_id]: rails for rule_id, rails in (rule_rails or {}).items()}
    wanted = None if rules is None else {index[rule_id] for rule_id in rules} - given.keys()
    values = run(
        program,
        TwoRail(bdd.conj, bdd.disj),
        fact=lambda i: fact_rails(program.facts[i]),
        rule=given.get,
        rules=wanted,
    )
    return {
        rule_id: values[program.roots[i]]
        for i, rule_id in enumerate(program.rules)
        if i not in given and (wanted is None or i in wanted)
    }


def encode(policy: Policy, bdd: BDD | None = None, facts: Sequence[str] | None = None) -> Encoding:
    """Encode ``policy`` over the whole three-valued space of its vocabulary's facts.

    ``facts`` fixes the variable order (default: :func:`variable_order`); two policies
    encoded in one ``bdd`` with the same order share their fact variables, so a question
    about both (verify's check across layers) is one BDD.
    """
    bdd = bdd or BDD()
    facts = variable_order(policy) if facts is None else tuple(facts)
    missing = set(policy.vocabulary.ids) - set(facts)
    if missing:
        raise ValueError(f"the variable order leaves out facts: {sorted(missing)}")
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
    possible = valid
    for exclusion in policy.vocabulary.exclusions.values():
        # Settled (model/settling.py): where every other value of the exclusion holds, the
        # last fact has the other value, never unknown; a fact set an account could give
        # is evaluated settled, so only settled fact sets are the ones to reason over.
        for last, value in exclusion.facts.items():
            others = bdd.conj(
                rails(fact)[0 if v else 1] for fact, v in exclusion.facts.items() if fact != last
            )
            other_value = rails(last)[1 if value else 0]
            valid = bdd.and_(valid, bdd.neg(bdd.and_(others, bdd.neg(other_value))))
    return Encoding(
        bdd=bdd, policy=policy, facts=facts, rules=rules, valid=valid, possible=possible
    )


def classical_rules(encoding: Encoding) -> dict[str, int]:
    """Every rule's two-valued function of the *classical* variables (true = met)."""
    bdd = encoding.bdd

    def rails(fact: str) -> Rails:
        classical = bdd.var(encoding.classical_var(fact))
        return classical, bdd.neg(classical)

    return {rule: met for rule, (met, _) in encode_rules(encoding.policy, bdd, rails).items()}


class ClassicalRules:
    """Every rule as a classical (two-valued) function of the facts: lint's proofs.

    The three-valued engine answers "what follows from these facts"; lint asks "for every
    way the facts could be", which only needs true and false (by monotonicity a Kleene
    result that is met or unmet agrees with every classical refinement). Each rule is one
    BDD over one variable per fact, so the proofs hold for rules of any size, and each
    rule is encoded once (a question about one rule re-encodes only the rules above it).
    Exclusions between facts are not assumed: a proof holds for every assignment.
    """

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.bdd = bdd = BDD()
        self._program = program = program_of(policy)
        facts = variable_order(policy)
        # The first variable, above every fact's: a rule's status when it is set free.
        self._free = 0
        position = {fact: i + 1 for i, fact in enumerate(facts)}
        self._conj = _Fold(bdd.and_, TRUE)
        self._disj = _Fold(bdd.or_, FALSE)
        self._algebra = TwoRail(self._conj, self._disj)
        self._facts = [self._classical(position[fact]) for fact in program.facts]
        self._depth = len(facts) + 1
        with _recursion_room(self._depth):
            self._base = run(program, self._algebra, fact=self._facts.__getitem__)
        # Later questions change one rule: wide rules then fold from what is recorded here.
        self._conj.recording = self._disj.recording = False
        self._rails: list[Rails] = [self._base[root] for root in program.roots]

    def _classical(self, variable: int) -> Rails:
        var = self.bdd.var(variable)
        return var, self.bdd.neg(var)

    def function(self, rule_id: str) -> int:
        """The rule's BDD: true exactly where it is met."""
        return self._rails[self._program.rule_index[rule_id]][0]

    def constant(self, rule_id: str) -> Status | None:
        """The rule's status if it is the same for every assignment of the facts, else None.

        Unknown for every assignment is a constant too: a rule that rests on an
        ``unsettled`` point and nothing else.
        """
        met, unmet = self._rails[self._program.rule_index[rule_id]]
        if met == TRUE:
            return Status.MET
        if unmet == TRUE:
            return Status.UNMET
        return Status.UNKNOWN if met == unmet == FALSE else None

    def influences(self, rule_id: str, target: str) -> bool:
        """Whether ``rule_id`` ever matters to ``target``.

        A rule does not matter when ``target`` is the same function of the facts with the
        rule replaced by a constant (always true, or always false): then the rule could be
        deleted without changing a single outcome.
        """
        program = self._program
        index = program.rule_index
        freed = self._classical(self._free)
        with _recursion_room(self._depth):
            values = rerun(program, self._algebra, self._base, {index[rule_id]: freed})
        root = program.roots[index[target]]
        computed = self._base[root]
        forced = values.get(root, computed)
        # Both rails: with `unsettled` points a status is not two-valued, so the unmet rail
        # is not the met rail's complement.
        branches = [
            tuple(self.bdd.cofactor(rail, self._free, value) for rail in forced)
            for value in (False, True)
        ]
        return computed not in branches


@contextmanager
def _recursion_room(variables: int) -> Iterator[None]:
    """Room on the stack for BDD operations over ``variables`` variables.

    The BDD's operations recurse one level per variable (a few frames each); a rule over
    thousands of facts needs more than Python's default limit. Python calls do not use the
    C stack, so a higher limit is safe; it is restored afterwards.
    """
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(old + 4 * variables)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


class _Fold:
    """A conjunction (or disjunction) of many BDDs that redoes little when one changes.

    While ``recording``, every wide list folded is kept; afterwards, a list that differs
    from a kept one in a single place is folded from the kept list's prefix and suffix
    (computed once), in two operations instead of one per part. So asking how a change to
    one rule reaches a rule of a thousand parts costs the same as for a rule of three.
    The result is the same either way (a BDD is canonical): only the work differs.
    """

    #: Lists shorter than this are folded directly.
    WIDE = 16

    def __init__(self, combine: Callable[[int, int], int], unit: int) -> None:
        self.combine = combine
        self.unit = unit
        self.recording = True
        self._kept: dict[tuple[int, int, int], list[int]] = {}
        self._ends: dict[int, tuple[list[int], list[int]]] = {}

    def __call__(self, functions: Sequence[int]) -> int:
        if len(functions) >= self.WIDE:
            if self.recording:
                kept = list(functions)
                for key in self._keys(kept):
                    self._kept.setdefault(key, kept)
            else:
                for key in self._keys(functions):
                    found = self._kept.get(key)
                    if found is not None and len(found) == len(functions):
                        changed = list(compress(count(), map(ne, found, functions)))
                        if len(changed) <= 1:
                            return self._one_changed(found, functions, changed)
        return self._fold(functions)

    @staticmethod
    def _keys(functions: Sequence[int]) -> list[tuple[int, int, int]]:
        # A single change leaves at least one of these keys as it was.
        n, first, last = len(functions), functions[0], functions[-1]
        return [(n, first, last), (n, functions[1], last), (n, first, functions[-2])]

    def _fold(self, functions: Sequence[int]) -> int:
        # From the right: parts usually come in variable order (facts are ordered as the
        # rules use them), and a part above the rest combines in time of its own size.
        result = self.unit
        for function in reversed(functions):
            result = self.combine(function, result)
        return result

    def _one_changed(self, kept: list[int], functions: Sequence[int], changed: list[int]) -> int:
        ends = self._ends.get(id(kept))
        if ends is None:
            prefix = [self.unit]
            for function in kept:
                prefix.append(self.combine(prefix[-1], function))
            suffix = [self.unit]
            for function in reversed(kept):
                suffix.append(self.combine(function, suffix[-1]))
            suffix.reverse()
            ends = self._ends[id(kept)] = (prefix, suffix)
        prefix, suffix = ends
        if not changed:
            return prefix[-1]
        at = changed[0]
        return self.combine(prefix[at], self.combine(functions[at], suffix[at + 1]))


def classical_valid(encoding: Encoding) -> int:
    """The classical assignments (of the classical variables) that break no exclusion."""
    bdd = encoding.bdd
    valid = TRUE
    for exclusion in encoding.policy.vocabulary.exclusions.values():
        held = bdd.conj(
            bdd.var(encoding.classical_var(fact))
            if value
            else bdd.neg(bdd.var(encoding.classical_var(fact)))
            for fact, value in exclusion.facts.items()
        )
        valid = bdd.and_(valid, bdd.neg(held))
    return valid


__all__ = [
    "FALSE",
    "TRUE",
    "ClassicalRules",
    "Encoding",
    "classical_rules",
    "classical_valid",
    "encode",
]
