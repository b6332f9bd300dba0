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

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from forcecheck.model.citation import Citation
from forcecheck.model.logic import Status, Value

if TYPE_CHECKING:
    pass

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
    #: The readings the promise is made under, each ``rule.reading``: it must hold wherever
    #: every rule named is read so. Empty: under every reading of the policy.
    under: tuple[str, ...] = ()

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
