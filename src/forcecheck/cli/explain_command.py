"""``forcecheck explain``: a rule as a tree, each part with its citation."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from forcecheck.cli.application import guard


def explain(
    rule: Annotated[str, typer.Argument(help="A rule id, e.g. moving_vehicle_rule.")],
    policy: Annotated[
        str, typer.Option("--policy", "-p", help="Policy id or path to a policy file.")
    ] = "dhs-2023",
) -> None:
    """Print a rule as a tree: each part with its citation and quote, the policy read back."""
    with guard():
        from forcecheck.app.library_report import policy_rule
        from forcecheck.render.explain_view import render_explain

        sys.stdout.write(render_explain(policy_rule(rule, policy), rule))
