"""Presenting the analysis (questions, disputed facts, stated conclusions) as text and JSON.

The text is plain: it is used by the table reports and, through the ``markup`` hooks, by
the Markdown report, so that both say the same things in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from forcecheck.render.common import layer_label
from forcecheck.render.evidence_text import disagreement_text, extra_json, hindsight_text
from forcecheck.render.outcome_words import outcome_json, outcome_word
from forcecheck.render.report_parts import source_details

if TYPE_CHECKING:  # annotations only: a report without disputes loads no dispute code
    from forcecheck.analysis import ConclusionCheck, Dispute, Gap, Question, Questions
    from forcecheck.analysis.compare import Comparison
    from forcecheck.analysis.disputes import Claim
    from forcecheck.engine.evaluation import AttributedFact
    from forcecheck.model.logic import Outcome
    from forcecheck.model.scenario import Scenario

#: How each verdict on a stated conclusion reads: what the account's *own* facts make of it,
#: never whether it is true (the JSON keeps the short values).
VERDICT_WORDS = {
    "supported": "consistent with its own facts",
    "not established": "not established by its own facts",
    "contradicted": "contradicted by its own facts",
}

#: Marks a decisive disputed fact.
DECISIVE = "★"
#: Marks a disputed fact that bears on an outcome through the questions left open.
BEARS_ON = "◇"


#: A disputed-facts cell for an account that does not address the fact.
NOT_ADDRESSED = "—"

#: The legend of the disputed-facts table, one entry per mark.
DISPUTE_LEGEND = (
    f"{DECISIVE} decisive: switching this one fact, in an account, to the value another "
    "account gives changes that account's outcome.",
    f"{BEARS_ON} bears on the outcome: the switch (alone, or with one other disputed fact) "
    "would change it for some answers to the questions the account leaves open.",
    "contradicted: one account says true where another says false; unconfirmed: the only "
    "disagreement is an account that says it cannot tell.",
    f"{NOT_ADDRESSED} the account does not address the fact; silence is not counted as a "
    "competing value.",
)


def claim_text(claim: Claim) -> str:
    """One account's value(s) of a fact, per discharge where they vary."""
    if not claim.addressed:
        return NOT_ADDRESSED
    values = claim.values
    if len(set(values)) == 1:
        return str(values[0])
    return ", ".join(
        f"{value} @{discharge}" for (discharge, _), value in zip(claim.moments, values, strict=True)
    )


def attribution(scenario: Scenario, fact: AttributedFact | None) -> str:
    """Who gives a fact value: the source's title, publisher and date, then quote or note.

    A value resting on several sources lists each, with its own words, and how they
    disagree; a perceived value adds what later evidence shows.
    """
    if fact is None:
        return "does not address it"
    if fact.sources:
        said = [
            _one_source(scenario, item.source, item.quote, item.note)
            + (f" (says {item.value})" if item.value not in (None, fact.value) else "")
            for item in fact.sources
        ]
        parts = ["; ".join(said)]
        if fact.note:
            parts.append(" ".join(fact.note.split()))
    else:
        parts = [_one_source(scenario, fact.source, fact.quote, fact.note)]
    parts += [p for p in (disagreement_text(fact), hindsight_text(fact)) if p]
    parts = [p for p in parts if p]
    return " — ".join(parts) if parts else "no source given"


def _one_source(
    scenario: Scenario, source_id: str | None, quote: str | None, note: str | None
) -> str:
    parts = []
    if source_id is not None:
        source = scenario.spec.sources.get(source_id)
        if source is not None:
            detail = ", ".join(p for p in source_details(source))
            parts.append(f"{source.title}" + (f" ({detail})" if detail else ""))
        else:
            parts.append(source_id)
    if quote:
        parts.append(f'"{" ".join(quote.split())}"')
    if note:
        parts.append(" ".join(note.split()))
    return " — ".join(parts)


def dispute_kind(dispute: Dispute) -> str:
    """The kind of dispute: contradicted (true against false) or unconfirmed (against unknown)."""
    return "contradicted" if dispute.contradicted else "unconfirmed"


def who_gives(claims: tuple[Claim, ...]) -> str:
    """Who gives which value, e.g. "true: agency, officers; false: video"."""
    by_value: dict[str, list[str]] = {}
    for claim in claims:
        by_value.setdefault(claim_text(claim), []).append(claim.account)
    return "; ".join(f"{value}: {', '.join(names)}" for value, names in by_value.items())


def gap_text(gap: Gap) -> str:
    """One fact only some accounts address, e.g. "true (agency, video); not addressed by …"."""
    return f"{gap.fact}: {who_gives(gap.claims)} — not addressed by {', '.join(gap.silent)}"


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


def dispute_effect(dispute: Dispute, layer: str = "") -> list[str]:
    """What switching the fact does: a sentence per account whose outcome it changes.

    For example "agency: undetermined → not_authorized if false (as video says)". The
    accounts whose outcome it only could change share one sentence, grouped by the value
    they would take: "could change the outcome, depending on the questions each leaves
    open: cbp-report, complaint if false (as martinez and defense say); …". Outcomes in the
    words of the policy's ``layer`` (the immunity view's own).
    """

    def word(outcome: Outcome) -> str:
        return outcome_word(layer, outcome)

    effects = []
    may: dict[str, list[str]] = {}
    for s in dispute.switches:
        given = f"{s.value} ({as_said(s.given_by)})"
        if s.changes:
            effects.append(f"{s.account}: {word(s.before)} → {word(s.after)} if {given}")
        elif s.may_change:
            may.setdefault(given, []).append(s.account)
    for j in dispute.joint:
        (other,) = (f for f in j.facts if f != dispute.fact)
        value = dict(zip(j.facts, j.values, strict=True))
        given = (
            f"{dispute.fact} {value[dispute.fact]} and {other} {value[other]} "
            f"({as_said(j.given_by)})"
        )
        if j.changes:
            effects.append(f"{j.account}: {word(j.before)} → {word(j.after)} if {given}")
        else:
            may.setdefault(f"together, {given}", []).append(j.account)
    if may:
        one = sum(len(names) for names in may.values()) == 1
        effects.append(
            f"could change the outcome, depending on the questions {'it' if one else 'each'} "
            "leaves open: "
            + "; ".join(f"{', '.join(names)} if {given}" for given, names in may.items())
        )
    return effects or ["no account's outcome turns on it"]


def summary_sentences(comparison: Comparison) -> list[str]:
    """A few sentences that say what divides the accounts before the tables do."""
    disputes = comparison.disputes
    decisive = [d for d in disputes if d.decisive]
    bearing = [d for d in disputes if d.bears_on and not d.decisive]
    contradicted = [d for d in disputes if d.contradicted]
    if not disputes:
        parts = ["No two accounts that address a fact give it different values."]
    else:
        parts = [f"The accounts disagree on {_count(len(disputes), 'fact')}."]
    if contradicted:
        parts.append(
            f"They contradict each other on {len(contradicted)}: "
            + "; ".join(f"{d.fact} ({who_gives(d.addressed_claims)})" for d in contradicted)
            + "."
        )
    # With several layers, these sentences are the main policy's: say so, then the others'.
    under = f" under {comparison.layers[0].policy.id}" if comparison.layers else ""
    if decisive:
        parts.append(
            f"{len(decisive)} {'is' if len(decisive) == 1 else 'are'} decisive ({DECISIVE})"
            f"{under}: "
            + "; ".join(f"{d.fact} (for {', '.join(d.decisive_for)})" for d in decisive)
            + "."
        )
    elif disputes:
        parts.append(f"No single disputed fact changes an account's outcome{under} as it stands.")
    elsewhere = _decisive_elsewhere(comparison, {d.fact for d in decisive})
    if elsewhere:
        more = "one more is" if len(elsewhere) == 1 else f"{len(elsewhere)} more are"
        parts.append(
            f"Under other layers, {more} decisive ({DECISIVE}): "
            + "; ".join(f"{fact} ({', '.join(layers)})" for fact, layers in elsewhere.items())
            + "."
        )
    if bearing:
        parts.append(
            f"{len(bearing)} {'bears' if len(bearing) == 1 else 'bear'} on an outcome "
            f"({BEARS_ON}) through the questions the accounts leave open: "
            + ", ".join(d.fact for d in bearing)
            + "."
        )
    topics = _dispute_topics(comparison)
    if topics:
        (first, facts), *rest = topics
        weighty = [d for d in disputes if d.decisive or d.bears_on]
        lead = "What divides them is" if weighty else "They part ways on"
        text = f"{lead} {first} ({', '.join(facts)})"
        if rest:
            text += "; also " + "; ".join(f"{t} ({', '.join(f)})" for t, f in rest)
        parts.append(text + ".")
    if comparison.open_to_all:
        parts.append(
            "No account answers " + ", ".join(comparison.open_to_all) + ", which could still "
            "decide an outcome."
        )
    return parts


def _decisive_elsewhere(comparison: Comparison, known: set[str]) -> dict[str, list[str]]:
    """The disputed facts decisive under a layer other than the main one, with those layers."""
    found: dict[str, list[str]] = {}
    for view in comparison.layers[1:]:
        for dispute in view.disputes:
            if dispute.decisive and dispute.fact not in known:
                found.setdefault(dispute.fact, []).append(view.policy.id)
    return found


def layer_marks(comparison: Comparison, fact: str) -> str:
    """Where a disputed fact matters under the other layers: ``★ mn-609-066; ◇ 8cfr-287-8``."""
    marks: dict[str, list[str]] = {}
    for view in comparison.layers[1:]:
        for dispute in view.disputes:
            if dispute.fact == fact:
                marks.setdefault(dispute_mark(dispute), []).append(view.policy.id)
    return "; ".join(
        f"{mark} {', '.join(marks[mark])}" for mark in (DECISIVE, BEARS_ON) if mark in marks
    )


def layer_effects(comparison: Comparison, fact: str) -> list[str]:
    """What switching ``fact`` does under each other layer where it matters, a line each."""
    lines = []
    for view in comparison.layers[1:]:
        for dispute in view.disputes:
            if dispute.fact == fact:
                layer = view.policy.spec.layer
                name = layer_label(view.policy)
                lines += [
                    f"under {name}: {effect}" for effect in dispute_effect(dispute, layer or "")
                ]
    return lines


def switch_effects(comparison: Comparison, dispute: Dispute) -> list[str]:
    """What switching does under the main policy, then under each other layer it matters to."""
    main = dispute_effect(dispute)
    elsewhere = layer_effects(comparison, dispute.fact)
    if not elsewhere:
        return main
    name = comparison.layers[0].policy.id
    if not (dispute.decisive or dispute.bears_on):
        main = [f"under {name}: no account's outcome turns on it"]
    else:
        main = [f"under {name}: {effect}" for effect in main]
    return [*main, *elsewhere]


def _dispute_topics(comparison: Comparison) -> list[tuple[str, list[str]]]:
    """The disputed facts by the vocabulary's topic, the topic of the weightiest first.

    Decisive disputes lead, then those that bear on an outcome, then the rest: "who posed the
    threat" names what two accounts of a shooting really disagree about, where the fact ids
    alone (threat_from_another_person, subject_threatened_deadly_force) do not.
    """
    if not comparison.disputes or not comparison.columns:
        return []
    facts = comparison.columns[0].policy.vocabulary.facts
    ranked = sorted(comparison.disputes, key=lambda d: (not d.decisive, not d.bears_on))
    grouped: dict[str, list[str]] = {}
    for dispute in ranked:
        fact = facts.get(dispute.fact)
        topic = (fact.topic if fact is not None else None) or "other facts"
        grouped.setdefault(topic, []).append(dispute.fact)
    return list(grouped.items())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


#: A settling set of every question is listed as a set only up to this many questions.
LIST_SETS_UP_TO = 3


def every_question_text(questions: Questions) -> str:
    """The sentence for an outcome only all the questions together are sure to settle."""
    text = (
        f"No smaller set than all {len(questions.questions)} questions is sure to settle the "
        "outcome whatever the answers"
    )
    if any(q.settles or q.settles_if for q in questions.questions):
        return text + "; one answer can still settle it (see 'settles')."
    return text + "."


def said_unknown(comparison: Comparison, fact_id: str) -> list[tuple[str, AttributedFact]]:
    """The accounts that address a fact no account settles: each says it cannot tell."""
    found = []
    for account in comparison.accounts:
        given = next((m.facts[fact_id] for m in account.results if fact_id in m.facts), None)
        if given is not None:
            found.append((account.name, given))
    return found


def percent(weight: float) -> str:
    """A question's weight as a percentage."""
    return f"{round(weight * 100)}%"


def settled_facts_text(question: Question, capital: bool = False) -> str:
    """What an answer settles through the exclusions: ``if no, settles 8 facts (a, b, ...)``.

    "" when no answer settles an open fact.
    """
    found = question.settles_facts
    if found is None:
        return ""
    value, facts = found
    answer = "yes" if value == "true" else "no"
    count = f"{len(facts)} {'fact' if len(facts) == 1 else 'facts'}"
    return f"{'If' if capital else 'if'} {answer}, settles {count} ({', '.join(facts)})"


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
        # Quotation marks only around a source's own words (`quote`); a note is the coder's
        # words, shown as such, never as if someone had said it.
        stated = str(check.stated.status)
        if check.stated.quote:
            stated += f': "{esc(" ".join(check.stated.quote.split()))}"'
        elif check.stated.note:
            stated += f" (note: {esc(' '.join(check.stated.note.split()))})"
        rows.append(
            [
                esc(check.account),
                esc(check.condition),
                stated,
                established,
                flag + VERDICT_WORDS[str(check.verdict)],
            ]
        )
    return rows


CONCLUSION_HEADERS = ["account", "condition", "stated", "facts establish", "verdict"]


# ---------------------------------------------------------------- JSON


def questions_json(questions: Questions) -> dict[str, Any]:
    """One account's questions (or what its outcome rests on) as JSON."""
    layer = questions.policy.spec.layer or ""

    def word(outcome: Outcome) -> str:
        # The immunity view's outcomes in its own words, as every other JSON report says them.
        return outcome_json(layer, outcome)

    return {
        "account": questions.account,
        "policy": questions.policy.id,
        "outcome": word(questions.outcome),
        "questions": [
            {
                "fact": q.fact,
                "question": q.text,
                "not_addressed": q.not_addressed,
                "if_true": word(q.if_true),
                "if_false": word(q.if_false),
                "settles_alone": q.settles,
                "settles_alone_if": str(q.settles_if) if q.settles_if else None,
                "weight": round(q.weight, 6),
                "conditions": list(q.conditions),
                "settles_facts_if_true": list(q.settles_if_true),
                "settles_facts_if_false": list(q.settles_if_false),
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
                "if_otherwise": word(r.if_otherwise),
                "if_unknown": word(r.if_unknown),
            }
            for r in questions.rests_on
        ],
    }


def _fact_json(fact: AttributedFact | None) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {
        "value": str(fact.value),
        "source": fact.source,
        "quote": fact.quote,
        "note": fact.note,
        # Additive: every source (several may disagree), and later evidence.
        **extra_json(fact),
    }


def disputes_json(disputes: tuple[Dispute, ...]) -> list[dict[str, Any]]:
    """The disputed facts as JSON."""
    return [
        {
            "fact": d.fact,
            "question": d.text,
            "kind": dispute_kind(d),
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


def gaps_json(gaps: tuple[Gap, ...]) -> list[dict[str, Any]]:
    """The facts only some accounts address, as JSON."""
    return [
        {
            "fact": g.fact,
            "question": g.text,
            "claims": [
                {
                    "account": c.account,
                    "moments": [
                        {"discharge": discharge, "fact": _fact_json(fact)}
                        for discharge, fact in c.moments
                    ],
                }
                for c in g.claims
            ],
            "not_addressed_by": list(g.silent),
        }
        for g in gaps
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
