"""The scenario template `forcecheck new` writes: valid as it stands, and after editing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from forcecheck.analysis import validate_conclusions
from forcecheck.app.library_report import blank_evaluation
from forcecheck.checks.expect import check_expectations, validate_expectations
from forcecheck.engine.evaluation import evaluate_scenario
from forcecheck.load.library import Library
from forcecheck.load.reader import parse_text
from forcecheck.load.scenario_loader import build_scenario
from forcecheck.load.schema import SchemaKind, shipped_schema_path
from forcecheck.model.logic import Outcome, Value
from forcecheck.model.policy import Policy
from forcecheck.model.scenario import Scenario
from forcecheck.render.template import relative_reference, scenario_template

from .conftest import ROOT
from .test_schema import _Yaml12Loader

POLICY_IDS = Library(ROOT / "policy").ids()


def load(text: str, library: Library, path: str = "drill.yaml") -> Scenario:
    return build_scenario(parse_text(text, path), library.vocabulary)


def uncomment(text: str, block: str) -> str:
    """Uncomment the example block that starts with `# BLOCK:` (up to the blank line)."""
    lines = text.splitlines()
    start = lines.index(f"# {block}:")
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    lines[start:end] = [line.removeprefix("# ") for line in lines[start:end]]
    return "\n".join(lines) + "\n"


def set_fact(text: str, fact: str, value: str) -> str:
    edited, count = re.subn(rf"^  {fact}: unknown$", f"  {fact}: {value}", text, flags=re.M)
    assert count == 1, fact
    return edited


@pytest.mark.parametrize("policy_id", POLICY_IDS)
def test_the_template_is_a_scenario_with_every_tested_fact_unknown(
    policy_id: str, library: Library
) -> None:
    policy = library.get(policy_id)
    scenario = load(
        scenario_template(policy, blank_evaluation(policy), scenario_id="drill"), library
    )
    assert scenario.spec.policy == policy_id and scenario.spec.id == "drill"
    facts = scenario.accounts["default"].facts
    assert list(facts) == list(policy.facts_used)
    assert {entry.value for entry in facts.values()} == {Value.UNKNOWN}
    result = evaluate_scenario(scenario, policy)
    assert result.outcome is Outcome.UNDETERMINED


@pytest.mark.parametrize("policy_id", POLICY_IDS)
def test_every_fact_of_the_vocabulary_is_there_with_its_question(
    policy_id: str, library: Library
) -> None:
    policy = library.get(policy_id)
    text = scenario_template(policy, blank_evaluation(policy))
    flat = " ".join(line.strip().removeprefix("# ") for line in text.splitlines())
    positions = []
    for fact_id, fact in library.vocabulary.facts.items():
        line = (
            f"  {fact_id}: unknown" if fact_id in policy.facts_used else f"  # {fact_id}: unknown"
        )
        assert line in text.splitlines(), fact_id
        assert " ".join(fact.question.split()) in flat, fact_id
        positions.append(text.index(line))
    tested = [
        p for p, f in zip(positions, library.vocabulary.ids, strict=True) if f in policy.facts_used
    ]
    untested = [
        p
        for p, f in zip(positions, library.vocabulary.ids, strict=True)
        if f not in policy.facts_used
    ]
    # Each group in the vocabulary's order; the facts the policy tests first.
    assert tested == sorted(tested) and untested == sorted(untested)
    assert not untested or max(tested) < min(untested)


def test_each_fact_names_the_rules_that_test_it(dhs: Policy) -> None:
    text = scenario_template(dhs, blank_evaluation(dhs))
    block = text[text.index("Was the firearm discharged at a moving vehicle") :]
    block = block[: block.index("shot_at_vehicle: unknown")]
    section = dhs.rules["moving_vehicle_rule"].citation.section
    assert f"tested by: moving_vehicle_rule [{section}]" in block
    # A rule outside the decision is marked as a finding.
    assert "safe_tactics [a finding; III.C.1]" in text
    for rule in dhs.rules.values():
        for fact in rule.facts:
            assert re.search(rf"tested by:[^\n]*(\n  #     [^\n]*)*{rule.id} \[", text), (
                rule.id,
                fact,
            )
    assert f"The {len(dhs.facts_used)} facts dhs-2023 tests" in text
    assert "facts dhs-2023 does not test" in text


def test_filling_three_facts_by_editing_the_text_decides_the_drill(
    dhs: Policy, library: Library
) -> None:
    text = scenario_template(dhs, blank_evaluation(dhs), scenario_id="warning-shot")
    edited = set_fact(text, "warning_shot", "true")
    edited = set_fact(edited, "verbal_warning_given", "false")
    edited = set_fact(edited, "subject_threatened_deadly_force", "false")
    # The comments are untouched: every question is still there.
    assert edited.count("\n  # ") == text.count("\n  # ")
    scenario = load(edited, library)
    result = evaluate_scenario(scenario, dhs)
    assert result.outcome is Outcome.NOT_AUTHORIZED
    decisive = result.accounts[0].results[0].evaluation.rules
    assert str(decisive["no_warning_shot"].status) == "unmet"
    facts = scenario.accounts["default"].facts
    assert facts["warning_shot"].value is Value.TRUE
    assert facts["subject_fleeing"].value is Value.UNKNOWN


@pytest.mark.parametrize("policy_id", POLICY_IDS)
def test_uncommenting_every_example_gives_a_valid_scenario(
    policy_id: str, library: Library
) -> None:
    policy = library.get(policy_id)
    text = scenario_template(policy, blank_evaluation(policy))
    for block in ("conclusions", "discharges", "expect"):
        text = uncomment(text, block)
    for key in ("id", "date", "place", "agency"):
        text = re.sub(rf"^# ({key}: )", r"\1", text, flags=re.M)
    text = re.sub(r"^  # ([a-z_]+: unknown)$", r"  \1", text, flags=re.M)
    scenario = load(text, library)
    assert scenario.spec.date is not None and scenario.spec.agency == "ICE"
    assert scenario.spec.conclusions and len(scenario.spec.discharges) == 2
    assert set(scenario.accounts["default"].facts) == set(library.vocabulary.ids)
    validate_expectations(scenario, policy)
    validate_conclusions(scenario, policy)
    assert len(evaluate_scenario(scenario, policy).accounts[0].results) == 2


@pytest.mark.parametrize("policy_id", POLICY_IDS)
def test_the_expect_example_holds_for_the_template_as_written(
    policy_id: str, library: Library
) -> None:
    policy = library.get(policy_id)
    scenario = load(
        uncomment(scenario_template(policy, blank_evaluation(policy)), "expect"), library
    )
    assert scenario.spec.expect is not None and scenario.spec.expect.conditions
    assert check_expectations(evaluate_scenario(scenario, policy)) == []


def test_the_template_matches_the_scenario_schema(dhs: Policy) -> None:
    import yaml

    schema = json.loads(shipped_schema_path(SchemaKind.scenario).read_text())
    check = Draft7Validator(schema)
    text = scenario_template(dhs, blank_evaluation(dhs), scenario_id="x")
    assert list(check.iter_errors(yaml.load(text, Loader=_Yaml12Loader))) == []
    for block in ("conclusions", "discharges", "expect"):
        text = uncomment(text, block)
    assert list(check.iter_errors(yaml.load(text, Loader=_Yaml12Loader))) == []


@pytest.mark.parametrize("name", ["yes", "2025-01-01", "drill: 7", "on", "x'y\"z", "unknown"])
def test_any_scenario_id_reads_back_as_written(name: str, dhs: Policy, library: Library) -> None:
    assert (
        load(scenario_template(dhs, blank_evaluation(dhs), scenario_id=name), library).spec.id
        == name
    )


def test_the_modeline_comes_first(dhs: Policy) -> None:
    text = scenario_template(dhs, blank_evaluation(dhs), schema="../schemas/scenario.json")
    assert text.startswith("# yaml-language-server: $schema=../schemas/scenario.json\n")
    assert "yaml-language-server" not in scenario_template(dhs, blank_evaluation(dhs))


def test_relative_reference_resolves_from_the_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "drill.yaml"
    other = tmp_path / "schemas" / "scenario.json"
    reference = relative_reference(target, other)
    assert reference == "../../schemas/scenario.json"
    assert (target.parent / reference).resolve() == other.resolve()


def test_the_template_is_deterministic(dhs: Policy) -> None:
    assert scenario_template(dhs, blank_evaluation(dhs), scenario_id="d") == scenario_template(
        dhs, blank_evaluation(dhs), scenario_id="d"
    )
