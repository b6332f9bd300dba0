"""``forcecheck compare``: a scenario's accounts side by side, or one account per policy."""

from __future__ import annotations

from pathlib import Path

from forcecheck.analysis.report_data import ComparisonReport
from forcecheck.app.resolution import binding_state, resolve_scenario
from forcecheck.load.library import in_force_on


def compare_report(
    file: Path,
    policies: tuple[str, ...] | None = None,
    policy: str | None = None,
    accounts: tuple[str, ...] | None = None,
    *,
    page: bool = False,
) -> ComparisonReport:
    """The comparison ``compare`` shows; raises InputError on bad input.

    With ``policies``, the one account ``accounts[0]`` (default: the first) under each
    policy; else the ``accounts`` (default: all) under the scenario's main policy (or
    ``policy``). ``page``: also the HTML page's report of the accounts.
    """
    from forcecheck.analysis.compare import compare_accounts, compare_policies

    resolved = resolve_scenario(file, policy, policies)
    scenario = resolved.scenario
    if policies is not None:
        idle = [
            None if why is not None else binding_state(scenario, policy)[1]
            for policy, why in zip(resolved.policies, resolved.uncertain, strict=True)
        ]
        comparison = compare_policies(
            scenario,
            resolved.policies,
            accounts[0] if accounts else None,
            resolved.uncertain,
            idle,
        )
        return ComparisonReport(comparison)
    main = resolved.policy
    # Every layer the scenario is judged under, unless --policy named one.
    comparison = compare_accounts(
        scenario, main, accounts, resolved.policies[1:], resolved.uncertain
    )
    shown = None
    if page and comparison.accounts:
        from forcecheck.app.evaluate_report import build_evaluation_report
        from forcecheck.engine.evaluation import ScenarioResult

        result = ScenarioResult(
            scenario,
            main,
            comparison.accounts,
            readings=comparison.results[0].readings,
            layers=tuple(view.result for view in comparison.layers),
        )
        shown = build_evaluation_report(result, questions=True, comparison=comparison, page=True)
    return ComparisonReport(
        comparison,
        in_force_on(main, scenario.spec.date),
        page=shown,
        uncertain=resolved.uncertain[0],
    )
