"""Loading a policy file: validate its layout, resolve every name, order the rules.

A bare name in a rule refers to a rule when the policy defines one by that name, else to a
fact of the vocabulary. Loading rejects cycles and orders the rules so that each comes after
the rules it uses; the engine relies on that order. Declared properties are resolved against
the rules and the vocabulary here too. See docs/policy-language.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from forcecheck.errors import (
    CycleError,
    MissingReferenceError,
    SchemaError,
    UnknownFactError,
    did_you_mean,
)
from forcecheck.load.date_checks import check_policy_dates
from forcecheck.load.expression_parser import ExpressionParser
from forcecheck.load.input_bytes import input_name, is_stream
from forcecheck.load.policy_reference import Imports, Resolve, copied_rules, copied_sources
from forcecheck.load.reader import parse_bytes, read_document
from forcecheck.load.validation import validate
from forcecheck.model.citation import Citation
from forcecheck.model.document import DocPath, Document
from forcecheck.model.policy import (
    POLICY_ID,
    RULE_ID,
    Expr,
    Policy,
    Reading,
    Rule,
    RuleRef,
    children,
)
from forcecheck.model.properties import Property, Relation
from forcecheck.model.vocabulary import Vocabulary

if TYPE_CHECKING:
    from forcecheck.load.policy_file import PolicyFile, PropertySpec

#: At most this many levels of nesting in a rule, counting through the rules it refers to.
MAX_RULE_DEPTH = 100


def load_policy(
    path: str | Path,
    vocabulary: Vocabulary,
    *,
    raw: bytes | None = None,
    resolve: Resolve | Literal["default"] | None = "default",
) -> Policy:
    """Read, validate and resolve one policy file against ``vocabulary``.

    ``raw`` is the file's content when the caller has read it already
    (:func:`forcecheck.load.reader.read_input`): standard input can be read only once. A
    policy read from standard input or ``<(...)`` has no file name its id must match.
    """
    doc = read_document(path) if raw is None else parse_bytes(raw, input_name(path))
    imports = None
    if not is_stream(path):
        if resolve == "default":
            # A referenced policy is read with references refused: one step only.
            resolve = lambda found: load_policy(found, vocabulary, resolve=None)  # noqa: E731
        imports = Imports(Path(path).parent, resolve, {})
    return build_policy(
        doc, vocabulary, expected_id=None if is_stream(path) else Path(path).stem, imports=imports
    )


def build_policy(
    doc: Document,
    vocabulary: Vocabulary,
    expected_id: str | None = None,
    imports: Imports | None = None,
) -> Policy:
    """Validate a parsed policy document and resolve its rules.

    ``imports`` loads the policies that ``{policy: ID}`` leaves name (None: refused); their
    decisions' rules are copied in (:mod:`forcecheck.load.policy_reference`).
    """
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
    check_policy_dates(doc, spec.effective, spec.superseded)
    _check_places(doc, spec)
    parser = ExpressionParser(doc, spec, vocabulary, imports)
    rules = {
        rule_id: Rule(
            id=rule_id,
            title=rule_spec.title,
            description=rule_spec.description,
            citation=rule_spec.citation,
            interpretation=rule_spec.interpretation,
            expr=parser.rule_expr(rule_id),
            reading=rule_spec.reading,
            readings=_readings(doc, spec, parser, rule_id),
            belief=rule_spec.belief,
        )
        for rule_id, rule_spec in spec.rules.items()
    }
    metadata = spec.metadata()
    if imports is not None and imports.found:
        rules = {**copied_rules(imports.found), **rules}
        metadata = replace(metadata, sources=copied_sources(metadata.sources, imports.found))
    order = _topological_order(doc, rules)
    _check_reading_cycles(doc, rules)
    properties = resolve_properties(
        doc, spec.properties, rules, spec.decision, spec.sources, vocabulary, RULE_ID.pattern
    )
    return Policy(
        spec=metadata,
        rules=rules,
        order=order,
        vocabulary=vocabulary,
        path=doc.path,
        properties=properties,
    )


def _check_places(doc: Document, spec: PolicyFile) -> None:
    """A state's law names its state; no other layer names one."""
    if spec.layer == "state" and not spec.places:
        raise SchemaError(
            "a state law names no `places`",
            location=doc.locate(("layer",)),
            help="add `places: [Name, XX]`: the state's name and postal code, as a "
            "scenario's `place:` writes them",
        )
    if spec.layer != "state" and spec.places:
        raise SchemaError(
            f"`places` is only for a state law, and this policy's layer is '{spec.layer}'",
            location=doc.locate(("places",)),
            help="write `layer: state`, or remove `places`",
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


def _readings(
    doc: Document, spec: PolicyFile, parser: ExpressionParser, rule_id: str
) -> tuple[Reading, ...]:
    """The alternative readings ``rule_id`` declares, checked and parsed."""
    rule = spec.rules[rule_id]
    where: DocPath = ("rules", rule_id)
    if rule.readings and rule.reading is None:
        raise SchemaError(
            f"rule '{rule_id}' declares readings but does not name its own",
            location=doc.locate((*where, "readings"), key=True),
            help="name the rule's own expression, the default reading: write `reading: "
            "NAME` beside `readings:`",
        )
    if rule.reading is not None and not rule.readings:
        raise SchemaError(
            f"rule '{rule_id}' names its reading '{rule.reading}' but declares no other",
            location=doc.locate((*where, "reading")),
            help="add the alternatives under `readings:`, or remove `reading:`",
        )
    if rule.reading is not None and not RULE_ID.match(rule.reading):
        raise SchemaError(
            f"reading name '{rule.reading}' is not a valid name",
            location=doc.locate((*where, "reading")),
            help="use lower-case letters, digits and underscores, starting with a letter",
        )
    found: list[Reading] = []
    for name, reading in rule.readings.items():
        path: DocPath = (*where, "readings", name)
        if not RULE_ID.match(name):
            raise SchemaError(
                f"reading name '{name}' is not a valid name",
                location=doc.locate(path, key=True),
                help="use lower-case letters, digits and underscores, starting with a letter",
            )
        if name == rule.reading:
            raise SchemaError(
                f"reading '{name}' of rule '{rule_id}' has the default reading's name",
                location=doc.locate(path, key=True),
                help="`reading:` names the rule's own expression; give each alternative "
                "another name",
            )
        found.append(
            Reading(
                name=name,
                why=" ".join(reading.why.split()),
                citation=reading.citation,
                expr=parser.reading_expr(rule_id, name),
            )
        )
    return tuple(found)


def _check_reading_cycles(doc: Document, rules: dict[str, Rule]) -> None:
    """Each alternative reading, put in its rule's place, must leave the rules acyclic."""
    for rule_id, rule in rules.items():
        for reading in rule.readings:
            variant = dict(rules)
            variant[rule_id] = replace(rule, expr=reading.expr)
            try:
                _topological_order(doc, variant)
            except CycleError as error:
                raise CycleError(
                    f"reading '{reading.name}' of rule '{rule_id}' makes rules refer to each "
                    f"other in a cycle: {error.message.split(': ', 1)[-1]}",
                    location=doc.locate(("rules", rule_id, "readings", reading.name), key=True),
                    help="a reading may not make a rule depend, directly or indirectly, on itself",
                ) from None


def _check_sources(doc: Document, spec: PolicyFile) -> None:
    for rule_id, rule in spec.rules.items():
        citations: list[tuple[DocPath, Citation]] = [(("citation",), rule.citation)]
        citations += [
            (("readings", name, "citation"), reading.citation)
            for name, reading in rule.readings.items()
        ]
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


def resolve_properties(
    doc: Document,
    specs: Mapping[str, PropertySpec],
    rules: Mapping[str, object],
    decision: str,
    sources: Mapping[str, object],
    vocabulary: Vocabulary,
    id_pattern: str,
) -> dict[str, Property]:
    """Check every name a property uses and resolve it; raise a located InputError."""
    resolved: dict[str, Property] = {}
    for property_id, spec in specs.items():
        where = ("properties", property_id)
        if not re.match(id_pattern, property_id):
            raise SchemaError(
                f"property id '{property_id}' is not a valid id",
                location=doc.locate(where, key=True),
                help="use lower-case letters, digits and underscores, starting with a letter",
            )
        stated = [
            (relation, status)
            for relation, status in (
                (Relation.IS, spec.is_),
                (Relation.IS_NOT, spec.is_not),
                (Relation.AT_MOST, spec.at_most),
                (Relation.AT_LEAST, spec.at_least),
            )
            if status is not None
        ]
        if len(stated) != 1:
            found = ", ".join(r.value for r, _ in stated) or "none"
            raise SchemaError(
                f"property '{property_id}' needs exactly one of is, is_not, at_most, at_least "
                f"(found: {found})",
                location=doc.locate(where, key=True),
                help="write e.g. `is_not: met`; split several claims into several properties",
            )
        rule = spec.rule or decision
        if rule not in rules:
            raise MissingReferenceError(
                f"property '{property_id}' is about a rule '{rule}' this policy does not have",
                location=doc.locate((*where, "rule")),
                help=did_you_mean(rule, rules) or "name a rule defined under `rules:`",
            )
        for fact_id in spec.given.facts:
            if fact_id not in vocabulary:
                raise UnknownFactError(
                    f"property '{property_id}' fixes an undeclared fact '{fact_id}'",
                    location=doc.locate((*where, "given", "facts", fact_id), key=True),
                    help=did_you_mean(fact_id, vocabulary.ids)
                    or f"the facts are declared in {vocabulary.path}",
                )
        for rule_id in spec.given.conditions:
            if rule_id not in rules:
                raise MissingReferenceError(
                    f"property '{property_id}' assumes a condition '{rule_id}' this policy "
                    "does not have",
                    location=doc.locate((*where, "given", "conditions", rule_id), key=True),
                    help=did_you_mean(rule_id, rules) or "name a rule defined under `rules:`",
                )
        if spec.citation.source not in sources:
            raise MissingReferenceError(
                f"property '{property_id}' cites an undeclared source '{spec.citation.source}'",
                location=doc.locate((*where, "citation", "source")),
                help=did_you_mean(spec.citation.source, sources)
                or "declare the source under `sources:`",
            )
        for index, label in enumerate(spec.under):
            _check_under(doc, (*where, "under", index), property_id, label, rules)
        relation, status = stated[0]
        resolved[property_id] = Property(
            id=property_id,
            statement=" ".join(spec.statement.split()),
            citation=spec.citation,
            rule=rule,
            relation=relation,
            status=status,
            facts=dict(spec.given.facts),
            conditions=dict(spec.given.conditions),
            under=tuple(spec.under),
        )
    return resolved


def _check_under(
    doc: Document, path: DocPath, property_id: str, label: str, rules: Mapping[str, object]
) -> None:
    """``label`` must name a reading, ``rule.reading``, that a rule of the policy declares."""
    rule_id, _, name = label.partition(".")
    rule = rules.get(rule_id)
    if not isinstance(rule, Rule) or rule.reading is None:
        with_readings = [r for r, v in rules.items() if isinstance(v, Rule) and v.reading]
        raise MissingReferenceError(
            f"property '{property_id}' is promised under '{label}', but no rule "
            f"'{rule_id}' declares readings",
            location=doc.locate(path),
            help=did_you_mean(rule_id, with_readings)
            or "write `rule.reading`, naming a rule that declares `readings:`",
        )
    names = [rule.reading, *(r.name for r in rule.readings)]
    if name not in names:
        raise MissingReferenceError(
            f"property '{property_id}' is promised under '{label}', but rule '{rule_id}' has "
            f"no reading '{name}'",
            location=doc.locate(path),
            help=did_you_mean(name, names) or "its readings: " + ", ".join(names),
        )
