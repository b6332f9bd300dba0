"""Scenario files as test cases: one case per account whose expectations the file states.

The pytest plugin (:mod:`forcecheck.testing.plugin`) turns cases into test items; this
module knows nothing of pytest, so any runner can use it. A case is one account, not one
file, because accounts are what a scenario's expectations are written about: a reporter
can select every agency statement (``-k agency``) or one account of one incident, and a
failure names the account it is about. The minimal form is one account, ``default``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forcecheck.checks.check import evaluate_for_expectations
from forcecheck.checks.expect import Mismatch, check_expectations, validate_expectations
from forcecheck.engine.evaluation import ScenarioResult
from forcecheck.load.library import Library, policy_for_scenario
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.model.logic import Outcome, Status
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import DEFAULT_ACCOUNT, Scenario
from forcecheck.testing.failures import DECISION_STATUS, explanation


@dataclass(frozen=True)
class ScenarioCase:
    """One account of a scenario file, and the policy its expectations are checked under."""

    scenario: Scenario
    policy: Policy
    account: str
    #: The library the scenario's layers are resolved in (its date and agency may choose
    #: several, which ``expect: layers`` names).
    library: Library

    @property
    def line(self) -> int | None:
        """The line where this account's expectations begin."""
        where = (
            ("expect",)
            if self.scenario.spec.accounts is None
            else ("expect", "accounts", self.account)
        )
        return self.scenario.doc.locate(where, key=True).line

    def run(self) -> list[Mismatch]:
        """Evaluate the account; every expectation the evaluation contradicts, in file order."""
        result = evaluate_for_expectations(self.scenario, self.library, self.account)
        return check_expectations(result)

    def explain(self, mismatches: list[Mismatch]) -> list[list[str]]:
        """For each mismatch, a few lines saying why (none for layers and readings).

        The facts at the moment that broke the expectation, the condition's status and the
        expected one, and the parts it reads (:func:`forcecheck.testing.failures.explanation`).
        """
        result = evaluate_for_expectations(self.scenario, self.library, self.account)
        return [_explain(result, mismatch) for mismatch in mismatches]


def _explain(result: ScenarioResult, mismatch: Mismatch) -> list[str]:
    account = next((a for a in result.accounts if a.name == mismatch.account), None)
    if account is None:
        return []
    moments = [
        m
        for m in account.results
        if mismatch.discharge is None or (m.discharge and m.discharge.id == mismatch.discharge)
    ]
    if mismatch.subject == "outcome" and moments:
        want = Outcome(mismatch.expected)
        moment = next((m for m in moments if m.outcome is not want), moments[0])
        evaluation = moment.evaluation
        return explanation(evaluation, evaluation.policy.spec.decision, DECISION_STATUS[want])
    prefix = "condition '"
    if mismatch.subject.startswith(prefix) and moments:
        rule = mismatch.subject.removeprefix(prefix).removesuffix("'")
        want_status = Status(mismatch.expected)
        moment = next(
            (m for m in moments if m.evaluation.rules[rule].status is not want_status), moments[0]
        )
        return explanation(moment.evaluation, rule, want_status)
    return []


def expected_accounts(scenario: Scenario) -> tuple[str, ...]:
    """The accounts the scenario states expectations for, in the scenario's order."""
    expect = scenario.spec.expect
    if expect is None:
        return ()
    if scenario.spec.accounts is None:
        return (DEFAULT_ACCOUNT,)
    return tuple(name for name in scenario.accounts if name in expect.accounts)


def scenario_cases(path: Path, library: Library) -> list[ScenarioCase]:
    """The cases of one scenario file, judged by the policies of ``library``.

    A file without ``expect:`` has none. Like ``forcecheck check``, every file is validated
    in full first, and the policy resolved and the expectations checked against its rules,
    so a broken file raises its located :class:`~forcecheck.errors.InputError` here.
    """
    scenario = load_scenario(path, library.vocabulary)
    if scenario.spec.expect is None:
        return []
    policy = policy_for_scenario(scenario, library)
    validate_expectations(scenario, policy)
    return [ScenarioCase(scenario, policy, name, library) for name in expected_accounts(scenario)]
