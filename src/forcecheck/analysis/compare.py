"""Side-by-side comparison: one scenario under several policies, or several accounts.

Returns data only: a column per evaluation (a policy or an account, at each discharge),
a row per condition, and which rows differ between columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from forcecheck.analysis import (
    ConclusionCheck,
    Dispute,
    Gap,
    Questions,
    check_conclusions,
    disputed_facts,
    fact_gaps,
    questions_for,
)
from forcecheck.engine.evaluation import (
    AccountResult,
    DischargeResult,
    ScenarioResult,
    evaluate_scenario,
)
from forcecheck.model.binding import is_federal
from forcecheck.model.dates import Uncertainty
from forcecheck.model.logic import Outcome, Status, Value, combine_outcomes
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario


@dataclass(frozen=True)
class Column:
    """One evaluation being compared."""

    label: str
    policy: Policy
    result: DischargeResult
    #: When the policy only may bind on the scenario's date: the date range that leaves it
    #: open (``--policies all``); None when it binds, or was named.
    uncertain: Uncertainty | None = None
    #: Why the policy did not bind on the scenario's date and agency (``does not bind ICE``,
    #: ``not in force on 2025-09-12``); None when it binds, may bind, or nothing says.
    not_binding: str | None = None

    @property
    def outcome(self) -> Outcome:
        """The outcome in this column."""
        return self.result.outcome


@dataclass(frozen=True)
class Row:
    """One condition across the columns; ``None`` where a policy has no such rule."""

    rule_id: str
    title: str
    statuses: tuple[Status | None, ...]

    @property
    def differs(self) -> bool:
        """Whether the columns that have this condition give it different statuses."""
        return len({s for s in self.statuses if s is not None}) > 1

    @property
    def partial(self) -> bool:
        """Whether only some of the columns' policies have this condition."""
        return None in self.statuses


@dataclass(frozen=True)
class LayerView:
    """The accounts under one layer: its evaluation, and the disputes that matter under it.

    ``compare`` reads the accounts under the main policy; a disputed fact that decides
    nothing there may decide the state's law or the immunity view, and a reader must see it.
    """

    result: ScenarioResult
    #: The disputed facts that decide, or bear on, some account's outcome under this layer.
    disputes: tuple[Dispute, ...]

    @property
    def policy(self) -> Policy:
        """The layer's policy."""
        return self.result.policy


@dataclass(frozen=True)
class Comparison:
    """Columns, and a row per condition of any of their policies."""

    scenario: Scenario
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    #: Comparing accounts: each account's overall result, in scenario order.
    accounts: tuple[AccountResult, ...] = ()
    #: Each policy's evaluation of the scenario, in column order (one when comparing
    #: accounts), with the outcome under each of its readings.
    results: tuple[ScenarioResult, ...] = ()
    #: Comparing accounts: the facts they disagree on, decisive ones first.
    disputes: tuple[Dispute, ...] = ()
    #: Comparing accounts: facts only some accounts address, where those agree.
    gaps: tuple[Gap, ...] = ()
    #: Comparing accounts: what could still decide each account (or what it rests on).
    questions: tuple[Questions, ...] = ()
    #: Comparing accounts: each stated conclusion beside what the account's facts establish.
    conclusions: tuple[ConclusionCheck, ...] = ()
    #: Comparing accounts under a scenario judged under several layers: every layer, the
    #: main one first (empty with one layer).
    layers: tuple[LayerView, ...] = ()

    @property
    def strictest(self) -> tuple[Outcome, ...]:
        """Each account's strictest outcome across the federal layers (empty: one layer)."""
        federal = [view.result for view in self.layers if is_federal(view.policy)]
        if not federal:
            return ()
        return tuple(
            combine_outcomes(layer.accounts[i].outcome for layer in federal)
            for i in range(len(federal[0].accounts))
        )

    @property
    def open_to_all(self) -> tuple[str, ...]:
        """Facts no account settles that could still decide some account's outcome.

        Most decisive first (see ``standing`` below).
        """
        asked = [{q.fact for q in qs.questions} for qs in self.questions]
        undecided = [qs for qs in self.questions if qs.questions]
        if not undecided:
            return ()
        settled = {
            fact
            for account in self.accounts
            for moment in account.results
            for fact, given in moment.facts.items()
            if given.value is not Value.UNKNOWN
        }
        # Most decisive first: by each fact's best standing among the accounts' questions
        # (settles alone, settles for one answer, weight), then in vocabulary order.
        standing: dict[str, tuple[bool, bool, float]] = {}
        for qs in undecided:
            for q in qs.questions:
                rank = (q.settles, q.settles_if is not None, q.weight)
                standing[q.fact] = max(standing.get(q.fact, rank), rank)
        union = set().union(*asked)
        order = self.columns[0].policy.vocabulary.ids
        found = [f for f in order if f in union and f not in settled]
        return tuple(sorted(found, key=lambda f: standing[f], reverse=True))

    @property
    def may_bind(self) -> tuple[tuple[str, Uncertainty], ...]:
        """Each policy of the columns that only may bind on the scenario's date, with why."""
        found: dict[str, Uncertainty] = {}
        for column in self.columns:
            if column.uncertain is not None:
                found.setdefault(column.policy.id, column.uncertain)
        return tuple(found.items())

    @property
    def outcomes_differ(self) -> bool:
        """Whether the columns reach different outcomes."""
        return len({c.outcome for c in self.columns}) > 1


def _label(base: str, result: DischargeResult, several: bool) -> str:
    return f"{base} @ {result.discharge.id}" if several and result.discharge else base


def _build(scenario: Scenario, columns: list[Column]) -> Comparison:
    order: dict[str, str] = {}
    for column in columns:
        policy = column.policy
        for rule_id in (*policy.conditions, *policy.findings):
            order.setdefault(rule_id, policy.rules[rule_id].title)
    rows = tuple(
        Row(
            rule_id,
            title,
            tuple(
                c.result.evaluation.rules[rule_id].status
                if rule_id in c.result.evaluation.rules
                else None
                for c in columns
            ),
        )
        for rule_id, title in order.items()
    )
    return Comparison(scenario, tuple(columns), rows)


def compare_policies(
    scenario: Scenario,
    policies: Sequence[Policy],
    account: str | None = None,
    uncertain: Sequence[Uncertainty | None] = (),
    not_binding: Sequence[str | None] = (),
) -> Comparison:
    """One account (default: the first) evaluated under each policy.

    ``uncertain`` gives, per policy, why it only may bind on the scenario's date;
    ``not_binding``, why it did not bind the incident at all.
    """
    columns: list[Column] = []
    results: list[ScenarioResult] = []
    whys = [*uncertain, *[None] * len(policies)]
    idles = [*not_binding, *[None] * len(policies)]
    for policy, why, idle in zip(policies, whys, idles, strict=False):
        result = evaluate_scenario(scenario, policy, account or next(iter(scenario.accounts)))
        results.append(result)
        [account_result] = result.accounts
        several = len(account_result.results) > 1
        columns += [
            Column(_label(policy.id, moment, several), policy, moment, why, idle)
            for moment in account_result.results
        ]
    return replace(_build(scenario, columns), results=tuple(results))


def compare_accounts(
    scenario: Scenario,
    policy: Policy,
    accounts: tuple[str, ...] | None = None,
    layers: Sequence[Policy] = (),
    uncertain: Sequence[Uncertainty | None] = (),
) -> Comparison:
    """The scenario's accounts (default: all) under one policy, with what divides them.

    ``layers``: the other layers the scenario is judged under (``uncertain``: per layer, why
    it only may bind, the main policy's first); each gets its outcomes and the disputes
    that matter under it.
    """
    whys = [*uncertain, *[None] * (len(layers) + 1)]
    result = replace(evaluate_scenario(scenario, policy, accounts), uncertain=whys[0])
    columns = [
        Column(_label(account.name, moment, len(account.results) > 1), policy, moment)
        for account in result.accounts
        for moment in account.results
    ]
    base = _build(scenario, columns)
    disputes = disputed_facts(result)
    views: tuple[LayerView, ...] = ()
    if layers:
        others = [
            replace(evaluate_scenario(scenario, layer, accounts), uncertain=why)
            for layer, why in zip(layers, whys[1:], strict=False)
        ]
        views = tuple(
            LayerView(r, tuple(d for d in found if d.bears_on))
            for r, found in [(result, disputes), *((o, disputed_facts(o)) for o in others)]
        )
    return Comparison(
        scenario,
        base.columns,
        base.rows,
        accounts=result.accounts,
        disputes=disputes,
        gaps=fact_gaps(result),
        questions=tuple(questions_for(policy, account) for account in result.accounts),
        conclusions=tuple(c for a in result.accounts for c in check_conclusions(a)),
        results=(result,),
        layers=views,
    )
