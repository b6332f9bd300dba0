"""``forcecheck policies``: the library at a glance."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from forcecheck.model.policy import Policy
from forcecheck.render.grid import grid


def policy_summary(policy: Policy) -> dict[str, Any]:
    """One policy's dates, scope and citation counts."""
    spec = policy.spec
    citations = [rule.citation for rule in policy.rules.values()]
    return {
        "id": spec.id,
        "document": spec.document,
        "title": spec.title,
        "issuer": spec.issuer,
        "layer": spec.layer,
        "agencies": list(spec.agencies),
        "effective": spec.effective.isoformat(),
        "superseded": spec.superseded.isoformat() if spec.superseded else None,
        "rules": len(policy.rules),
        "verbatim": sum(c.wording == "verbatim" for c in citations),
        "secondary": sum(c.wording == "secondary" for c in citations),
        "interpretations": sum(r.interpretation is not None for r in policy.rules.values()),
    }


def render_policies(policies: Iterable[Policy], fmt: str) -> str:
    """A table of the policies."""
    rows = []
    for policy in policies:
        s = policy_summary(policy)
        rows.append(
            [
                s["id"],
                s["document"],
                s["layer"],
                ", ".join(s["agencies"]),
                s["effective"],
                s["superseded"] or "in force",
                s["rules"],
                s["verbatim"],
                s["secondary"],
            ]
        )
    headers = [
        "id",
        "document",
        "layer",
        "binds",
        "effective",
        "superseded",
        "rules",
        "verbatim",
        "secondary",
    ]
    return grid(rows, headers, fmt, [None, 40]) + "\n"


def render_policies_json(policies: Iterable[Policy]) -> str:
    """The policies as JSON."""
    return json.dumps([policy_summary(p) for p in policies], indent=2) + "\n"
