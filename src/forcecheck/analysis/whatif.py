"""What if: a scenario evaluated as written and with some facts changed, and what changed.

A change sets a fact's value in every account and at every discharge (it replaces the
discharge's own value too): "suppose the car was not moving toward anyone". The result
keeps both evaluations and lists only the differences — outcomes, then conditions, each with
the reason before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from forcecheck.engine.evaluation import ScenarioResult, evaluate_scenario
from forcecheck.engine.explain import RuleResult
from forcecheck.errors import UnknownFactError, did_you_mean
from forcecheck.model.logic import Outcome, Status, Value
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Account, FactEntry, Scenario


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
    after = evaluate_scenario(changed_scenario(scenario, changes), policy, account)
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
