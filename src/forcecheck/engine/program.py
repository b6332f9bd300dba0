"""Source text from the node program: the compiled Python and the report page's JavaScript.

The policy's node program (:mod:`forcecheck.model.semantics`) is evaluated here in an
algebra whose values are *source text*: each status is a pair of expressions, one true when
it is met and one when it is unmet (the two-rail form,
:class:`~forcecheck.model.semantics.TwoRail`), written in Python or in JavaScript. So the
code generators define no connective of their own: they spell Boolean ``and`` and ``or``,
and the combinators' meanings do the rest.

:class:`NodeProgram` writes a function that computes every node's status code:

* :meth:`NodeProgram.python_lines` — the ``nodes`` function of :mod:`forcecheck.engine.compiled`;
* :meth:`NodeProgram.javascript` — the evaluator of the HTML report's what-if panel.

So the page and the engine evaluate the same program, and tests compare them node by node.

Names: ``v<i>`` is the plain value of the i-th fact used (the fact id itself is the i-th
*constant*, never part of the code), ``f<i>`` its status code, ``c<j>`` the status code of
the j-th rule in dependency order, ``n<k>`` an inner node. Status codes: 0 unmet,
1 unknown, 2 met (:mod:`forcecheck.model.logic`). Every node also has an **id**: the rule's
id for a rule's root, then ``.i`` per level for the i-th part (``imminent_threat.1.0``), as
the JSON report names conditions by rule id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from forcecheck.model.logic import MET, UNKNOWN, UNMET
from forcecheck.model.policy import Policy
from forcecheck.model.semantics import Program, program_of, run


class Source(NamedTuple):
    """A status as source text: an expression true when it is met, one when it is unmet."""

    met: str
    unmet: str
    #: An expression for the status code itself, when there is a short one (a name, or
    #: the negation of one), else None.
    code: str | None = None
    #: Whether to test met first when writing the code out (an ``any`` settles on met).
    met_first: bool = True


@dataclass(frozen=True)
class Language:
    """How a language spells what the generated code needs."""

    and_: str
    or_: str
    equals: str
    false: str

    def conditional(self, tests: tuple[tuple[str, int], tuple[str, int]]) -> str:
        """The code of the first test that holds, else unknown."""
        (first, first_code), (second, second_code) = tests
        if self is JAVASCRIPT:
            return f"{first} ? {first_code} : {second} ? {second_code} : {UNKNOWN}"
        return f"{first_code} if {first} else {second_code} if {second} else {UNKNOWN}"

    def code(self, source: Source) -> str:
        """An expression for the status code of ``source``."""
        if source.code is not None:
            return source.code
        met, unmet = (source.met, MET), (source.unmet, UNMET)
        return self.conditional((met, unmet) if source.met_first else (unmet, met))

    def named(self, name: str) -> Source:
        """The status held, as a code, in the variable ``name``."""
        return Source(f"{name} {self.equals} {MET}", f"{name} {self.equals} {UNMET}", name)


PYTHON = Language(and_=" and ", or_=" or ", equals="==", false="False")
JAVASCRIPT = Language(and_=" && ", or_=" || ", equals="===", false="false")


class SourceAlgebra:
    """The combinators' algebra on source text (two rails, plus a short code when known)."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def not_(self, part: Source, /) -> Source:
        """Swap the rails; the code of a negated name is ``2 - name``."""
        named = part.code is not None and part.code.isidentifier()
        code = f"{MET} - {part.code}" if named else None
        return Source(part.unmet, part.met, code, not part.met_first)

    def all_(self, parts: Sequence[Source], /) -> Source:
        """Met when every part is; unmet when any is (tested first: it settles ``all``)."""
        met = self._join(self.language.and_, [p.met for p in parts])
        unmet = self._join(self.language.or_, [p.unmet for p in parts])
        return Source(met, unmet, None, False)

    def any_(self, parts: Sequence[Source], /) -> Source:
        """Met when any part is (tested first); unmet when every part is."""
        met = self._join(self.language.or_, [p.met for p in parts])
        unmet = self._join(self.language.and_, [p.unmet for p in parts])
        return Source(met, unmet, None, True)

    def unknown(self) -> Source:
        """Neither met nor unmet: both rails false, and the code of unknown."""
        false = self.language.false
        return Source(false, false, str(UNKNOWN), True)

    @staticmethod
    def _join(word: str, texts: list[str]) -> str:
        return "(" + word.join(texts) + ")"


@dataclass(frozen=True)
class NodeProgram:
    """A policy's every-node evaluation, ready to be written as Python or JavaScript."""

    #: The ids of the facts the rules use, in order of first use: the constants the
    #: generated code is given (``v<i>`` is the value of ``facts[i]``).
    facts: tuple[str, ...]
    #: The name holding each node's code, rules in dependency order, each in pre-order.
    preorder: tuple[str, ...]
    #: Each node's id, parallel to :attr:`preorder`.
    node_ids: tuple[str, ...]
    #: The policy's node program.
    program: Program

    def _assignments(self, language: Language) -> list[tuple[str, str]]:
        """(name, code) for every inner node and rule, each after the names it uses."""
        program, names = self.program, self.preorder
        codes: dict[int, str] = {}

        def bind(index: int, value: Source) -> Source:
            # Each inner node is assigned to its own name; its users read the name.
            codes[index] = language.code(value)
            return language.named(names[index])

        run(
            program,
            SourceAlgebra(language),
            fact=lambda i: language.named(f"f{i}"),
            rule=lambda j: language.named(f"c{j}"),
            bind=bind,
        )
        found = []
        for rule_index, schedule in enumerate(program.schedules):
            found += [(names[index], codes[index]) for index in schedule if index in codes]
            found.append((f"c{rule_index}", names[program.roots[rule_index]]))
        return found

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
        lines += [f"    {target} = {code}" for target, code in self._assignments(PYTHON)]
        lines.append(f"    return ({', '.join(self.preorder)},)")
        return lines

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
        lines += [f"    const {target} = {code};" for target, code in self._assignments(JAVASCRIPT)]
        lines.append(f"    return [{', '.join(self.preorder)}];")
        lines += ["  };", "}"]
        return "\n".join(lines)


def node_program(policy: Policy) -> NodeProgram:
    """``policy``'s node program, with a name for every node in the generated code."""
    program = program_of(policy)
    names: list[str] = []
    inner = 0
    for node in program.nodes:
        if node.op == "fact":
            names.append(f"f{node.ref}")
        elif node.op == "rule":
            names.append(f"c{node.ref}")
        else:
            names.append(f"n{inner}")
            inner += 1
    return NodeProgram(
        facts=program.facts,
        preorder=tuple(names),
        node_ids=tuple(node.id for node in program.nodes),
        program=program,
    )
