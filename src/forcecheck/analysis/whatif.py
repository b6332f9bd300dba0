"""What if: a scenario evaluated as written and with some facts changed, and what changed.

A change sets a fact's value in every account and at every discharge (it replaces the
discharge's own value too): "suppose the car was not moving toward anyone". The result
keeps both evaluations and lists only the differences — outcomes, then conditions, each with
the reason before and after. A change after which an account's values break an exclusion,
once settled, is refused: it describes no incident that could have happened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from forcecheck.engine.evaluation import ScenarioResult, evaluate_scenario
from forcecheck.engine.explain import RuleResult
from forcecheck.errors import ContradictionError, UnknownFactError, did_you_mean
from forcecheck.model.binding import is_federal
from forcecheck.model.dates import Uncertainty
from forcecheck.model.logic import Outcome, Status, Value, combine_outcomes
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Account, FactEntry, Scenario
from forcecheck.model.settling import settle


@dataclass(frozen=True)
class OutcomeChange:
    """An account's outcome (overall, or at one discharge) before and after."""

    account: str
    discharge: str | None
    before: Outcome
    after: Outcome


@dataclass(frozen=True)
class ConditionChange:
    """A condition whose status changed, at one account and discharge."""

    account: str
    discharge: str | None
    rule_id: str
    before: Status
    after: Status
    #: The rule's result before and after the change: why, as data.
    result_before: RuleResult
    result_after: RuleResult


@dataclass(frozen=True)
class WhatIf:
    """The scenario as written, as changed, and the differences."""

    changes: Mapping[str, Value]
    before: ScenarioResult
    after: ScenarioResult
    outcomes: tuple[OutcomeChange, ...]
    conditions: tuple[ConditionChange, ...]

    @property
    def changed(self) -> bool:
        """Whether any outcome or condition changed."""
        return bool(self.outcomes or self.conditions)


def changed_scenario(scenario: Scenario, changes: Mapping[str, Value]) -> Scenario:
    """The scenario with each changed fact set in every account and discharge."""

    def entries(facts: dict[str, FactEntry], overwrite_only: bool) -> dict[str, FactEntry]:
        updated = dict(facts)
        for fact_id, value in changes.items():
            if overwrite_only and fact_id not in facts:
                continue
            updated[fact_id] = FactEntry(value=value, note="changed by what-if")
        return updated

    def changed(account: Account) -> Account:
        return replace(
            account,
            facts=entries(account.facts, False),
            discharges=tuple(replace(d, facts=entries(d.facts, True)) for d in account.discharges),
        )

    spec = scenario.spec
    if spec.accounts is not None:
        accounts = {name: changed(a) for name, a in spec.accounts.items()}
        new_spec = replace(spec, accounts=accounts)
    else:
        default = changed(scenario.accounts[next(iter(scenario.accounts))])
        new_spec = replace(spec, facts=default.facts, discharges=default.discharges)
    return Scenario(new_spec, scenario.doc)


def _refuse_impossible(
    scenario: Scenario, policy: Policy, changes: Mapping[str, Value], account: str | None
) -> None:
    """Refuse changes after which some account's values break an exclusion, once settled.

    Such an account is impossible by the facts' own meanings (a shot at a moving vehicle in
    a shooting with no vehicle), so there is nothing to evaluate.
    """
    vocabulary = policy.vocabulary
    if not vocabulary.exclusions:
        return
    setting = ", ".join(f"{fact}={value}" for fact, value in changes.items())
    for name, told in scenario.accounts.items():
        if account is not None and name != account:
            continue
        moments: list[tuple[str | None, dict[str, FactEntry]]] = [
            (d.id, told.facts | d.facts) for d in told.discharges
        ] or [(None, told.facts)]
        for discharge, facts in moments:
            settled = settle(vocabulary, {k: e.value for k, e in facts.items()})
            if settled.broken is None:
                continue
            who = "the scenario" if scenario.spec.accounts is None else f"account '{name}'"
            if discharge is not None:
                who += f" at discharge '{discharge}'"
            raise ContradictionError(
                f"--set {setting} is impossible: with it, "
                + settled.conflict(who, Path(vocabulary.path).name),
                location=scenario.doc.locate(scenario.account_path(name)),
                help="change the other values too (another --set), or set the fact to unknown "
                "where the account is unsure",
            )


def what_if(
    scenario: Scenario, policy: Policy, changes: Mapping[str, Value], account: str | None = None
) -> WhatIf:
    """Evaluate ``scenario`` as written and with ``changes``; list what changed."""
    for fact_id in changes:
        if fact_id not in policy.vocabulary:
            raise UnknownFactError(
                f"unknown fact '{fact_id}'",
                help=did_you_mean(fact_id, policy.vocabulary.ids)
                or f"the facts are declared in {policy.vocabulary.path}",
            )
    before = evaluate_scenario(scenario, policy, account)
    altered = changed_scenario(scenario, changes)
    _refuse_impossible(altered, policy, changes, account)
    after = evaluate_scenario(altered, policy, account)
    outcomes: list[OutcomeChange] = []
    conditions: list[ConditionChange] = []
    for old, new in zip(before.accounts, after.accounts, strict=True):
        if old.outcome is not new.outcome:
            outcomes.append(OutcomeChange(old.name, None, old.outcome, new.outcome))
        several = len(old.results) > 1
        for moment_old, moment_new in zip(old.results, new.results, strict=True):
            discharge = moment_old.discharge.id if moment_old.discharge else None
            if several and moment_old.outcome is not moment_new.outcome:
                outcomes.append(
                    OutcomeChange(old.name, discharge, moment_old.outcome, moment_new.outcome)
                )
            for rule_id, result in moment_old.evaluation.rules.items():
                changed = moment_new.evaluation.rules[rule_id]
                if result.status is not changed.status:
                    conditions.append(
                        ConditionChange(
                            old.name,
                            discharge,
                            rule_id,
                            result.status,
                            changed.status,
                            result,
                            changed,
                        )
                    )
    return WhatIf(dict(changes), before, after, tuple(outcomes), tuple(conditions))


@dataclass(frozen=True)
class StrictestChange:
    """An account's strictest outcome across the federal layers, before and after."""

    account: str
    before: Outcome
    after: Outcome


@dataclass(frozen=True)
class LayeredWhatIf:
    """The changes under every layer the scenario is judged under, the main one first.

    A state's law and the immunity view are layers too: a change that moves only them is a
    change a reader must see. The strictest outcome is taken across the federal layers only,
    as ``evaluate`` takes it.
    """

    layers: tuple[WhatIf, ...]
    #: Per layer, why it only may bind on the scenario's date (None: it binds).
    uncertain: tuple[Uncertainty | None, ...]
    #: Each account's strictest federal outcome before and after (empty with one layer).
    strictest: tuple[StrictestChange, ...] = ()

    @property
    def main(self) -> WhatIf:
        """The main policy's changes (the one ``--policy`` or the scenario names)."""
        return self.layers[0]

    @property
    def changes(self) -> Mapping[str, Value]:
        """The facts changed."""
        return self.main.changes

    @property
    def changed(self) -> bool:
        """Whether any outcome or condition changed under any layer."""
        return any(layer.changed for layer in self.layers)


def what_if_layers(
    scenario: Scenario,
    policies: Sequence[Policy],
    changes: Mapping[str, Value],
    account: str | None = None,
    uncertain: Sequence[Uncertainty | None] = (),
) -> LayeredWhatIf:
    """:func:`what_if` under each of ``policies`` (the main one first), and the strictest."""
    layers = tuple(what_if(scenario, policy, changes, account) for policy in policies)
    whys = tuple([*uncertain, *[None] * len(policies)][: len(policies)])
    federal = [layer for layer in layers if is_federal(layer.before.policy)]
    strictest: list[StrictestChange] = []
    if len(layers) > 1 and federal:
        for index, name in enumerate(a.name for a in federal[0].before.accounts):
            before = combine_outcomes([f.before.accounts[index].outcome for f in federal])
            after = combine_outcomes([f.after.accounts[index].outcome for f in federal])
            strictest.append(StrictestChange(name, before, after))
    return LayeredWhatIf(layers, whys, tuple(strictest))
