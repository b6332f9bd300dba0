"""Declared properties: promises a policy makes, for ``forcecheck verify`` to prove.

A property fixes some facts (and, optionally, the status of some conditions) and claims
that, whatever the other facts are, one rule's status **is**, **is not**, **is at most** or
**is at least** a given status (ordered unmet < unknown < met)::

    warning_shot_never_authorized:
      statement: A warning shot is never authorized.
      given:
        facts: {warning_shot: true}
      rule: deadly_force_authorized     # optional: the decision by default
      is: unmet
      citation: {source: ..., section: ..., quote: ..., wording: secondary}

See docs/verify.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from forcecheck.errors import MissingReferenceError, SchemaError, UnknownFactError, did_you_mean
from forcecheck.load.reader import Document
from forcecheck.model.citation import Citation
from forcecheck.model.logic import Status, Value
from forcecheck.model.vocabulary import Vocabulary

if TYPE_CHECKING:
    from forcecheck.load.policy_file import PropertySpec

#: Statuses in the order "at most" and "at least" use.
STATUS_ORDER = (Status.UNMET, Status.UNKNOWN, Status.MET)


class Relation(StrEnum):
    """How a property's rule status must relate to its stated status."""

    IS = "is"
    IS_NOT = "is_not"
    AT_MOST = "at_most"
    AT_LEAST = "at_least"

    def holds(self, actual: Status, stated: Status) -> bool:
        """Whether ``actual`` satisfies this relation to ``stated``."""
        if self is Relation.IS:
            return actual is stated
        if self is Relation.IS_NOT:
            return actual is not stated
        rank = STATUS_ORDER.index
        if self is Relation.AT_MOST:
            return rank(actual) <= rank(stated)
        return rank(actual) >= rank(stated)

    def allowed(self, stated: Status) -> tuple[Status, ...]:
        """The statuses this relation allows, in STATUS_ORDER."""
        return tuple(s for s in STATUS_ORDER if self.holds(s, stated))

    @property
    def words(self) -> str:
        """The relation as words: ``is not``, ``is at most``."""
        return {"is": "is", "is_not": "is not", "at_most": "is at most", "at_least": "is at least"}[
            self.value
        ]


@dataclass(frozen=True)
class Property:
    """A resolved property.

    For all fact values matching ``facts`` and ``conditions``, ``rule``'s status stands in
    ``relation`` to ``status``.
    """

    id: str
    statement: str
    citation: Citation
    rule: str
    relation: Relation
    status: Status
    facts: Mapping[str, Value] = field(default_factory=dict)
    conditions: Mapping[str, Status] = field(default_factory=dict)

    def holds(self, actual: Status) -> bool:
        """Whether a status of the rule keeps the promise."""
        return self.relation.holds(actual, self.status)

    @property
    def claim(self) -> str:
        """The claim in words: ``deadly_force_authorized is not met``."""
        return f"{self.rule} {self.relation.words} {self.status}"

    @property
    def premise(self) -> str:
        """What is held fixed, in words (empty when nothing is)."""
        parts = [f"{fact}={value}" for fact, value in self.facts.items()]
        parts += [f"{rule} {status}" for rule, status in self.conditions.items()]
        return ", ".join(parts)


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
        )
    return resolved
