"""An interview: ask only the questions that matter, fewest to come first, until it is settled.

The interview holds the facts known so far (from a scenario, or none) and, each turn, asks
the open question after which the fewest questions are expected to remain, "unknown"
counted among the answers (:mod:`forcecheck.analysis.interview_rank`; ties, and accounts
with a timeline, keep the order of ``analysis.questions``: a fact that settles the outcome
alone before one that settles it for one answer, then by weight). A fact answered "unknown"
is not asked again and stays unknown (unless other answers settle it), so a question that
could matter only through it is not asked either. Facts that can no longer change the
outcome are never asked, nor are facts an answer settles through the exclusions (each turn
evaluates the answers so far, settled). An answer that would break an exclusion is refused.
It ends as soon as the outcome is determined, or when no answer still possible could
determine it. With ``findings``, it then asks the open facts of each of the policy's
secondary findings the same way (each taken as a decision of its own), until each is
determined or nothing more can settle it. Pure: the caller does the asking.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from forcecheck.analysis import Question, Questions, questions_for
from forcecheck.analysis.interview_rank import Ranker, ranker_for
from forcecheck.engine.evaluation import evaluate_account
from forcecheck.errors import ContradictionError
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Account, FactEntry
from forcecheck.model.settling import settle

#: Answers a person may type, and what they mean.
ANSWERS = {
    "yes": Value.TRUE,
    "y": Value.TRUE,
    "true": Value.TRUE,
    "t": Value.TRUE,
    "no": Value.FALSE,
    "n": Value.FALSE,
    "false": Value.FALSE,
    "f": Value.FALSE,
    "unknown": Value.UNKNOWN,
    "u": Value.UNKNOWN,
    "?": Value.UNKNOWN,
    "don't know": Value.UNKNOWN,
}


def parse_answer(text: str) -> Value | None:
    """A typed answer as a value, or None when it is not one of ``ANSWERS``."""
    return ANSWERS.get(" ".join(text.strip().lower().split()))


@dataclass
class Interview:
    """The state of one interview under one policy."""

    policy: Policy
    #: The account the interview starts from (its facts and timeline), if any.
    start: Account = field(default_factory=Account)
    #: Answers given so far, in the order given.
    answers: dict[str, Value] = field(default_factory=dict)
    #: Whether to ask the facts of the policy's findings too, once the outcome is settled.
    findings: bool = False
    _cache: dict[str, tuple[tuple[tuple[str, Value], ...], Questions]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _staged: tuple[object, tuple[str, tuple[Question, ...]]] | None = field(
        default=None, repr=False, compare=False
    )

    def account(self) -> Account:
        """The starting account with the answers filled in."""
        facts = dict(self.start.facts)
        for fact_id, value in self.answers.items():
            facts[fact_id] = FactEntry(value=value, note="answered in an interview")
        return replace(self.start, facts=facts)

    def analysis(self, rule: str | None = None) -> Questions:
        """What could still decide the outcome, given the answers so far (cached per state).

        ``rule``: a finding's, instead (its met is read as authorized, unmet as not).
        """
        key = tuple(self.answers.items())
        rule = rule or self.policy.spec.decision
        cached = self._cache.get(rule)
        if cached is None or cached[0] != key:
            policy = self.policy
            if rule != policy.spec.decision:
                policy = replace(policy, spec=replace(policy.spec, decision=rule, findings=()))
            evaluated = evaluate_account(policy, "interview", self.account())
            cached = (key, questions_for(policy, evaluated, settling_sets=False))
            self._cache[rule] = cached
        return cached[1]

    def finding_status(self, finding: str) -> Outcome:
        """A finding's status with the answers so far, as an outcome (met: authorized)."""
        return self.analysis(finding).outcome

    @property
    def outcome(self) -> Outcome:
        """The outcome with the answers so far."""
        return self.analysis().outcome

    def open_questions(self) -> tuple[Question, ...]:
        """The questions still worth asking, most decisive first.

        The decision's first; with ``findings``, once none is left, the first finding's
        that still has some.
        """
        return self._stage()[1]

    def asking_for(self) -> str:
        """The rule the open questions are for: the decision, or a finding."""
        return self._stage()[0]

    def _stage(self) -> tuple[str, tuple[Question, ...]]:
        key = (self.findings, tuple(self.answers.items()))
        if self._staged is None or self._staged[0] != key:
            self._staged = (key, self._find_stage())
        return self._staged[1]

    def _find_stage(self) -> tuple[str, tuple[Question, ...]]:
        rules = (self.policy.spec.decision, *(self.policy.findings if self.findings else ()))
        for rule in rules:
            analysis = self.analysis(rule)
            if analysis.outcome is not Outcome.UNDETERMINED:
                continue
            listed = tuple(q for q in analysis.questions if q.fact not in self.answers)
            found = listed if self.start.discharges else self._ranked(rule, listed)
            if found:
                return rule, found
        return self.policy.spec.decision, ()

    def _ranked(self, rule: str, listed: tuple[Question, ...]) -> tuple[Question, ...]:
        """The questions that can still change the outcome, fewest questions to come first.

        Those of ``listed`` (the analysis' open questions) and of the rule's facts that the
        state still depends on: a fact answered "unknown" stays unknown, so a question that
        mattered only through it no longer does (:meth:`Space.state`). A timeline
        (discharges) is not ranked: the ranking's space holds one moment.
        """
        ranker = self._ranker(rule)
        state = ranker.state(self._values())
        if ranker.terminal(state):
            return ()
        by_fact = {q.fact: q for q in listed}
        facts = ranker.candidates(state, [q.fact for q in listed])
        costs = ranker.rank(state, facts)
        ranked = tuple(
            by_fact.get(fact) or self._question(ranker, state, fact) for fact, _ in costs
        )
        return _gate_first(ranked, ranker.below, dict(costs))

    def _question(self, ranker: Ranker, state: int, fact: str) -> Question:
        """A question the analysis does not list (a fact it weighs at nought)."""
        policy = self.policy
        known = {f: v for f, v in self._values().items() if v is not Value.UNKNOWN}
        before = settle(policy.vocabulary, known).values
        space = ranker.space
        position = space.position[fact]

        def settled(value: Value) -> tuple[str, ...]:
            after = settle(policy.vocabulary, {**known, fact: value}).values
            return tuple(
                f
                for f in policy.vocabulary.ids
                if f != fact and f in after and f not in before and f not in self.answers
            )

        return Question(
            fact=fact,
            text=policy.vocabulary.facts[fact].question,
            not_addressed=fact not in self.start.facts,
            if_true=space.outcome(space.child(state, position, 0)),
            if_false=space.outcome(space.child(state, position, 1)),
            weight=0.0,
            conditions=tuple(r for r in policy.conditions if fact in policy.rules[r].facts),
            settles_if_true=settled(Value.TRUE),
            settles_if_false=settled(Value.FALSE),
        )

    def expected_questions(self) -> dict[str, float]:
        """Each open question's expected number of questions from now on, it included."""
        rule, found = self._stage()
        if self.start.discharges:
            return {}
        ranker = self._ranker(rule)
        state = ranker.state(self._values())
        return {q.fact: ranker.expected(state, q.fact) for q in found}

    def _values(self) -> dict[str, Value]:
        """The starting facts known, and every answer (unknown included)."""
        found: dict[str, Value] = {
            f: e.value for f, e in self.start.facts.items() if e.value is not Value.UNKNOWN
        }
        found.update(self.answers)
        return found

    def _ranker(self, rule: str) -> Ranker:
        known = self.start.facts.items()
        start = tuple(sorted((f, e.value) for f, e in known if e.value is not Value.UNKNOWN))

        def order() -> list[str]:
            # The weight ranking at the start: the fixed plan the estimate completes with.
            if not self.answers:
                return [q.fact for q in self.analysis(rule).questions]
            policy = self.policy
            if rule != policy.spec.decision:
                policy = replace(policy, spec=replace(policy.spec, decision=rule, findings=()))
            evaluated = evaluate_account(policy, "interview", self.start)
            return [q.fact for q in questions_for(policy, evaluated, settling_sets=False).questions]

        return ranker_for(self.policy, rule, start, order)

    def next_question(self) -> Question | None:
        """The question to ask now, or None when the interview is over."""
        remaining = self.open_questions()
        return remaining[0] if remaining else None

    def conflict(self, fact_id: str, value: Value) -> str | None:
        """Why answering ``fact_id`` with ``value`` is impossible, or None when it is not.

        Impossible when, with the answer, the values settled through the exclusions break
        one (a question is never about a settled fact, but an answer can start a chain).
        """
        if value is Value.UNKNOWN:
            return None
        vocabulary = self.policy.vocabulary
        account = replace(self.account(), facts={**self.account().facts, fact_id: FactEntry(value)})
        moments = [account.facts | d.facts for d in account.discharges] or [account.facts]
        for facts in moments:
            found = settle(vocabulary, {k: e.value for k, e in facts.items()})
            if found.broken is not None:
                return found.conflict("the answers so far", Path(vocabulary.path).name)
        return None

    def answer(self, fact_id: str, value: Value) -> None:
        """Record an answer; raises ContradictionError when it breaks an exclusion."""
        why = self.conflict(fact_id, value)
        if why is not None:
            raise ContradictionError(
                f"answering {fact_id} {value} is impossible: {why}",
                help="answer unknown if unsure, or correct an earlier answer",
            )
        self.answers[fact_id] = value


def run(interview: Interview, answers: dict[str, Value]) -> list[tuple[Question, Value]]:
    """Run an interview to its end with answers looked up in ``answers`` (unknown if absent).

    Returns the questions asked, in order, with the answer given to each.
    """
    asked: list[tuple[Question, Value]] = []
    while (question := interview.next_question()) is not None:
        value = answers.get(question.fact, Value.UNKNOWN)
        interview.answer(question.fact, value)
        asked.append((question, value))
    return asked


#: A gate is asked first only when the ranking expects it to cost at most this many more
#: questions than its first choice: where a "no" is plausible, not where it is a long shot.
GATE_SLACK = 1.0


def _gate_first(
    ranked: tuple[Question, ...], read: frozenset[str], costs: dict[str, float]
) -> tuple[Question, ...]:
    """Ask a gate before the facts it settles: "was a vehicle involved?" before its path.

    A gate is a fact no rule reads (``read``: the rule's facts) one answer to which settles
    two or more open facts through the exclusions. The ranking weighs every settled fact set
    alike, and so rates a "no vehicle" far below its share of real shootings; a person who
    knows there was no vehicle should be asked that, not each vehicle fact in turn.
    """
    if not ranked:
        return ranked
    first = ranked[0].fact
    for question in ranked[1:]:
        found = question.settles_facts
        if (
            question.fact not in read
            and found
            and len(found[1]) > 1
            and first in found[1]
            and costs.get(question.fact, 0.0) <= costs.get(first, 0.0) + GATE_SLACK
        ):
            return (question, *(q for q in ranked if q is not question))
    return ranked
