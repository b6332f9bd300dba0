"""Comparing a scenario's ``expect`` block with what the policy actually concludes."""

from __future__ import annotations

from dataclasses import dataclass, field

from forcecheck.engine.evaluation import (
    AccountResult,
    DischargeResult,
    ScenarioResult,
    strictest,
)
from forcecheck.errors import Location, MissingReferenceError, did_you_mean
from forcecheck.model.document import DocPath
from forcecheck.model.logic import Outcome
from forcecheck.model.policy import Policy
from forcecheck.model.readings import reading_named, variants
from forcecheck.model.scenario import (
    DEFAULT_ACCOUNT,
    IMMUNITY_OUTCOMES,
    ExpectedAccount,
    ExpectedResult,
    Scenario,
)


@dataclass(frozen=True)
class Mismatch:
    """One expectation that did not hold."""

    location: Location
    account: str
    discharge: str | None
    subject: str
    expected: str
    got: str

    def __str__(self) -> str:
        where = f"account '{self.account}'"
        if self.discharge:
            where += f", discharge '{self.discharge}'"
        return f"{where}: {self.subject}: expected {self.expected}, got {self.got}"


def validate_expectations(scenario: Scenario, policy: Policy) -> None:
    """Refuse an ``expect`` block that names a condition ``policy`` does not have."""
    expect = scenario.spec.expect
    if expect is None:
        return
    blocks: list[tuple[DocPath, ExpectedResult]] = [(("expect",), expect)]
    for name, account in expect.accounts.items():
        blocks.append((("expect", "accounts", name), account))
    for where, block in list(blocks):
        if isinstance(block, ExpectedAccount):
            for discharge_id, discharge in block.discharges.items():
                blocks.append(((*where, "discharges", discharge_id), discharge))
    for where, block in blocks:
        readings = block.readings if isinstance(block, ExpectedAccount) else {}
        for label in readings:
            if reading_named(policy, label) is None:
                known = [v.label for v in variants(policy)]
                raise MissingReferenceError(
                    f"`expect` names a reading '{label}' that policy '{policy.id}' does not "
                    "declare",
                    location=scenario.doc.locate((*where, "readings", label), key=True),
                    help=did_you_mean(label, known)
                    or (
                        "its alternative readings: " + ", ".join(known)
                        if known
                        else "the policy declares no alternative readings"
                    ),
                )
        for rule_id in block.conditions:
            if rule_id not in policy.rules:
                raise MissingReferenceError(
                    f"`expect` names a condition '{rule_id}' that policy '{policy.id}' "
                    "does not have",
                    location=scenario.doc.locate((*where, "conditions", rule_id), key=True),
                    help=did_you_mean(rule_id, policy.rules)
                    or "conditions are the rule ids of the policy",
                )


def check_expectations(result: ScenarioResult) -> list[Mismatch]:
    """Every expectation of the scenario that the evaluation contradicts, in file order."""
    scenario = result.scenario
    expect = scenario.spec.expect
    if expect is None:
        return []
    named: dict[str, tuple[DocPath, ExpectedAccount]] = {
        name: (("expect", "accounts", name), expected) for name, expected in expect.accounts.items()
    }
    if scenario.spec.accounts is None:
        named.setdefault(DEFAULT_ACCOUNT, (("expect",), expect))
    validate_expectations(scenario, result.policy)
    _validate_layers(result, expect, named)
    mismatches: list[Mismatch] = []
    for account in result.accounts:
        if account.name not in named:
            continue
        where, expected = named[account.name]
        mismatches += _check_account(result, account, expected, where)
    return sorted(mismatches, key=lambda m: (m.location.line or 0, m.location.col or 0))


def _check_account(
    result: ScenarioResult, account: AccountResult, expected: ExpectedAccount, where: DocPath
) -> list[Mismatch]:
    found = _check_one(
        result, account.name, None, account.outcome, account.results, expected, where
    )
    doc = result.scenario.doc
    for label, outcome in expected.readings.items():
        reading = next(r for r in result.readings if r.label == label)
        [read] = [a for a in reading.accounts if a.name == account.name]
        if read.outcome is not outcome:
            found.append(
                Mismatch(
                    doc.locate((*where, "readings", label)),
                    account.name,
                    None,
                    f"outcome under reading {label}",
                    _word(result.policy, outcome),
                    _word(result.policy, read.outcome),
                )
            )
    found += _check_layers(result, account.name, expected, where)
    by_id = {r.discharge.id: r for r in account.results if r.discharge is not None}
    for discharge_id, expected_discharge in expected.discharges.items():
        moment = by_id[discharge_id]
        found += _check_one(
            result,
            account.name,
            discharge_id,
            moment.outcome,
            (moment,),
            expected_discharge,
            (*where, "discharges", discharge_id),
        )
    return found


#: The key of ``expect: layers`` for the outcome across every layer.
STRICTEST = "strictest"


def _validate_layers(
    result: ScenarioResult,
    expect: ExpectedAccount,
    named: dict[str, tuple[DocPath, ExpectedAccount]],
) -> None:
    """Refuse a layer an ``expect`` block names but the scenario is not judged under."""
    layers = [layer.policy.id for layer in result.layers]
    for where, block in [(("expect",), expect), *named.values()]:
        for label in block.layers:
            if (label == STRICTEST and layers) or label in layers:
                continue
            raise MissingReferenceError(
                f"`expect` names a layer '{label}' this scenario is not judged under",
                location=result.scenario.doc.locate((*where, "layers", label), key=True),
                help=(
                    "its layers: " + ", ".join([*layers, STRICTEST])
                    if layers
                    else "layers are judged only where `date` and `agency` choose them "
                    "(no `policy:` line)"
                ),
            )


def _check_layers(
    result: ScenarioResult, account: str, expected: ExpectedAccount, where: DocPath
) -> list[Mismatch]:
    """The account's outcome under each layer the block names, and across them all."""
    outcomes = {
        layer.policy.id: next(a.outcome for a in layer.accounts if a.name == account)
        for layer in result.layers
    }
    policies = {layer.policy.id: layer.policy for layer in result.layers}
    found: list[Mismatch] = []
    for label, outcome in expected.layers.items():
        got = (
            strictest([outcomes[layer.policy.id] for layer in result.federal_layers])
            if label == STRICTEST
            else outcomes[label]
        )
        if got is not outcome:
            found.append(
                Mismatch(
                    result.scenario.doc.locate((*where, "layers", label)),
                    account,
                    None,
                    "outcome across the layers" if label == STRICTEST else f"outcome under {label}",
                    _word(policies[label], outcome) if label in policies else str(outcome),
                    _word(policies[label], got) if label in policies else str(got),
                )
            )
    return found


def _check_one(
    result: ScenarioResult,
    account: str,
    discharge: str | None,
    outcome: Outcome,
    moments: tuple[DischargeResult, ...],
    expected: ExpectedResult,
    where: DocPath,
) -> list[Mismatch]:
    doc = result.scenario.doc
    found: list[Mismatch] = []
    if expected.outcome is not None and expected.outcome is not outcome:
        found.append(
            Mismatch(
                doc.locate((*where, "outcome")),
                account,
                discharge,
                "outcome",
                _word(result.policy, expected.outcome),
                _word(result.policy, outcome),
            )
        )
    for rule_id, status in expected.conditions.items():
        # Across a timeline, a condition's expected status must hold at every discharge.
        for moment in moments:
            got = moment.evaluation.rules[rule_id].status
            if got is not status:
                label = discharge or (moment.discharge.id if moment.discharge else None)
                found.append(
                    Mismatch(
                        doc.locate((*where, "conditions", rule_id)),
                        account,
                        label,
                        f"condition '{rule_id}'",
                        str(status),
                        str(got),
                    )
                )
    return found


@dataclass
class CheckReport:
    """What ``check`` found: files that passed, mismatches of those that failed, skips."""

    passed: list[str] = field(default_factory=list)
    failures: dict[str, list[Mismatch]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    #: Every scenario evaluated (passed or failed), in file order: what coverage counts.
    results: list[ScenarioResult] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """How many files failed."""
        return len(self.failures)


def _word(policy: Policy, outcome: Outcome) -> str:
    """An outcome as an ``expect`` block writes it for ``policy`` (the immunity view's words)."""
    if policy.spec.layer == "immunity":
        words = {value: word for word, value in IMMUNITY_OUTCOMES.items()}
        return words.get(str(outcome), str(outcome))
    return str(outcome)
