"""Policies: metadata, cited rules, and the rule language they are written in.

A policy file declares named **rules**. Each rule has a citation and exactly one
expression, built from facts and other rules with the combinators of
:mod:`forcecheck.model.semantics` (``all``, ``any``, ``not``, ``if``/``then``). A bare name
refers to a rule when the policy defines one by that name, else to a fact of the
vocabulary. See docs/policy-language.md.

Loading resolves every name, rejects cycles, and orders the rules so that each comes after
the rules it uses; the engine relies on that order.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Literal, TypeVar

from forcecheck.model.citation import (
    Citation as Citation,  # re-exported: policies are where citations live
)
from forcecheck.model.dates import PolicyDateField
from forcecheck.model.document import DocPath
from forcecheck.model.hints import Hint, record_config
from forcecheck.model.properties import Property
from forcecheck.model.vocabulary import Vocabulary

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# ---------------------------------------------------------------- metadata


@dataclass(frozen=True, slots=True)
class Interpretation:
    """What a rule adds to the text, and what that reading rests on."""

    __pydantic_config__ = record_config()

    note: Annotated[str, Hint(min_length=1)]
    rests_on: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """A document a policy's citations refer to."""

    __pydantic_config__ = record_config()

    title: Annotated[str, Hint(min_length=1)]
    seen_in: str | None = None
    url: str | None = None
    note: str | None = None


#: Between a referenced policy's id and its rule's id, in the id a copied rule takes
#: (forcecheck.load.policy_reference); no rule id of a file may hold it.
COPIED_SEPARATOR = "."

Layer = Literal[
    "constitution", "regulation", "department", "component", "benchmark", "state", "immunity"
]


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicySpec:
    """A policy's metadata, as its file states it: everything but its rules and properties.

    The whole file, rules and properties included, is
    :class:`forcecheck.load.policy_file.PolicyFile`, which only the loader uses.
    """

    __pydantic_config__ = record_config()

    # The pattern is for the JSON Schema only: build_policy checks it with its own message.
    id: Annotated[
        str,
        Hint(
            description="the policy id: its file stem",
            json_schema_extra={"pattern": POLICY_ID.pattern},
        ),
    ]
    title: Annotated[str, Hint(min_length=1)]
    document: Annotated[str, Hint(min_length=1)]
    issuer: Annotated[str, Hint(min_length=1)]
    agencies: Annotated[
        tuple[str, ...],
        Hint(
            min_length=1, description="agencies bound, e.g. [DHS, ICE, CBP]; ALL for every agency"
        ),
    ]
    layer: Annotated[
        Layer,
        Hint(
            description="where the policy sits: the constitutional floor, a regulation, the "
            "department-wide policy, a component's own policy, a benchmark that does not bind, "
            "a state's law (with `places`), or the Supremacy Clause immunity view beside it"
        ),
    ] = "component"
    places: Annotated[
        tuple[str, ...],
        Hint(
            description="a state law's state, as a scenario's `place:` may name it (whole "
            "words), e.g. [Minnesota, MN]; only with `layer: state`"
        ),
    ] = ()
    effective: Annotated[
        PolicyDateField,
        Hint(description="the day it took effect, or {between: [earliest, latest], note: why}"),
    ]
    superseded: Annotated[
        PolicyDateField | None,
        Hint(
            description="the day it stopped binding (null if it still does), or {between: "
            "[earliest, latest], note: why}; either bound may be `unknown`"
        ),
    ] = None
    sources: dict[str, Source]
    decision: str
    findings: tuple[str, ...] = ()


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class FactRef:
    """A leaf: the status of a fact (true is met, false unmet)."""

    fact: str
    path: DocPath = field(compare=False)

    @property
    def parts(self) -> tuple[Expr, ...]:
        """A leaf has no parts."""
        return ()


@dataclass(frozen=True)
class RuleRef:
    """A reference to another named rule."""

    rule: str
    path: DocPath = field(compare=False)

    @property
    def parts(self) -> tuple[Expr, ...]:
        """A reference is a leaf: the rule it names is not a part."""
        return ()


@dataclass(frozen=True)
class Combination:
    """Parts combined by one of the rule language's combinators (``all``, ``if``...).

    The combinators, how a file writes each and what each means are declared once, in
    :data:`forcecheck.model.semantics.COMBINATORS`; this record only holds one use of one.
    """

    #: The combinator's name (:attr:`forcecheck.model.semantics.Combinator.op`).
    op: str
    #: Every part, the expressions of each of the combinator's expression slots in turn.
    parts: tuple[Expr, ...]
    path: DocPath = field(compare=False)
    #: How many of :attr:`parts` each expression slot holds, in slot order.
    sizes: tuple[int, ...] = ()
    #: The combinator's other arguments (a count, a choice), by slot key, as the file gives
    #: them.
    params: tuple[tuple[str, int | str], ...] = ()

    @property
    def groups(self) -> tuple[Sequence[Expr], ...]:
        """The parts of each expression slot, in slot order."""
        return split(self.parts, self.sizes)

    def param(self, key: str) -> int | str:
        """The argument the file gives the slot ``key``."""
        return dict(self.params)[key]


Expr = FactRef | RuleRef | Combination

P = TypeVar("P")


def split(parts: Sequence[P], sizes: Sequence[int]) -> tuple[Sequence[P], ...]:
    """``parts`` cut into consecutive runs of ``sizes``; all of them as one run if no sizes."""
    if len(sizes) < 2:
        return (parts,)
    runs: list[Sequence[P]] = []
    start = 0
    for size in sizes:
        runs.append(parts[start : start + size])
        start += size
    return tuple(runs)


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of ``expr`` (every expression lists its ``parts``)."""
    return expr.parts


def walk(expr: Expr) -> list[Expr]:
    """``expr`` and every expression inside it, in pre-order (rule references not followed)."""
    found = [expr]
    for child in children(expr):
        found.extend(walk(child))
    return found


# ---------------------------------------------------------------- resolved policy

#: The standards of belief a rule's text may ask of the officer, as the texts name them.
Belief = Literal[
    "reasonable_belief", "probable_cause", "reasonable_grounds", "objectively_reasonable"
]

#: Each standard of belief in words, as reports show it.
BELIEF_WORDS: dict[str, str] = {
    "reasonable_belief": "reasonable belief",
    "probable_cause": "probable cause",
    "reasonable_grounds": "reasonable grounds to believe",
    "objectively_reasonable": "objectively reasonable",
}


@dataclass(frozen=True)
class Reading:
    """A named alternative reading of a rule whose text is open: its own expression.

    The rule's own expression is its default reading (named by :attr:`Rule.reading`); each
    alternative says what it rests on (``why``) and cites the words it reads otherwise.
    """

    name: str
    why: str
    citation: Citation
    expr: Expr

    @property
    def rule_refs(self) -> tuple[str, ...]:
        """The rules this reading's expression names directly, in order of first use."""
        return tuple(dict.fromkeys(e.rule for e in walk(self.expr) if isinstance(e, RuleRef)))


@dataclass(frozen=True)
class Rule:
    """A named, cited condition of a policy."""

    id: str
    title: str
    description: str
    citation: Citation
    interpretation: Interpretation | None
    expr: Expr
    #: The name of the default reading, the rule's own expression (None: no readings).
    reading: str | None = None
    #: The alternative readings of an open text, in file order (the default excluded).
    readings: tuple[Reading, ...] = ()
    #: The standard of belief the rule's text asks of the officer, when it states one.
    belief: Belief | None = None

    @property
    def facts(self) -> tuple[str, ...]:
        """The facts this rule names directly, in order of first use."""
        return tuple(dict.fromkeys(e.fact for e in walk(self.expr) if isinstance(e, FactRef)))

    @property
    def rule_refs(self) -> tuple[str, ...]:
        """The rules this rule names directly, in order of first use."""
        return tuple(dict.fromkeys(e.rule for e in walk(self.expr) if isinstance(e, RuleRef)))


@dataclass(frozen=True)
class Policy:
    """A loaded policy: its metadata and its rules, resolved and ordered."""

    spec: PolicySpec
    rules: dict[str, Rule]
    order: tuple[str, ...]
    vocabulary: Vocabulary
    path: str
    properties: dict[str, Property] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<Policy {self.spec.id} from {self.path}>"

    @property
    def id(self) -> str:
        """The policy id (its file stem)."""
        return self.spec.id

    @property
    def decision(self) -> Rule:
        """The rule that decides whether deadly force is authorized."""
        return self.rules[self.spec.decision]

    @cached_property
    def conditions(self) -> tuple[str, ...]:
        """The decision rule and every rule it depends on, in pre-order from the decision."""
        return self.reachable((self.spec.decision,))

    @property
    def own_rules(self) -> tuple[str, ...]:
        """The policy's own rules: not those copied in from a policy it reads (``ID.rule``).

        Copied rules are checked, linted and covered in their own policy's file.
        """
        return tuple(rule_id for rule_id in self.rules if COPIED_SEPARATOR not in rule_id)

    @property
    def findings(self) -> tuple[str, ...]:
        """Secondary findings, reported beside the decision but not part of it."""
        return self.spec.findings

    def reachable(self, roots: tuple[str, ...]) -> tuple[str, ...]:
        """Rules reachable from ``roots`` through rule references, in pre-order."""
        seen: dict[str, None] = {}

        def visit(rule_id: str) -> None:
            if rule_id in seen:
                return
            seen[rule_id] = None
            for ref in self.rules[rule_id].rule_refs:
                visit(ref)

        for root in roots:
            visit(root)
        return tuple(seen)

    def facts_below(self, rule_id: str, stop: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The facts ``rule_id`` depends on, through other rules (not through ``stop``), sorted."""
        seen: set[str] = set()
        stack = [rule_id]
        visited: set[str] = set()
        while stack:
            current = stack.pop()
            if current in visited or (current in stop and current != rule_id):
                continue
            visited.add(current)
            rule = self.rules[current]
            seen.update(rule.facts)
            stack.extend(rule.rule_refs)
        return tuple(sorted(seen))

    @property
    def facts_used(self) -> tuple[str, ...]:
        """Every fact some rule names (in any of its readings), in vocabulary order."""
        used = {fact for rule in self.rules.values() for fact in rule.facts}
        used.update(
            e.fact
            for rule in self.rules.values()
            for reading in rule.readings
            for e in walk(reading.expr)
            if isinstance(e, FactRef)
        )
        return tuple(fact for fact in self.vocabulary.ids if fact in used)


T = TypeVar("T")


def per_policy(
    store: dict[int, tuple[weakref.ref[Policy], T]], policy: Policy, make: Callable[[Policy], T]
) -> T:
    """``make(policy)``, made once per live Policy object and kept in ``store``.

    Keyed by identity (a Policy is not hashable); an entry leaves when its policy is
    collected, so a store never keeps a policy alive nor serves another one's value.
    """
    entry = store.get(id(policy))
    if entry is not None and entry[0]() is policy:
        return entry[1]
    made = make(policy)
    store[id(policy)] = (weakref.ref(policy), made)
    weakref.finalize(policy, store.pop, id(policy), None)
    return made
