"""The commands about policies themselves: ``policies``, ``explain``, ``lint``, ``verify``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from forcecheck.app.resolution import resolve_policy
from forcecheck.engine.explain import Evaluation, evaluate
from forcecheck.errors import MissingReferenceError, did_you_mean
from forcecheck.load.library import active, looks_like_path, policy_from_ref, shipped
from forcecheck.model.logic import Value
from forcecheck.model.policy import Policy

if TYPE_CHECKING:
    from forcecheck.checks.layers import LayerCheck
    from forcecheck.checks.lint import Diagnostic
    from forcecheck.checks.verify import PolicyVerification


def blank_evaluation(policy: Policy) -> Evaluation:
    """What ``policy`` concludes with every fact it tests unknown (``forcecheck new``)."""
    return evaluate(policy, dict.fromkeys(policy.facts_used, Value.UNKNOWN))


def library_policies() -> tuple[Policy, ...]:
    """Every policy of the active library (``forcecheck policies``)."""
    return active().policies()


def policy_rule(rule: str, policy: str | None) -> Policy:
    """The policy ``policy`` (id or path), checked to have ``rule`` (``forcecheck explain``)."""
    chosen = resolve_policy(policy)
    if rule not in chosen.rules:
        raise MissingReferenceError(
            f"policy '{chosen.id}' has no rule '{rule}'",
            help=did_you_mean(rule, chosen.rules) or "rules: " + ", ".join(chosen.rules),
        )
    return chosen


def lint_report(paths: Sequence[Path] | None) -> list[Diagnostic]:
    """Every problem in ``paths`` (default: the active library's policies), in order."""
    from forcecheck.checks.lint import lint_paths

    library = active()
    return lint_paths(list(paths) if paths else [library.directory], library)


def verify_report(refs: Sequence[str] | None) -> list[tuple[PolicyVerification, str]]:
    """Each policy's verification (default: every policy of the active library), with names."""
    from forcecheck.checks.verify import verify_policy

    return [(verify_policy(policy), shown) for policy, shown in _verified_policies(refs)]


def layers_report(refs: Sequence[str] | None) -> list[tuple[LayerCheck, str, str]]:
    """Each policy against every floor that can bind with it, with the names to show.

    The floors are the policies named (default: every policy of the active library) and the
    shipped library's own floors: a policy of one's own is checked against the Constitution
    and the regulation shipped with forcecheck, unless a floor of the same id is named.
    """
    from forcecheck.checks.layers import FLOOR_LAYERS, check_layers, layer_pairs

    named = _verified_policies(refs)
    # By identity: two files may share an id (a user's copy of a shipped policy).
    shown = {id(policy): name for policy, name in named}
    ids = {policy.id for policy, _ in named}
    floors = [policy for policy, _ in named]
    floors += [p for p in shipped().policies() if p.spec.layer in FLOOR_LAYERS and p.id not in ids]
    return [
        (check, shown[id(policy)], shown.get(id(floor), floor.id))
        for policy, floor in layer_pairs([policy for policy, _ in named], floors)
        for check in check_layers(policy, floor)
    ]


def _verified_policies(refs: Sequence[str] | None) -> list[tuple[Policy, str]]:
    """The policies named (default: every policy of the active library), with names to show."""
    library = active()
    found = []
    for ref in refs or library.ids():
        policy = policy_from_ref(ref, library)
        # A counterexample must name the very policy it breaks: a file by its full path.
        found.append((policy, str(Path(ref).resolve()) if looks_like_path(ref) else policy.id))
    return found
