"""``forcecheck explain``: a rule as a tree, each part with its citation."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from forcecheck.cli.application import guard


def explain(
    rule: Annotated[str, typer.Argument(help="A rule id, e.g. moving_vehicle_rule.")],
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy id or path to a policy file (default: dhs-2023; in a policy "
            "directory without it, its only policy).",
        ),
    ] = None,
) -> None:
    """Print a rule as a tree: each part with its citation and quote, the policy read back."""
    with guard():
        from forcecheck.app.library_report import policy_rule
        from forcecheck.render.explain_view import render_explain

        sys.stdout.write(render_explain(policy_rule(rule, policy), rule))
