"""The commands about policies themselves: ``policies``, ``explain``, ``lint``, ``verify``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from forcecheck.app.resolution import resolve_policy
from forcecheck.engine.explain import Evaluation, evaluate
from forcecheck.errors import MissingReferenceError, did_you_mean
from forcecheck.load.library import looks_like_path, policy_from_ref, shipped
from forcecheck.model.logic import Value
from forcecheck.model.policy import Policy

if TYPE_CHECKING:
    from forcecheck.checks.lint import Diagnostic
    from forcecheck.checks.verify import PolicyVerification


def blank_evaluation(policy: Policy) -> Evaluation:
    """What ``policy`` concludes with every fact it tests unknown (``forcecheck new``)."""
    return evaluate(policy, dict.fromkeys(policy.facts_used, Value.UNKNOWN))


def shipped_policies() -> tuple[Policy, ...]:
    """Every shipped policy (``forcecheck policies``)."""
    return shipped().policies()


def policy_rule(rule: str, policy: str) -> Policy:
    """The policy ``policy`` (id or path), checked to have ``rule`` (``forcecheck explain``)."""
    chosen = resolve_policy(policy)
    if rule not in chosen.rules:
        raise MissingReferenceError(
            f"policy '{chosen.id}' has no rule '{rule}'",
            help=did_you_mean(rule, chosen.rules) or "rules: " + ", ".join(chosen.rules),
        )
    return chosen


def lint_report(paths: Sequence[Path] | None) -> list[Diagnostic]:
    """Every problem in ``paths`` (default: the shipped policies), in order."""
    from forcecheck.checks.lint import lint_paths

    library = shipped()
    return lint_paths(list(paths) if paths else [library.directory], library)


def verify_report(refs: Sequence[str] | None) -> list[tuple[PolicyVerification, str]]:
    """Each policy's verification (default: every shipped policy), with the name to show."""
    from forcecheck.checks.verify import verify_policy

    library = shipped()
    verified = []
    for ref in refs or library.ids():
        policy = policy_from_ref(ref, library)
        # A counterexample must name the very policy it breaks: a file by its full path.
        shown = str(Path(ref).resolve()) if looks_like_path(ref) else policy.id
        verified.append((verify_policy(policy), shown))
    return verified
