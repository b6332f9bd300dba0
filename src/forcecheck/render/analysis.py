"""Presenting the analysis (questions, disputed facts, stated conclusions) as text and JSON.

The text is plain: it is used by the table reports and, through the ``markup`` hooks, by
the Markdown report, so that both say the same things in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..logic import Value

if TYPE_CHECKING:  # annotations only: a report without disputes loads no dispute code
    from ..analysis import ConclusionCheck, Dispute, Questions
    from ..analysis.disputes import Claim
    from ..evaluation import AttributedFact
    from ..scenario import Scenario

#: Marks a decisive disputed fact.
DECISIVE = "★"
#: Marks a disputed fact that bears on an outcome through the questions left open.
BEARS_ON = "◇"


def value_text(value: Value, addressed: bool = True) -> str:
    """A fact value for a cell; ``—`` for a fact the account does not address."""
    return str(value) if addressed else "— (not addressed)"


def claim_text(claim: Claim) -> str:
    """One account's value(s) of a fact, per discharge where they vary."""
    if not claim.addressed:
        return value_text(Value.UNKNOWN, False)
    values = claim.values
    if len(set(values)) == 1:
        return str(values[0])
    return ", ".join(
        f"{value} @{discharge}" for (discharge, _), value in zip(claim.moments, values, strict=True)
    )


def attribution(scenario: Scenario, fact: AttributedFact | None) -> str:
    """Who gives a fact value: the source's title, publisher and date, then quote or note."""
    if fact is None:
        return "does not address it"
    parts = []
    if fact.source is not None:
        source = scenario.spec.sources.get(fact.source)
        if source is not None:
            detail = ", ".join(
                p for p in (source.publisher, source.date.isoformat() if source.date else None) if p
            )
            parts.append(f"{source.title}" + (f" ({detail})" if detail else ""))
        else:
            parts.append(fact.source)
    if fact.quote:
        parts.append(f'"{" ".join(fact.quote.split())}"')
    if fact.note:
        parts.append(" ".join(fact.note.split()))
    return " — ".join(parts) if parts else "no source given"


def dispute_mark(dispute: Dispute) -> str:
    """★ decisive, ◇ bears on an outcome, else nothing."""
    if dispute.decisive:
        return DECISIVE
    return BEARS_ON if dispute.bears_on else ""


def as_said(accounts: tuple[str, ...]) -> str:
    """Who gives a value, e.g. "as video says" or "as video and witnesses say"."""
    if len(accounts) == 1:
        return f"as {accounts[0]} says"
    return f"as {', '.join(accounts[:-1])} and {accounts[-1]} say"


def dispute_effect(dispute: Dispute) -> list[str]:
    """What switching the fact does, one sentence per account it affects.

    For example "agency: undetermined → not_authorized if false (as video says)".
    """
    effects = []
    for s in dispute.switches:
        given = f"{s.value} ({as_said(s.given_by)})"
        if s.changes:
            effects.append(f"{s.account}: {s.before} → {s.after} if {given}")
        elif s.may_change:
            effects.append(
                f"{s.account}: {given} could change its outcome, depending on the questions "
                "it leaves open"
            )
    for j in dispute.joint:
        (other,) = (f for f in j.facts if f != dispute.fact)
        value = dict(zip(j.facts, j.values, strict=True))
        given = (
            f"{dispute.fact} {value[dispute.fact]} and {other} {value[other]} "
            f"({as_said(j.given_by)})"
        )
        if j.changes:
            effects.append(f"{j.account}: {j.before} → {j.after} if {given}")
        else:
            effects.append(
                f"{j.account}: together, {given} could change its outcome, depending on the "
                "questions it leaves open"
            )
    return effects or ["no account's outcome turns on it"]


def percent(weight: float) -> str:
    """A question's weight as a percentage."""
    return f"{round(weight * 100)}%"


def settles_text(questions: Questions, index: int) -> str:
    """Whether the answer alone settles it: "yes", "if true", "if false" or "with others"."""
    question = questions.questions[index]
    if question.settles:
        return "alone"
    if question.settles_if is not None:
        return f"alone if {question.settles_if}"
    return "with others"


def conclusion_rows(
    checks: tuple[ConclusionCheck, ...], esc: Callable[[str], str] = str
) -> list[list[str]]:
    """Rows of the stated-conclusions table."""
    rows = []
    for check in checks:
        established = ", ".join(
            f"{status} @{d}" if d else str(status) for d, status in check.established
        )
        flag = "" if check.supported else "⚠ "
        words = check.stated.quote or check.stated.note or ""
        rows.append(
            [
                esc(check.account),
                esc(check.condition),
                str(check.stated.status) + (f': "{esc(" ".join(words.split()))}"' if words else ""),
                established,
                flag + str(check.verdict),
            ]
        )
    return rows


CONCLUSION_HEADERS = ["account", "condition", "stated", "facts establish", "verdict"]


# ---------------------------------------------------------------- JSON


def questions_json(questions: Questions) -> dict[str, Any]:
    """One account's questions (or what its outcome rests on) as JSON."""
    return {
        "account": questions.account,
        "policy": questions.policy.id,
        "outcome": str(questions.outcome),
        "questions": [
            {
                "fact": q.fact,
                "question": q.text,
                "not_addressed": q.not_addressed,
                "if_true": str(q.if_true),
                "if_false": str(q.if_false),
                "settles_alone": q.settles,
                "settles_alone_if": str(q.settles_if) if q.settles_if else None,
                "weight": round(q.weight, 6),
                "conditions": list(q.conditions),
            }
            for q in questions.questions
        ],
        "weights_exact": questions.exact,
        "settling_sets": [list(s) for s in questions.settling_sets],
        "settling_search_incomplete": questions.search_incomplete,
        "moot": list(questions.moot),
        "rests_on": [
            {
                "fact": r.fact,
                "question": r.text,
                "values": [str(v) for v in r.values],
                "if_otherwise": str(r.if_otherwise),
                "if_unknown": str(r.if_unknown),
            }
            for r in questions.rests_on
        ],
    }


def _fact_json(fact: AttributedFact | None) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {"value": str(fact.value), "source": fact.source, "quote": fact.quote, "note": fact.note}


def disputes_json(disputes: tuple[Dispute, ...]) -> list[dict[str, Any]]:
    """The disputed facts as JSON."""
    return [
        {
            "fact": d.fact,
            "question": d.text,
            "decisive": d.decisive,
            "bears_on_outcome": d.bears_on,
            "decisive_for": list(d.decisive_for),
            "claims": [
                {
                    "account": c.account,
                    "moments": [
                        {"discharge": discharge, "fact": _fact_json(fact)}
                        for discharge, fact in c.moments
                    ],
                }
                for c in d.claims
            ],
            "switches": [
                {
                    "account": s.account,
                    "to": str(s.value),
                    "as_given_by": list(s.given_by),
                    "outcome_before": str(s.before),
                    "outcome_after": str(s.after),
                    "changes_outcome": s.changes,
                    "may_change_outcome": s.may_change,
                }
                for s in d.switches
            ],
        }
        for d in disputes
    ]


def conclusions_json(checks: tuple[ConclusionCheck, ...]) -> list[dict[str, Any]]:
    """Stated conclusions and their verdicts as JSON."""
    return [
        {
            "account": c.account,
            "condition": c.condition,
            "stated": str(c.stated.status),
            "source": c.stated.source,
            "quote": c.stated.quote,
            "note": c.stated.note,
            "established": [{"discharge": d, "status": str(s)} for d, s in c.established],
            "verdict": str(c.verdict),
            "supported": c.supported,
        }
        for c in checks
    ]
