"""Proving a policy's properties over every combination of facts (``forcecheck verify``).

Every declared property, and two built-in ones, is decided exactly over all 3**n
true/false/unknown fact sets of the vocabulary's n facts that break no exclusion — not a
sample. The method is symbolic (see encoding.py): the assignments that would break a
property form one BDD; the property is proved when that BDD is empty. Otherwise a
**minimal counterexample** is read off it: a cheapest path, where each fact known costs one,
gives the violating assignment that fixes the fewest facts. Each counterexample is then
re-run through the ordinary engine, so what verify reports is exactly what `evaluate` shows.

The built-in properties hold for every policy written in the rule language, because Kleene's
operators are monotone; they are proved anyway, per policy, so that an extension of the
language (or a bug) that broke them would be caught:

* **monotonicity** — refining one unknown fact to true or false never changes a met or
  unmet status of any rule. Any refinement is a chain of such single steps, and every step
  of the chain is itself a possible assignment (exclusions only forbid *known* values), so
  the single steps are enough.
* **soundness** — a rule that is met (or unmet) with some facts unknown is met (unmet) for
  every refinement of the unknowns (each set true or false). Proved directly against the
  rules' classical meaning, quantifying over the refinements with a third variable per fact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial

from forcecheck.engine.explain import NodeResult, evaluate
from forcecheck.model.citation import Citation
from forcecheck.model.logic import Status, Value
from forcecheck.model.policy import FactRef, Policy, RuleRef
from forcecheck.model.properties import Property
from forcecheck.model.readings import Variant, applies, variants
from forcecheck.symbolic.bdd import BDD, FALSE, TRUE
from forcecheck.symbolic.encoding import (
    Encoding,
    classical_rules,
    classical_valid,
    encode,
    variable_order,
)

MONOTONICITY = "monotonicity"
SOUNDNESS = "soundness"

MONOTONICITY_STATEMENT = (
    "Refining an unknown fact to true or false never changes a met or unmet status, of any "
    "rule: new information never flips met to unmet or back."
)
SOUNDNESS_STATEMENT = (
    "A status that is met or unmet with some facts unknown (the outcome, if it is the "
    "decision) stays the same for every refinement of the unknowns."
)


class ProofResult(StrEnum):
    """What verify found for one property."""

    PROVED = "proved"
    VIOLATED = "violated"
    #: No possible fact values satisfy the property's `given`: it promises nothing.
    VACUOUS = "vacuous"


@dataclass(frozen=True)
class Counterexample:
    """Fact values that break a property, as few fixed as possible."""

    #: The scenario's facts in vocabulary order; facts not listed are not addressed.
    facts: dict[str, Value]
    #: The rule the property is about, and its status on these facts (from the engine).
    rule: str
    status: Status
    #: One sentence saying what goes wrong.
    note: str
    #: The rules and facts that gave ``rule`` its status, outermost first: each decided the
    #: one before it (``(lawful_basis, unknown), (imminent_threat, unknown), ...``).
    through: tuple[tuple[str, str], ...] = ()
    #: The rules through which what the property holds fixed (its ``given`` facts and
    #: conditions) reaches ``rule``, outermost first, with their statuses: where a property
    #: about a fixed fact breaks, one of these rules is wrong (``(no_warning_shot, met)``).
    via: tuple[tuple[str, str], ...] = ()

    @property
    def fixed(self) -> int:
        """How many facts the counterexample fixes to true or false."""
        return sum(value is not Value.UNKNOWN for value in self.facts.values())


@dataclass(frozen=True)
class PropertyResult:
    """The verdict on one property."""

    id: str
    statement: str
    #: The claim in words, e.g. ``deadly_force_authorized is not met``.
    claim: str
    #: What the property holds fixed, in words (empty for none).
    premise: str
    verdict: ProofResult
    builtin: bool = False
    citation: Citation | None = None
    counterexample: Counterexample | None = None
    #: Not proved: the reading it failed under, ``rule.reading`` (None: the default).
    reading: str | None = None
    #: The readings it was decided under, ``default`` and ``rule.reading`` labels, in order;
    #: empty for a policy without readings.
    readings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyVerification:
    """Every property of one policy, decided."""

    policy: Policy
    results: tuple[PropertyResult, ...]

    @property
    def failed(self) -> tuple[PropertyResult, ...]:
        """The properties not proved (violated or vacuous)."""
        return tuple(r for r in self.results if r.verdict is not ProofResult.PROVED)


#: How a result names the policy with every rule at its default reading.
DEFAULT_READING = "default"


def verify_policy(policy: Policy) -> PolicyVerification:
    """Decide every declared property of ``policy``, then the built-in ones.

    A policy whose rules declare readings is decided under each of them (the default, then
    each alternative, one rule read otherwise at a time): a property made under every
    reading (or under the ones its ``under`` names) is proved only when it holds under
    each; the first reading that breaks it is reported with its counterexample.
    """
    readings: list[tuple[Variant | None, Policy]] = [(None, policy)]
    readings += [(variant, variant.policy) for variant in variants(policy)]
    encodings: dict[int, Encoding] = {}
    # One BDD and one variable order for every reading: the readings differ in one rule, so
    # what they share (the valid space, the other rules) is built and cached once.
    shared = BDD()
    order = variable_order(policy)

    def encoding_of(index: int) -> Encoding:
        if index not in encodings:
            encodings[index] = encode(readings[index][1], shared, order)
        return encodings[index]

    def decide(
        check: Callable[[Encoding], PropertyResult], under: tuple[str, ...]
    ) -> PropertyResult:
        decided: list[str] = []
        result: PropertyResult | None = None
        for index, (variant, _) in enumerate(readings):
            if not applies(under, policy, variant):
                continue
            label = variant.label if variant else DEFAULT_READING
            result = check(encoding_of(index))
            decided.append(label)
            if result.verdict is not ProofResult.PROVED:
                result = replace(result, reading=variant.label if variant else None)
                break
        if result is None:  # `under` names readings no variant combines
            raise AssertionError("a property applies under no reading")
        return replace(result, readings=tuple(decided) if len(readings) > 1 else ())

    results = [
        decide(partial(check_property, prop=prop), prop.under)
        for prop in policy.properties.values()
    ]
    results += [decide(check_monotonicity, ()), decide(check_soundness, ())]
    return PolicyVerification(policy, tuple(results))


# ---------------------------------------------------------------- declared properties


def check_property(encoding: Encoding, prop: Property) -> PropertyResult:
    """Prove ``prop`` over every possible assignment, or find a minimal counterexample."""
    bdd = encoding.bdd
    space = bdd.conj(
        [
            encoding.valid,
            *(encoding.fact_is(fact, value) for fact, value in prop.facts.items()),
            *(encoding.status_is(rule, status) for rule, status in prop.conditions.items()),
        ]
    )
    result = PropertyResult(
        id=prop.id,
        statement=prop.statement,
        claim=prop.claim,
        premise=prop.premise,
        verdict=ProofResult.PROVED,
        citation=prop.citation,
    )
    if space == FALSE:
        return replace(result, verdict=ProofResult.VACUOUS)
    allowed = encoding.status_in(prop.rule, prop.relation.allowed(prop.status))
    broken = bdd.and_(space, bdd.neg(allowed))
    path = bdd.min_true_path(broken)
    if path is None:
        return result
    facts = _scenario_facts(encoding, encoding.decode(path), prop.facts)
    status = _engine_status(encoding.policy, facts, prop.rule)
    if prop.holds(status):
        raise AssertionError(f"verify and the engine disagree on {prop.id}: {facts}")
    note = f"{prop.rule} is {status}, but the property says it {prop.relation.words} {prop.status}"
    held = (*prop.facts, *prop.conditions)
    via = premise_path(encoding.policy, facts, prop.rule, held)
    if via:
        names = " and ".join([", ".join(held[:-1]), held[-1]] if len(held) > 1 else held)
        note += (
            f"; {names}, which it fixes, reach{'es' if len(held) == 1 else ''} it through "
            + ", ".join(f"{name} ({state})" for name, state in via)
        )
    through = deciding_chain(encoding.policy, facts, prop.rule)
    named = {name for name, _ in via}
    rules = [
        f"{name} ({state})"
        for name, state in through[1:]
        if name in encoding.policy.rules and name not in named
    ]
    facts_named = [
        f"{name} ({state})" for name, state in through[1:] if name not in encoding.policy.rules
    ]
    if rules:
        note += "; it turns on " + ", ".join(rules)
    if facts_named:
        note += ("; and on the facts " if rules else "; it turns on the facts ") + ", ".join(
            facts_named
        )
    return replace(
        result,
        verdict=ProofResult.VIOLATED,
        counterexample=Counterexample(facts, prop.rule, status, note, through, via),
    )


def premise_path(
    policy: Policy, facts: Mapping[str, Value], rule: str, fixed: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """The rules below ``rule`` that read, directly or through other rules, what is ``fixed``.

    ``fixed`` names the facts and conditions a property holds; the rules listed (outermost
    first, each once, with its status on ``facts``) are the paths by which they reach
    ``rule``. When a property about a warning shot fails, the rule that reads
    ``warning_shot`` is named, not only the decision and every rule still unknown.
    """
    evaluation = evaluate(policy, facts)
    wanted = set(fixed)
    memo: dict[str, bool] = {}

    def reaches(rule_id: str) -> bool:
        if rule_id not in memo:
            memo[rule_id] = False  # the rule graph is acyclic; this only guards the recursion
            found = rule_id in wanted or bool(wanted & set(policy.rules[rule_id].facts))
            memo[rule_id] = found or any(reaches(r) for r in policy.rules[rule_id].rule_refs)
        return memo[rule_id]

    path: dict[str, str] = {}
    pending = list(policy.rules[rule].rule_refs)
    while pending:
        current = pending.pop(0)
        if current in path or not reaches(current):
            continue
        path[current] = str(evaluation.rules[current].status)
        pending += policy.rules[current].rule_refs
    return tuple(path.items())


def deciding_chain(
    policy: Policy, facts: Mapping[str, Value], rule: str
) -> tuple[tuple[str, str], ...]:
    """The rules, ending at facts, that gave ``rule`` its status on ``facts``, outermost first.

    From the rule, follow the parts that decided it (``NodeResult.deciding``) to the rules
    and facts they name, and on into each such rule, down to facts: what to look at to find
    the bug. Each rule or fact is listed once, with its status or value.
    """
    evaluation = evaluate(policy, facts)
    chain: list[tuple[str, str]] = []
    seen: set[str] = set()
    pending = [rule]
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        chain.append((current, str(evaluation.rules[current].status)))
        rules, named = _deciding_leaves(evaluation.rules[current].tree)
        pending += rules
        for name in named:
            if name not in seen:
                seen.add(name)
                chain.append((name, str(facts[name]) if name in facts else "not addressed"))
    return tuple(chain)


def _deciding_leaves(node: NodeResult) -> tuple[list[str], list[str]]:
    """The rules and the facts named by the deciding parts below ``node``."""
    expr = node.expr
    if isinstance(expr, RuleRef):
        return [expr.rule], []
    if isinstance(expr, FactRef):
        return [], [expr.fact]
    rules: list[str] = []
    found: list[str] = []
    for part in node.deciding:
        more_rules, more_facts = _deciding_leaves(part)
        rules += [r for r in more_rules if r not in rules]
        found += [f for f in more_facts if f not in found]
    return rules, found


# ---------------------------------------------------------------- built-in properties


@dataclass(frozen=True)
class Refinement:
    """A single-fact refinement that changes a met or unmet status."""

    facts: dict[str, Value]
    rule: str
    fact: str
    value: Value


@dataclass(frozen=True)
class UnsoundStatus:
    """A status contradicted by a refinement of its unknown facts (each set true or false)."""

    facts: dict[str, Value]
    rule: str
    status: Status
    filled: dict[str, Value]
    #: The filled facts the rule depends on (the rest are shown for completeness).
    relevant: tuple[str, ...]


def find_unstable_refinement(encoding: Encoding) -> Refinement | None:
    """A cheapest assignment where refining one unknown fact changes a met or unmet status.

    Symbolic: for each fact and each rule that depends on it, the rule's rails are
    restricted to the fact unknown and to each refinement, and the assignments where a
    status is lost form one BDD.
    """
    bdd = encoding.bdd
    supports = {
        rule: bdd.support(met) | bdd.support(unmet) for rule, (met, unmet) in encoding.rules.items()
    }
    best: tuple[int, Refinement] | None = None
    for fact in encoding.facts:
        t, f = encoding.true_var(fact), encoding.false_var(fact)
        unknown = {t: False, f: False}
        refinements = ((Value.TRUE, {t: True, f: False}), (Value.FALSE, {t: False, f: True}))
        # The rule language's own law: over every assignment that breaks nothing, settled
        # or not (a rule is monotone whatever an account leaves for settling to fill).
        here = bdd.and_(encoding.possible, encoding.fact_is(fact, Value.UNKNOWN))
        for rule, (met, unmet) in encoding.rules.items():
            if t not in supports[rule] and f not in supports[rule]:
                continue
            met0, unmet0 = bdd.restrict(met, unknown), bdd.restrict(unmet, unknown)
            for value, refined in refinements:
                lost = bdd.or_(
                    bdd.and_(met0, bdd.neg(bdd.restrict(met, refined))),
                    bdd.and_(unmet0, bdd.neg(bdd.restrict(unmet, refined))),
                )
                # Only refinements that are themselves possible count.
                broken = bdd.conj([here, bdd.restrict(encoding.possible, refined), lost])
                path = bdd.min_true_path(broken)
                if path is not None and (best is None or len(path) < best[0]):
                    known = _scenario_facts(encoding, encoding.decode(path), {})
                    best = (len(path), Refinement(known, rule, fact, value))
    return best[1] if best else None


def find_unsound_status(encoding: Encoding) -> UnsoundStatus | None:
    """A cheapest assignment where a met or unmet status disagrees with some classical refinement.

    Symbolic: each rule's classical (two-valued) meaning is a BDD over one *classical*
    variable per fact. The three-valued fact sets that some contradicting classical fact set
    agrees with are computed from it by :func:`_agreeing`, and must not meet the status's rail.
    """
    bdd = encoding.bdd
    valid_classical = classical_valid(encoding)
    classical = classical_rules(encoding)
    best: tuple[int, dict[int, bool], str, Status, int] | None = None
    for rule, (met, unmet) in encoding.rules.items():
        for status, rail, wrong in (
            (Status.MET, met, bdd.neg(classical[rule])),
            (Status.UNMET, unmet, classical[rule]),
        ):
            bad_classical = bdd.and_(valid_classical, wrong)
            broken = bdd.conj([encoding.possible, rail, _agreeing(encoding, bad_classical)])
            path = bdd.min_true_path(broken)
            if path is not None and (best is None or len(path) < best[0]):
                best = (len(path), path, rule, status, bad_classical)
    if best is None:
        return None
    _, path, rule, status, bad_classical = best
    facts = _scenario_facts(encoding, encoding.decode(path), {})
    known = {encoding.classical_var(fact): value is Value.TRUE for fact, value in facts.items()}
    refinement = bdd.min_true_path(bdd.restrict(bad_classical, known)) or {}
    filled = {
        fact: Value.TRUE if refinement.get(encoding.classical_var(fact)) else Value.FALSE
        for fact in encoding.policy.vocabulary.ids
        if fact not in facts
    }
    depends = bdd.support(classical[rule])
    relevant = tuple(f for f in filled if encoding.classical_var(f) in depends)
    return UnsoundStatus(facts, rule, status, filled, relevant)


def _agreeing(encoding: Encoding, classical_sets: int) -> int:
    """The three-valued fact sets agreeing with at least one classical one in ``classical_sets``.

    That is, ∃ c . classical_sets(c) ∧ c agrees with every known fact — computed in one
    memoised pass over ``classical_sets``: a classical variable's high branch stays reachable unless
    the fact is known false, its low branch unless it is known true, and a fact the diagram
    skips may be anything.
    """
    bdd = encoding.bdd
    fact_of = {encoding.classical_var(fact): fact for fact in encoding.facts}
    memo: dict[int, int] = {}

    def go(node: int) -> int:
        if node in (FALSE, TRUE):
            return node
        if node in memo:
            return memo[node]
        var, low, high = bdd.node(node)
        fact = fact_of[var]
        not_false = bdd.neg(bdd.var(encoding.false_var(fact)))
        not_true = bdd.neg(bdd.var(encoding.true_var(fact)))
        result = bdd.or_(bdd.and_(not_false, go(high)), bdd.and_(not_true, go(low)))
        memo[node] = result
        return result

    return go(classical_sets)


def check_monotonicity(encoding: Encoding) -> PropertyResult:
    """Prove that refining any one unknown fact keeps every met and unmet status."""
    result = PropertyResult(
        id=MONOTONICITY,
        statement=MONOTONICITY_STATEMENT,
        claim="refining an unknown fact keeps every met and unmet status",
        premise="",
        verdict=ProofResult.PROVED,
        builtin=True,
    )
    found = find_unstable_refinement(encoding)
    if found is None:
        return result
    policy = encoding.policy
    before = _engine_status(policy, found.facts, found.rule)
    after = _engine_status(policy, {**found.facts, found.fact: found.value}, found.rule)
    if before is Status.UNKNOWN or before is after:
        raise AssertionError(f"verify and the engine disagree on monotonicity: {found}")
    note = f"{found.rule} is {before}, but setting {found.fact} to {found.value} makes it {after}"
    through = deciding_chain(policy, found.facts, found.rule)
    return replace(
        result,
        verdict=ProofResult.VIOLATED,
        counterexample=Counterexample(found.facts, found.rule, before, note, through),
    )


def check_soundness(encoding: Encoding) -> PropertyResult:
    """Prove that every determined status agrees with every classical refinement."""
    result = PropertyResult(
        id=SOUNDNESS,
        statement=SOUNDNESS_STATEMENT,
        claim="every met or unmet status holds in every refinement of the unknowns",
        premise="",
        verdict=ProofResult.PROVED,
        builtin=True,
    )
    found = find_unsound_status(encoding)
    if found is None:
        return result
    policy = encoding.policy
    before = _engine_status(policy, found.facts, found.rule)
    after = _engine_status(policy, {**found.facts, **found.filled}, found.rule)
    if before is not found.status or after is found.status:
        raise AssertionError(f"verify and the engine disagree on soundness: {found}")
    shown = ", ".join(f"{fact}={found.filled[fact]}" for fact in found.relevant)
    note = f"{found.rule} is {before}, but the refinement {shown} makes it {after}"
    through = deciding_chain(policy, found.facts, found.rule)
    return replace(
        result,
        verdict=ProofResult.VIOLATED,
        counterexample=Counterexample(found.facts, found.rule, before, note, through),
    )


# ---------------------------------------------------------------- helpers


def _scenario_facts(
    encoding: Encoding, known: Mapping[str, Value], given: Mapping[str, Value]
) -> dict[str, Value]:
    """A counterexample's facts: the known ones and any fixed unknown, in vocabulary order."""
    merged = {**given, **known}
    return {fact: merged[fact] for fact in encoding.policy.vocabulary.ids if fact in merged}


def _engine_status(policy: Policy, facts: Mapping[str, Value], rule: str) -> Status:
    return evaluate(policy, facts).rules[rule].status
