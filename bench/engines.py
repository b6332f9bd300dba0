"""The same decision in general-purpose rule engines, generated from a forcecheck policy.

Each engine gets the policy's decision as two two-valued conditions, as a careful author
would write three-valued logic in a two-valued language: *met* (the decision holds) and
*unmet* (it fails); neither means undetermined. A fact is met when it is ``true`` and
unmet when it is ``false``; Kleene's ``all`` is met when every part is met and unmet when
any part is unmet, and so on (see docs/policy-language.md). Rules are inlined where they
are used. The benchmark checks every engine against forcecheck on every input it times.

Each ``make_*`` function returns ``(prepare, decide)``: ``prepare`` turns one input (a dict
of fact id to ``True``, ``False`` or ``None``, absent facts unknown) into the engine's own
input form, outside the timed loop; ``decide`` gives ``authorized``, ``not_authorized`` or
``undetermined``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from forcecheck.model.policy import Policy
from forcecheck.model.semantics import TwoRail, program_of, run

Formula = tuple[Any, ...]  # ("and", [...]) | ("or", [...]) | ("is", fact, True/False)
Engine = tuple[Callable[[dict[str, Any]], Any], Callable[[Any], str]]
AUTHORIZED, NOT_AUTHORIZED, UNDETERMINED = "authorized", "not_authorized", "undetermined"


def met_unmet(policy: Policy) -> tuple[Formula, Formula]:
    """The decision's *met* and *unmet* conditions as two-valued formulas over facts.

    Built by the one semantics (the two-rail form over formulas), so every combinator the
    rule language has is translated.
    """
    program = program_of(policy)
    formulas = TwoRail[Formula](
        lambda parts: ("and", list(parts)), lambda parts: ("or", list(parts))
    )
    values = run(
        program,
        formulas,
        lambda i: (("is", program.facts[i], True), ("is", program.facts[i], False)),
    )
    met, unmet = values[program.roots[program.rule_index[policy.spec.decision]]]
    return met, unmet


def decision_facts(policy: Policy) -> list[str]:
    """The facts the decision depends on, in vocabulary order."""
    used = {f for rule_id in policy.conditions for f in policy.rules[rule_id].facts}
    return [fact for fact in policy.vocabulary.ids if fact in used]


def _infix(formula: Formula, leaf: Callable[[str, bool], str], ops: tuple[str, str]) -> str:
    if formula[0] == "is":
        return leaf(formula[1], formula[2])
    joiner = ops[0] if formula[0] == "and" else ops[1]
    return "(" + joiner.join(_infix(part, leaf, ops) for part in formula[1]) + ")"


def _outcome(met: bool, unmet: bool) -> str:
    return AUTHORIZED if met else NOT_AUTHORIZED if unmet else UNDETERMINED


# ---------------------------------------------------------------- rule-engine


def make_rule_engine(policy: Policy) -> Engine:
    """rule-engine: two Rule objects over a dict holding every fact (null for unknown)."""
    import rule_engine

    met, unmet = met_unmet(policy)

    def leaf(fact: str, value: bool) -> str:
        return f"{fact} == {'true' if value else 'false'}"

    met_rule = rule_engine.Rule(_infix(met, leaf, (" and ", " or ")))
    unmet_rule = rule_engine.Rule(_infix(unmet, leaf, (" and ", " or ")))
    facts = decision_facts(policy)

    def prepare(values: dict[str, Any]) -> dict[str, Any]:
        return {fact: values.get(fact) for fact in facts}

    def decide(thing: dict[str, Any]) -> str:
        if met_rule.matches(thing):
            return AUTHORIZED
        return NOT_AUTHORIZED if unmet_rule.matches(thing) else UNDETERMINED

    return prepare, decide


# ---------------------------------------------------------------- JsonLogic


def _json_logic(formula: Formula) -> Any:
    if formula[0] == "is":
        return {"===": [{"var": formula[1]}, formula[2]]}
    return {formula[0]: [_json_logic(part) for part in formula[1]]}


def make_json_logic(policy: Policy) -> Engine:
    """panzi-json-logic: the two conditions as JsonLogic, strict equality on each fact."""
    from json_logic import jsonLogic

    met, unmet = (_json_logic(f) for f in met_unmet(policy))

    def decide(data: dict[str, Any]) -> str:
        if jsonLogic(met, data):
            return AUTHORIZED
        return NOT_AUTHORIZED if jsonLogic(unmet, data) else UNDETERMINED

    return dict, decide


# ---------------------------------------------------------------- Cedar


def make_cedar(policy: Policy) -> Engine:
    """cedarpy: two permit policies (met, unmet) over the request context."""
    import cedarpy

    met, unmet = met_unmet(policy)

    def leaf(fact: str, value: bool) -> str:
        return f"context.{fact} == {'true' if value else 'false'}"

    text = "\n".join(
        f"permit(principal, action, resource) when {{ {_infix(f, leaf, (' && ', ' || '))} }};"
        for f in (met, unmet)
    )
    policies = cedarpy.PolicySet.from_str(text)
    entities = cedarpy.Entities.from_json_str("[]")
    facts = decision_facts(policy)

    def prepare(values: dict[str, Any]) -> dict[str, Any]:
        # Every fact present (Cedar has no null): "unknown" equals neither true nor false.
        context = {f: values[f] if values.get(f) is not None else "unknown" for f in facts}
        return {
            "principal": 'Officer::"o"',
            "action": 'Action::"discharge"',
            "resource": 'Subject::"s"',
            "context": context,
        }

    def decide(request: dict[str, Any]) -> str:
        reasons = cedarpy.is_authorized(request, policies, entities).diagnostics.reasons
        return _outcome("policy0" in reasons, "policy1" in reasons)

    return prepare, decide


# ---------------------------------------------------------------- OPA Rego


def make_rego(policy: Policy) -> Engine:
    """OPA Rego through regopy (rego-cpp): a rule per formula node, the outcome an else-chain."""
    import regopy

    lines = ["package forcecheck", ""]
    counter = [0]

    def rule(formula: Formula) -> str:
        if formula[0] == "is":
            return f"input.{formula[1]} == {'true' if formula[2] else 'false'}"
        counter[0] += 1
        name = f"n{counter[0]}"
        parts = [rule(part) for part in formula[1]]
        if formula[0] == "and":
            lines.append(f"{name} if {{ {'; '.join(parts)} }}")
        else:
            lines.extend(f"{name} if {{ {part} }}" for part in parts)
        return name

    met, unmet = met_unmet(policy)
    met_name, unmet_name = rule(met), rule(unmet)
    lines.append(
        f'outcome := "{AUTHORIZED}" if {{ {met_name} }} '
        f'else := "{NOT_AUTHORIZED}" if {{ {unmet_name} }} else := "{UNDETERMINED}"'
    )
    interpreter = regopy.Interpreter()
    interpreter.add_module("forcecheck", "\n".join(lines) + "\n")

    def decide(values: dict[str, Any]) -> str:
        interpreter.set_input(values)
        result = json.loads(str(interpreter.query("data.forcecheck.outcome")))
        return str(result["expressions"][0])

    return dict, decide


# ---------------------------------------------------------------- clingo (ASP)


def make_clingo(policy: Policy) -> Engine:
    """clingo: met/unmet derived by rules over external atoms t(F) and f(F), one solve each."""
    import clingo

    met, unmet = met_unmet(policy)
    rules: list[str] = []
    counter = [0]

    def atom(formula: Formula) -> str:
        if formula[0] == "is":
            return f"{'t' if formula[2] else 'f'}({formula[1]})"
        counter[0] += 1
        name = f"n({counter[0]})"
        parts = [atom(part) for part in formula[1]]
        if formula[0] == "and":
            rules.append(f"{name} :- {', '.join(parts)}.")
        else:
            rules.extend(f"{name} :- {part}." for part in parts)
        return name

    rules.append(f"met :- {atom(met)}.")
    rules.append(f"unmet :- {atom(unmet)}.")
    facts = decision_facts(policy)
    rules += [f"#external t({fact}). #external f({fact})." for fact in facts]
    rules.append("#show met/0. #show unmet/0.")
    control = clingo.Control(["--warn=none"])
    control.add("base", [], "\n".join(rules))
    control.ground([("base", [])])
    true_atoms = {fact: clingo.Function("t", [clingo.Function(fact)]) for fact in facts}
    false_atoms = {fact: clingo.Function("f", [clingo.Function(fact)]) for fact in facts}

    def prepare(values: dict[str, Any]) -> list[tuple[Any, bool]]:
        assignment = []
        for fact in facts:
            value = values.get(fact)
            assignment.append((true_atoms[fact], value is True))
            assignment.append((false_atoms[fact], value is False))
        return assignment

    def decide(assignment: list[tuple[Any, bool]]) -> str:
        for symbol, value in assignment:
            control.assign_external(symbol, value)
        shown: list[str] = []
        control.solve(on_model=lambda model: shown.extend(map(str, model.symbols(shown=True))))
        return _outcome("met" in shown, "unmet" in shown)

    return prepare, decide


#: The engines by the name their package installs under, with the PyPI name.
ENGINES: dict[str, tuple[str, Callable[[Policy], Engine]]] = {
    "rule-engine": ("rule_engine", make_rule_engine),
    "panzi-json-logic": ("json_logic", make_json_logic),
    "clingo": ("clingo", make_clingo),
    "cedarpy": ("cedarpy", make_cedar),
    "regopy": ("regopy", make_rego),
}
