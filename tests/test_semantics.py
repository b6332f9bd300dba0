"""The one definition of the rule language: its algebras agree, and its node program is sound."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcecheck.engine.program import node_program
from forcecheck.model.logic import (
    CODE,
    STATUS_BY_CODE,
    Kleene,
    Status,
    all_of,
    any_of,
    negate,
)
from forcecheck.model.policy import Policy, walk
from forcecheck.model.semantics import COMBINATORS, TwoRail, meaning, program_of, rerun, run

from .strategies import policies

#: What logic.py's status functions say each combinator means.
STATUS_FUNCTIONS: dict[str, Callable[[Sequence[Status]], Status]] = {
    "all": all_of,
    "any": any_of,
    "not": lambda parts: negate(parts[0]),
    # The specification of if/then, from the other three: not the condition, or the consequence.
    "if": lambda parts: any_of((negate(parts[0]), parts[1])),
    # A point the text cannot settle: unknown, whatever else holds.
    "unsettled": lambda parts: Status.UNKNOWN,
}
ARITIES = {"all": (1, 2, 3), "any": (1, 2, 3), "not": (1,), "if": (2,), "unsettled": (0,)}

_BOOLS = TwoRail[bool](all, any)
_RAILS = {Status.MET: (True, False), Status.UNMET: (False, True), Status.UNKNOWN: (False, False)}


def test_every_combinator_means_the_same_in_every_algebra() -> None:
    assert set(STATUS_FUNCTIONS) == {c.op for c in COMBINATORS}
    for combinator in COMBINATORS:
        for arity in ARITIES[combinator.op]:
            for parts in product(list(Status), repeat=arity):
                expected = STATUS_FUNCTIONS[combinator.op](parts)
                codes = meaning(combinator.op, Kleene(), [CODE[p] for p in parts])
                rails = meaning(combinator.op, _BOOLS, [_RAILS[p] for p in parts])
                assert STATUS_BY_CODE[codes] is expected, (combinator.op, parts)
                assert rails == _RAILS[expected], (combinator.op, parts)


@pytest.mark.slow
@given(policies())
def test_the_program_lists_every_node_in_preorder_and_computes_parts_first(
    policy: Policy,
) -> None:
    program = program_of(policy)
    expected = [e for rule_id in policy.order for e in walk(policy.rules[rule_id].expr)]
    assert [node.expr for node in program.nodes] == expected
    done: set[int] = set()
    for rule_index, schedule in enumerate(program.schedules):
        for index in schedule:
            node = program.nodes[index]
            assert set(node.parts) <= done
            if node.op == "rule":
                assert node.ref < rule_index and program.roots[node.ref] in done
            done.add(index)
    assert done == set(range(len(program.nodes)))


@pytest.mark.slow
@settings(max_examples=150)
@given(policies(), st.data())
def test_rerun_gives_what_a_whole_run_gives(policy: Policy, data: st.DataObject) -> None:
    program = program_of(policy)
    codes = data.draw(st.lists(st.sampled_from((0, 1, 2)), min_size=len(program.facts)))
    changed_rule = data.draw(st.integers(0, len(program.rules) - 1))
    code = data.draw(st.sampled_from((0, 1, 2)))
    base = run(program, Kleene(), fact=codes.__getitem__)
    changed = rerun(program, Kleene(), base, {changed_rule: code})
    whole = run(
        program,
        Kleene(),
        fact=codes.__getitem__,
        rule=lambda j: code if j == changed_rule else None,
    )
    # Only references read the new value: the rule's own nodes keep theirs, in both.
    assert [changed.get(index, value) for index, value in enumerate(base)] == whole


@pytest.mark.slow
@given(policies())
def test_the_generated_code_reads_each_part_by_its_name(policy: Policy) -> None:
    # One assignment per node, reading its parts' names: the code grows with the policy,
    # and the page's evaluator can be read node by node.
    written = node_program(policy)
    names = dict(zip(range(len(written.preorder)), written.preorder, strict=True))
    lines = {
        line.split(" = ")[0].split()[-1]: line.split(" = ", 1)[1]
        for line in written.javascript().splitlines()
        if line.strip().startswith("const n")
    }
    for index, node in enumerate(written.program.nodes):
        if node.parts:
            read = set(re.findall(r"\b[fcn]\d+\b", lines[names[index]]))
            assert read == {names[part] for part in node.parts}


def test_the_file_layout_and_its_schema_are_built_from_the_combinators() -> None:
    """A combinator's entry is all the parser and the JSON Schema need: no list elsewhere."""
    from forcecheck.load.expression_parser import EXPRESSION_KEYS
    from forcecheck.load.policy_file import RuleSpec
    from forcecheck.load.schema import policy_schema

    keys = [slot.key for c in COMBINATORS for slot in c.slots]
    assert list(EXPRESSION_KEYS) == keys
    aliases = [f.alias for f in RuleSpec.model_fields.values() if f.alias]
    assert aliases == keys
    expression = policy_schema()["$defs"]["Expression"]["anyOf"][1]
    assert list(expression["properties"]) == keys
    assert expression["oneOf"] == [{"required": [s.key for s in c.slots]} for c in COMBINATORS]
