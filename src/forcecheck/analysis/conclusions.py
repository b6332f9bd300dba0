"""Stated conclusions: what an account asserts, beside what its own facts establish.

An agency statement often asserts a conclusion ("fearing for his life", "weaponized his
vehicle") as well as facts. A scenario records it under the account's ``conclusions``, as the
status the account claims for one of the policy's conditions. The account is evaluated on its
facts alone; the conclusion is then checked against that evaluation at every moment:

- **supported** — the facts establish the stated status;
- **not established** — the facts leave the condition unknown;
- **contradicted** — the facts establish the opposite.

The tool does not decide whether the conclusion is true; it says whether the account's own
facts carry it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from forcecheck.engine.evaluation import AccountResult
from forcecheck.errors import MissingReferenceError, did_you_mean
from forcecheck.model.logic import Status
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Conclusion, Scenario


class ConclusionVerdict(StrEnum):
    """How a stated conclusion compares with what the account's facts establish."""

    SUPPORTED = "supported"
    NOT_ESTABLISHED = "not established"
    CONTRADICTED = "contradicted"


@dataclass(frozen=True)
class ConclusionCheck:
    """One stated conclusion and what the account's facts establish for that condition."""

    account: str
    condition: str
    stated: Conclusion
    #: The condition's status on the account's facts, at each moment (discharge id or None).
    established: tuple[tuple[str | None, Status], ...]

    @property
    def verdict(self) -> ConclusionVerdict:
        """The verdict across moments.

        Contradicted if any moment establishes the opposite; else not established if any
        leaves it unknown; else supported.
        """
        statuses = {status for _, status in self.established}
        if any(s not in (self.stated.status, Status.UNKNOWN) for s in statuses):
            return ConclusionVerdict.CONTRADICTED
        if Status.UNKNOWN in statuses:
            return ConclusionVerdict.NOT_ESTABLISHED
        return ConclusionVerdict.SUPPORTED

    @property
    def supported(self) -> bool:
        """Whether the account's facts carry the conclusion."""
        return self.verdict is ConclusionVerdict.SUPPORTED


def validate_conclusions(scenario: Scenario, policy: Policy) -> None:
    """Refuse a conclusion naming a condition ``policy`` does not have."""
    for name, account in scenario.accounts.items():
        for rule_id in account.conclusions:
            if rule_id not in policy.rules:
                where = (*scenario.account_path(name), "conclusions", rule_id)
                raise MissingReferenceError(
                    f"a stated conclusion names a condition '{rule_id}' that policy "
                    f"'{policy.id}' does not have",
                    location=scenario.doc.locate(where, key=True),
                    help=did_you_mean(rule_id, policy.rules)
                    or "conclusions are keyed by the rule ids of the policy",
                )


def check_conclusions(account: AccountResult) -> tuple[ConclusionCheck, ...]:
    """Each conclusion the account states, checked against its facts (policy order).

    Conclusions naming a condition the evaluated policy lacks are skipped: under another
    policy than the scenario's own, the condition may not exist.
    """
    if not account.results:
        return ()
    rules = account.results[0].evaluation.rules
    checks = [
        ConclusionCheck(
            account=account.name,
            condition=rule_id,
            stated=stated,
            established=tuple(
                (r.discharge.id if r.discharge else None, r.evaluation.rules[rule_id].status)
                for r in account.results
            ),
        )
        for rule_id, stated in account.account.conclusions.items()
        if rule_id in rules
    ]
    order = {rule_id: index for index, rule_id in enumerate(rules)}
    checks.sort(key=lambda c: order[c.condition])
    return tuple(checks)
