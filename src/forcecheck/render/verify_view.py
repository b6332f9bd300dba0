"""``forcecheck verify``: verdicts as a table or JSON, counterexamples as scenario files.

Beside each policy's properties, the check across layers: each policy against every floor
that can bind with it (``checks/layers.py``), with a scenario for each fact set found.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from forcecheck.checks.layers import LayerCheck, LayerResult
from forcecheck.checks.verify import PolicyVerification, ProofResult, PropertyResult
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.render.grid import grid
from forcecheck.render.yaml_text import yaml_scalar

#: A policy's verification and how a scenario should name the policy (id or path).
Verified = tuple[PolicyVerification, str]
#: A policy against a floor, and how a scenario should name each (id or path).
LayerShown = tuple[LayerCheck, str, str]


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
    if result.reading is not None:
        rule, _, reading = result.reading.partition(".")
        lines += textwrap.wrap(
            f"under reading '{reading}' of rule {rule} (the other rules at their default "
            "reading); `forcecheck evaluate FILE` shows the outcome under every reading",
            86,
            initial_indent="#   ",
            subsequent_indent="#     ",
        )
    lines.append(
        f"# {example.fixed} fact(s) fixed, the fewest that break it; facts not listed are "
        "not addressed (unknown)."
    )
    lines.append("# Save this as a file and run: forcecheck evaluate FILE")
    return "\n".join([*lines, *_scenario_lines(ref, example.facts)]) + "\n"


def _scenario_lines(ref: str, facts: Mapping[str, Value]) -> list[str]:
    """A counterexample as the minimal scenario form: the policy, then the facts it fixes."""
    lines = [f"policy: {yaml_scalar(ref)}"]
    if not facts:
        return [*lines, "facts: {}"]
    return [*lines, "facts:", *(f"  {fact}: {value}" for fact, value in facts.items())]


def _verdict(result: PropertyResult) -> str:
    """The verdict, and the reading it was reached under when that is not the default."""
    if result.reading is not None:
        return f"{result.verdict} under {result.reading}"
    if result.readings and result.verdict is ProofResult.PROVED:
        count = len(result.readings)
        return f"{result.verdict} ({count} reading{'s' if count > 1 else ''})"
    return str(result.verdict)


def _claim(result: PropertyResult) -> str:
    return f"given {result.premise}: {result.claim}" if result.premise else result.claim


def render_verification(
    verified: Sequence[Verified], table_format: str, layers: Sequence[LayerShown] = ()
) -> str:
    """A table of verdicts and each counterexample; the same across layers; a summary line."""
    rows = [
        [verification.policy.id, result.id, _verdict(result), _claim(result)]
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
    if layers:
        parts.append("\n" + render_layers(layers, table_format))
    # Last, as always: the line that says whether verify passed.
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


# ---------------------------------------------------------------- across layers


def _named(policy_id: str, layer: str, reading: str | None) -> str:
    return f"{policy_id} ({layer}" + (f", reading {reading})" if reading else ")")


def _binding(check: LayerCheck) -> str:
    """``ICE, 2004-07-07 to 2023-05-26``: whom both can bind, and when."""
    start, end = check.span
    days = f"{start.isoformat()} to {end.isoformat()}" if end else f"from {start.isoformat()}"
    return f"{', '.join(check.agencies)}, {days}"


def _where(result: LayerResult) -> str:
    """What the floor answers, in the words of a sentence."""
    if result.floor_outcome is Outcome.NOT_AUTHORIZED:
        return "does not authorize"
    return f"is {result.floor_outcome}"


def layer_counterexample_yaml(shown: LayerShown, result: LayerResult) -> str:
    """A ready-to-run scenario on which the policy authorizes and the floor does not."""
    check, ref, floor_ref = shown
    example = result.counterexample
    assert example is not None
    policy, floor = check.policy, check.floor

    def wrap(text: str) -> list[str]:
        return textwrap.wrap(
            text, 86, initial_indent="#   ", subsequent_indent="#     ", break_on_hyphens=False
        )

    lines = [f"# Across layers: {policy.id} authorizes where {floor.id} {_where(result)}:"]
    lines += wrap(
        f"{_named(policy.id, policy.spec.layer, check.reading)} against "
        f"{_named(floor.id, floor.spec.layer, check.floor_reading)}; both can bind "
        f"{_binding(check)}."
    )
    lines += wrap(f"here: {example.note}")
    lines += wrap(
        f"Either {policy.id}'s own words are looser than the floor here (a point for "
        "readers), or an encoding is (a rule, or an exclusion the vocabulary lacks)."
    )
    lines.append(
        f"# {example.fixed} fact(s) fixed, the fewest that show it; facts not listed are "
        "not addressed (unknown)."
    )
    lines.append(
        f"# Save this as a file and run: forcecheck compare FILE --policies {ref},{floor_ref}"
    )
    return "\n".join([*lines, *_scenario_lines(ref, example.facts)]) + "\n"


def render_layers(layers: Sequence[LayerShown], table_format: str) -> str:
    """The check across layers: a table of pairs, what was found under it, a summary."""
    rows = []
    for check, _, _ in layers:
        cells = [
            f"looser ({r.counterexample.fixed} facts)" if r.counterexample else "never"
            for r in check.results
        ]
        rows.append(
            [
                _named(check.policy.id, check.policy.spec.layer, check.reading),
                _named(check.floor.id, check.floor.spec.layer, check.floor_reading),
                _binding(check),
                *cells,
            ]
        )
    headers = [
        "policy",
        "floor",
        "can bind together",
        *(f"floor {outcome}" for outcome in _floor_outcomes(layers)),
    ]
    parts = [
        "Across layers: where a policy authorizes, can a floor that binds with it not authorize\n"
        "(floor not_authorized: below the floor) or not tell (floor undetermined)?\n\n",
        grid(rows, headers, table_format, [None, 22, 24, 17, 17]) + "\n",
    ]
    # Below the floor: a scenario to run. Undetermined (common, and weaker): one line each;
    # the JSON report has its scenario too.
    for shown in layers:
        for result in shown[0].results:
            if (
                result.counterexample is not None
                and result.floor_outcome is not Outcome.UNDETERMINED
            ):
                parts.append("\n" + layer_counterexample_yaml(shown, result))
    lines = [_undetermined_line(check, r) for check, _, _ in layers for r in check.results]
    if any(lines):
        parts.append("\n" + "".join(line for line in lines if line))
    parts.append("\n" + layers_summary(layers) + "\n")
    return "".join(parts)


def _undetermined_line(check: LayerCheck, result: LayerResult) -> str:
    """``a authorizes where b is undetermined, on: f=true, g=false (2 facts, the rest unknown)``."""
    example = result.counterexample
    if example is None or result.floor_outcome is not Outcome.UNDETERMINED:
        return ""
    facts = ", ".join(f"{fact}={value}" for fact, value in example.facts.items())
    text = (
        f"{check.policy.id} authorizes where {check.floor.id} is {result.floor_outcome}, on: "
        f"{facts or 'no facts'} ({example.fixed} fact(s) fixed, the rest not addressed)"
    )
    return "\n".join(textwrap.wrap(text, 92, subsequent_indent="  ", break_on_hyphens=False)) + "\n"


def _floor_outcomes(layers: Sequence[LayerShown]) -> tuple[Outcome, ...]:
    return tuple(result.floor_outcome for result in layers[0][0].results)


def _counts(layers: Sequence[LayerShown]) -> tuple[int, int]:
    """How many pairs fall below the floor, and how many authorize where it is undetermined."""
    checks = [check for check, _, _ in layers]
    return (
        sum(check.below for check in checks),
        sum(check.looser_where(Outcome.UNDETERMINED) for check in checks),
    )


def layers_summary(layers: Sequence[LayerShown]) -> str:
    """``N policies and floors across layers: N below the floor, N ...``."""
    below, undetermined = _counts(layers)
    pairs = "1 policy and floor" if len(layers) == 1 else f"{len(layers)} policies and floors"
    return (
        f"{pairs} across layers: {below} below the floor, {undetermined} authorizing where "
        "it is undetermined\n(reported, not failed; --strict-layers fails below the floor)"
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
                    # The reading a verdict other than proved was reached under (null: the
                    # default), and every reading decided: additive keys.
                    "reading": result.reading,
                    "readings": list(result.readings),
                    "citation": result.citation.as_dict() if result.citation else None,
                    "counterexample": None
                    if example is None
                    else {
                        "facts": {fact: str(value) for fact, value in example.facts.items()},
                        "rule": example.rule,
                        "status": str(example.status),
                        "note": example.note,
                        # Additive: what the status turns on, outermost first.
                        "through": [
                            {"name": name, "status": state} for name, state in example.through
                        ],
                        # Additive: the rules through which the property's fixed facts and
                        # conditions reach its rule, outermost first.
                        "via": [{"name": name, "status": state} for name, state in example.via],
                        "scenario": counterexample_yaml(verification, result, ref),
                    },
                }
            )
        policies.append({"id": verification.policy.id, "policy": ref, "properties": properties})
    results = [r for verification, _ in verified for r in verification.results]
    counts = {str(v): sum(r.verdict is v for r in results) for v in ProofResult}
    return {"policies": policies, "summary": counts}


def layers_json(layers: Sequence[LayerShown]) -> dict[str, Any]:
    """The check across layers, as plain data: ``layers`` and ``layers_summary``."""
    pairs = []
    for shown in layers:
        check, ref, floor_ref = shown
        results = []
        for result in check.results:
            example = result.counterexample
            results.append(
                {
                    "floor_outcome": str(result.floor_outcome),
                    "looser": result.looser,
                    "counterexample": None
                    if example is None
                    else {
                        "facts": {fact: str(value) for fact, value in example.facts.items()},
                        "status": str(example.status),
                        "floor_status": str(example.floor_status),
                        "note": example.note,
                        # Additive: the floor's rules and facts that decided it, outermost first.
                        "floor_through": [
                            {"name": name, "status": state} for name, state in example.floor_through
                        ],
                        "scenario": layer_counterexample_yaml(shown, result),
                    },
                }
            )
        start, end = check.span
        pairs.append(
            {
                "policy": _layer_policy_json(check.policy, ref, check.reading),
                "floor": _layer_policy_json(check.floor, floor_ref, check.floor_reading),
                "agencies": list(check.agencies),
                "from": start.isoformat(),
                "to": end.isoformat() if end else None,
                "results": results,
            }
        )
    below, undetermined = _counts(layers)
    return {
        "layers": pairs,
        "layers_summary": {"pairs": len(layers), "below": below, "undetermined": undetermined},
    }


def _layer_policy_json(policy: Policy, ref: str, reading: str | None) -> dict[str, Any]:
    return {"id": policy.id, "policy": ref, "layer": policy.spec.layer, "reading": reading}


def render_verification_json(
    verified: Sequence[Verified], layers: Sequence[LayerShown] = ()
) -> str:
    """The JSON report: the properties, then the check across layers."""
    report = {**verification_json(verified), **layers_json(layers)}
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
