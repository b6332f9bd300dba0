"""A rule that reads another policy's decision: ``{policy: ID}`` in an expression.

The immunity view asks whether the agent was authorized by federal law and did no more than
was necessary and proper; the federal layers already answer parts of that. Rather than
restate their rules, a policy may name another policy of its directory; the named policy's
rules are copied in under ``ID.rule`` ids (its default reading; its sources join the
citing policy's where their ids are new), and the reference becomes a reference to
``ID.decision``. So every analysis — evaluation, questions, verify — reaches through to the
facts, with one semantics.

A referenced policy may not itself reference another: the chain stays one step long.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from forcecheck.errors import Location, MissingReferenceError, SchemaError
from forcecheck.load.reader import INPUT_SUFFIXES
from forcecheck.model.policy import (
    COPIED_SEPARATOR,
    Combination,
    Expr,
    FactRef,
    Policy,
    Rule,
    RuleRef,
    Source,
)

#: The key of the leaf.
POLICY_KEY = "policy"

#: Between a referenced policy's id and its rule's id in a copied rule's id.
SEPARATOR = COPIED_SEPARATOR

#: Loads a referenced policy file; raises InputError as loading does.
Resolve = Callable[[Path], Policy]


@dataclass
class Imports:
    """The policies an expression parser met, by id, and how to load them."""

    directory: Path
    resolve: Resolve | None
    found: dict[str, Policy]

    def decision_of(self, policy_id: object, location: Location | None) -> RuleRef:
        """The copied decision rule of ``policy_id``, loading it the first time."""
        if not isinstance(policy_id, str):
            raise SchemaError(
                "`policy` names a policy by its id",
                location=location,
                help="write `{policy: 8cfr-287-8}`: a policy file in the same directory",
            )
        if self.resolve is None:
            raise SchemaError(
                f"'{policy_id}' is referenced from a policy that is itself referenced",
                location=location,
                help="a policy read by another may not read a third: reference it directly",
            )
        if policy_id not in self.found:
            candidates = [self.directory / f"{policy_id}{suffix}" for suffix in INPUT_SUFFIXES]
            path = next((c for c in candidates if c.is_file()), candidates[0])
            if not path.is_file():
                raise MissingReferenceError(
                    f"no policy '{policy_id}' beside this file",
                    location=location,
                    help=f"`policy:` names a policy file in {self.directory} by its stem "
                    f"({', '.join(INPUT_SUFFIXES)})",
                )
            policy = self.resolve(path)
            if any(SEPARATOR in rule_id for rule_id in policy.rules):
                raise SchemaError(
                    f"'{policy_id}' reads another policy's decision itself",
                    location=location,
                    help="a policy read by another may not read a third: reference it directly",
                )
            self.found[policy_id] = policy
        policy = self.found[policy_id]
        return RuleRef(copied_id(policy_id, policy.spec.decision), ())


def copied_id(policy_id: str, rule_id: str) -> str:
    """The id a referenced policy's rule takes in the citing policy."""
    return f"{policy_id}{SEPARATOR}{rule_id}"


def copied_rules(found: dict[str, Policy]) -> dict[str, Rule]:
    """The rules of each referenced policy's decision, renamed, at their default reading.

    Only the rules its decision reaches: a finding of the referenced policy is not read.
    """
    rules: dict[str, Rule] = {}
    for policy_id, policy in found.items():
        reached = _reached(policy, policy.spec.decision)
        for rule_id in policy.order:
            if rule_id not in reached:
                continue
            rule = policy.rules[rule_id]
            rules[copied_id(policy_id, rule_id)] = replace(
                rule,
                id=copied_id(policy_id, rule_id),
                title=f"{rule.title} ({policy_id})",
                expr=_renamed(rule.expr, policy_id),
                reading=None,
                readings=(),
            )
    return rules


def copied_sources(own: dict[str, Source], found: dict[str, Policy]) -> dict[str, Source]:
    """The citing policy's sources, and each referenced policy's whose id is new."""
    sources = dict(own)
    for policy in found.values():
        for source_id, source in policy.spec.sources.items():
            sources.setdefault(source_id, source)
    return sources


def _reached(policy: Policy, root: str) -> set[str]:
    reached: set[str] = set()
    pending = [root]
    while pending:
        rule_id = pending.pop()
        if rule_id not in reached:
            reached.add(rule_id)
            pending.extend(policy.rules[rule_id].rule_refs)
    return reached


def _renamed(expr: Expr, policy_id: str) -> Expr:
    if isinstance(expr, RuleRef):
        return replace(expr, rule=copied_id(policy_id, expr.rule))
    if isinstance(expr, FactRef):
        return expr
    if isinstance(expr, Combination):
        return replace(expr, parts=tuple(_renamed(part, policy_id) for part in expr.parts))
    return expr
