"""``forcecheck whatif``: a scenario as written and with some facts changed."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from forcecheck.analysis.whatif import LayeredWhatIf, what_if_layers
from forcecheck.app.resolution import resolve_scenario
from forcecheck.errors import did_you_mean
from forcecheck.model.logic import Value


class UnknownSetting(ValueError):
    """A change names a fact the policy's vocabulary lacks (a usage error of ``--set``)."""

    def __init__(self, fact: str, hint: str | None) -> None:
        super().__init__(f"unknown fact '{fact}'" + (f"; {hint}" if hint else ""))


def whatif_report(
    file: Path,
    changes: Mapping[str, Value],
    account: str | None = None,
    policy: str | None = None,
) -> LayeredWhatIf:
    """What ``changes`` change under every layer; raises InputError, or UnknownSetting.

    Every layer the scenario is judged under (its date, agency and place choose them: the
    federal layers, the state's law, the immunity view), or the one ``policy`` names.
    """
    # The scenario's stated conclusions are not checked here (as before the shared
    # resolution): whatif never shows them.
    resolved = resolve_scenario(file, policy, conclusions=False)
    vocabulary = resolved.policy.vocabulary
    for fact in changes:
        if fact not in vocabulary:
            raise UnknownSetting(fact, did_you_mean(fact, vocabulary.ids))
    return what_if_layers(
        resolved.scenario, resolved.policies, changes, account, resolved.uncertain
    )
