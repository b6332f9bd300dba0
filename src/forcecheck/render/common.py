"""Pieces of presentation shared by every output format."""

from __future__ import annotations

import textwrap

from forcecheck.engine.explain import RuleResult
from forcecheck.model.policy import Citation, Policy, Rule

#: Formats whose cells cannot hold a line break: a wrapped cell would turn into extra,
#: half-empty rows (broken Markdown, for instance), so they are never wrapped.
ONE_LINE_FORMATS = {
    "asciidoc",
    "github",
    "html",
    "jira",
    "latex",
    "latex_booktabs",
    "latex_longtable",
    "latex_raw",
    "mediawiki",
    "moinmoin",
    "orgtbl",
    "pipe",
    "textile",
    "tsv",
    "unsafehtml",
    "youtrack",
}


def condition_depths(policy: Policy) -> dict[str, int]:
    """Each reported rule's depth below the decision (findings are at depth 0)."""
    depths: dict[str, int] = {}

    def visit(rule_id: str, depth: int) -> None:
        if rule_id in depths:
            return
        depths[rule_id] = depth
        for ref in policy.rules[rule_id].rule_refs:
            visit(ref, depth + 1)

    visit(policy.spec.decision, 0)
    for finding in policy.findings:
        visit(finding, 0)
    return depths


def citation_ref(citation: Citation) -> str:
    """A short reference: source, section and wording, e.g. ``dhs-044-05-2023 §VI.A.1.a``."""
    section = citation.section
    if section[:1].isupper() and "." in section and " " not in section:
        section = "§" + section
    return f"{citation.source} {section} · {citation.wording}"


def rule_ref(rule: Rule) -> str:
    """A rule's citation reference, flagged when the rule also interprets the text."""
    return citation_ref(rule.citation) + (" + interpretation" if rule.interpretation else "")


def wording_summary(policy: Policy, rule_ids: tuple[str, ...]) -> str:
    """How much of what is reported rests on verbatim words, and how much is interpretation."""
    rules = [policy.rules[rule_id] for rule_id in rule_ids]
    verbatim = sum(r.citation.wording == "verbatim" for r in rules)
    interpreted = sum(r.interpretation is not None for r in rules)
    return (
        f"Of {len(rules)} conditions, {verbatim} quote their source verbatim and "
        f"{len(rules) - verbatim} rest on secondary wording; {interpreted} add an "
        "interpretation of the text (see Citations)."
    )


def role(policy: Policy, result: RuleResult) -> str:
    """decision, condition or finding."""
    if result.rule.id == policy.spec.decision:
        return "decision"
    return "finding" if result.rule.id in policy.findings else "condition"


#: Width of wrapped prose in the plain-text reports.
TEXT_WIDTH = 100


def wrap(text: str, indent: str = "", hang: str = "") -> list[str]:
    """``text`` in lines of at most ``TEXT_WIDTH`` characters.

    Continuation lines align under the first line's text (after ``indent``), plus ``hang``.
    """
    # A dash between words stays with the word before it: a continuation line that began
    # "- left open …" would read as an item of its own in a bulleted list.
    joined = " ".join(text.split()).replace(" - ", f"{_GLUE}- ")
    return [
        line.replace(_GLUE, " ")
        for line in textwrap.wrap(
            joined,
            TEXT_WIDTH,
            initial_indent=indent,
            subsequent_indent=" " * len(indent) + hang,
        )
    ]


#: Joins a dash to the next word while text is wrapped (a private-use character: no input
#: text holds it, and it is gone before the text is shown).
_GLUE = "\ue000"


def layer_label(policy: Policy) -> str:
    """A layer as every report names it: ``mn-609-066 (state)``, or the id alone."""
    return f"{policy.id} ({policy.spec.layer})" if policy.spec.layer else policy.id
