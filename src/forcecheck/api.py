"""forcecheck's public Python API: load a policy, evaluate facts or a scenario, read the result.

Re-exported from :mod:`forcecheck` (``forcecheck.evaluate``…) and documented in
docs/api.md, whose examples the test suite runs. Everything here is a thin, typed layer over
the same functions the commands use, so the API and the command line never disagree:

- a policy or scenario may be given loaded, or as an id or a path, and is then loaded;
- policy ids are looked up in the same library as the commands' (``policies_dir``, else
  ``FORCECHECK_POLICIES``, else ``forcecheck_policies`` in pytest's configuration file, else
  the shipped policies; see docs/testing.md);
- bad input raises :class:`forcecheck.errors.InputError` (an unknown fact,
  :class:`~forcecheck.errors.UnknownFactError`, with a did-you-mean), never a bare
  ``KeyError`` or ``AttributeError``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeAlias

from forcecheck.engine.evaluation import ScenarioResult, evaluate_layers
from forcecheck.engine.explain import Evaluation
from forcecheck.errors import SchemaError
from forcecheck.load.library import (
    Library,
    active,
    default_policy_id,
    library_at,
    policy_from_ref,
)
from forcecheck.load.project_settings import PolicyHome
from forcecheck.model.logic import Value
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario

#: A policy: loaded, or named by id (``"dhs-2023"``) or by the path of its file.
PolicyLike: TypeAlias = Policy | str | os.PathLike[str]
#: A scenario: loaded, or the path of its file.
ScenarioLike: TypeAlias = Scenario | str | os.PathLike[str]
#: A fact's value: ``True``, ``False``, ``"unknown"`` (or ``"true"``/``"false"``), a
#: :class:`~forcecheck.model.logic.Value`, or ``None`` for "not addressed" (left out).
FactValue: TypeAlias = bool | str | Value | None
#: A directory of policies with their ``facts.yaml``.
DirLike: TypeAlias = str | os.PathLike[str]

_WORDS = {"true": Value.TRUE, "false": Value.FALSE, "unknown": Value.UNKNOWN}


def library(policies_dir: DirLike | None = None) -> Library:
    """The policy library: ``policies_dir``, else the one the commands would use here."""
    if policies_dir is None:
        return active()
    return library_at(PolicyHome(Path(policies_dir), "policies_dir"))


def load_policy(policy: PolicyLike, *, policies_dir: DirLike | None = None) -> Policy:
    """A policy by id (in :func:`library`) or by path; a loaded policy is returned as is.

    A policy file uses the ``facts.yaml`` beside it when it has one. Raises
    :class:`~forcecheck.errors.UnknownPolicyError` (with a did-you-mean) for an unknown id.
    """
    if isinstance(policy, Policy):
        return policy
    return policy_from_ref(os.fspath(policy), library(policies_dir))


def load_scenario(scenario: ScenarioLike, *, policies_dir: DirLike | None = None) -> Scenario:
    """A scenario file, validated against the library's vocabulary (as ``evaluate`` reads it)."""
    if isinstance(scenario, Scenario):
        return scenario
    from forcecheck.load.cache import load_scenario_cached

    return load_scenario_cached(Path(os.fspath(scenario)), library(policies_dir).vocabulary)


def fact_values(facts: Mapping[str, FactValue]) -> dict[str, Value]:
    """``facts`` as :class:`~forcecheck.model.logic.Value` s; ``None`` values are left out."""
    found: dict[str, Value] = {}
    for fact_id, value in facts.items():
        if value is None:
            continue
        if isinstance(value, Value):
            found[fact_id] = value
        elif isinstance(value, bool):
            found[fact_id] = Value.TRUE if value else Value.FALSE
        elif isinstance(value, str) and value.strip().lower() in _WORDS:
            found[fact_id] = _WORDS[value.strip().lower()]
        else:
            raise SchemaError(
                f"fact '{fact_id}': a fact value must be true, false or unknown, not {value!r}",
                help="give True, False, 'unknown', a forcecheck.Value, or None (not addressed)",
            )
    return found


def evaluate(
    policy: PolicyLike,
    facts: Mapping[str, FactValue],
    *,
    policies_dir: DirLike | None = None,
) -> Evaluation:
    """Every rule of ``policy`` evaluated on one fact set; facts left out are unknown.

    ``policy`` may be an id or a path (it is loaded, see :func:`load_policy`). An undeclared
    fact raises :class:`~forcecheck.errors.UnknownFactError` with a suggestion.
    """
    from forcecheck.engine.explain import evaluate as explain

    return explain(load_policy(policy, policies_dir=policies_dir), fact_values(facts))


def evaluate_scenario(
    scenario: ScenarioLike,
    policy: PolicyLike | None = None,
    *,
    account: str | None = None,
    policies_dir: DirLike | None = None,
) -> ScenarioResult:
    """A scenario evaluated account by account, as ``forcecheck evaluate`` does.

    Without ``policy``, the scenario's own ``policy:``, or every policy that bound its
    agency on its date (the most specific first; the others in ``result.layers``).
    ``account`` keeps one account.
    """
    from forcecheck.load.library import scenario_layers

    chosen = library(policies_dir)
    loaded = load_scenario(scenario, policies_dir=policies_dir)
    if policy is not None:
        policies = [load_policy(policy, policies_dir=policies_dir)]
        return evaluate_layers(loaded, policies, account, [None])
    bindings = scenario_layers(loaded, chosen)
    # As `forcecheck evaluate`: what the file states is checked against its own policy's
    # rules first, so a misspelt rule id is a located error, not a KeyError later.
    from forcecheck.analysis import validate_conclusions
    from forcecheck.checks.expect import validate_expectations

    validate_expectations(loaded, bindings[0].policy)
    validate_conclusions(loaded, bindings[0].policy)
    return evaluate_layers(
        loaded, [b.policy for b in bindings], account, [b.uncertain for b in bindings]
    )


def report(
    scenario: ScenarioLike,
    policy: PolicyLike | None = None,
    *,
    account: str | None = None,
    policies_dir: DirLike | None = None,
) -> dict[str, Any]:
    """The report of ``forcecheck evaluate FILE --format json``, as plain data.

    Keys and values are those of the JSON report (``schema_version`` says which); see
    docs/reporting.md. Only plain types: dicts, lists, strings, numbers, booleans, None.
    """
    from forcecheck.app.evaluate_report import build_evaluation_report
    from forcecheck.render.json_report import report_json

    result = evaluate_scenario(scenario, policy, account=account, policies_dir=policies_dir)
    return report_json(build_evaluation_report(result))


def default_policy(*, policies_dir: DirLike | None = None) -> Policy:
    """The policy used when nothing names one (``dhs-2023``, or a library's only policy)."""
    chosen = library(policies_dir)
    return chosen.get(default_policy_id(chosen))
