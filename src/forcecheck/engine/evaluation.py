"""Evaluating a whole scenario: every account, and every discharge of its timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from forcecheck.engine.explain import Evaluation, evaluate
from forcecheck.errors import Location, MissingReferenceError, did_you_mean
from forcecheck.model.binding import is_federal
from forcecheck.model.dates import Uncertainty
from forcecheck.model.logic import Outcome, Value, combine_outcomes
from forcecheck.model.policy import Policy
from forcecheck.model.readings import Variant, variants
from forcecheck.model.scenario import (
    Account,
    Discharge,
    FactEntry,
    FactSource,
    Hindsight,
    Scenario,
)
from forcecheck.model.settling import Settlement, settle
from forcecheck.model.vocabulary import Vocabulary


@dataclass(frozen=True)
class AttributedFact:
    """A fact value as one account gives it, with its source; or as the exclusions settle it.

    A settled value has no source, quote or note of its own: :attr:`settled` says which
    exclusion, and which of the account's values, it follows from.
    """

    id: str
    value: Value
    #: The source (with ``sources``: the first listed), and its quote.
    source: str | None
    quote: str | None
    note: str | None
    #: Every source of the value, in the file's order, when the entry lists several.
    sources: tuple[FactSource, ...] = ()
    #: How those sources disagree (set exactly when one gives another value).
    disagreement: str | None = None
    #: What later evidence shows of a perceived value; no rule reads it.
    hindsight: Hindsight | None = None
    settled: Settlement | None = None

    @property
    def stated(self) -> bool:
        """Whether the account gives this value itself (not settled)."""
        return self.settled is None


@dataclass(frozen=True)
class DischargeResult:
    """One evaluation: an account's facts at one discharge (or overall, without a timeline)."""

    account: str
    discharge: Discharge | None
    facts: dict[str, AttributedFact]
    evaluation: Evaluation

    def __repr__(self) -> str:
        # Short, for a failing test (as Evaluation's).
        at = f" at {self.discharge.id}" if self.discharge else ""
        return f"<DischargeResult {self.account!r}{at}: {self.evaluation!r}>"

    @property
    def outcome(self) -> Outcome:
        """The outcome at this discharge."""
        return self.evaluation.outcome


@dataclass(frozen=True)
class AccountResult:
    """An account's evaluations and its overall outcome."""

    name: str
    account: Account
    results: tuple[DischargeResult, ...]

    def __repr__(self) -> str:
        # Short, for a failing test: the outcome, and each discharge's when there are several.
        moments = ", ".join(
            f"{r.discharge.id} {r.outcome}" for r in self.results if r.discharge is not None
        )
        return f"<AccountResult {self.name!r}: {self.outcome}{f' ({moments})' if moments else ''}>"

    @property
    def outcome(self) -> Outcome:
        """Not authorized if any discharge is; else undetermined if any is; else authorized."""
        return combine_outcomes(r.outcome for r in self.results)


@dataclass(frozen=True)
class ReadingResult:
    """The accounts evaluated under one alternative reading of the policy."""

    #: The policy with one rule read otherwise (:mod:`forcecheck.model.readings`).
    variant: Variant
    #: The same accounts as the default's, in the same order, under that reading.
    accounts: tuple[AccountResult, ...]
    #: Whether some account's outcome, at some moment, differs from the default reading's.
    differs: bool

    @property
    def label(self) -> str:
        """``rule.reading``."""
        return self.variant.label


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario evaluated under one policy."""

    scenario: Scenario
    policy: Policy
    accounts: tuple[AccountResult, ...]
    #: Every binding layer's result (this one first), when date and agency chose the policy.
    layers: tuple[ScenarioResult, ...] = ()
    #: When the policy only may bind on the scenario's date: the date range that leaves it
    #: open. None when it binds, or was named.
    uncertain: Uncertainty | None = None
    #: The same accounts under each alternative reading of the policy (empty: it declares
    #: none); :attr:`accounts` are under the default reading.
    readings: tuple[ReadingResult, ...] = ()

    def __repr__(self) -> str:
        # Short, for a failing test: each account's outcome.
        accounts = ", ".join(f"{a.name} {a.outcome}" for a in self.accounts)
        return f"<ScenarioResult {self.scenario.path} under {self.policy.id}: {accounts}>"

    @property
    def federal_layers(self) -> tuple[ScenarioResult, ...]:
        """The federal layers' results: the strictest outcome is taken across these only.

        A state's law and the immunity view are reported beside them (:func:`is_federal`).
        """
        return tuple(layer for layer in self.layers if is_federal(layer.policy))

    @property
    def beside_layers(self) -> tuple[ScenarioResult, ...]:
        """The results reported beside the federal layers: a state's law, the immunity view."""
        return tuple(layer for layer in self.layers if not is_federal(layer.policy))

    @property
    def differing(self) -> tuple[ReadingResult, ...]:
        """The alternative readings under which some outcome differs from the default's."""
        return tuple(r for r in self.readings if r.differs)

    @property
    def outcome(self) -> Outcome:
        """The first (or only) account's overall outcome."""
        return self.accounts[0].outcome

    @property
    def shared_outcome(self) -> Outcome | None:
        """The accounts' outcome when they all agree; None when they are disputed."""
        outcomes = {account.outcome for account in self.accounts}
        return outcomes.pop() if len(outcomes) == 1 else None


def attributed_facts(
    facts: dict[str, FactEntry], default_source: str | None
) -> dict[str, AttributedFact]:
    """Fact entries with their effective source (their own, else the default)."""
    return {
        fact_id: _attributed(fact_id, entry, default_source) for fact_id, entry in facts.items()
    }


def _attributed(fact_id: str, entry: FactEntry, default_source: str | None) -> AttributedFact:
    if entry.sources:
        first = entry.sources[0]
        return AttributedFact(
            fact_id,
            entry.value,
            first.source,
            first.quote,
            entry.note,
            entry.sources,
            entry.disagreement,
            entry.hindsight,
        )
    return AttributedFact(
        fact_id,
        entry.value,
        entry.source or default_source,
        entry.quote,
        entry.note,
        hindsight=entry.hindsight,
    )


def settled_facts(
    vocabulary: Vocabulary, facts: dict[str, AttributedFact]
) -> dict[str, AttributedFact]:
    """``facts`` and, after them, every value the exclusions settle from them.

    The loader has refused values that break an exclusion; should some break one anyway
    (a caller's own account), the values settled before the break are kept.
    """
    found = settle(vocabulary, {k: f.value for k, f in facts.items()})
    if not found.settlements:
        return facts
    return facts | {
        fact_id: AttributedFact(fact_id, s.value, None, None, None, settled=s)
        for fact_id, s in found.settlements.items()
    }


def evaluate_account(policy: Policy, name: str, account: Account) -> AccountResult:
    """Evaluate one account: once on its facts, or once per discharge of its timeline.

    At each moment (the discharge's facts over the account's), the values the exclusions
    settle are added and evaluated like the others.
    """
    base = attributed_facts(account.facts, account.source)
    moments: list[tuple[Discharge | None, dict[str, AttributedFact]]]
    if account.discharges:
        moments = [
            (d, base | attributed_facts(d.facts, d.source or account.source))
            for d in account.discharges
        ]
    else:
        moments = [(None, base)]
    vocabulary = policy.vocabulary
    moments = [(discharge, settled_facts(vocabulary, facts)) for discharge, facts in moments]
    results = tuple(
        DischargeResult(
            account=name,
            discharge=discharge,
            facts=facts,
            evaluation=evaluate(
                policy,
                {k: f.value for k, f in facts.items()},
                {k: f.settled for k, f in facts.items() if f.settled is not None},
            ),
        )
        for discharge, facts in moments
    )
    return AccountResult(name=name, account=account, results=results)


def evaluate_scenario(
    scenario: Scenario, policy: Policy, account: str | tuple[str, ...] | None = None
) -> ScenarioResult:
    """Evaluate every account of ``scenario`` under ``policy``, or only the one(s) named.

    Named accounts are evaluated in the scenario's order.
    """
    accounts = scenario.accounts
    names = (account,) if isinstance(account, str) else account
    for name in names or ():
        if name not in accounts:
            raise MissingReferenceError(
                f"the scenario has no account '{name}'",
                location=Location(scenario.path),
                help=did_you_mean(name, accounts) or "accounts: " + ", ".join(accounts),
            )
    chosen = [name for name in accounts if names is None or name in names]
    evaluated = tuple(evaluate_account(policy, name, accounts[name]) for name in chosen)
    return ScenarioResult(
        scenario=scenario,
        policy=policy,
        accounts=evaluated,
        readings=tuple(
            _under_reading(variant, evaluated, accounts) for variant in variants(policy)
        ),
    )


def _under_reading(
    variant: Variant, default: tuple[AccountResult, ...], accounts: Mapping[str, Account]
) -> ReadingResult:
    read = tuple(evaluate_account(variant.policy, a.name, accounts[a.name]) for a in default)
    differs = any(
        m.outcome is not d.outcome
        for account, base in zip(read, default, strict=True)
        for m, d in zip(account.results, base.results, strict=True)
    )
    return ReadingResult(variant, read, differs)


def evaluate_layers(
    scenario: Scenario,
    layers: list[Policy],
    account: str | None = None,
    uncertain: Sequence[Uncertainty | None] = (),
) -> ScenarioResult:
    """Evaluate under the first (main) layer, with every layer's result attached.

    ``uncertain`` gives, per layer, why it only may bind on the scenario's date (None: it
    binds); each layer's result keeps it.
    """
    results = [
        replace(evaluate_scenario(scenario, policy, account), uncertain=why)
        for policy, why in zip(layers, [*uncertain, *[None] * len(layers)], strict=False)
    ]
    if len(results) == 1:
        return results[0]
    main = results[0]
    return replace(main, layers=tuple(results))


def strictest(outcomes: list[Outcome]) -> Outcome:
    """Across layers, as across a timeline: not authorized if any layer says so."""
    return combine_outcomes(outcomes)
