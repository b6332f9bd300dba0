"""Testing support for policy repositories: hypothesis strategies and a pytest plugin.

``from forcecheck.testing import fact_sets, scenarios, scenario_texts`` needs hypothesis
(forcecheck's ``test`` extra); see :mod:`forcecheck.testing.strategies` and
docs/testing.md. The pytest plugin, :mod:`forcecheck.testing.plugin`, must not: pytest
loads it in every project where forcecheck is installed, so this package imports nothing
until a strategy is first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forcecheck.testing.strategies import (
        fact_sets,
        possible,
        resolve_policy,
        scenario_data,
        scenario_texts,
        scenarios,
    )

__all__ = [
    "fact_sets",
    "possible",
    "resolve_policy",
    "scenario_data",
    "scenario_texts",
    "scenarios",
]


def __getattr__(name: str) -> Any:
    # Lazy re-export (PEP 562): importing the plugin must not import hypothesis.
    if name in __all__:
        from forcecheck.testing import strategies

        return getattr(strategies, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
