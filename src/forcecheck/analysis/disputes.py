"""Disputed facts: where accounts of one incident disagree, and which disagreements decide.

A fact is *disputed* when the accounts that address it do not all give it the same value
at every moment. Silence is not a competing value: an account that does not address a fact
neither disputes it nor is switched to another's value (the engine still evaluates it as
unknown there). A dispute is *contradicted* when one account says true where another says
false, and *unconfirmed* when the only disagreement is an account saying it cannot tell.
Facts that only some accounts address, all alike, are *gaps*, listed apart. A value the
exclusions settle (:mod:`forcecheck.model.settling`) is no claim: it is neither disputed nor a
gap; the values it follows from are.

A disputed fact is *decisive* for an account when switching that one fact, in that account,
to the value another account gives it changes that account's outcome — the fact on which
the account's conclusion turns. A disputed fact *bears on* an outcome when the switch would
change it for some answers to the questions the account leaves open: not decisive yet, but
one of the facts the open questions will decide between.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

from forcecheck.analysis.moments import Timeline
from forcecheck.engine.evaluation import AttributedFact, ScenarioResult
from forcecheck.model.logic import Outcome, Value
from forcecheck.symbolic.bitset import classical_fact_sets


@dataclass(frozen=True)
class Claim:
    """What one account says of a fact, at each of its moments."""

    account: str
    #: (discharge id or None, the attributed value or None when not addressed), per moment.
    moments: tuple[tuple[str | None, AttributedFact | None], ...]

    @property
    def values(self) -> tuple[Value, ...]:
        """The value at each moment (unknown where not addressed)."""
        return tuple(f.value if f else Value.UNKNOWN for _, f in self.moments)

    @property
    def profile(self) -> tuple[tuple[str | None, Value], ...]:
        """The claim reduced for comparison: one value, or a value per discharge id."""
        values = self.values
        if len(set(values)) == 1:
            return ((None, values[0]),)
        return tuple((d, v) for (d, _), v in zip(self.moments, values, strict=True))

    @property
    def addressed(self) -> bool:
        """Whether the account mentions the fact at any moment."""
        return any(f is not None for _, f in self.moments)


@dataclass(frozen=True)
class Switch:
    """One account's outcome with one fact switched to the value another account gives."""

    account: str
    value: Value
    #: The accounts that give ``value``.
    given_by: tuple[str, ...]
    before: Outcome
    after: Outcome
    #: Whether the switch changes the outcome for some answers to the account's open facts.
    may_change: bool

    @property
    def changes(self) -> bool:
        """Whether the switch changes the account's outcome as the account stands."""
        return self.before is not self.after


@dataclass(frozen=True)
class JointSwitch:
    """Two disputed facts switched together, where neither alone bears on the outcome.

    Accounts often reach a condition for redundant reasons (the car drove at the officer
    *and* dragged him): then no single switch matters, but the pair does.
    """

    account: str
    facts: tuple[str, str]
    values: tuple[Value, Value]
    #: The accounts that give both values.
    given_by: tuple[str, ...]
    before: Outcome
    after: Outcome
    may_change: bool

    @property
    def changes(self) -> bool:
        """Whether switching both changes the account's outcome as it stands."""
        return self.before is not self.after


@dataclass(frozen=True)
class Dispute:
    """A fact the accounts disagree on, each account's claim, and what switching does."""

    fact: str
    text: str
    claims: tuple[Claim, ...]
    switches: tuple[Switch, ...]
    #: Pairs with another disputed fact that bear on an outcome when switched together.
    joint: tuple[JointSwitch, ...] = ()

    @property
    def addressed_claims(self) -> tuple[Claim, ...]:
        """The claims of the accounts that address the fact."""
        return tuple(c for c in self.claims if c.addressed)

    @property
    def silent(self) -> tuple[str, ...]:
        """The accounts that do not address the fact."""
        return tuple(c.account for c in self.claims if not c.addressed)

    @property
    def contradicted(self) -> bool:
        """Whether one account says true where another says false (not merely "unknown")."""
        return _contradicted(self.addressed_claims)

    @property
    def decisive(self) -> bool:
        """Whether switching it in some account changes that account's outcome."""
        return any(s.changes for s in self.switches)

    @property
    def bears_on(self) -> bool:
        """Whether switching it could change an account's outcome, given what it leaves open.

        Every decisive fact bears on an outcome; not every one that bears on it is decisive.
        """
        return any(s.may_change for s in self.switches) or bool(self.joint)

    @property
    def decisive_for(self) -> tuple[str, ...]:
        """The accounts whose outcome the switch changes."""
        return tuple(dict.fromkeys(s.account for s in self.switches if s.changes))


@dataclass(frozen=True)
class Gap:
    """A fact some accounts address, all alike, and the others leave unaddressed."""

    fact: str
    text: str
    #: The claims of the accounts that address it (they agree).
    claims: tuple[Claim, ...]
    #: The accounts that do not address it.
    silent: tuple[str, ...]


def _contradicted(claims: tuple[Claim, ...]) -> bool:
    seen: dict[Value, set[str]] = {Value.TRUE: set(), Value.FALSE: set()}
    for claim in claims:
        for value in claim.values:
            if value in seen:
                seen[value].add(claim.account)
    return any(a != b for a in seen[Value.TRUE] for b in seen[Value.FALSE])


def _claims(result: ScenarioResult, fact_id: str) -> list[Claim]:
    """Each account's claim: what it states, not what the exclusions settle from it.

    A settled value is no claim of its own: where accounts disagree on it, they disagree on
    the values it follows from, and those are the dispute.
    """
    return [
        Claim(
            account.name,
            tuple(
                (r.discharge.id if r.discharge else None, _stated(r.facts.get(fact_id)))
                for r in account.results
            ),
        )
        for account in result.accounts
    ]


def _stated(fact: AttributedFact | None) -> AttributedFact | None:
    return fact if fact is not None and fact.settled is None else None


def fact_gaps(result: ScenarioResult) -> tuple[Gap, ...]:
    """Facts only some accounts state (not merely "unknown"), all alike — in vocabulary order.

    Not disputes: nobody contradicts them, but the silent accounts neither confirm them;
    they are what a reporter may ask the silent sources about.
    """
    gaps = []
    # An account whose values settle the fact is not silent on it.
    settled_in = {
        (account.name, fact_id)
        for account in result.accounts
        for moment in account.results
        for fact_id, fact in moment.facts.items()
        if fact.settled is not None
    }
    for fact_id in result.policy.vocabulary.ids:
        claims = _claims(result, fact_id)
        addressed = [c for c in claims if c.addressed]
        stated = any(v is not Value.UNKNOWN for c in addressed for v in c.values)
        if any((c.account, fact_id) in settled_in for c in claims if not c.addressed):
            continue
        if stated and len(addressed) < len(claims) and len({c.profile for c in addressed}) == 1:
            gaps.append(
                Gap(
                    fact_id,
                    result.policy.vocabulary.facts[fact_id].question,
                    tuple(addressed),
                    tuple(c.account for c in claims if not c.addressed),
                )
            )
    return tuple(gaps)


def disputed_facts(result: ScenarioResult) -> tuple[Dispute, ...]:
    """Every disputed fact of the scenario's accounts under ``result.policy``.

    Decisive facts come first, then those that bear on an outcome, then contradicted ones,
    then the rest; each group in vocabulary order.
    """
    policy = result.policy
    timelines = {a.name: Timeline.of(policy, a) for a in result.accounts}
    claims_by_fact: dict[str, list[Claim]] = {}
    for fact_id in policy.vocabulary.ids:
        claims = _claims(result, fact_id)
        if len({c.profile for c in claims if c.addressed}) > 1:
            claims_by_fact[fact_id] = claims
    disputes: list[Dispute] = []
    for fact_id, claims in claims_by_fact.items():
        switches: list[Switch] = []
        for claim in claims:
            if not claim.addressed:
                continue
            timeline = timelines[claim.account]
            before = timeline.outcome()
            given: dict[Value, list[str]] = {}
            for other in claims:
                if other.account != claim.account and other.addressed:
                    for value in dict.fromkeys(other.values):
                        given.setdefault(value, []).append(other.account)
            for value, accounts in given.items():
                if set(claim.values) == {value}:
                    continue
                switched = timeline.replaced(fact_id, (value,) * len(timeline.moments))
                if switched.broken:
                    # The other value breaks an exclusion with this account's other values:
                    # switching this fact alone is no way the account could have gone.
                    continue
                switches.append(
                    Switch(
                        claim.account,
                        value,
                        tuple(accounts),
                        before,
                        switched.outcome(),
                        _may_differ(timeline, switched, {fact_id}),
                    )
                )
        disputes.append(
            Dispute(
                fact_id,
                policy.vocabulary.facts[fact_id].question,
                tuple(claims),
                tuple(switches),
            )
        )
    joint = _joint_switches(timelines, claims_by_fact, disputes)
    disputes = [replace(d, joint=tuple(j for j in joint if d.fact in j.facts)) for d in disputes]
    disputes.sort(key=lambda d: (not d.decisive, not d.bears_on, not d.contradicted))
    return tuple(disputes)


_PairKey = tuple[str, tuple[str, str], tuple[Value, Value]]


def _joint_switches(
    timelines: dict[str, Timeline],
    claims_by_fact: dict[str, list[Claim]],
    disputes: list[Dispute],
) -> list[JointSwitch]:
    """Pairs of disputed facts that bear on an account's outcome only when switched together.

    For each account and each other account: the pairs of facts on which the two differ
    (where the other gives one value throughout) and neither of which bears on the first
    account's outcome when switched alone to the other's value.
    """
    alone = {(s.account, d.fact, s.value) for d in disputes for s in d.switches if s.may_change}
    given: dict[_PairKey, list[str]] = {}
    effect: dict[_PairKey, tuple[Outcome, Outcome, bool]] = {}
    for name, timeline in timelines.items():
        before = timeline.outcome()
        for other in timelines:
            if other == name:
                continue
            candidates: list[tuple[str, Value]] = []
            for fact_id, claims in claims_by_fact.items():
                mine = next(c for c in claims if c.account == name)
                their_claim = next(c for c in claims if c.account == other)
                theirs = set(their_claim.values)
                if len(theirs) != 1 or not (mine.addressed and their_claim.addressed):
                    continue
                (value,) = theirs
                if set(mine.values) != {value} and (name, fact_id, value) not in alone:
                    candidates.append((fact_id, value))
            for (f, v), (g, w) in combinations(candidates, 2):
                key: _PairKey = (name, (f, g), (v, w))
                if key not in effect:
                    count = len(timeline.moments)
                    switched = timeline.replaced(f, (v,) * count).replaced(g, (w,) * count)
                    if switched.broken:
                        continue
                    effect[key] = (
                        before,
                        switched.outcome(),
                        _may_differ(timeline, switched, {f, g}),
                    )
                _, after, may = effect[key]
                if after is not before or may:
                    given.setdefault(key, []).append(other)
    return [
        JointSwitch(name, facts, values, tuple(accounts), *effect[(name, facts, values)])
        for (name, facts, values), accounts in given.items()
    ]


def _may_differ(original: Timeline, switched: Timeline, switched_facts: set[str]) -> bool:
    """Whether the timelines differ for some answers to the original's other open facts."""
    others = tuple(f for f in original.open_facts() if f not in switched_facts)
    full, patterns, _ = classical_fact_sets(len(others))
    answers = dict(zip(others, patterns, strict=True))
    before, after = original.decide(answers, full), switched.decide(answers, full)
    return before != after
