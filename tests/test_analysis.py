"""The analysis (questions, disputed facts, stated conclusions), checked against brute force.

Every claim the analysis makes — this answer settles it, this fact is decisive, this set is
the smallest that settles it, this fact is moot — is re-derived here by evaluating the
engine on every combination, on the shipped policy and on random generated policies.
"""

from __future__ import annotations

from itertools import combinations, product
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcecheck.analysis import check_conclusions, disputed_facts, fact_gaps, questions_for
from forcecheck.analysis.conclusions import ConclusionVerdict
from forcecheck.analysis.moments import Timeline
from forcecheck.engine.evaluation import AccountResult, ScenarioResult, evaluate_account
from forcecheck.engine.explain import decide, evaluate
from forcecheck.model.logic import Outcome, Status, Value
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Account, Conclusion, Discharge, FactEntry
from forcecheck.symbolic.bitset import evaluate_bits, known

from .conftest import SCENARIOS, invoke
from .strategies import fact_sets, policies

T, F, U = Value.TRUE, Value.FALSE, Value.UNKNOWN
SETTINGS = settings(max_examples=120, deadline=None, derandomize=True)


def account_of(
    policy: Policy,
    facts: dict[str, Value],
    name: str = "default",
    discharges: tuple[dict[str, Value], ...] = (),
    conclusions: dict[str, Status] | None = None,
) -> AccountResult:
    """An evaluated account built in memory."""
    account = Account(
        facts={k: FactEntry(value=v) for k, v in facts.items()},
        conclusions={k: Conclusion(status=s) for k, s in (conclusions or {}).items()},
        discharges=tuple(
            Discharge(id=f"d{i}", facts={k: FactEntry(value=v) for k, v in d.items()})
            for i, d in enumerate(discharges)
        ),
    )
    return evaluate_account(policy, name, account)


def outcome(policy: Policy, facts: dict[str, Value]) -> Outcome:
    return decide(policy, facts)


def open_facts(policy: Policy, facts: dict[str, Value]) -> list[str]:
    below = set(policy.facts_below(policy.spec.decision))
    return [f for f in policy.vocabulary.ids if f in below and facts.get(f, U) is U]


def settles(policy: Policy, facts: dict[str, Value], chosen: tuple[str, ...]) -> bool:
    return all(
        outcome(policy, facts | dict(zip(chosen, answers, strict=True))) is not Outcome.UNDETERMINED
        for answers in product((T, F), repeat=len(chosen))
    )


# ---------------------------------------------------------------- the bit-parallel evaluator


@pytest.mark.slow
@SETTINGS
@given(st.data())
def test_bitwise_evaluation_agrees_with_the_engine_on_every_rule(data: st.DataObject) -> None:
    policy = data.draw(policies())
    sets = data.draw(st.lists(fact_sets(policy.vocabulary), min_size=1, max_size=6))
    full = (1 << len(sets)) - 1
    bits = {
        f: type(known(True, 1))(
            sum(1 << i for i, s in enumerate(sets) if s.get(f) is T),
            sum(1 << i for i, s in enumerate(sets) if s.get(f) is F),
        )
        for f in policy.vocabulary.ids
    }
    together = evaluate_bits(policy, bits)
    for index, facts in enumerate(sets):
        alone = evaluate(policy, facts)
        for rule_id, result in alone.rules.items():
            met, unmet = together[rule_id]
            got = Status.MET if met >> index & 1 else Status.UNMET if unmet >> index & 1 else None
            assert (got or Status.UNKNOWN) is result.status
    assert full


# ---------------------------------------------------------------- questions


@pytest.mark.slow
@SETTINGS
@given(st.data())
def test_questions_agree_with_brute_force(data: st.DataObject) -> None:
    policy = data.draw(policies(max_facts=6))
    facts = data.draw(fact_sets(policy.vocabulary))
    result = questions_for(policy, account_of(policy, facts))
    assert result.outcome is outcome(policy, facts)
    if result.outcome is not Outcome.UNDETERMINED:
        assert not result.questions
        return
    remaining = open_facts(policy, facts)
    assert {q.fact for q in result.questions} | set(result.moot) == set(remaining)
    for q in result.questions:
        assert q.if_true is outcome(policy, facts | {q.fact: T})
        assert q.if_false is outcome(policy, facts | {q.fact: F})
    # Weights: the share of the other open facts' classical fact sets in which the answer matters.
    for fact_id in remaining:
        others = [f for f in remaining if f != fact_id]
        pivotal = sum(
            outcome(policy, facts | dict(zip(others, c, strict=True)) | {fact_id: T})
            is not outcome(policy, facts | dict(zip(others, c, strict=True)) | {fact_id: F})
            for c in product((T, F), repeat=len(others))
        )
        weight = next((q.weight for q in result.questions if q.fact == fact_id), 0.0)
        assert weight == pivotal / 2 ** len(others)
    # Ranking: a fact that settles it alone comes before one that does not.
    ranks = [(not q.settles, q.settles_if is None) for q in result.questions]
    assert ranks == sorted(ranks)
    # Smallest settling sets: each settles, and no smaller set does.
    assert not result.search_incomplete
    if result.settling_sets:
        size = len(result.settling_sets[0])
        for chosen in result.settling_sets:
            assert len(chosen) == size and settles(policy, facts, chosen)
        for smaller in range(size):
            for chosen in combinations(remaining, smaller):
                assert not settles(policy, facts, chosen)
    else:
        assert not settles(policy, facts, tuple(remaining))
    # Moot facts never change a completed outcome and settle nothing alone.
    for fact_id in result.moot:
        assert outcome(policy, facts | {fact_id: T}) is Outcome.UNDETERMINED
        assert outcome(policy, facts | {fact_id: F}) is Outcome.UNDETERMINED


@pytest.mark.slow
@SETTINGS
@given(st.data())
def test_a_determined_outcome_rests_on_exactly_the_facts_that_would_change_it(
    data: st.DataObject,
) -> None:
    policy = data.draw(policies(max_facts=6))
    facts = data.draw(fact_sets(policy.vocabulary))
    result = questions_for(policy, account_of(policy, facts))
    if result.outcome is Outcome.UNDETERMINED:
        return
    listed = {r.fact: r for r in result.rests_on}
    below = set(policy.facts_below(policy.spec.decision))
    for fact_id, value in facts.items():
        if value is U or fact_id not in below:
            assert fact_id not in listed
            continue
        flipped = outcome(policy, facts | {fact_id: F if value is T else T})
        unknown = outcome(policy, facts | {fact_id: U})
        changes = flipped is not result.outcome or unknown is not result.outcome
        assert (fact_id in listed) is changes
        if changes:
            assert listed[fact_id].if_otherwise is flipped
            assert listed[fact_id].if_unknown is unknown


def test_franklin_park_agency_account_asks_whether_he_could_let_go(library: Any) -> None:
    from forcecheck.engine.evaluation import evaluate_scenario
    from forcecheck.load.scenario_loader import load_scenario

    scenario = load_scenario(
        SCENARIOS / "incidents/franklin-park-2025-09-12.yaml", library.vocabulary
    )
    policy = library.get("dhs-2023")
    agency = evaluate_scenario(scenario, policy, "agency").accounts[0]
    result = questions_for(policy, agency)
    assert result.outcome is Outcome.UNDETERMINED
    first = result.questions[0]
    assert first.fact in {"could_avoid_vehicle", "other_defense_available"}
    assert first.if_true is Outcome.NOT_AUTHORIZED
    assert ("could_avoid_vehicle", "other_defense_available") in result.settling_sets
    assert "could_avoid_vehicle" in {q.fact for q in result.questions}
    assert "significant_threat_if_escapes" in result.moot


def test_a_timeline_is_analysed_across_its_discharges(dhs: Policy) -> None:
    base = {
        "subject_fleeing": F,
        "subject_threatened_deadly_force": T,
        "threat_only_to_property_or_self": F,
        "shot_at_vehicle": F,
        "shot_solely_to_disable_vehicle": F,
        "warning_shot": F,
        "other_defense_available": F,
        "verbal_warning_feasible": F,
    }
    # The threat at the second shot settles that it had not ended (exclusion
    # ended_threat_is_not_a_present_attack): nothing is left to ask.
    account = account_of(dhs, base, discharges=({"threat_ended": F}, {"threat_ended": U}))
    assert questions_for(dhs, account).outcome is Outcome.AUTHORIZED
    # Where the account is unsure of the threat at the second shot, whether it had ended
    # is the question.
    account = account_of(
        dhs,
        base,
        discharges=(
            {"threat_ended": F},
            {"threat_ended": U, "subject_threatened_deadly_force": U, "subject_armed": T},
        ),
    )
    result = questions_for(dhs, account)
    assert result.outcome is Outcome.UNDETERMINED
    threat = next(q for q in result.questions if q.fact == "threat_ended")
    # "Yes, it had ended" at the second shot settles the whole timeline, and settles that
    # he was no longer threatening deadly force.
    assert threat.if_true is Outcome.NOT_AUTHORIZED
    assert threat.settles_if is Value.TRUE
    assert "subject_threatened_deadly_force" in threat.settles_if_true


# ---------------------------------------------------------------- disputed facts


def _two_accounts(policy: Policy, first: dict[str, Value], second: dict[str, Value]) -> Any:
    accounts = (account_of(policy, first, "a"), account_of(policy, second, "b"))
    return ScenarioResult(scenario=None, policy=policy, accounts=accounts)  # type: ignore[arg-type]


@pytest.mark.slow
@SETTINGS
@given(st.data())
def test_decisive_facts_really_flip_the_outcome_and_others_do_not(data: st.DataObject) -> None:
    policy = data.draw(policies(max_facts=6))
    first = data.draw(fact_sets(policy.vocabulary))
    second = data.draw(fact_sets(policy.vocabulary))
    result = _two_accounts(policy, first, second)
    disputes = disputed_facts(result)
    disputed = {d.fact for d in disputes}
    # Silence is not a competing value: a fact is disputed only between accounts that give it.
    both = {f for f in policy.vocabulary.ids if f in first and f in second}
    assert disputed == {f for f in both if first[f] is not second[f]}
    one_sided = {
        f
        for f in policy.vocabulary.ids
        if (f in first) != (f in second) and (first.get(f) or second.get(f)) is not U
    }
    assert {g.fact for g in fact_gaps(result)} == one_sided
    for dispute in disputes:
        assert dispute.contradicted is ({first[dispute.fact], second[dispute.fact]} == {T, F})
        for switch in dispute.switches:
            mine, theirs = (first, second) if switch.account == "a" else (second, first)
            assert switch.value is theirs.get(dispute.fact, U)
            before = outcome(policy, mine)
            after = outcome(policy, mine | {dispute.fact: switch.value})
            assert (switch.before, switch.after) == (before, after)
            assert switch.changes is (before is not after)
        assert dispute.decisive is any(s.changes for s in dispute.switches)


def test_pretti_accounts_turn_on_whether_he_threatened_deadly_force(library: Any) -> None:
    from forcecheck.engine.evaluation import evaluate_scenario
    from forcecheck.load.scenario_loader import load_scenario

    scenario = load_scenario(
        SCENARIOS / "incidents/minneapolis-pretti-2026-01-24.yaml", library.vocabulary
    )
    disputes = {
        d.fact: d for d in disputed_facts(evaluate_scenario(scenario, library.get("dhs-2023")))
    }
    threat = disputes["subject_threatened_deadly_force"]
    assert threat.decisive
    assert "witnesses" in threat.decisive_for
    claims = {c.account: c for c in threat.claims}
    assert claims["agency"].values == (T,)
    assert claims["video"].values == (F, F)


def test_franklin_park_contradiction_stands_out_and_silence_is_no_dispute(library: Any) -> None:
    from forcecheck.engine.evaluation import evaluate_scenario
    from forcecheck.load.scenario_loader import load_scenario

    scenario = load_scenario(
        SCENARIOS / "incidents/franklin-park-2025-09-12.yaml", library.vocabulary
    )
    result = evaluate_scenario(scenario, library.get("dhs-2023"))
    disputes = disputed_facts(result)
    # Was the car moving toward the officer? The agency and the officers say yes, the video no.
    first = disputes[0]
    assert first.fact == "vehicle_moving_toward_person"
    assert first.contradicted
    said = {c.account: c.values for c in first.addressed_claims}
    assert said == {"agency": (T,), "video": (F,), "officers-on-bodycam": (T,)}
    assert "truck-driver" in first.silent
    for dispute in disputes:
        for switch in dispute.switches:
            assert switch.account not in dispute.silent
            assert not set(switch.given_by) & set(dispute.silent)
    # Fleeing is stated by three accounts and denied by none: a gap, not a dispute.
    gaps = {g.fact: g for g in fact_gaps(result)}
    assert "subject_fleeing" not in {d.fact for d in disputes}
    assert {c.account for c in gaps["subject_fleeing"].claims} == {
        "agency",
        "video",
        "truck-driver",
    }


# ---------------------------------------------------------------- stated conclusions


def test_stated_conclusions_get_a_verdict_from_the_accounts_own_facts(dhs: Policy) -> None:
    facts = {"subject_threatened_deadly_force": F, "vehicle_moving_toward_person": F}
    stated = {
        "imminent_threat": Status.MET,
        "moving_vehicle_rule": Status.MET,
        "no_warning_shot": Status.MET,
    }
    account = account_of(dhs, facts | {"warning_shot": F}, conclusions=stated)
    verdicts = {c.condition: c.verdict for c in check_conclusions(account)}
    established = evaluate(dhs, facts | {"warning_shot": F}).rules
    assert established["no_warning_shot"].status is Status.MET
    assert verdicts["no_warning_shot"] is ConclusionVerdict.SUPPORTED
    assert established["imminent_threat"].status is Status.UNKNOWN
    assert verdicts["imminent_threat"] is ConclusionVerdict.NOT_ESTABLISHED


def test_a_conclusion_the_facts_contradict_is_flagged(dhs: Policy) -> None:
    account = account_of(dhs, {"warning_shot": T}, conclusions={"no_warning_shot": Status.MET})
    [check] = check_conclusions(account)
    assert check.verdict is ConclusionVerdict.CONTRADICTED and not check.supported


def test_reports_flag_the_unsupported_conclusion(tmp_path: Any) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "policy: dhs-2023\n"
        "facts:\n  warning_shot: true\n"
        "conclusions:\n  no_warning_shot:\n    status: met\n    quote: it was no warning shot\n"
    )
    result = invoke(["evaluate", str(scenario)])
    assert result.exit_code == 0
    assert "no_warning_shot" in result.stdout and "⚠ contradicted" in result.stdout
    assert '"it was no warning shot"' in result.stdout


def test_a_conclusion_naming_no_condition_is_an_input_error(tmp_path: Any) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "policy: dhs-2023\nfacts:\n  warning_shot: true\n"
        "conclusions:\n  imminent_thraet: {status: met}\n"
    )
    result = invoke(["evaluate", str(scenario)])
    assert result.exit_code == 3
    assert f"{scenario}:5:3: error:" in result.stderr
    assert "imminent_threat" in result.stderr  # did you mean


@pytest.mark.parametrize("status", ["unknown", "maybe"])
def test_a_conclusion_states_met_or_unmet(tmp_path: Any, status: str) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        f"policy: dhs-2023\nfacts:\n  warning_shot: true\n"
        f"conclusions:\n  imminent_threat: {{status: {status}}}\n"
    )
    result = invoke(["evaluate", str(scenario)])
    assert result.exit_code == 3
    assert "error:" in result.stderr


def test_timeline_moments_share_the_accounts_facts(dhs: Policy) -> None:
    account = account_of(dhs, {"warning_shot": F}, discharges=({"threat_ended": T}, {}))
    timeline = Timeline.of(dhs, account)
    assert timeline.values("warning_shot") == (F, F)
    assert timeline.values("threat_ended") == (T, U)
