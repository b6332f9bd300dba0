"""forcecheck: check uses of deadly force against the written policy that governs them.

The public Python API (docs/api.md)::

    import forcecheck

    result = forcecheck.evaluate("dhs-2023", {"subject_fleeing": True})
    print(result.outcome)                     # Outcome.UNDETERMINED

    scenario = forcecheck.evaluate_scenario("scenarios/training/01-armed-attacker.yaml")
    print([account.outcome for account in scenario.accounts])

Every name below is imported on first use (PEP 562), so ``import forcecheck`` costs
nothing: the command line's start-up does not pay for what it does not use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forcecheck.api import (
        FactValue,
        PolicyLike,
        ScenarioLike,
        default_policy,
        evaluate,
        evaluate_scenario,
        library,
        load_policy,
        load_scenario,
        report,
    )
    from forcecheck.engine.evaluation import AccountResult, ScenarioResult
    from forcecheck.engine.explain import Evaluation, RuleResult
    from forcecheck.errors import (
        ForcecheckError,
        InputError,
        UnknownFactError,
        UnknownPolicyError,
    )
    from forcecheck.load.library import Library
    from forcecheck.model.logic import Outcome, Status, Value
    from forcecheck.model.policy import Policy
    from forcecheck.model.scenario import Scenario
    from forcecheck.version import __version__

#: Each public name and the module that defines it.
_EXPORTS = {
    "FactValue": "forcecheck.api",
    "PolicyLike": "forcecheck.api",
    "ScenarioLike": "forcecheck.api",
    "default_policy": "forcecheck.api",
    "evaluate": "forcecheck.api",
    "evaluate_scenario": "forcecheck.api",
    "library": "forcecheck.api",
    "load_policy": "forcecheck.api",
    "load_scenario": "forcecheck.api",
    "report": "forcecheck.api",
    "AccountResult": "forcecheck.engine.evaluation",
    "ScenarioResult": "forcecheck.engine.evaluation",
    "Evaluation": "forcecheck.engine.explain",
    "RuleResult": "forcecheck.engine.explain",
    "ForcecheckError": "forcecheck.errors",
    "InputError": "forcecheck.errors",
    "UnknownFactError": "forcecheck.errors",
    "UnknownPolicyError": "forcecheck.errors",
    "Library": "forcecheck.load.library",
    "Outcome": "forcecheck.model.logic",
    "Status": "forcecheck.model.logic",
    "Value": "forcecheck.model.logic",
    "Policy": "forcecheck.model.policy",
    "Scenario": "forcecheck.model.scenario",
}

__all__ = [
    "AccountResult",
    "Evaluation",
    "FactValue",
    "ForcecheckError",
    "InputError",
    "Library",
    "Outcome",
    "Policy",
    "PolicyLike",
    "RuleResult",
    "Scenario",
    "ScenarioLike",
    "ScenarioResult",
    "Status",
    "UnknownFactError",
    "UnknownPolicyError",
    "Value",
    "__version__",
    "default_policy",
    "evaluate",
    "evaluate_scenario",
    "library",
    "load_policy",
    "load_scenario",
    "report",
]


def __getattr__(name: str) -> Any:
    """The public names, imported on first use."""
    # The version lives in a module of its own, so that renderers can print it without
    # importing this one (which names every layer's types).
    module = "forcecheck.version" if name == "__version__" else _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
