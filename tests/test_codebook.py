"""The vocabulary as a codebook: every fact says how to code it, and `forcecheck facts` shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forcecheck.checks.verify import ProofResult, verify_policy
from forcecheck.cli import app
from forcecheck.errors import SchemaError
from forcecheck.load.library import Library
from forcecheck.load.vocabulary_loader import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_every_fact_has_a_topic_a_description_and_a_rule_of_thumb(library: Library) -> None:
    for fact_id, fact in library.vocabulary.facts.items():
        assert fact.topic, fact_id
        assert fact.description.strip(), fact_id
        assert fact.rule_of_thumb and fact.rule_of_thumb.strip(), fact_id
        # Summaries say what an open outcome turns on with it: a short clause, no question.
        assert fact.whether and len(fact.whether) <= 70 and "?" not in fact.whether, fact_id


def test_every_hard_case_drill_exists(library: Library) -> None:
    drills = [
        (fact_id, case.drill)
        for fact_id, fact in library.vocabulary.facts.items()
        for case in fact.hard_cases
        if case.drill
    ]
    assert len({drill for _, drill in drills}) >= 11
    for fact_id, drill in drills:
        path = ROOT / drill
        assert path.is_file(), f"{fact_id}: hard-case drill {drill} is missing"


def test_a_context_only_fact_must_say_why(tmp_path: Path) -> None:
    vocabulary = tmp_path / "facts.yaml"
    vocabulary.write_text(
        "facts:\n  bystander_hit:\n    question: Was anyone else hit?\n    context_only: true\n"
    )
    with pytest.raises(SchemaError) as caught:
        load_vocabulary(vocabulary)
    assert "does not say why" in str(caught.value)
    assert "context_reason" in (caught.value.help or "")


def test_another_persons_threat_is_context_only_and_proved_never_to_authorize(
    library: Library,
) -> None:
    fact = library.vocabulary.facts["threat_from_another_person"]
    assert fact.context_only and fact.context_reason
    for policy in library.policies():
        verdicts = {r.id: r.verdict for r in verify_policy(policy).results}
        assert verdicts["another_persons_threat_never_authorizes"] is ProofResult.PROVED, policy.id


def test_facts_command_shows_the_rule_of_thumb_hard_cases_and_readers() -> None:
    result = runner.invoke(app, ["facts", "subject_driving"])
    assert result.exit_code == 0, result.output
    assert "Rule of thumb:" in result.output
    assert "61-passenger-shot-driver-drove.yaml" in result.output
    assert "no_vehicle_no_driver" in result.output
    assert "dhs-2023 (imminent_threat)" in " ".join(result.output.split())


def test_facts_command_json_lists_every_fact_with_its_readers(library: Library) -> None:
    result = runner.invoke(app, ["facts", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)["facts"]
    assert [f["id"] for f in data] == list(library.vocabulary.ids)
    fleeing = next(f for f in data if f["id"] == "subject_fleeing")
    assert "fleeing_subject_exception" in fleeing["read_by"]["dhs-2023"]
    assert "retreat_is_not_flight" in fleeing["exclusions"]


def test_facts_command_filters_by_topic_and_refuses_unknown_names() -> None:
    result = runner.invoke(app, ["facts", "--topic", "who posed the threat", "-f", "json"])
    ids = [f["id"] for f in json.loads(result.output)["facts"]]
    assert set(ids) == {
        "subject_threatened_deadly_force",
        "threat_from_another_person",
        "subject_driving",
    }
    wrong = runner.invoke(app, ["facts", "subject_fleing"])
    assert wrong.exit_code == 3
    assert "did you mean 'subject_fleeing'" in wrong.output
    topic = runner.invoke(app, ["facts", "--topic", "vehicles"])
    assert topic.exit_code == 3 and "the vehicle" in topic.output


def test_docs_facts_md_is_the_current_codebook() -> None:
    result = runner.invoke(app, ["facts", "--format", "markdown"])
    committed = (ROOT / "docs" / "facts.md").read_text()
    assert result.output == committed, (
        "docs/facts.md is stale: run `forcecheck facts --format markdown > docs/facts.md`"
    )


def test_lint_warns_when_an_account_says_a_car_endangered_someone_but_not_who_drove(
    tmp_path: Path,
) -> None:
    scenario = tmp_path / "car.yaml"
    scenario.write_text(
        "id: car\ntitle: A car at an officer\npolicy: dhs-2023\nfacts:\n"
        "  vehicle_moving_toward_person: true\n  person_in_vehicle_path: true\n"
    )
    result = runner.invoke(app, ["lint", str(scenario)])
    assert "car.yaml:5:3: warning: account 'default' says vehicle_moving_toward_person" in (
        result.output
    )
    assert "[driver-unstated]" in result.output
    scenario.write_text(scenario.read_text() + "  subject_driving: true\n")
    assert "driver-unstated" not in runner.invoke(app, ["lint", str(scenario)]).output


def test_compare_names_who_posed_the_threat_as_what_divides_the_accounts() -> None:
    # The issue's own case: a man shot through the closing door of his home; the officer says
    # two others attacked him with a broom.
    drill = ROOT / "scenarios/training/62-others-with-a-broom-and-shovel.yaml"
    for fmt in ("table", "markdown"):
        text = " ".join(runner.invoke(app, ["compare", str(drill), "-f", fmt]).output.split())
        assert "What divides them is who posed the threat (" in text
        assert "threat_from_another_person" in text
    # The home account is decided for a stated reason, not by an open fleeing exception, and
    # nothing about a vehicle is asked.
    asked = runner.invoke(app, ["questions", str(drill), "-f", "json"]).output
    data = json.loads(asked)
    facts = {q["fact"] for a in data["accounts"] for q in a["questions"]}
    assert not facts & {
        "shot_at_vehicle",
        "vehicle_moving_toward_person",
        "person_in_vehicle_path",
        "person_struck_or_dragged",
        "could_avoid_vehicle",
        "shot_solely_to_disable_vehicle",
        "vehicle_involved",
        "subject_driving",
    }
