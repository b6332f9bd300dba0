"""whatif and interview: the trainer's tools, on the shipped drills."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import product
from pathlib import Path

import pytest

from forcecheck.analysis.interview import Interview, parse_answer, run
from forcecheck.analysis.moments import Timeline
from forcecheck.engine.evaluation import evaluate_account
from forcecheck.engine.explain import decide
from forcecheck.load.library import Library, policy_for_scenario
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.scenario import Account
from forcecheck.model.settling import settle

from .conftest import SCENARIOS, invoke

DRILLS = sorted((SCENARIOS / "training").glob("*.yaml"))


def _drill(library: Library, path: Path) -> tuple[object, Account, dict[str, Value]]:
    """The drill's policy, its first account, and what its teller knows.

    What a person knows is settled through the exclusions ("unknown" means they cannot
    tell even from what else they know: docs/training.md), as the evaluation reads the
    account: a drill that says ``vehicle_involved: false`` and leaves
    ``officer_placed_self_in_path`` unknown answers "no" to the latter.
    """
    scenario = load_scenario(path, library.vocabulary)
    account = next(iter(scenario.accounts.values()))
    stated = {k: e.value for k, e in account.facts.items()}
    known = {k: v for k, v in stated.items() if v is not Value.UNKNOWN}
    truth = {**stated, **settle(library.vocabulary, known).values}
    return policy_for_scenario(scenario, library), account, truth


@pytest.mark.parametrize("path", DRILLS, ids=lambda p: p.stem)
def test_an_interview_answered_from_a_drill_reaches_the_drills_outcome(
    library: Library, path: Path
) -> None:
    policy, account, truth = _drill(library, path)
    expected = evaluate_account(policy, "x", account).outcome  # type: ignore[arg-type]
    # A timeline keeps its discharges (each overriding facts at its moment); the interview
    # asks the account's own facts, and an answer fills the fact wherever a moment leaves
    # it unknown.
    start = replace(account, facts={})
    interview = Interview(policy, start=start)  # type: ignore[arg-type]
    asked = run(interview, truth)
    assert interview.outcome is expected
    # Never a question twice, never one that cannot matter, never more than the facts
    # the decision depends on.
    facts = [q.fact for q, _ in asked]
    assert len(facts) == len(set(facts))
    timeline = Timeline.of(policy, evaluate_account(policy, "x", Account()))  # type: ignore[arg-type]
    # A fact no rule reads is asked only for the open facts its answer settles.
    for question, _ in asked:
        assert question.fact in timeline.decision_facts or question.settles_facts is not None
    for question, _ in asked:
        assert question.weight > 0 or question.settles or question.settles_if is not None


def test_an_interview_stops_as_soon_as_the_outcome_is_settled(library: Library) -> None:
    policy = library.get("dhs-2023")
    interview = Interview(policy)
    asked = run(
        interview, {"warning_shot": Value.TRUE, "threat_only_to_property_or_self": Value.TRUE}
    )
    assert interview.outcome is Outcome.NOT_AUTHORIZED
    assert [q.fact for q, _ in asked][-1] in {"warning_shot", "threat_only_to_property_or_self"}
    assert len(asked) <= 2


def test_answering_unknown_to_everything_ends_undetermined(library: Library) -> None:
    interview = Interview(library.get("dhs-2023"))
    asked = run(interview, {})
    assert interview.outcome is Outcome.UNDETERMINED
    assert all(value is Value.UNKNOWN for _, value in asked)
    assert interview.next_question() is None


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("y", Value.TRUE),
        ("Yes", Value.TRUE),
        (" n ", Value.FALSE),
        ("?", Value.UNKNOWN),
        ("unknown", Value.UNKNOWN),
        ("maybe", None),
    ],
)
def test_answers_accept_short_forms(typed: str, value: Value | None) -> None:
    assert parse_answer(typed) is value


def test_interview_command_reads_answers_typed_on_stdin() -> None:
    from typer.testing import CliRunner

    from forcecheck.cli import app

    drill = SCENARIOS / "training/15-undetermined-car-path.yaml"
    result = CliRunner().invoke(app, ["interview", "--from", str(drill)], input="maybe\n?\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "Question 1" in result.stdout
    assert "please answer yes, no or unknown" in result.stdout
    assert "Outcome:" in result.stdout


def test_interview_with_an_answers_file_is_scripted(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("facts:\n  threat_only_to_property_or_self: true\n")
    result = invoke(["interview", "--answers", str(answers)])
    assert result.exit_code == 0, result.stderr
    assert "Outcome: not_authorized" in result.stdout
    assert "unknown (not in the answers file)" in result.stdout


def test_whatif_shows_only_what_changed() -> None:
    drill = SCENARIOS / "incidents/franklin-park-2025-09-12.yaml"
    result = invoke(
        ["whatif", str(drill), "--set", "could_avoid_vehicle=true", "--account", "agency"]
    )
    assert result.exit_code == 0, result.stderr
    assert "│ outcome │ undetermined │ not_authorized │" in result.stdout
    assert "vehicle_threat_no_alternative" in result.stdout
    assert "no_warning_shot" not in result.stdout  # unchanged conditions are not shown


def test_whatif_json_lists_outcome_and_condition_changes() -> None:
    drill = SCENARIOS / "training/01-armed-attacker.yaml"
    result = invoke(["whatif", str(drill), "-s", "warning_shot=true", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["changes"] == {"warning_shot": "true"}
    assert data["accounts"] == [
        {"account": "default", "before": "authorized", "after": "not_authorized"}
    ]
    assert {"no_warning_shot"} <= {c["id"] for c in data["conditions"]}


def test_whatif_with_no_effect_says_so() -> None:
    drill = SCENARIOS / "training/01-armed-attacker.yaml"
    result = invoke(["whatif", str(drill), "-s", "subject_armed=false"])
    assert result.exit_code == 0
    assert "Nothing changes" in result.stdout


@pytest.mark.parametrize("setting", ["warning_shoot=true", "warning_shot=yes", "warning_shot"])
def test_whatif_refuses_a_bad_setting_as_a_usage_error(setting: str) -> None:
    drill = SCENARIOS / "training/01-armed-attacker.yaml"
    result = invoke(["whatif", str(drill), "-s", setting])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_interview_save_writes_a_scenario_that_evaluates_the_same(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("facts:\n  warning_shot: true\n")
    saved = tmp_path / "drill.yaml"
    result = invoke(["interview", "--answers", str(answers), "--save", str(saved)])
    assert result.exit_code == 0, result.stderr
    evaluated = invoke(["evaluate", str(saved), "--format", "json"])
    assert json.loads(evaluated.stdout)["outcome"] == "not_authorized"
    again = invoke(["interview", "--answers", str(answers), "--save", str(saved)])
    assert again.exit_code == 3 and "--force" in again.stderr
    forced = invoke(["interview", "--answers", str(answers), "--save", str(saved), "--force"])
    assert forced.exit_code == 0


def test_scripted_answers_are_echoed_as_yes_or_no_and_one_question_is_singular(
    tmp_path: Path,
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("policy: dhs-2023\nfacts:\n  warning_shot: true\n")
    drill = tmp_path / "drill.yaml"
    drill.write_text(
        "policy: dhs-2023\nfacts:\n  subject_threatened_deadly_force: true\n"
        "  threat_ended: false\n  other_defense_available: false\n"
        "  threat_only_to_property_or_self: false\n  shot_at_vehicle: false\n"
        "  shot_solely_to_disable_vehicle: false\n  verbal_warning_feasible: false\n"
    )
    result = invoke(["interview", "--from", str(drill), "--answers", str(answers)])
    assert result.exit_code == 0, result.output
    assert "> yes" in result.stdout and "> true" not in result.stdout
    assert "Outcome: not_authorized after 1 question." in result.stdout


def test_with_findings_the_interview_asks_whether_the_agent_stepped_into_the_path(
    library: Library,
) -> None:
    """Issue #21.5: drill 27's outcome is settled, its safe-tactics finding is not."""
    path = SCENARIOS / "training/27-stepped-in-front-unclear.yaml"
    policy, account, _ = _drill(library, path)
    plain = Interview(policy, start=account)  # type: ignore[arg-type]
    assert run(plain, {}) == []
    asking = Interview(policy, start=account, findings=True)  # type: ignore[arg-type]
    assert asking.asking_for() == "safe_tactics"
    asked = run(asking, {"officer_placed_self_in_path": Value.TRUE})
    assert [q.fact for q, _ in asked] == ["officer_placed_self_in_path"]
    assert asking.outcome is Outcome.AUTHORIZED
    assert asking.finding_status("safe_tactics") is Outcome.NOT_AUTHORIZED


def test_interview_findings_option_asks_and_reports_the_finding() -> None:
    from typer.testing import CliRunner

    from forcecheck.cli import app

    drill = SCENARIOS / "training/27-stepped-in-front-unclear.yaml"
    plain = CliRunner().invoke(app, ["interview", "--from", str(drill)], input="")
    assert plain.exit_code == 0, plain.output
    assert "after 0 questions" in plain.stdout and "Finding" not in plain.stdout
    result = CliRunner().invoke(app, ["interview", "--from", str(drill), "--findings"], input="n\n")
    assert result.exit_code == 0, result.output
    assert "for the finding safe_tactics" in result.stdout
    assert "[officer_placed_self_in_path]" in result.stdout
    assert "Outcome: authorized after 1 question." in result.stdout
    assert "Finding safe_tactics: met." in result.stdout


def test_answering_unknown_first_drill_15_is_over_within_twelve_questions(
    library: Library,
) -> None:
    """Issue #21.5: a car driven at an agent, the first question answered "unknown".

    The interview used to go on to 15 questions, asking facts that could only have mattered
    through the answer it had been told was unknown. (11 without asking whether a vehicle
    was involved before the vehicle facts; that question costs one here.)
    """
    _, _, truth = _drill(library, SCENARIOS / "training/15-undetermined-car-path.yaml")
    interview = Interview(library.get("dhs-2023"))
    first = interview.next_question()
    assert first is not None
    interview.answer(first.fact, Value.UNKNOWN)
    asked = run(interview, truth)
    assert 1 + len(asked) <= 12
    assert interview.outcome is Outcome.UNDETERMINED  # the drill leaves it open


def test_an_unknown_answer_stands_so_the_interview_stops_when_nothing_else_can_decide(
    library: Library,
) -> None:
    """Under cbp-2014, with a deadly threat but no telling whether it was only to property,
    no answer to anything else can decide the outcome: the interview stops there, rather
    than asking about a warning shot or the vehicle (which mattered only were the property
    question answered after all; it is not asked twice)."""
    policy = library.get("cbp-2014")
    answers = {
        "threat_only_to_property_or_self": Value.UNKNOWN,
        "subject_threatened_deadly_force": Value.TRUE,
    }
    interview = Interview(policy, answers=dict(answers))
    assert interview.next_question() is None
    assert interview.outcome is Outcome.UNDETERMINED
    # Those questions could still be asked before this change; none of them decides it.
    listed = ("warning_shot", "shot_at_vehicle", "officer_placed_self_in_path")
    for values in product((Value.TRUE, Value.FALSE, Value.UNKNOWN), repeat=3):
        rest = dict(zip(listed, values, strict=True))
        assert decide(policy, {**answers, **rest}) is Outcome.UNDETERMINED


def test_the_first_question_is_the_one_expected_to_leave_fewest_questions(
    library: Library,
) -> None:
    interview = Interview(library.get("dhs-2023"))
    expected = interview.expected_questions()
    first = interview.next_question()
    assert first is not None
    assert expected[first.fact] == min(expected.values())
    assert all(cost >= 1 for cost in expected.values())
