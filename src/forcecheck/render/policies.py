"""``forcecheck policies``: the library at a glance."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from forcecheck.model.policy import Policy
from forcecheck.render.dates_text import date_json, date_text, range_json
from forcecheck.render.grid import grid


def policy_summary(policy: Policy) -> dict[str, Any]:
    """One policy's dates, scope and citation counts."""
    spec = policy.spec
    # Its own rules: those copied from a policy it reads are counted in that policy's row.
    own = [policy.rules[rule_id] for rule_id in policy.own_rules]
    citations = [rule.citation for rule in own]
    return {
        "id": spec.id,
        "document": spec.document,
        "title": spec.title,
        "issuer": spec.issuer,
        "layer": spec.layer,
        "agencies": list(spec.agencies),
        # Additive: a state law's state, as a scenario's place names it.
        "places": list(spec.places),
        # For a range: the widest span it may have been in force; the range beside.
        "effective": date_json(spec.effective, widest="earliest"),
        "superseded": date_json(spec.superseded, widest="latest"),
        "effective_range": range_json(spec.effective),
        "superseded_range": range_json(spec.superseded),
        "rules": len(own),
        "verbatim": sum(c.wording == "verbatim" for c in citations),
        "secondary": sum(c.wording == "secondary" for c in citations),
        "interpretations": sum(r.interpretation is not None for r in own),
        # Additive: the alternative readings its rules declare, as `rule.reading`.
        "readings": [f"{rule.id}.{reading.name}" for rule in own for reading in rule.readings],
    }


def render_policies(policies: Iterable[Policy], fmt: str) -> str:
    """A table of the policies."""
    rows = []
    for policy in policies:
        s = policy_summary(policy)
        spec = policy.spec
        rows.append(
            [
                s["id"],
                s["document"],
                s["layer"],
                ", ".join(s["agencies"])
                + (f" in {', '.join(s['places'])}" if s["places"] else "")
                + (" (beside a state's law)" if spec.layer == "immunity" else ""),
                date_text(spec.effective),
                date_text(spec.superseded),
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
