"""What an undetermined outcome turns on, in plain words.

One module that the report parts and the analysis text both read, and that reads neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forcecheck.analysis.turns_on import TurnsOn
    from forcecheck.model.policy import Policy

__all__ = ["MAX_NAMED", "and_list", "turns_on_text"]

#: An undetermined outcome names at most this many facts of what it turns on.
MAX_NAMED = 3


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def turns_on_text(found: TurnsOn, policy: Policy) -> str:
    """What an undetermined outcome turns on, in plain words (after "undetermined: ").

    "depends on whether another option was available and whether the endangered person
    could get clear of the vehicle"; with more than :data:`MAX_NAMED` facts, their number
    and the most decisive one; when no fact can settle it, the text it rests on.
    """
    from forcecheck.model.vocabulary import whether_text

    facts = policy.vocabulary.facts
    if found.facts:
        named = [whether_text(f, facts.get(f)) for f in found.facts]
        if len(named) > MAX_NAMED:
            # Many facts: their number and the most decisive, so that a line stays a line.
            text = f"depends on {len(named)} open facts, first {named[0]}"
        else:
            text = "depends on " + and_list(named)
        if found.search_incomplete:
            text += " (a smaller set may exist)"
        return text
    if found.open_text:
        if found.one_way:
            # "No fact can settle it" would be false: one answer still settles it one way.
            return (
                "no fact is sure to settle it: the text leaves open "
                + _rules_text(found.open_text, policy)
                + _one_way_text(found, policy)
            )
        return "no fact can settle it: the text leaves open " + _rules_text(found.open_text, policy)
    if found.text_for_some_answers:
        return (
            "no fact is sure to settle it: for some answers the text leaves open "
            + _rules_text(found.text_for_some_answers, policy)
            + _one_way_text(found, policy)
        )
    return "no answer to the open facts can settle it" + _one_way_text(found, policy)


def _one_way_text(found: TurnsOn, policy: Policy) -> str:
    """``; but not_authorized if no to whether …`` (or nothing: no answer settles it alone)."""
    from forcecheck.model.logic import Value
    from forcecheck.model.vocabulary import whether_text
    from forcecheck.render.outcome_words import outcome_word

    if not found.one_way:
        return ""
    fact, answer, outcome = found.one_way[0]
    others = len(found.one_way) - 1
    text = (
        f"; but {outcome_word(policy.spec.layer or '', outcome)} if "
        f"{'yes' if answer is Value.TRUE else 'no'} to "
        f"{whether_text(fact, policy.vocabulary.facts.get(fact))}"
    )
    if others:
        text += f" (or {others} other fact{'s' if others > 1 else ''})"
    return text


def _rules_text(rule_ids: tuple[str, ...], policy: Policy) -> str:
    """The rules by their titles, as a clause ("how an officer's own creation …")."""
    titles = []
    for rule_id in rule_ids:
        rule = policy.rules.get(rule_id)
        title = rule.title if rule is not None else rule_id
        titles.append(title[:1].lower() + title[1:])
    return and_list(titles)
