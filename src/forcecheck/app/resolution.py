"""From a scenario file and the command line to the policies it is judged under.

One function for every command: a scenario's date and agency choose every binding layer
(the most specific first, then those that only may bind on that date); its own ``policy:``,
or ``--policy``, names one; ``--policies`` names several (``all``: every layer the date and
agency choose, or every policy when the scenario has neither). Files are read through the
cache. Policy ids and the vocabulary come from the active library
(:func:`forcecheck.load.library.active`: ``--policies-dir``, ``FORCECHECK_POLICIES``, the
``forcecheck_policies`` setting, else the shipped policies).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from forcecheck.errors import UnknownPolicyError
from forcecheck.load.cache import load_scenario_cached
from forcecheck.load.library import (
    Binding,
    active,
    default_policy_id,
    named_policies,
    policy_from_ref,
    scenario_layers,
    scenario_library,
    state_law_gap,
)
from forcecheck.model.binding import StateLawGap
from forcecheck.model.dates import Uncertainty, in_force
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario


@dataclass(frozen=True)
class Resolved:
    """A scenario and the policies to judge it under, the main one first."""

    scenario: Scenario
    bindings: tuple[Binding, ...]
    #: Whether --policy or --policies chose them (then the file's own checks do not apply).
    overridden: bool
    #: When the date and agency chose the layers and the place brought no state's law: why.
    state_law: StateLawGap | None = None

    @property
    def policies(self) -> tuple[Policy, ...]:
        """The policies, the main one first."""
        return tuple(b.policy for b in self.bindings)

    @property
    def uncertain(self) -> tuple[Uncertainty | None, ...]:
        """For each policy, why it only may bind on the scenario's date (None: it binds)."""
        return tuple(b.uncertain for b in self.bindings)

    @property
    def policy(self) -> Policy:
        """The main policy: the report is under it."""
        return self.policies[0]


def load_scenario_file(file: Path) -> Scenario:
    """A scenario file, read against the active library's vocabulary (through the cache)."""
    return load_scenario_cached(file, active().vocabulary)


def resolve_scenario(
    file: Path,
    policy: str | None = None,
    policies: Sequence[str] | None = None,
    *,
    expectations: bool = False,
    conclusions: bool = True,
) -> Resolved:
    """Read ``file`` and resolve its policies; raises InputError on bad input.

    ``policies`` (``--policies``) names every policy, in order (``all``: see
    :func:`forcecheck.load.library.every_policy`); else ``policy``
    (``--policy``) names the one; else the scenario's own ``policy:``, or every layer that
    bound its agency on its date. Unless overridden, the file's ``expect:`` block
    (``expectations``) and stated conclusions (``conclusions``) are checked against the main
    policy: they are written for it, and under another one its rule ids may not exist.
    """
    if policy is not None and "," in policy:
        raise UnknownPolicyError(
            f"--policy names one policy, not a list ('{policy}')",
            help=f"to see the scenario under several policies side by side, run `forcecheck "
            f"compare {file} --policies {policy}`",
        )
    library = scenario_library(file, active())
    scenario = load_scenario_cached(file, library.vocabulary)
    if policies is not None:
        chosen = tuple(named_policies(scenario, policies, library))
        return Resolved(scenario, chosen, overridden=True)
    layers = tuple(scenario_layers(scenario, library, policy))
    gap = None
    spec = scenario.spec
    if policy is None and spec.policy is None and spec.date and spec.agency:
        gap = state_law_gap(library, spec.place, layers)
    if policy is None:
        if expectations:
            from forcecheck.checks.expect import validate_expectations

            validate_expectations(scenario, layers[0].policy)
        if conclusions:
            from forcecheck.analysis import validate_conclusions

            validate_conclusions(scenario, layers[0].policy)
    return Resolved(scenario, layers, overridden=policy is not None, state_law=gap)


def resolve_policy(ref: str | None = None) -> Policy:
    """A policy by id or path (default: the default policy), without a scenario."""
    library = active()
    return policy_from_ref(ref or default_policy_id(library), library)


def binding_state(scenario: Scenario, policy: Policy) -> tuple[str, str | None]:
    """Whether ``policy`` bound the incident on its date and agency, and why not.

    ``yes``, ``no``, ``may`` (a date range covers the day) or ``unknown`` (no date), with
    the reason for ``no``: ``does not bind ICE``, ``not in force on 2025-09-12``.
    """
    spec = scenario.spec
    agencies = {a.upper() for a in policy.spec.agencies}
    if spec.agency is not None and spec.agency.upper() not in agencies and "ALL" not in agencies:
        return "no", f"does not bind {spec.agency}"
    if spec.date is None:
        return "unknown", None
    found = in_force(policy.spec.effective, policy.spec.superseded, spec.date)
    if isinstance(found, Uncertainty):
        return "may", None
    return ("yes", None) if found else ("no", f"not in force on {spec.date.isoformat()}")
