"""Policies: metadata, cited rules, and the rule language they are written in.

A policy file declares named **rules**. Each rule has a citation and exactly one
expression, built from facts and other rules with ``all``, ``any``, ``not`` and
``if``/``then``. A bare name refers to a rule when the policy defines one by that name, else
to a fact of the vocabulary. See docs/policy-language.md.

Loading resolves every name, rejects cycles, and orders the rules so that each comes after
the rules it uses; the engine relies on that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from forcecheck.errors import (
    CycleError,
    MissingReferenceError,
    SchemaError,
    UnknownFactError,
    did_you_mean,
)
from forcecheck.load.reader import DocPath, Document, read_document
from forcecheck.load.validation import validate
from forcecheck.model.citation import (
    Citation as Citation,  # re-exported: policies are where citations live
)
from forcecheck.model.hints import Hint, record_config
from forcecheck.model.properties import Property, resolve_properties
from forcecheck.model.vocabulary import Vocabulary

if TYPE_CHECKING:
    from forcecheck.load.policy_file import PolicyFile

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EXPRESSION_KEYS = ("all", "any", "not", "if", "then")
#: At most this many levels of nesting in a rule, counting through the rules it refers to.
MAX_RULE_DEPTH = 100


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


Layer = Literal["constitution", "regulation", "department", "component", "benchmark"]


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
            "department-wide policy, a component's own policy, or a benchmark that does not bind"
        ),
    ] = "component"
    effective: date
    superseded: date | None = None
    sources: dict[str, Source]
    decision: str
    findings: tuple[str, ...] = ()


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class FactRef:
    """A leaf: the status of a fact (true is met, false unmet)."""

    fact: str
    path: DocPath = field(compare=False)


@dataclass(frozen=True)
class RuleRef:
    """A reference to another named rule."""

    rule: str
    path: DocPath = field(compare=False)


@dataclass(frozen=True)
class AllOf:
    """Met when every part is met; unmet when any part is unmet."""

    parts: tuple[Expr, ...]
    path: DocPath = field(compare=False)


@dataclass(frozen=True)
class AnyOf:
    """Met when any part is met; unmet when every part is unmet."""

    parts: tuple[Expr, ...]
    path: DocPath = field(compare=False)


@dataclass(frozen=True)
class Not:
    """Swaps met and unmet."""

    part: Expr
    path: DocPath = field(compare=False)


@dataclass(frozen=True)
class IfThen:
    """A conditional requirement: met when ``condition`` is unmet, else ``consequence``."""

    condition: Expr
    consequence: Expr
    path: DocPath = field(compare=False)


Expr = FactRef | RuleRef | AllOf | AnyOf | Not | IfThen


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of ``expr``."""
    if isinstance(expr, AllOf | AnyOf):
        return expr.parts
    if isinstance(expr, Not):
        return (expr.part,)
    if isinstance(expr, IfThen):
        return (expr.condition, expr.consequence)
    return ()


def walk(expr: Expr) -> list[Expr]:
    """``expr`` and every expression inside it, in pre-order (rule references not followed)."""
    found = [expr]
    for child in children(expr):
        found.extend(walk(child))
    return found


# ---------------------------------------------------------------- resolved policy


@dataclass(frozen=True)
class Rule:
    """A named, cited condition of a policy."""

    id: str
    title: str
    description: str
    citation: Citation
    interpretation: Interpretation | None
    expr: Expr

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

    @property
    def facts_used(self) -> tuple[str, ...]:
        """Every fact some rule names, in vocabulary order."""
        used = {fact for rule in self.rules.values() for fact in rule.facts}
        return tuple(fact for fact in self.vocabulary.ids if fact in used)


def load_policy(path: str | Path, vocabulary: Vocabulary) -> Policy:
    """Read, validate and resolve one policy file against ``vocabulary``."""
    doc = read_document(path)
    return build_policy(doc, vocabulary, expected_id=Path(path).stem)


def build_policy(doc: Document, vocabulary: Vocabulary, expected_id: str | None = None) -> Policy:
    """Validate a parsed policy document and resolve its rules."""
    from forcecheck.load.policy_file import PolicyFile  # pydantic: only when a file is validated

    spec = validate(PolicyFile, doc)
    if expected_id is not None and spec.id != expected_id:
        raise SchemaError(
            f"policy id '{spec.id}' does not match the file name",
            location=doc.locate(("id",)),
            help=f"a policy's id is its file stem: write `id: {expected_id}` or rename the file",
        )
    if not POLICY_ID.match(spec.id):
        raise SchemaError(
            f"policy id '{spec.id}' is not a valid id",
            location=doc.locate(("id",)),
            help="use lower-case letters, digits and hyphens",
        )
    for rule_id in spec.rules:
        if not RULE_ID.match(rule_id):
            raise SchemaError(
                f"rule id '{rule_id}' is not a valid id",
                location=doc.locate(("rules", rule_id), key=True),
                help="use lower-case letters, digits and underscores, starting with a letter",
            )
        if rule_id in vocabulary:
            raise SchemaError(
                f"rule id '{rule_id}' is also a fact id",
                location=doc.locate(("rules", rule_id), key=True),
                help="rename the rule: a bare name must say unambiguously which one it means",
            )
    _check_rule_names(doc, spec, ("decision",), (spec.decision,))
    _check_rule_names(doc, spec, ("findings",), spec.findings)
    _check_sources(doc, spec)
    parser = _ExprParser(doc, spec, vocabulary)
    rules = {
        rule_id: Rule(
            id=rule_id,
            title=rule_spec.title,
            description=rule_spec.description,
            citation=rule_spec.citation,
            interpretation=rule_spec.interpretation,
            expr=parser.rule_expr(rule_id),
        )
        for rule_id, rule_spec in spec.rules.items()
    }
    order = _topological_order(doc, rules)
    properties = resolve_properties(
        doc, spec.properties, rules, spec.decision, spec.sources, vocabulary, RULE_ID.pattern
    )
    return Policy(
        spec=spec.metadata(),
        rules=rules,
        order=order,
        vocabulary=vocabulary,
        path=doc.path,
        properties=properties,
    )


def _check_rule_names(
    doc: Document, spec: PolicyFile, where: DocPath, names: tuple[str, ...]
) -> None:
    for index, name in enumerate(names):
        if name not in spec.rules:
            path = where if where == ("decision",) else (*where, index)
            raise MissingReferenceError(
                f"no rule named '{name}'",
                location=doc.locate(path),
                help=did_you_mean(name, spec.rules) or "name a rule defined under `rules:`",
            )


def _check_sources(doc: Document, spec: PolicyFile) -> None:
    for rule_id, rule in spec.rules.items():
        citations: list[tuple[DocPath, Citation]] = [(("citation",), rule.citation)]
        if rule.interpretation:
            citations += [
                (("interpretation", "rests_on", i), c)
                for i, c in enumerate(rule.interpretation.rests_on)
            ]
        for path, citation in citations:
            if citation.source not in spec.sources:
                raise MissingReferenceError(
                    f"rule '{rule_id}' cites an undeclared source '{citation.source}'",
                    location=doc.locate(("rules", rule_id, *path, "source")),
                    help=did_you_mean(citation.source, spec.sources)
                    or "declare the source under `sources:`",
                )


class _ExprParser:
    """Turns the raw expression data of rules into :data:`Expr` trees, resolving names."""

    def __init__(self, doc: Document, spec: PolicyFile, vocabulary: Vocabulary) -> None:
        self.doc = doc
        self.spec = spec
        self.vocabulary = vocabulary

    def rule_expr(self, rule_id: str) -> Expr:
        # The forms as the file writes them, not as the model holds them: the model cannot
        # tell `all:` left empty (null) from no `all` at all, and an empty form is an error.
        written = self.doc.data["rules"][rule_id]
        raw = {key: value for key, value in written.items() if key in EXPRESSION_KEYS}
        return self.mapping(raw, ("rules", rule_id), owner=rule_id)

    def parse(self, raw: Any, path: DocPath, owner: str) -> Expr:
        if isinstance(raw, str):
            return self.name(raw, path, owner)
        if isinstance(raw, dict):
            for key in raw:
                if key not in EXPRESSION_KEYS:
                    raise SchemaError(
                        f"unknown key '{key}' in an expression",
                        location=self.doc.locate((*path, key), key=True),
                        help=did_you_mean(key, EXPRESSION_KEYS)
                        or "an expression is one of all, any, not, or if/then",
                    )
            return self.mapping(raw, path, owner)
        raise SchemaError(
            "an expression must be a fact or rule name, or a mapping with all, any, not or if/then",
            location=self.doc.locate(path),
        )

    def mapping(self, raw: dict[str, Any], path: DocPath, owner: str) -> Expr:
        forms = [key for key in ("all", "any", "not", "if") if key in raw]
        if "then" in raw and "if" not in raw:
            raise SchemaError(
                "`then` without `if`",
                location=self.doc.locate((*path, "then"), key=True),
                help="write `if: CONDITION` beside `then:`",
            )
        if len(forms) != 1:
            found = ", ".join(forms) if forms else "none"
            raise SchemaError(
                f"an expression needs exactly one of all, any, not, if/then (found: {found})",
                location=self.doc.locate(path, key=True),
                help="split it into separate named rules, or nest one inside another",
            )
        form = forms[0]
        if form == "if":
            if "then" not in raw:
                raise SchemaError(
                    "`if` without `then`",
                    location=self.doc.locate((*path, "if"), key=True),
                    help="write `then: REQUIREMENT` beside `if:`",
                )
            return IfThen(
                self.parse(raw["if"], (*path, "if"), owner),
                self.parse(raw["then"], (*path, "then"), owner),
                path,
            )
        if form == "not":
            return Not(self.parse(raw["not"], (*path, "not"), owner), path)
        items = raw[form]
        if not isinstance(items, list) or not items:
            raise SchemaError(
                f"`{form}` needs a non-empty list",
                location=self.doc.locate((*path, form)),
                help=f"write `{form}: [a, b]`",
            )
        parts = tuple(
            self.parse(item, (*path, form, index), owner) for index, item in enumerate(items)
        )
        return AllOf(parts, path) if form == "all" else AnyOf(parts, path)

    def name(self, name: str, path: DocPath, owner: str) -> Expr:
        if name in self.spec.rules:
            return RuleRef(name, path)
        if name in self.vocabulary:
            return FactRef(name, path)
        hint = did_you_mean(name, [*self.spec.rules, *self.vocabulary.ids])
        raise UnknownFactError(
            f"rule '{owner}' names '{name}', which is neither a rule of this policy nor a "
            "declared fact",
            location=self.doc.locate(path),
            help=hint or f"declare the fact in {self.vocabulary.path} or define the rule",
        )


def _topological_order(doc: Document, rules: dict[str, Rule]) -> tuple[str, ...]:
    """Rules ordered so that each comes after every rule it refers to.

    Rejects cycles, and rules nested more than :data:`MAX_RULE_DEPTH` levels deep through
    references (the renderers and static checks recurse that deep). Iterative, so that a
    long chain of rules is an input error rather than a RecursionError.
    """
    done: dict[str, None] = {}
    depths: dict[str, int] = {}
    for root in rules:
        if root in done:
            continue
        path = [root]
        on_path = {root}
        pending = [iter(rules[root].rule_refs)]
        while pending:
            ref = next(pending[-1], None)
            if ref is None:
                pending.pop()
                rule_id = path.pop()
                on_path.discard(rule_id)
                depths[rule_id] = _depth(rules[rule_id].expr, depths)
                if depths[rule_id] > MAX_RULE_DEPTH:
                    raise SchemaError(
                        f"rule '{rule_id}' is nested more than {MAX_RULE_DEPTH} levels deep, "
                        "counting the rules it refers to",
                        location=doc.locate(("rules", rule_id), key=True),
                        help="no policy needs this many levels: flatten the chain of rules",
                    )
                done[rule_id] = None
            elif ref in on_path:
                cycle = [*path[path.index(ref) :], ref]
                raise CycleError(
                    "rules refer to each other in a cycle: " + " -> ".join(cycle),
                    location=doc.locate(("rules", ref), key=True),
                    help="a rule may not depend, directly or indirectly, on itself",
                )
            elif ref not in done:
                path.append(ref)
                on_path.add(ref)
                pending.append(iter(rules[ref].rule_refs))
    return tuple(done)


def _depth(expr: Expr, rule_depths: dict[str, int]) -> int:
    """Levels of nesting below ``expr``, rules it refers to included (their depth known)."""
    if isinstance(expr, RuleRef):
        return 1 + rule_depths[expr.rule]
    return 1 + max((_depth(child, rule_depths) for child in children(expr)), default=0)
