"""Compiled evaluation: a policy turned once into plain Python functions.

The interpreter in :mod:`forcecheck.engine.explain` walks the rule tree for every evaluation. Here
the tree is translated once into Python source, compiled, and cached, so that an
evaluation is a handful of comparisons instead of a walk over model objects. Three
functions are generated per policy:

``decision_code``
    the decision alone, with short-circuits: as fast as a hand-written function;
``rule_codes``
    every rule's status (each rule computed once, in dependency order);
``node_codes``
    every expression node's status, for the engine to build its explanation from.

They take *plain values*: a mapping from fact id to ``True`` (met), ``False`` (unmet) or
anything else, or nothing, for unknown; JSON's ``true``, ``false`` and ``"unknown"`` are
plain values as they stand. They return status codes: :data:`UNMET` (0), :data:`UNKNOWN`
(1) and :data:`MET` (2), so that Kleene's ``all`` is the minimum, ``any`` the maximum and
``not`` is ``2 - x``.

Safety: the generated source holds only identifiers made here (``k0``, ``c3``, ``n12``...)
and the keywords of boolean logic. Fact ids never appear in it; they reach the functions as
closure values. The source is executed with no builtins at all.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from forcecheck.engine.program import PYTHON, Source, SourceAlgebra, node_program
from forcecheck.errors import UnknownFactError, did_you_mean
from forcecheck.model.logic import MET, UNKNOWN, UNMET, Outcome, Status, Value
from forcecheck.model.logic import STATUS_BY_CODE as STATUS_BY_CODE  # re-exported
from forcecheck.model.policy import Policy, per_policy
from forcecheck.model.semantics import run

OUTCOME_BY_CODE = (Outcome.NOT_AUTHORIZED, Outcome.UNDETERMINED, Outcome.AUTHORIZED)

#: The plain value of each fact value.
PLAIN_VALUE: dict[Value, bool | None] = {Value.TRUE: True, Value.FALSE: False, Value.UNKNOWN: None}

#: A rule used more than once is computed once up front (instead of being inlined at every
#: use) when its inlined expression would be larger than this many nodes.
MAX_SHARED_INLINE_SIZE = 12
#: A rule is computed up front when inlining it would nest expressions deeper than this
#: (Python's parser refuses very deeply nested expressions).
MAX_INLINE_DEPTH = 24

PlainFacts = Mapping[str, object]
CodeFn = Callable[[PlainFacts], int]
CodesFn = Callable[[PlainFacts], tuple[int, ...]]


def plain_values(facts: Mapping[str, Value]) -> dict[str, bool | None]:
    """Fact values as plain values (``True``, ``False``, ``None`` for unknown)."""
    return {fact_id: PLAIN_VALUE[value] for fact_id, value in facts.items()}


@dataclass(frozen=True)
class CompiledPolicy:
    """A policy's rules as generated Python functions over plain fact values."""

    policy_id: str
    #: Every rule id in the file's order: the order of :attr:`rule_codes`' result.
    rule_ids: tuple[str, ...]
    #: The ids of the policy's vocabulary (the facts a scenario may name).
    fact_ids: frozenset[str]
    #: Plain values -> the decision rule's status code.
    decision_code: CodeFn
    #: Plain values -> every rule's status code, in :attr:`rule_ids` order.
    rule_codes: CodesFn
    #: Plain values -> every node's status code: rules in dependency order, each rule's
    #: expression in pre-order (rule references are nodes, not followed).
    node_codes: CodesFn
    #: The generated source, for inspection and tests.
    source: str

    def check_facts(self, facts: Mapping[str, object]) -> None:
        """Raise UnknownFactError if ``facts`` names a fact outside the vocabulary."""
        if facts.keys() <= self.fact_ids:
            return
        unknown = next(fact_id for fact_id in facts if fact_id not in self.fact_ids)
        raise UnknownFactError(
            f"unknown fact '{unknown}'", help=did_you_mean(unknown, self.fact_ids)
        )

    def decide(self, facts: Mapping[str, Value]) -> Outcome:
        """The outcome on ``facts`` (omitted facts are unknown)."""
        self.check_facts(facts)
        return OUTCOME_BY_CODE[self.decision_code(plain_values(facts))]

    def statuses(self, facts: Mapping[str, Value]) -> dict[str, Status]:
        """Every rule's status on ``facts``, in the file's order."""
        self.check_facts(facts)
        codes = self.rule_codes(plain_values(facts))
        pairs = zip(self.rule_ids, codes, strict=True)
        return {rule_id: STATUS_BY_CODE[code] for rule_id, code in pairs}


# ---------------------------------------------------------------- cache

#: Compiled policies by the generated source and its constants: equal rules, one compile.
_BY_CONTENT: dict[tuple[str, tuple[str, ...]], tuple[CodeFn, CodesFn, CodesFn]] = {}
_MAX_CACHED = 256
#: The compiled form of each live Policy object (by identity: a Policy is not hashable), so
#: a repeated call skips code generation. Entries leave when their policy is collected.
_BY_POLICY: dict[int, tuple[weakref.ref[Policy], CompiledPolicy]] = {}


def compile_policy(policy: Policy) -> CompiledPolicy:
    """``policy`` compiled; cached per Policy object and per content (never stale)."""
    return per_policy(_BY_POLICY, policy, compile_uncached)


def compile_uncached(
    policy: Policy,
    *,
    max_shared_inline_size: int = MAX_SHARED_INLINE_SIZE,
    max_inline_depth: int = MAX_INLINE_DEPTH,
) -> CompiledPolicy:
    """Generate and compile ``policy`` (the compiled code is still shared by content).

    The limits decide when a rule is computed up front rather than inlined where it is
    used; they change the speed, never a result (tests set them to extremes).
    """
    source, constants = _Generator(policy, max_shared_inline_size, max_inline_depth).source()
    key = (source, constants)
    functions = _BY_CONTENT.get(key)
    if functions is None:
        namespace: dict[str, object] = {"__builtins__": {}}
        exec(compile(source, "<forcecheck compiled policy>", "exec"), namespace)
        factory = namespace["_factory"]
        assert callable(factory)
        functions = factory(constants)
        if len(_BY_CONTENT) >= _MAX_CACHED:
            _BY_CONTENT.pop(next(iter(_BY_CONTENT)))
        _BY_CONTENT[key] = functions
    decision, rules, nodes = functions
    return CompiledPolicy(
        policy_id=policy.id,
        rule_ids=tuple(policy.rules),
        fact_ids=frozenset(policy.vocabulary.ids),
        decision_code=decision,
        rule_codes=rules,
        node_codes=nodes,
        source=source,
    )


# ---------------------------------------------------------------- code generation


class _Generator:
    """Writes the Python source of a policy's three functions, from its node program.

    Every name in the output is made here: ``k<i>`` holds the id of the i-th fact used
    (bound from the factory's argument), ``v<i>`` its plain value, ``f<i>`` its status
    code; ``c<j>`` is the status code of the j-th rule in dependency order, ``m<j>`` and
    ``u<j>`` whether it is met and unmet; ``n<i>`` is an expression node's status code.
    The expressions themselves come from evaluating the node program on source text
    (:mod:`forcecheck.engine.program`): no connective is spelled out here.
    """

    def __init__(self, policy: Policy, max_shared_size: int, max_depth: int) -> None:
        self.policy = policy
        self.nodes = node_program(policy)
        self.program = self.nodes.program
        self.rule_index = self.program.rule_index
        self.reachable = frozenset(
            self.rule_index[rule_id] for rule_id in policy.reachable((policy.spec.decision,))
        )
        self.hoisted = self._choose_hoisted(max_shared_size, max_depth)

    def source(self) -> tuple[str, tuple[str, ...]]:
        """The module source (defining ``_factory``) and the constants it is called with."""
        constants = self.program.facts
        names = [f"k{i}" for i in range(len(constants))]
        lines = ["def _factory(K):"]
        if names:
            lines.append(f"    {', '.join(names)}, = K")
        for function in (self._decision(), self._rules(), self.nodes.python_lines("nodes")):
            lines += ["    " + line for line in function]
        lines.append("    return decision, rules, nodes")
        return "\n".join(lines) + "\n", constants

    # ------------------------------------------------------------ which rules to inline

    def _choose_hoisted(self, max_shared_size: int, max_depth: int) -> frozenset[int]:
        """Rules of the decision that are computed once up front instead of inlined."""
        program = self.program
        # Every reference counts: a rule named twice in one expression is inlined twice.
        uses = Counter(
            program.nodes[index].ref
            for rule_index in self.reachable
            for index in program.schedules[rule_index]
            if program.nodes[index].op == "rule"
        )
        hoisted: set[int] = set()
        size: dict[int, int] = {}
        depth: dict[int, int] = {}
        for rule_index in sorted(self.reachable):  # dependencies first
            for index in program.schedules[rule_index]:
                node = program.nodes[index]
                if node.op == "rule":
                    inlined = node.ref not in hoisted
                    root = program.roots[node.ref]
                    size[index] = size[root] if inlined else 1
                    depth[index] = depth[root] if inlined else 1
                else:
                    size[index] = 1 + sum(size[part] for part in node.parts)
                    depth[index] = 1 + max((depth[part] for part in node.parts), default=0)
            root = program.roots[rule_index]
            shared_and_large = uses[rule_index] > 1 and size[root] > max_shared_size
            if shared_and_large or depth[root] > max_depth:
                hoisted.add(rule_index)
        return frozenset(hoisted)

    # ------------------------------------------------------------ the decision

    def _decision(self) -> list[str]:
        program = self.program
        hoisted = self.hoisted

        def rule(index: int) -> Source | None:
            return Source(f"m{index}", f"u{index}") if index in hoisted else None

        values = run(
            program,
            SourceAlgebra(PYTHON),
            fact=lambda i: Source(f"g(k{i}) is True", f"g(k{i}) is False"),
            rule=rule,
            rules=self.reachable,
        )
        lines = ["def decision(f):", "    g = f.get"]
        for index in sorted(hoisted):
            root = values[program.roots[index]]
            lines.append(f"    m{index} = {root.met}")
            lines.append(f"    u{index} = False if m{index} else {root.unmet}")
        decision = values[program.roots[self.rule_index[self.policy.spec.decision]]]
        lines += [
            f"    if {decision.met}:",
            f"        return {MET}",
            f"    if {decision.unmet}:",
            f"        return {UNMET}",
            f"    return {UNKNOWN}",
        ]
        return lines

    # ------------------------------------------------------------ every rule

    def _rules(self) -> list[str]:
        policy, program = self.policy, self.program
        values = run(
            program,
            SourceAlgebra(PYTHON),
            fact=lambda i: Source(f"v{i} is True", f"v{i} is False"),
            rule=lambda j: Source(f"c{j} == {MET}", f"c{j} == {UNMET}"),
        )
        lines = ["def rules(f):", "    g = f.get"]
        lines += [f"    v{i} = g(k{i})" for i in range(len(program.facts))]
        for index, root in enumerate(program.roots):
            rails = values[root]
            lines.append(
                f"    c{index} = {MET} if {rails.met} else {UNMET} if {rails.unmet} else {UNKNOWN}"
            )
        # Reported in the file's order; a one-element tuple needs its trailing comma.
        listed = [f"c{self.rule_index[rule_id]}" for rule_id in policy.rules]
        lines.append(f"    return ({', '.join(listed)},)")
        return lines
