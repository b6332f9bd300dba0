"""What an undetermined outcome turns on, in the fewest facts: the summary's "depends on".

An undetermined outcome is not "no violation found": it is open, and a reader needs to know
on what. This picks, from the questions analysis (:mod:`forcecheck.analysis.questions`), one
smallest set of open facts whose answers, whatever they are, settle the outcome — the one
whose facts rank highest among the questions, its facts most decisive first — and, when no
fact can settle it, the points the policy's text leaves open that it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass

from forcecheck.analysis.questions import Questions
from forcecheck.engine.evaluation import AccountResult
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Combination, Policy


@dataclass(frozen=True)
class TurnsOn:
    """What one account's undetermined outcome under one policy turns on."""

    #: One smallest set of open facts whose answers settle the outcome, most decisive first
    #: (empty: no answer to the open facts settles it).
    facts: tuple[str, ...]
    #: How many other smallest sets, of the same size, would settle it as well.
    other_sets: int
    #: The rules whose text is left open (``unsettled``) at some moment of the account, in
    #: policy order: what no fact can settle.
    open_text: tuple[str, ...]
    #: Whether the search for settling sets stopped at its limit (a smaller set may exist).
    search_incomplete: bool = False
    #: With no settling set and no text open as things stand: the conditions whose text is
    #: left open, which some answers to the open facts would reach (why no set is sure).
    text_for_some_answers: tuple[str, ...] = ()
    #: With no settling set: the open facts one answer to which settles the outcome alone,
    #: most decisive first, each with that answer and the outcome it gives. An open text
    #: can keep one outcome out of reach and leave the other one answer away.
    one_way: tuple[tuple[str, Value, Outcome], ...] = ()


def turns_on(questions: Questions, account: AccountResult) -> TurnsOn | None:
    """What ``account``'s outcome turns on (None when the outcome is determined).

    ``questions`` must be the analysis of that account under the same policy.
    """
    if questions.outcome is not Outcome.UNDETERMINED:
        return None
    rank = {q.fact: index for index, q in enumerate(questions.questions)}
    last = len(rank)
    sets = sorted(
        (tuple(sorted(s, key=lambda f: rank.get(f, last))) for s in questions.settling_sets),
        key=lambda s: [rank.get(f, last) for f in s],
    )
    points = (point for moment in account.results for point in moment.evaluation.unsettled)
    open_text = tuple(dict.fromkeys(point.rule.rule.id for point in points))
    return TurnsOn(
        facts=sets[0] if sets else (),
        other_sets=max(0, len(sets) - 1),
        open_text=open_text,
        search_incomplete=questions.search_incomplete,
        text_for_some_answers=() if sets or open_text else _open_texts(questions.policy),
        one_way=() if sets else _one_way(questions),
    )


def _one_way(questions: Questions) -> tuple[tuple[str, Value, Outcome], ...]:
    """The questions one answer to which settles the outcome, with that answer and outcome."""
    found = []
    for question in questions.questions:
        answer = question.settles_if
        if answer is not None:
            outcome = question.if_true if answer is Value.TRUE else question.if_false
            found.append((question.fact, answer, outcome))
    return tuple(found)


def _open_texts(policy: Policy) -> tuple[str, ...]:
    """The conditions of ``policy`` whose text is left open (``unsettled``), policy order."""
    found = []
    for rule_id in policy.conditions:
        expr = policy.rules[rule_id].expr
        if isinstance(expr, Combination) and expr.op == "unsettled":
            found.append(rule_id)
    return tuple(found)
