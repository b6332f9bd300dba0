"""Testing support for policy repositories: hypothesis strategies and a pytest plugin.

``from forcecheck.testing import fact_sets, scenarios, scenario_texts`` needs hypothesis
(forcecheck's ``test`` extra); see :mod:`forcecheck.testing.strategies` and
docs/testing.md; ``assert_outcome`` and ``assert_status`` (short failure reports,
:mod:`forcecheck.testing.failures`) do not. The pytest plugin,
:mod:`forcecheck.testing.plugin`, must not need it: pytest loads it in every project where
forcecheck is installed, so this package imports nothing until a name is first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forcecheck.testing.failures import (
        FactSet,
        assert_outcome,
        assert_status,
        failure_report,
    )
    from forcecheck.testing.strategies import (
        fact_sets,
        possible,
        resolve_policy,
        scenario_data,
        scenario_texts,
        scenarios,
    )

#: Names that need no hypothesis: short failures (forcecheck.testing.failures).
_FAILURES = ("FactSet", "assert_outcome", "assert_status", "failure_report")

__all__ = [
    "FactSet",
    "assert_outcome",
    "assert_status",
    "fact_sets",
    "failure_report",
    "possible",
    "resolve_policy",
    "scenario_data",
    "scenario_texts",
    "scenarios",
]


def __getattr__(name: str) -> Any:
    # Lazy re-export (PEP 562): importing the plugin must not import hypothesis.
    if name in _FAILURES:
        from forcecheck.testing import failures

        return getattr(failures, name)
    if name in __all__:
        from forcecheck.testing import strategies

        return getattr(strategies, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
