"""Questions to ask: the open facts that could still decide an account's outcome.

For an undetermined outcome, each open fact (unknown, or not addressed, at some moment, and
used by the decision) is scored:

- whether answering it alone settles the outcome — whichever way it is answered, or only for
  one answer;
- how much it decides: the share of the ways the *other* open facts could turn out in which
  this fact's answer changes the outcome (a Banzhaf-style weight; exact over every
  true/false combination when there are at most ``bitset.MAX_EXACT_FACTS`` open facts, else
  estimated from a fixed-seed sample, and said so).

Facts that settle it alone rank first, then facts that settle it for one answer, then the
rest by weight. Facts that cannot change the outcome are listed apart as *moot*, never
asked: whichever way the other open facts turn out, their answer makes no difference, they
settle nothing alone, and no smallest settling set needs them.
The *smallest settling sets* are the smallest sets of open facts whose answers, whatever
they are, leave the outcome determined.

For a determined outcome, the analysis says which facts it rests on: the known facts that,
if they had turned out otherwise (or were not known), would change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, islice

from forcecheck.analysis.moments import Timeline
from forcecheck.engine.evaluation import AccountResult
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.symbolic.bitset import Bits, classical_fact_sets, enumeration

#: The settling-set search examines at most this many candidate sets, then stops.
MAX_CANDIDATE_SETS = 200_000
#: Up to this many candidates, the facts every settling set needs are found first (each check
#: evaluates a block of ``2**candidates`` fact sets).
MAX_PRUNED_CANDIDATES = 20
#: Candidate sets are examined many at a time: up to this many fact sets (bits) per pass.
PASS_BITS = 1 << 16
#: At most this many smallest settling sets are reported.
MAX_SETTLING_SETS = 8


@dataclass(frozen=True)
class Question:
    """One open fact, as a question to ask, with what its answer would do."""

    fact: str
    text: str
    #: True when no moment of the account mentions the fact (silence, not uncertainty).
    not_addressed: bool
    if_true: Outcome
    if_false: Outcome
    #: Share of the other open facts' combinations in which this answer changes the outcome.
    weight: float
    #: The conditions that name the fact directly: the policy clauses it tests.
    conditions: tuple[str, ...]
    #: The open facts that answering true, or false, would settle through the exclusions.
    settles_if_true: tuple[str, ...] = ()
    settles_if_false: tuple[str, ...] = ()

    @property
    def settles_facts(self) -> tuple[Value, tuple[str, ...]] | None:
        """The answer that settles the most open facts, and those facts (None: neither does)."""
        if not (self.settles_if_true or self.settles_if_false):
            return None
        if len(self.settles_if_false) >= len(self.settles_if_true):
            return Value.FALSE, self.settles_if_false
        return Value.TRUE, self.settles_if_true

    @property
    def settles(self) -> bool:
        """Whether answering this alone settles the outcome, whichever way it is answered."""
        return Outcome.UNDETERMINED not in (self.if_true, self.if_false)

    @property
    def settles_if(self) -> Value | None:
        """The one answer that alone settles the outcome, when only one does."""
        if self.settles:
            return None
        if self.if_true is not Outcome.UNDETERMINED:
            return Value.TRUE
        if self.if_false is not Outcome.UNDETERMINED:
            return Value.FALSE
        return None


@dataclass(frozen=True)
class Reliance:
    """A known fact a determined outcome rests on."""

    fact: str
    text: str
    #: The fact's value at each moment of the account.
    values: tuple[Value, ...]
    #: The outcome had the fact turned out the other way (true and false swapped).
    if_otherwise: Outcome
    #: The outcome had the fact not been known.
    if_unknown: Outcome


@dataclass(frozen=True)
class Questions:
    """What could still decide one account's outcome, or what it rests on."""

    account: str
    policy: Policy
    outcome: Outcome
    #: Open facts that could change the outcome, most decisive first.
    questions: tuple[Question, ...]
    #: Smallest sets of open facts whose answers, whatever they are, settle the outcome.
    settling_sets: tuple[tuple[str, ...], ...]
    #: Whether the settling-set search was cut short (sets may be missing).
    search_incomplete: bool
    #: Whether weights are exact (else estimated from a sample).
    exact: bool
    #: Open facts whose answer can no longer change the outcome (see the module docstring).
    moot: tuple[str, ...]
    #: For a determined outcome: the known facts it rests on.
    rests_on: tuple[Reliance, ...]

    @property
    def needs_every_question(self) -> bool:
        """Whether only answering every question is sure to settle the outcome."""
        return (
            len(self.settling_sets) == 1 and len(self.settling_sets[0]) == len(self.questions) > 1
        )


@dataclass(frozen=True)
class ReadingQuestions:
    """Under one alternative reading that decides otherwise: what else to ask an account."""

    #: ``rule.reading``.
    reading: str
    account: str
    #: The account's outcome under that reading.
    outcome: Outcome
    #: The questions that reading adds to the default's (facts it alone makes decisive).
    added: tuple[Question, ...]


def questions_for(policy: Policy, account: AccountResult, settling_sets: bool = True) -> Questions:
    """Analyse one evaluated account under ``policy``.

    ``settling_sets=False`` skips the search for smallest settling sets (the costly part,
    when many facts are open); a fact is then moot when no answer to it can change any
    completed outcome and none settles it alone.
    """
    timeline = Timeline.of(policy, account)
    outcome = timeline.outcome()
    if outcome is not Outcome.UNDETERMINED:
        return Questions(
            account.name, policy, outcome, (), (), False, True, (), _rests_on(timeline, outcome)
        )
    open_facts = timeline.open_facts()
    settling = _settling_facts(timeline, open_facts)
    weights, exact = _weights(timeline, open_facts, tuple(settling))
    order = {fact_id: index for index, fact_id in enumerate(policy.vocabulary.ids)}
    every = [
        Question(
            fact=fact_id,
            text=policy.vocabulary.facts[fact_id].question,
            not_addressed=all(fact_id not in m for m in timeline.stated or timeline.moments),
            if_true=timeline.outcome({fact_id: Value.TRUE}),
            if_false=timeline.outcome({fact_id: Value.FALSE}),
            weight=weights[fact_id],
            conditions=_conditions_naming(policy, fact_id),
            settles_if_true=_newly_settled(timeline, fact_id, Value.TRUE, open_facts),
            settles_if_false=_newly_settled(timeline, fact_id, Value.FALSE, open_facts),
        )
        for fact_id in sorted((*open_facts, *settling), key=order.__getitem__)
    ]
    every.sort(
        key=lambda q: (
            not q.settles,
            q.settles_if is None,
            -q.weight,
            order[q.fact],
        )
    )
    # Every open fact is a candidate: under Kleene's logic a fact that never matters
    # classically (it appears as "x or not x") can still be needed to settle the outcome.
    sets: tuple[tuple[str, ...], ...] = ()
    incomplete = False
    if settling_sets:
        # Over the facts the decision reads: the bitset search does not settle through the
        # exclusions, so a fact no rule reads could never be part of a settling set there.
        sets, incomplete = smallest_settling_sets(
            timeline, tuple(q.fact for q in every if q.fact not in settling)
        )
    needed = {fact_id for chosen in sets for fact_id in chosen}
    asked = tuple(q for q in every if q.weight > 0 or q.settles_if or q.settles or q.fact in needed)
    moot = tuple(f for f in open_facts if f not in {q.fact for q in asked})
    return Questions(account.name, policy, outcome, asked, sets, incomplete, exact, moot, ())


def smallest_settling_sets(
    timeline: Timeline, candidates: tuple[str, ...]
) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """The smallest sets of ``candidates`` whose answers, whatever they are, settle it.

    Settling is upward-closed: Kleene logic is monotone, so answering more facts never
    unsettles an outcome. Hence a fact is in *every* settling set exactly when all the
    other candidates together do not settle it; with up to ``MAX_PRUNED_CANDIDATES``
    candidates those essential facts are found first, and only sets containing them are
    searched. Sets are searched by increasing size, many in one bitset pass (see
    ``_settled_blocks``). Returns the sets found (at most ``MAX_SETTLING_SETS``, in
    ``itertools.combinations`` order) and whether the search stopped at its limit first.
    """
    essential: tuple[str, ...] = ()
    if len(candidates) <= MAX_PRUNED_CANDIDATES:
        if not _settled_blocks(timeline, [candidates], len(candidates)):
            return (), False
        rest_sets = [tuple(c for c in candidates if c != f) for f in candidates]
        unsettled = set(range(len(candidates))) - set(
            _settled_blocks(timeline, rest_sets, len(candidates) - 1) if candidates else []
        )
        essential = tuple(candidates[i] for i in sorted(unsettled))
    optional = tuple(c for c in candidates if c not in essential)
    rank = {fact_id: i for i, fact_id in enumerate(candidates)}
    examined = 0
    for size in range(len(essential), len(candidates) + 1):
        per_pass = max(1, PASS_BITS >> size)
        found: list[tuple[str, ...]] = []
        sets = (
            tuple(sorted((*essential, *extra), key=rank.__getitem__))
            for extra in combinations(optional, size - len(essential))
        )
        while chunk := list(islice(sets, min(per_pass, MAX_CANDIDATE_SETS - examined))):
            examined += len(chunk)
            for index in _settled_blocks(timeline, chunk, size) if size else ():
                found.append(chunk[index])
                if len(found) == MAX_SETTLING_SETS:
                    return tuple(found), False
            if examined >= MAX_CANDIDATE_SETS:
                return tuple(found), True
        if found:
            return tuple(found), False
    return (), False


def _settled_blocks(timeline: Timeline, sets: Sequence[tuple[str, ...]], size: int) -> list[int]:
    """The indexes of the ``sets`` (each of ``size`` facts) whose answers settle the outcome.

    Block ``j`` of the packed fact sets enumerates set ``j``'s facts and leaves every other
    fact unknown. The masks are built as binary strings (one slice per block) because
    OR-ing thousands of shifted big integers would cost time quadratic in their length.
    """
    block = 1 << size
    _, patterns = enumeration(size)
    texts = [(format(p.met, f"0{block}b"), format(p.unmet, f"0{block}b")) for p in patterns]
    zeros = "0" * block
    positions: dict[str, dict[int, int]] = {}
    for index, chosen in enumerate(sets):
        for position, fact_id in enumerate(chosen):
            positions.setdefault(fact_id, {})[index] = position
    answers: dict[str, Bits] = {}
    # Block j holds bits j*block ... (j+1)*block - 1: the last block comes first in the text.
    order = range(len(sets) - 1, -1, -1)
    for fact_id, where in positions.items():
        met = "".join(texts[where[j]][0] if j in where else zeros for j in order)
        unmet = "".join(texts[where[j]][1] if j in where else zeros for j in order)
        answers[fact_id] = Bits(int(met, 2), int(unmet, 2))
    total = len(sets) * block
    bits = timeline.decide(answers, (1 << total) - 1)
    determined = format(bits.met | bits.unmet, f"0{total}b")
    settled = "1" * block
    return [
        j
        for j in range(len(sets))
        if determined[total - (j + 1) * block : total - j * block] == settled
    ]


def _weights(
    timeline: Timeline, open_facts: tuple[str, ...], settling: tuple[str, ...] = ()
) -> tuple[dict[str, float], bool]:
    """Each question's share of the open facts' combinations in which it changes the outcome.

    Every open fact is given a value in every combination, so each combination's outcome is
    determined; a fact matters in a combination when answering it true and answering it
    false give different outcomes there. An answer is settled through the exclusions first,
    so the facts it settles take their settled value in every combination. ``settling``
    are facts no rule reads whose answers settle open facts: weighed the same way.
    """
    full, patterns, exact = classical_fact_sets(len(open_facts))
    size = full.bit_length()
    base = dict(zip(open_facts, patterns, strict=True))
    weights: dict[str, float] = {}
    for fact_id in (*open_facts, *settling):
        others = {f: bits for f, bits in base.items() if f != fact_id}
        when_true = timeline.answered({fact_id: Value.TRUE}).decide(others, full)
        when_false = timeline.answered({fact_id: Value.FALSE}).decide(others, full)
        differ = (when_true.met ^ when_false.met) | (when_true.unmet ^ when_false.unmet)
        weights[fact_id] = differ.bit_count() / size
    return weights, exact


def _newly_settled(
    timeline: Timeline, fact_id: str, value: Value, open_facts: tuple[str, ...]
) -> tuple[str, ...]:
    """The open facts that answering ``fact_id`` with ``value`` settles (vocabulary order)."""
    if not timeline.policy.vocabulary.exclusions:
        return ()
    before = timeline.settled_facts()
    after = timeline.answered({fact_id: value}).settled_facts()
    return tuple(f for f in open_facts if f in after and f not in before and f != fact_id)


#: A fact no rule reads is asked only when one answer to it settles at least this many
#: open facts: where it settles one, asking that fact itself is as quick.
MIN_SETTLED_BY_CONTEXT = 2


def _settling_facts(timeline: Timeline, open_facts: tuple[str, ...]) -> list[str]:
    """Facts no rule reads, open at some moment, one answer to which settles open facts.

    ``vehicle_involved`` for an account that leaves the vehicle facts open: "no" settles
    them all. See :data:`MIN_SETTLED_BY_CONTEXT`.
    """
    vocabulary = timeline.policy.vocabulary
    if not vocabulary.exclusions or not open_facts:
        return []
    decision = set(timeline.decision_facts)
    in_exclusions = {f for e in vocabulary.exclusions.values() for f in e.facts}
    found = []
    for fact_id in vocabulary.ids:
        if fact_id in decision or fact_id not in in_exclusions:
            continue
        if all(m.get(fact_id, Value.UNKNOWN) is not Value.UNKNOWN for m in timeline.moments):
            continue
        if any(
            _beats_asking_directly(timeline, _newly_settled(timeline, fact_id, value, open_facts))
            for value in (Value.TRUE, Value.FALSE)
        ):
            found.append(fact_id)
    return found


def _beats_asking_directly(timeline: Timeline, settled: tuple[str, ...]) -> bool:
    """Whether settling ``settled`` with one answer beats asking any one of them instead.

    "Was he retreating indoors?" settles that he was not fleeing, and so that force was not
    necessary to stop his escape: but "was he fleeing?" answered no settles both as well,
    and is the question the policy asks. "Was a vehicle involved?" answered no settles eight
    facts no single vehicle question does.
    """
    if len(settled) < MIN_SETTLED_BY_CONTEXT:
        return False
    for fact_id in settled:
        for value in (Value.TRUE, Value.FALSE):
            direct = {fact_id, *_newly_settled(timeline, fact_id, value, settled)}
            if set(settled) <= direct:
                return False
    return True


def _rests_on(timeline: Timeline, outcome: Outcome) -> tuple[Reliance, ...]:
    found: list[Reliance] = []
    for fact_id in timeline.known_facts():
        values = timeline.values(fact_id)
        otherwise = tuple(_swap(v) for v in values)
        if_otherwise = timeline.replaced(fact_id, otherwise).outcome()
        if_unknown = timeline.replaced(fact_id, (Value.UNKNOWN,) * len(values)).outcome()
        if if_otherwise is outcome and if_unknown is outcome:
            continue
        found.append(
            Reliance(
                fact=fact_id,
                text=timeline.policy.vocabulary.facts[fact_id].question,
                values=values,
                if_otherwise=if_otherwise,
                if_unknown=if_unknown,
            )
        )
    return tuple(found)


def _swap(value: Value) -> Value:
    if value is Value.TRUE:
        return Value.FALSE
    if value is Value.FALSE:
        return Value.TRUE
    return value


def _conditions_naming(policy: Policy, fact_id: str) -> tuple[str, ...]:
    return tuple(r for r in policy.conditions if fact_id in policy.rules[r].facts)
