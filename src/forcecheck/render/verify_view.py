"""``forcecheck verify``: verdicts as a table or JSON, counterexamples as scenario files."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from forcecheck.checks.verify import PolicyVerification, ProofResult, PropertyResult
from forcecheck.render.grid import grid
from forcecheck.render.yaml_text import yaml_scalar

#: A policy's verification and how a scenario should name the policy (id or path).
Verified = tuple[PolicyVerification, str]


def counterexample_yaml(verification: PolicyVerification, result: PropertyResult, ref: str) -> str:
    """A ready-to-run minimal-form scenario showing the violation, with comments saying how."""
    example = result.counterexample
    assert example is not None
    kind = "built-in property" if result.builtin else "property"
    lines = [f"# Counterexample to {kind} '{result.id}' of policy {verification.policy.id}:"]
    lines += textwrap.wrap(result.statement, 86, initial_indent="#   ", subsequent_indent="#   ")
    claim = result.claim + (f", given {result.premise}" if result.premise else "")
    lines += textwrap.wrap(f"claim: {claim}", 86, initial_indent="#   ", subsequent_indent="#     ")
    lines += textwrap.wrap(
        f"here: {example.note}", 86, initial_indent="#   ", subsequent_indent="#     "
    )
    lines.append(
        f"# {example.fixed} fact(s) fixed, the fewest that break it; facts not listed are "
        "not addressed (unknown)."
    )
    lines.append("# Save this as a file and run: forcecheck evaluate FILE")
    lines.append(f"policy: {yaml_scalar(ref)}")
    if example.facts:
        lines.append("facts:")
        lines += [f"  {fact}: {value}" for fact, value in example.facts.items()]
    else:
        lines.append("facts: {}")
    return "\n".join(lines) + "\n"


def _claim(result: PropertyResult) -> str:
    return f"given {result.premise}: {result.claim}" if result.premise else result.claim


def render_verification(verified: Sequence[Verified], table_format: str) -> str:
    """A table of verdicts, then each counterexample, then a summary line."""
    rows = [
        [verification.policy.id, result.id, result.verdict, _claim(result)]
        for verification, _ in verified
        for result in verification.results
    ]
    text = grid(
        rows, ["policy", "property", "verdict", "claim"], table_format, [None, None, None, 56]
    )
    parts = [text + "\n"]
    for verification, ref in verified:
        for result in verification.failed:
            if result.verdict is ProofResult.VACUOUS:
                parts.append(
                    f"\n{verification.policy.id}: property '{result.id}' is vacuous: no "
                    f"possible fact values satisfy its `given` ({result.premise}), so it "
                    "promises nothing. Check the facts and conditions it fixes.\n"
                )
            else:
                parts.append("\n" + counterexample_yaml(verification, result, ref))
    parts.append("\n" + summary(verified) + "\n")
    return "".join(parts)


def summary(verified: Sequence[Verified]) -> str:
    """``N properties: N proved, N violated, N vacuous``."""
    results = [r for verification, _ in verified for r in verification.results]
    counts = {verdict: sum(r.verdict is verdict for r in results) for verdict in ProofResult}
    policies = "1 policy" if len(verified) == 1 else f"{len(verified)} policies"
    return f"{len(results)} properties of {policies}: " + ", ".join(
        f"{counts[v]} {v}" for v in ProofResult if counts[v] or v is not ProofResult.VACUOUS
    )


def verification_json(verified: Sequence[Verified]) -> dict[str, Any]:
    """Everything verify found, as plain data."""
    policies = []
    for verification, ref in verified:
        properties = []
        for result in verification.results:
            example = result.counterexample
            properties.append(
                {
                    "id": result.id,
                    "builtin": result.builtin,
                    "statement": result.statement,
                    "given": result.premise or None,
                    "claim": result.claim,
                    "verdict": str(result.verdict),
                    "citation": result.citation.as_dict() if result.citation else None,
                    "counterexample": None
                    if example is None
                    else {
                        "facts": {fact: str(value) for fact, value in example.facts.items()},
                        "rule": example.rule,
                        "status": str(example.status),
                        "note": example.note,
                        "scenario": counterexample_yaml(verification, result, ref),
                    },
                }
            )
        policies.append({"id": verification.policy.id, "policy": ref, "properties": properties})
    results = [r for verification, _ in verified for r in verification.results]
    counts = {str(v): sum(r.verdict is v for r in results) for v in ProofResult}
    return {"policies": policies, "summary": counts}


def render_verification_json(verified: Sequence[Verified]) -> str:
    """The JSON report."""
    return json.dumps(verification_json(verified), indent=2, ensure_ascii=False) + "\n"
