"""The meaning of the rule language, defined once, and the one form every back end reads.

Two things live here and nowhere else:

* **The combinators**, as data (:data:`COMBINATORS`): for each kind of expression that
  combines parts (``all``, ``any``, ``not``, ``if``/``then``), the keys a file writes it
  with, its meaning, written against an :class:`Algebra` — three operations, ``not_``,
  ``all_`` and ``any_``, that each back end supplies for its own kind of value — and the
  words that read it back. So ``if a then b`` is defined here, once, as
  ``any(not a, b)``.
* **The node program** (:class:`Program`): a policy's rules compiled into one flat list of
  nodes, rules in dependency order and each rule's expression in pre-order, with a
  schedule that computes every node after its parts. :func:`run` evaluates it in any
  algebra, with a single dispatch on the node's kind; :func:`rerun` recomputes only what
  a change to some rules reaches.

The back ends are algebras and leaf readers over this form: Kleene's tables on status codes
(:class:`forcecheck.model.logic.Kleene`: the explaining evaluator), and the two-rail form
(:class:`TwoRail`: each status as a pair *met*, *unmet* of Booleans) over bit masks
(:mod:`forcecheck.symbolic.bitset`), BDDs (:mod:`forcecheck.symbolic.encoding`: verify,
questions, disputes, the interview, lint) and source text (:mod:`forcecheck.engine.program`:
the compiled Python and the report page's JavaScript).

Adding a combinator is one :class:`Combinator` entry below (its slots, its meaning, its
label), then its docs and tests. The parser (:mod:`forcecheck.load.expression_parser`), the
policy file's keys and JSON Schema (:mod:`forcecheck.load.policy_file`), every back end, and
the words that read a rule back are all built from the entry; only ``not`` and ``if`` have
reasons worded their own way (:mod:`forcecheck.render.reasons`), any other combinator is
explained by the parts that decide it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, Literal, Protocol, TypeVar

from forcecheck.model.policy import (
    Combination,
    Expr,
    FactRef,
    Policy,
    RuleRef,
    per_policy,
    split,
)

T = TypeVar("T")
B = TypeVar("B")


class Algebra(Protocol[T]):
    """The three operations every combinator is defined from, on some kind of value."""

    def not_(self, part: T, /) -> T:
        """Negation."""
        ...

    def all_(self, parts: Sequence[T], /) -> T:
        """Conjunction of one or more parts."""
        ...

    def any_(self, parts: Sequence[T], /) -> T:
        """Disjunction of one or more parts."""
        ...

    def unknown(self) -> T:
        """The status unknown, as a constant: neither met nor unmet, whatever the facts."""
        ...


@dataclass(frozen=True)
class Slot:
    """One key of a combinator as a policy file writes it, and what it holds."""

    #: The key in the file (``all``, ``if``, ``then``...).
    key: str
    #: ``expr``: one expression; ``exprs``: a non-empty list of expressions; ``count``: a
    #: positive whole number; ``choice``: one of :attr:`choices` (the last two are
    #: arguments, not parts).
    takes: Literal["expr", "exprs", "count", "choice"]
    #: What the slot holds, in a few words: the JSON Schema's description of the key.
    words: str
    #: The heading of the slot's parts when a rule is read back (``forcecheck explain``);
    #: ``{key}`` stands for the value of the count slot ``key``.
    heading: str = ""
    #: The values a ``choice`` slot accepts.
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Combinator:
    """A kind of expression that combines parts: how a file writes it, and what it means.

    This entry is all a new combinator needs: the parser, the policy file's JSON Schema,
    every back end and the words that read a rule back are built from it.
    """

    #: Its keys in the file, the first one naming it (``all``; ``if`` then ``then``).
    slots: tuple[Slot, ...]
    #: The status of an expression of this kind, given the values of each expression slot's
    #: parts (one sequence per ``expr``/``exprs`` slot, in slot order) and the count slots'
    #: values by key.
    meaning: Callable[
        [Algebra[object], Sequence[Sequence[object]], Mapping[str, int | str]], object
    ]
    #: Its label in the report page's condition tree (``{key}``: a count slot's value).
    label: str

    @property
    def op(self) -> str:
        """Its name: the key of its first slot, and its name in the node program."""
        return self.slots[0].key

    @property
    def expression_slots(self) -> tuple[Slot, ...]:
        """The slots that hold parts, in order."""
        return tuple(slot for slot in self.slots if slot.takes in ("expr", "exprs"))


#: Why a point is ``unsettled``.
UNSETTLED = ("text_not_seen", "left_open")

#: Every combinator of the rule language: how it is written and what it means.
COMBINATORS: tuple[Combinator, ...] = (
    Combinator(
        (Slot("all", "exprs", "met when every part is met", "ALL of"),),
        lambda a, parts, _: a.all_(parts[0]),
        "all of these:",
    ),
    Combinator(
        (Slot("any", "exprs", "met when any part is met", "ANY of"),),
        lambda a, parts, _: a.any_(parts[0]),
        "any of these:",
    ),
    Combinator(
        (Slot("not", "expr", "swaps met and unmet", "NOT"),),
        lambda a, parts, _: a.not_(parts[0][0]),
        "not:",
    ),
    # A conditional requirement is met when its condition is unmet, else as its consequence.
    Combinator(
        (
            Slot(
                "if",
                "expr",
                "the condition of a conditional requirement",
                "IF (otherwise this requirement does not apply)",
            ),
            Slot("then", "expr", "what is required when `if` is met", "THEN"),
        ),
        lambda a, parts, _: a.any_((a.not_(parts[0][0]), parts[1][0])),
        "if … then:",
    ),
    # A point the policy's text cannot settle: its words were not found, or it leaves the
    # point open. Unknown whatever the facts, so an outcome that turns on it is
    # undetermined: silence is never read as permission, nor as a prohibition.
    Combinator(
        (
            Slot(
                "unsettled",
                "choice",
                "why the text cannot settle this: text_not_seen (the policy is known to "
                "address it, but its words were not found) or left_open (the text expressly "
                "leaves it open)",
                heading="UNSETTLED ({unsettled}): unknown whatever the facts",
                choices=UNSETTLED,
            ),
        ),
        lambda a, parts, _: a.unknown(),
        "unsettled ({unsettled}):",
    ),
)

BY_OP: dict[str, Combinator] = {c.op: c for c in COMBINATORS}
#: Every key a combinator uses in a file, in declaration order.
KEYS: tuple[str, ...] = tuple(slot.key for c in COMBINATORS for slot in c.slots)
#: The combinators as messages list them: "all, any, not, if/then, unsettled".
FORMS = ", ".join("/".join(slot.key for slot in c.slots) for c in COMBINATORS)


def meaning(op: str, algebra: Algebra[T], parts: Sequence[T], expr: Expr | None = None) -> T:
    """The value of a node of kind ``op`` whose parts have the values ``parts``.

    ``expr`` is the node's expression: it says which parts belong to which slot, and gives
    the counts a combinator may take.
    """
    combinator = BY_OP[op]
    if isinstance(expr, Combination):
        params: Mapping[str, int | str] = dict(expr.params) if expr.params else {}
        groups = split(parts, expr.sizes)
    else:  # a bare call: one part per slot that takes one expression (if, then)
        params = {}
        slots = combinator.expression_slots
        single = all(slot.takes == "expr" for slot in slots) and len(slots) > 1
        groups = split(parts, (1,) * len(slots) if single else ())
    # The meanings are generic in the algebra's value type; mypy cannot say so of a lambda.
    return combinator.meaning(algebra, groups, params)  # type: ignore[arg-type, return-value]


def op_of(expr: Expr) -> str:
    """The node program's name for ``expr``'s kind: a combinator's op, ``fact`` or ``rule``."""
    if isinstance(expr, FactRef):
        return "fact"
    if isinstance(expr, RuleRef):
        return "rule"
    return expr.op


def heading(expr: Combination, slot: Slot) -> str:
    """The heading of ``slot``'s parts in ``expr`` when the rule is read back."""
    return slot.heading.format(**dict(expr.params))


def label(expr: Combination) -> str:
    """``expr``'s label in the report page's condition tree."""
    return BY_OP[expr.op].label.format(**dict(expr.params))


class TwoRail(Generic[B]):
    """The two-rail form: a status as (met, unmet), two values of a Boolean algebra.

    Unknown is neither; no status is both. Kleene's tables become classical ones: ``not``
    swaps the rails, ``all`` is met where every part is and unmet where any part is,
    ``any`` the reverse. Built from the conjunction and disjunction of the Boolean values
    (bit masks, BDDs, source text...).
    """

    def __init__(self, conj: Callable[[Sequence[B]], B], disj: Callable[[Sequence[B]], B]):
        self.conj = conj
        self.disj = disj

    def not_(self, part: tuple[B, B], /) -> tuple[B, B]:
        """Swap met and unmet."""
        return part[1], part[0]

    def all_(self, parts: Sequence[tuple[B, B]], /) -> tuple[B, B]:
        """Met where every part is met, unmet where any part is unmet."""
        return self.conj([p[0] for p in parts]), self.disj([p[1] for p in parts])

    def any_(self, parts: Sequence[tuple[B, B]], /) -> tuple[B, B]:
        """Met where any part is met, unmet where every part is unmet."""
        return self.disj([p[0] for p in parts]), self.conj([p[1] for p in parts])

    def unknown(self) -> tuple[B, B]:
        """Neither rail, anywhere: the empty disjunction on both."""
        return self.disj(()), self.disj(())


# ---------------------------------------------------------------- the node program


@dataclass(frozen=True)
class Node:
    """One node of a rule expression."""

    #: ``fact``, ``rule`` or a combinator's op.
    op: str
    #: The nodes of the parts (indices into :attr:`Program.nodes`); empty for a leaf.
    parts: tuple[int, ...]
    #: For ``fact``, the index of the fact in :attr:`Program.facts`; for ``rule``, the
    #: index of the rule in :attr:`Program.rules`; else -1.
    ref: int
    #: The node's id: the rule's id for a root, then ``.i`` for the i-th part
    #: (``imminent_threat.1.0``), as the reports name conditions.
    id: str
    #: The expression.
    expr: Expr


@dataclass(frozen=True, eq=False)
class Program:
    """A policy's rules as one flat, ordered list of nodes."""

    #: The facts the rules use, in order of first use (rules in dependency order).
    facts: tuple[str, ...]
    #: Every rule id, in dependency order (each after the rules it uses).
    rules: tuple[str, ...]
    #: Every node: rules in dependency order, each rule's expression in pre-order.
    nodes: tuple[Node, ...]
    #: The root node of each rule, parallel to :attr:`rules`.
    roots: tuple[int, ...]
    #: For each rule, its nodes in an order that computes parts before their node.
    schedules: tuple[tuple[int, ...], ...]
    #: Each node's parent node, -1 for a rule's root.
    parents: tuple[int, ...]
    #: The rule (index) each node belongs to.
    owners: tuple[int, ...]
    #: For each rule, the nodes that refer to it.
    references: tuple[tuple[int, ...], ...]

    @cached_property
    def rule_index(self) -> dict[str, int]:
        """Each rule's position in :attr:`rules`."""
        return {rule_id: index for index, rule_id in enumerate(self.rules)}


def compile_program(policy: Policy) -> Program:
    """``policy``'s node program (uncached: see :func:`program_of`)."""
    rule_index = {rule_id: index for index, rule_id in enumerate(policy.order)}
    fact_index: dict[str, int] = {}
    nodes: list[Node] = []
    roots: list[int] = []
    schedules: list[tuple[int, ...]] = []

    def add(expr: Expr, node_id: str, schedule: list[int]) -> int:
        index = len(nodes)
        op = op_of(expr)
        ref = -1
        if isinstance(expr, FactRef):
            ref = fact_index.setdefault(expr.fact, len(fact_index))
        elif isinstance(expr, RuleRef):
            ref = rule_index[expr.rule]
        nodes.append(Node(op, (), ref, node_id, expr))  # pre-order: before its parts
        parts = tuple(add(part, f"{node_id}.{i}", schedule) for i, part in enumerate(expr.parts))
        if parts:
            nodes[index] = Node(op, parts, ref, node_id, expr)
        schedule.append(index)  # post-order: after its parts
        return index

    for rule_id in policy.order:
        schedule: list[int] = []
        roots.append(add(policy.rules[rule_id].expr, rule_id, schedule))
        schedules.append(tuple(schedule))
    parents = [-1] * len(nodes)
    owners = [0] * len(nodes)
    references: list[list[int]] = [[] for _ in roots]
    for rule, order in enumerate(schedules):
        for index in order:
            owners[index] = rule
            for part in nodes[index].parts:
                parents[part] = index
            if nodes[index].op == "rule":
                references[nodes[index].ref].append(index)
    return Program(
        facts=tuple(fact_index),
        rules=tuple(policy.order),
        nodes=tuple(nodes),
        roots=tuple(roots),
        schedules=tuple(schedules),
        parents=tuple(parents),
        owners=tuple(owners),
        references=tuple(tuple(found) for found in references),
    )


#: The program of each live Policy object (by identity: a Policy is not hashable).
_PROGRAMS: dict[int, tuple[weakref.ref[Policy], Program]] = {}


def program_of(policy: Policy) -> Program:
    """``policy``'s node program, made once per Policy object."""
    return per_policy(_PROGRAMS, policy, compile_program)


def run(
    program: Program,
    algebra: Algebra[T],
    fact: Callable[[int], T],
    rule: Callable[[int], T | None] | None = None,
    rules: Collection[int] | None = None,
    bind: Callable[[int, T], T] | None = None,
) -> list[T]:
    """Every node's value in ``algebra``, indexed as :attr:`Program.nodes`.

    ``fact(i)`` is the value of the i-th fact. A rule reference has the value of the rule's
    root, unless ``rule(j)`` gives another (not None) for the j-th rule. ``rules`` limits
    the work to those rules (indices into :attr:`Program.rules`); their references to
    other rules must then be answered by ``rule``, or lie within ``rules``; the nodes of
    the rules left out have no value (None). ``bind(i, value)``, if given, is told the
    value of each combination node ``i`` and gives the value its users see instead (a code
    generator assigns the node to a name, and its users read the name).
    """
    values: list[T] = [None] * len(program.nodes)  # type: ignore[list-item]
    nodes = program.nodes
    roots = program.roots
    for rule_index in range(len(program.rules)) if rules is None else sorted(rules):
        for index in program.schedules[rule_index]:
            node = nodes[index]
            op = node.op
            if op == "fact":
                values[index] = fact(node.ref)
            elif op == "rule":
                given = None if rule is None else rule(node.ref)
                values[index] = values[roots[node.ref]] if given is None else given
            else:
                value = meaning(op, algebra, [values[p] for p in node.parts], node.expr)
                values[index] = value if bind is None else bind(index, value)
    return values


def rerun(
    program: Program, algebra: Algebra[T], base: Sequence[T], changed: Mapping[int, T]
) -> dict[int, T]:
    """The nodes whose values change when some rules take other values.

    ``base`` is a full :func:`run`; ``changed`` gives rules (by index) new values, which
    every reference to them reads. Only the nodes above those references, through parts
    and rule references, are recomputed (so the work follows the change, not the policy);
    the result holds their new values, by node.
    """
    nodes, roots, owner = program.nodes, program.roots, program.owners
    dirty: set[int] = set()
    pending = [ref for rule in changed for ref in program.references[rule]]
    while pending:
        index = pending.pop()
        if index in dirty:
            continue
        dirty.add(index)
        parent = program.parents[index]
        if parent >= 0:
            pending.append(parent)
        elif owner[index] not in changed:  # a rule's root: its references change too
            pending.extend(program.references[owner[index]])
    values: dict[int, T] = {}
    # Rules in dependency order; within a rule, parts (later in pre-order) first.
    for index in sorted(dirty, key=lambda i: (owner[i], -i)):
        node = nodes[index]
        if node.op == "rule":
            ref = node.ref
            values[index] = changed[ref] if ref in changed else values[roots[ref]]
        else:
            parts = [values[part] if part in values else base[part] for part in node.parts]
            values[index] = meaning(node.op, algebra, parts, node.expr)
    return values
