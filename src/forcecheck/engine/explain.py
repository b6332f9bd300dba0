"""Evaluating a policy's rules against one set of fact values.

Pure functions: no I/O, no printing. Each rule is evaluated once, in the policy's dependency
order, so a rule that several others use costs nothing extra. The result is an
explanation: every rule's status, the tree of its expression, the facts it used (with
their values and whether the scenario supplied them): data, which render/ puts in words.

The statuses come from the policy's compiled form (:mod:`forcecheck.engine.compiled`, generated
once per policy and cached); :func:`evaluate_interpreted` runs the policy's node program
(:mod:`forcecheck.model.semantics`) on Kleene's tables instead, and is kept as the reference
the compiled form is tested against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from forcecheck.engine.compiled import compile_policy, plain_values
from forcecheck.errors import UnknownFactError, did_you_mean
from forcecheck.model.logic import CODE, STATUS_BY_CODE, Kleene, Outcome, Status, Value
from forcecheck.model.policy import Combination, Expr, Policy, Rule, RuleRef
from forcecheck.model.semantics import program_of, run
from forcecheck.model.settling import Settlement


@dataclass(frozen=True)
class FactUse:
    """A fact as an evaluation saw it: its value, and whether the scenario supplied it.

    A value the exclusions settle counts as supplied, and says how it was settled.
    """

    id: str
    value: Value
    supplied: bool
    #: How the value follows from an exclusion, when the account does not state it.
    settled: Settlement | None = None


@dataclass(frozen=True)
class NodeResult:
    """The status of one expression node, with its children's results."""

    expr: Expr
    status: Status
    children: tuple[NodeResult, ...] = ()

    @property
    def deciding(self) -> tuple[NodeResult, ...]:
        """The parts that give a node its status: those that have it, or else every part.

        Unknown: the unknown parts. ``all`` unmet, or ``any`` met: the parts with that
        status. ``all`` met, or ``any`` unmet: every part (each has the node's status). A
        part with another status than its node's (``not``'s, ``if``'s condition) is never
        deciding on its own; then every part is.
        """
        same = tuple(part for part in self.children if part.status is self.status)
        return same or self.children


@dataclass(frozen=True)
class RuleResult:
    """One rule's status, why (its tree of node statuses), and the facts it used directly.

    The why is data: the tree says which parts decided each node (:attr:`NodeResult.deciding`)
    and :attr:`facts` which facts were unknown or not addressed; the words are chosen in
    :mod:`forcecheck.render.reasons`.
    """

    rule: Rule
    status: Status
    tree: NodeResult
    facts: tuple[FactUse, ...]


@dataclass(frozen=True)
class OpenPoint:
    """A point the policy's text leaves unsettled, which an unknown decision rests on."""

    #: The rule that holds it (its citation quotes the words that leave it open).
    rule: RuleResult
    #: Why: ``text_not_seen`` or ``left_open`` (:data:`forcecheck.model.semantics.UNSETTLED`).
    why: str


@dataclass(frozen=True)
class Evaluation:
    """Every rule of a policy evaluated against one set of facts."""

    policy: Policy
    facts: Mapping[str, FactUse]
    rules: Mapping[str, RuleResult]

    def __repr__(self) -> str:
        # Short, for a failing test: the generated repr runs to thousands of characters.
        given = ", ".join(f"{f}={use.value}" for f, use in self.facts.items() if use.supplied)
        return f"<Evaluation under {self.policy.id}: {self.outcome}; {given or 'no facts'}>"

    @property
    def decision(self) -> RuleResult:
        """The decision rule's result."""
        return self.rules[self.policy.spec.decision]

    @property
    def outcome(self) -> Outcome:
        """authorized, not_authorized or undetermined."""
        return Outcome.of(self.decision.status)

    @property
    def conditions(self) -> tuple[RuleResult, ...]:
        """The decision and every condition it turns on, in pre-order from the decision."""
        return tuple(self.rules[rule_id] for rule_id in self.policy.conditions)

    @property
    def findings(self) -> tuple[RuleResult, ...]:
        """The secondary findings (not part of the decision)."""
        return tuple(self.rules[rule_id] for rule_id in self.policy.findings)

    @property
    def unsettled(self) -> tuple[OpenPoint, ...]:
        """The ``unsettled`` rules an unknown decision rests on, in pre-order from it.

        Followed from the decision through the parts that decide each unknown node: a point
        the text cannot settle, reached that way, is part of why the outcome is undetermined.
        One behind a requirement that does not apply, or may not (its condition unknown), is
        not: then a fact can still settle the outcome, and ``questions`` asks it.
        """
        found: dict[tuple[str, str], OpenPoint] = {}
        seen: set[str] = set()

        def visit(rule_id: str) -> None:
            if rule_id in seen:
                return
            seen.add(rule_id)
            result = self.rules[rule_id]
            if result.status is Status.UNKNOWN:
                walk_node(rule_id, result.tree)

        def walk_node(rule_id: str, node: NodeResult) -> None:
            expr = node.expr
            if isinstance(expr, RuleRef):
                visit(expr.rule)
            elif isinstance(expr, Combination) and expr.op == "unsettled":
                why = str(expr.param("unsettled"))
                found.setdefault((rule_id, why), OpenPoint(self.rules[rule_id], why))
            if node.status is not Status.UNKNOWN:
                return
            parts = node.deciding
            if isinstance(expr, Combination) and expr.op == "if":
                condition = node.children[0]
                # The consequence counts only where the requirement certainly applies.
                parts = (condition,) if condition.status is not Status.MET else parts
            for part in parts:
                walk_node(rule_id, part)

        visit(self.policy.spec.decision)
        return tuple(found.values())

    @property
    def not_addressed(self) -> tuple[str, ...]:
        """Facts the reported rules use that the scenario did not mention, in vocabulary order."""
        reported = self.policy.reachable((self.policy.spec.decision, *self.policy.findings))
        used = {fact for rule_id in reported for fact in self.policy.rules[rule_id].facts}
        return tuple(
            fact
            for fact in self.policy.vocabulary.ids
            if fact in used and not self.facts[fact].supplied
        )


def fact_uses(
    policy: Policy,
    facts: Mapping[str, Value],
    settled: Mapping[str, Settlement] | None = None,
) -> dict[str, FactUse]:
    """Every vocabulary fact with its value; those not in ``facts`` are unknown, unsupplied.

    ``settled`` says which of ``facts`` follow from an exclusion, and how.
    """
    settled = settled or {}
    for fact_id in facts:
        if fact_id not in policy.vocabulary:
            raise UnknownFactError(
                f"unknown fact '{fact_id}'", help=did_you_mean(fact_id, policy.vocabulary.ids)
            )
    return {
        fact_id: FactUse(fact_id, facts[fact_id], True, settled.get(fact_id))
        if fact_id in facts
        else FactUse(fact_id, Value.UNKNOWN, False)
        for fact_id in policy.vocabulary.ids
    }


def evaluate(
    policy: Policy,
    facts: Mapping[str, Value],
    settled: Mapping[str, Settlement] | None = None,
) -> Evaluation:
    """Evaluate every rule of ``policy`` on ``facts`` (omitted facts are unknown).

    ``settled`` marks the values of ``facts`` that follow from an exclusion
    (:func:`forcecheck.model.settling.settle`), so that reasons can say so.
    """
    uses = fact_uses(policy, facts, settled)
    codes = iter(compile_policy(policy).node_codes(plain_values(facts)))
    # The compiled codes come rules in dependency order, each rule's nodes in pre-order:
    # the order in which _compiled_tree consumes them.
    return _explain(policy, uses, lambda expr, results: _compiled_tree(expr, codes))


def evaluate_interpreted(policy: Policy, facts: Mapping[str, Value]) -> Evaluation:
    """:func:`evaluate` by walking the rule tree: the reference for the compiled form."""
    uses = fact_uses(policy, facts)
    program = program_of(policy)
    fact_codes = [CODE[uses[fact_id].value.status] for fact_id in program.facts]
    codes = iter(run(program, Kleene(), fact=fact_codes.__getitem__))
    # The program's nodes come in the order _compiled_tree consumes them, as the compiled
    # form's node codes do.
    return _explain(policy, uses, lambda expr, results: _compiled_tree(expr, codes))


def decide(policy: Policy, facts: Mapping[str, Value]) -> Outcome:
    """Just the outcome of ``policy`` on ``facts``: no explanation, and much faster."""
    return compile_policy(policy).decide(facts)


def _explain(
    policy: Policy,
    uses: dict[str, FactUse],
    tree_of: Callable[[Expr, Mapping[str, RuleResult]], NodeResult],
) -> Evaluation:
    results: dict[str, RuleResult] = {}
    for rule_id in policy.order:
        rule = policy.rules[rule_id]
        tree = tree_of(rule.expr, results)
        results[rule_id] = RuleResult(
            rule=rule,
            status=tree.status,
            tree=tree,
            facts=tuple(uses[fact] for fact in rule.facts),
        )
    # Report rules in the file's order, not the dependency order used to compute them.
    ordered = {rule_id: results[rule_id] for rule_id in policy.rules}
    return Evaluation(policy=policy, facts=uses, rules=ordered)


def _compiled_tree(expr: Expr, codes: Iterator[int]) -> NodeResult:
    status = STATUS_BY_CODE[next(codes)]
    parts = expr.parts
    if not parts:
        return NodeResult(expr, status)
    return NodeResult(expr, status, tuple(_compiled_tree(part, codes) for part in parts))


def node_statuses(evaluation: Evaluation) -> dict[str, Status]:
    """Every expression node's status, by node id (see :mod:`forcecheck.engine.program`).

    A rule's root is named by the rule's id, each part by its parent's id and its position
    (``imminent_threat.1.0``): the ids the HTML report's evaluator uses too.
    """
    found: dict[str, Status] = {}

    def visit(node: NodeResult, node_id: str) -> None:
        found[node_id] = node.status
        for index, child in enumerate(node.children):
            visit(child, f"{node_id}.{index}")

    for rule_id, result in evaluation.rules.items():
        visit(result.tree, rule_id)
    return found
