"""A policy's readings: the policy as written, and the policy with one open text read otherwise.

A rule whose text is open may declare named alternative readings (:class:`Reading`); its
own expression is its default reading. A policy then has **variants**: the default (every
rule at its default reading, the :class:`Policy` as loaded) and, for each alternative
reading of each rule, the policy with that one rule read that way and every other rule at
its default. One open point at a time, as a lawyer compares them: two alternatives of two
rules are never combined, so the variants grow with the readings, not with their product.

A variant is an ordinary :class:`Policy` (its rules re-ordered, since an alternative may
use other rules), so every engine and every analysis runs on it unchanged. Loading has
checked that no alternative makes a cycle.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

from forcecheck.model.policy import Policy, Reading, Rule, per_policy


@dataclass(frozen=True)
class Variant:
    """A policy with one rule read otherwise: which rule, which reading, and the policy."""

    #: The rule read otherwise.
    rule: str
    #: The alternative reading's name.
    reading: str
    #: The policy with that rule read that way, every other rule at its default.
    policy: Policy

    @property
    def label(self) -> str:
        """``rule.reading``: how a scenario's ``expect`` and the reports name it."""
        return f"{self.rule}.{self.reading}"

    @property
    def detail(self) -> Reading:
        """The alternative reading itself (its why, citation and expression)."""
        found = self.policy.rules[self.rule]
        return next(r for r in found.readings if r.name == self.reading)


def read_as(policy: Policy, rule_id: str, reading: Reading) -> Policy:
    """``policy`` with ``rule_id`` read as ``reading`` (an alternative the rule declares)."""
    rule = policy.rules[rule_id]
    rules = dict(policy.rules)
    rules[rule_id] = replace(rule, expr=reading.expr)
    return replace(policy, rules=rules, order=dependency_order(rules))


def dependency_order(rules: dict[str, Rule]) -> tuple[str, ...]:
    """Rule ids ordered so that each comes after every rule it refers to.

    The rules must have no cycle (loading has checked). Iterative, as the loader's own.
    """
    done: dict[str, None] = {}
    for root in rules:
        if root in done:
            continue
        path = [root]
        pending = [iter(rules[root].rule_refs)]
        while pending:
            ref = next(pending[-1], None)
            if ref is None:
                pending.pop()
                done[path.pop()] = None
            elif ref not in done and ref not in path:
                path.append(ref)
                pending.append(iter(rules[ref].rule_refs))
    return tuple(done)


def _make_variants(policy: Policy) -> tuple[Variant, ...]:
    return tuple(
        Variant(rule_id, reading.name, read_as(policy, rule_id, reading))
        for rule_id in policy.rules
        for reading in policy.rules[rule_id].readings
    )


_VARIANTS: dict[int, tuple[weakref.ref[Policy], tuple[Variant, ...]]] = {}


def variants(policy: Policy) -> tuple[Variant, ...]:
    """Every alternative reading of ``policy``, one rule read otherwise at a time.

    Empty when no rule declares readings; the default (``policy`` itself) is not among
    them. Made once per Policy object, so each variant's compiled forms are made once too.
    """
    return per_policy(_VARIANTS, policy, _make_variants)


def applies(under: tuple[str, ...], policy: Policy, variant: Variant | None) -> bool:
    """Whether a promise made ``under`` some readings applies to ``variant`` of ``policy``.

    ``under`` lists ``rule.reading`` labels (empty: every reading); ``variant`` None is the
    default. It applies where every rule named is read as named.
    """
    for label in under:
        rule_id, _, name = label.partition(".")
        read = variant.reading if variant and variant.rule == rule_id else None
        if (read or policy.rules[rule_id].reading) != name:
            return False
    return True


def has_readings(policy: Policy) -> bool:
    """Whether any rule of ``policy`` declares alternative readings."""
    return any(rule.readings for rule in policy.rules.values())


def reading_named(policy: Policy, label: str) -> Variant | None:
    """The variant ``rule.reading`` names, or None."""
    return next((v for v in variants(policy) if v.label == label), None)
