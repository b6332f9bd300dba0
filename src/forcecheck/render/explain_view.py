"""``forcecheck explain``: a rule read back as a tree, with each node's citation and quote."""

from __future__ import annotations

import textwrap

from forcecheck.model.policy import BELIEF_WORDS, Expr, FactRef, Policy, RuleRef
from forcecheck.model.semantics import BY_OP, heading
from forcecheck.render.common import citation_ref
from forcecheck.render.escape import terminal

_WIDTH = 96


def _wrap(text: str, prefix: str) -> list[str]:
    return textwrap.wrap(text, width=_WIDTH, initial_indent=prefix, subsequent_indent=prefix) or [
        prefix
    ]


def render_explain(policy: Policy, rule_id: str) -> str:
    """The rule ``rule_id`` of ``policy`` and everything under it, in plain words."""
    lines = [f"{policy.id}: {policy.spec.document} — {policy.spec.title}", ""]
    shown: set[str] = set()

    def rule(rule_id: str, indent: str) -> None:
        rule = policy.rules[rule_id]
        if rule_id in shown:
            lines.append(f"{indent}rule {rule_id} — {rule.title} (explained above)")
            return
        shown.add(rule_id)
        role = (
            " [decision]"
            if rule_id == policy.spec.decision
            else (" [finding]" if rule_id in policy.findings else "")
        )
        lines.append(f"{indent}rule {rule_id} — {rule.title}{role}")
        detail = indent + "    "
        citation = rule.citation
        lines.extend(_wrap(f'{citation_ref(citation)}: "{citation.quote}"', detail))
        if citation.seen_in:
            lines.extend(_wrap(f"seen in: {citation.seen_in}", detail))
        if rule.belief is not None:
            lines.extend(_wrap(f"standard of belief: {BELIEF_WORDS[rule.belief]}", detail))
        if rule.interpretation is not None:
            lines.extend(_wrap(f"interpretation: {rule.interpretation.note}", detail))
            for ground in rule.interpretation.rests_on:
                lines.extend(
                    _wrap(f'rests on {citation_ref(ground)}: "{ground.quote}"', detail + "  ")
                )
        if rule.readings:
            lines.append(f"{detail}DEFAULT READING `{rule.reading}`:")
            expr(rule.expr, detail + "    ")
            for reading in rule.readings:
                lines.append(f"{detail}READING `{reading.name}` (instead of the default):")
                inner = detail + "    "
                lines.extend(
                    _wrap(f'{citation_ref(reading.citation)}: "{reading.citation.quote}"', inner)
                )
                lines.extend(_wrap(f"why: {reading.why}", inner))
                expr(reading.expr, inner)
            return
        expr(rule.expr, detail)

    def expr(node: Expr, indent: str) -> None:
        if isinstance(node, FactRef):
            question = policy.vocabulary.facts[node.fact].question
            lines.extend(_wrap(f"fact {node.fact}: {question}", indent))
        elif isinstance(node, RuleRef):
            rule(node.rule, indent)
        else:
            # Each slot of the combinator under its heading ("ALL of:", "IF ...:", "THEN:").
            groups = iter(node.groups)
            for slot in BY_OP[node.op].slots:
                if slot.takes in ("expr", "exprs"):
                    lines.append(f"{indent}{heading(node, slot)}:")
                    for part in next(groups):
                        expr(part, indent + "    ")
                elif slot.heading:  # an argument that says something of its own
                    lines.append(f"{indent}{heading(node, slot)}")

    rule(rule_id, "")
    # A policy file of the user's own may hold anything: nothing reaches the terminal raw.
    return terminal("\n".join(lines) + "\n")
