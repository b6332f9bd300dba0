"""The node program: every node of a policy's rules as a flat list of steps.

This is the intermediate form the code generators write from. One walk over the rule trees
(rules in dependency order, each rule's expression in pre-order) gives a list of
:class:`Step` in evaluation order and the pre-order list of node names. Two back ends turn
it into code:

* :meth:`NodeProgram.python_lines` — the ``nodes`` function of :mod:`forcecheck.engine.compiled`;
* :meth:`NodeProgram.javascript` — the evaluator of the HTML report's what-if panel.

So the page and the engine evaluate the same program, and tests compare them node by node.

Names: ``v<i>`` is the plain value of the i-th fact used (the fact id itself is the i-th
*constant*, never part of the code), ``f<i>`` its status code, ``c<j>`` the status code of
the j-th rule in dependency order, ``n<k>`` an inner node. Status codes: 0 unmet,
1 unknown, 2 met. Every node also has an **id**: the rule's id for a rule's root, then
``.i`` per level for the i-th part (``imminent_threat.1.0``), as the JSON report names
conditions by rule id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from forcecheck.model.policy import (
    AllOf,
    AnyOf,
    Expr,
    FactRef,
    IfThen,
    Not,
    Policy,
    RuleRef,
    children,
    walk,
)

UNMET, UNKNOWN, MET = 0, 1, 2

Op = Literal["all", "any", "not", "if", "rule"]


@dataclass(frozen=True)
class Step:
    """One assignment: ``target`` is ``op`` applied to the named ``parts``.

    ``rule`` binds a rule's status code (``c<j>``) to the name of its expression's root.
    """

    target: str
    op: Op
    parts: tuple[str, ...]


@dataclass(frozen=True)
class NodeProgram:
    """A policy's every-node evaluation, ready for a code generator."""

    #: The ids of the facts the rules use, in order of first use: the constants the
    #: generated code is given (``v<i>`` is the value of ``facts[i]``).
    facts: tuple[str, ...]
    #: The assignments, in an order where every name is bound before it is used.
    steps: tuple[Step, ...]
    #: The name holding each node's code, rules in dependency order, each in pre-order.
    preorder: tuple[str, ...]
    #: Each node's id, parallel to :attr:`preorder`.
    node_ids: tuple[str, ...]

    # ------------------------------------------------------------ Python

    def python_lines(self, name: str = "nodes") -> list[str]:
        """A Python function ``name(f)``: fact id -> plain value mapping to node codes.

        It refers to the fact ids as ``k<i>``, names the enclosing code must bind.
        """
        lines = [f"def {name}(f):", "    g = f.get"]
        lines += [f"    v{i} = g(k{i})" for i in range(len(self.facts))]
        lines += [
            f"    f{i} = {MET} if v{i} is True else {UNMET} if v{i} is False else {UNKNOWN}"
            for i in range(len(self.facts))
        ]
        lines += [f"    {step.target} = {_python(step)}" for step in self.steps]
        lines.append(f"    return ({', '.join(self.preorder)},)")
        return lines

    # ------------------------------------------------------------ JavaScript

    def javascript(self) -> str:
        """A JavaScript function expression ``function (K) {...}`` returning the evaluator.

        The evaluator takes a ``Map`` from fact id to ``true``, ``false`` or anything else
        (unknown) and returns an array of node codes in :attr:`preorder` order. ``K`` is
        the array :attr:`facts`: fact ids reach the code as data, never as source.
        """
        lines = ["function (K) {", '  "use strict";']
        lines += [f"  const k{i} = K[{i}];" for i in range(len(self.facts))]
        lines.append("  return function nodes(f) {")
        for i in range(len(self.facts)):
            lines.append(f"    const v{i} = f.get(k{i});")
            lines.append(
                f"    const f{i} = v{i} === true ? {MET} : v{i} === false ? {UNMET} : {UNKNOWN};"
            )
        lines += [f"    const {step.target} = {_javascript(step)};" for step in self.steps]
        lines.append(f"    return [{', '.join(self.preorder)}];")
        lines += ["  };", "}"]
        return "\n".join(lines)


def _python(step: Step) -> str:
    parts = step.parts
    if step.op == "rule":
        return parts[0]
    if step.op == "not":
        return f"{MET} - {parts[0]}"
    if step.op == "if":
        # Kleene implication: any(not condition, consequence).
        condition, consequence = parts
        return (
            f"{MET} if ({condition} == {UNMET} or {consequence} == {MET}) "
            f"else {UNMET} if ({condition} == {MET} and {consequence} == {UNMET}) "
            f"else {UNKNOWN}"
        )
    decisive, other = (UNMET, MET) if step.op == "all" else (MET, UNMET)
    return (
        f"{decisive} if ({' or '.join(f'{p} == {decisive}' for p in parts)}) "
        f"else {other} if ({' and '.join(f'{p} == {other}' for p in parts)}) "
        f"else {UNKNOWN}"
    )


def _javascript(step: Step) -> str:
    parts = step.parts
    if step.op == "rule":
        return parts[0]
    if step.op == "not":
        return f"{MET} - {parts[0]}"
    if step.op == "if":
        condition, consequence = parts
        return (
            f"({condition} === {UNMET} || {consequence} === {MET}) ? {MET} "
            f": ({condition} === {MET} && {consequence} === {UNMET}) ? {UNMET} : {UNKNOWN}"
        )
    decisive, other = (UNMET, MET) if step.op == "all" else (MET, UNMET)
    return (
        f"({' || '.join(f'{p} === {decisive}' for p in parts)}) ? {decisive} "
        f": ({' && '.join(f'{p} === {other}' for p in parts)}) ? {other} : {UNKNOWN}"
    )


def node_program(policy: Policy) -> NodeProgram:
    """The node program of ``policy``: the one walk both code generators write from."""
    facts = dict.fromkeys(
        expr.fact
        for rule_id in policy.order
        for expr in walk(policy.rules[rule_id].expr)
        if isinstance(expr, FactRef)
    )
    walker = _Walker({fact_id: i for i, fact_id in enumerate(facts)}, policy)
    for rule_id in policy.order:
        root = walker.node(policy.rules[rule_id].expr, rule_id)
        walker.steps.append(Step(f"c{walker.rule_index[rule_id]}", "rule", (root,)))
    return NodeProgram(
        facts=tuple(facts),
        steps=tuple(walker.steps),
        preorder=tuple(walker.preorder),
        node_ids=tuple(walker.node_ids),
    )


class _Walker:
    """Walks rule trees, collecting steps and the pre-order of node names and ids."""

    def __init__(self, fact_index: dict[str, int], policy: Policy) -> None:
        self.fact_index = fact_index
        self.rule_index = {rule_id: index for index, rule_id in enumerate(policy.order)}
        self.steps: list[Step] = []
        self.preorder: list[str] = []
        self.node_ids: list[str] = []
        self.counter = 0

    def node(self, expr: Expr, node_id: str) -> str:
        """Collect ``expr``'s steps; return the name that holds its code."""
        if isinstance(expr, FactRef | RuleRef):
            name = (
                f"f{self.fact_index[expr.fact]}"
                if isinstance(expr, FactRef)
                else f"c{self.rule_index[expr.rule]}"
            )
            self.preorder.append(name)
            self.node_ids.append(node_id)
            return name
        name = f"n{self.counter}"
        self.counter += 1
        self.preorder.append(name)  # the node comes before its parts in pre-order
        self.node_ids.append(node_id)
        parts = tuple(self.node(child, f"{node_id}.{i}") for i, child in enumerate(children(expr)))
        op: Op = (
            "not"
            if isinstance(expr, Not)
            else "if"
            if isinstance(expr, IfThen)
            else "all"
            if isinstance(expr, AllOf)
            else "any"
        )
        assert isinstance(expr, Not | IfThen | AllOf | AnyOf)
        self.steps.append(Step(name, op, parts))
        return name
