"""Condition coverage (`forcecheck check --coverage`): which statuses a scenario set reached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forcecheck.checks.check import check_paths
from forcecheck.checks.coverage import PolicyCoverage, coverage, exercised_rules
from forcecheck.engine.explain import evaluate
from forcecheck.load.library import Library
from forcecheck.model.logic import Status, Value

from .conftest import ROOT, SCENARIOS, invoke

EXAMPLE_POLICY = ROOT / "docs" / "examples" / "example-policy.yaml"

# Three scenarios under the example policy (rules: authorized, threat, tactics).
SET = {
    "a.yaml": """\
facts:
  subject_threatened_deadly_force: true
  threat_ended: false
  warning_shot: false
  shot_at_vehicle: false
  officer_placed_self_in_path: false
expect: {outcome: authorized}
""",
    # Two discharges; the threat ends before the second (so the subject no longer threatens
    # deadly force there). Tactics not addressed: unknown.
    "b.yaml": """\
facts: {subject_threatened_deadly_force: true, warning_shot: false, shot_at_vehicle: false}
discharges:
  - {id: shot-1, facts: {threat_ended: false}}
  - {id: shot-2, facts: {threat_ended: true, subject_threatened_deadly_force: false}}
expect: {outcome: not_authorized}
""",
    # The threat is unknown, but beside a warning shot it cannot matter.
    "c.yaml": """\
facts: {subject_threatened_deadly_force: unknown, warning_shot: true}
expect: {outcome: not_authorized}
""",
    "no-expect.yaml": "facts: {warning_shot: true}\n",
}


@pytest.fixture
def drills(tmp_path: Path) -> Path:
    for name, text in SET.items():
        (tmp_path / name).write_text(f"policy: {EXAMPLE_POLICY}\n{text}")
    return tmp_path


def _statuses(entry: PolicyCoverage) -> dict[str, dict[str, tuple[int, str]]]:
    return {
        rule.rule: {str(s): (n, str(rule.first[s])) for s, n in rule.counts.items()}
        for rule in entry.rules.values()
    }


def test_coverage_counts_every_account_and_discharge(drills: Path) -> None:
    [entry] = coverage(check_paths([drills]).results)
    assert entry.policy.id == "example-policy"
    assert [Path(p).name for p in entry.scenarios] == ["a.yaml", "b.yaml", "c.yaml"]
    assert entry.evaluations == 4
    assert _statuses(entry) == {
        "authorized": {"met": (2, "a"), "unmet": (2, "b @shot-2")},
        "threat": {"met": (2, "a"), "unmet": (1, "b @shot-2"), "unknown": (1, "c")},
        "tactics": {"met": (1, "a"), "unknown": (3, "b @shot-1")},
    }
    assert entry.never(Status.UNKNOWN) == ("authorized",)
    assert entry.never(Status.UNMET) == ("tactics",)
    assert entry.never(Status.MET) == ()
    assert (entry.reached, entry.possible, entry.full) == (7, 9, False)


def test_exercised_means_the_status_could_change_the_decision(drills: Path) -> None:
    [entry] = coverage(check_paths([drills]).results)
    threat = entry.rules["threat"]
    # In c the warning shot alone decides: the unknown threat is beside the point.
    assert threat.exercised == 3
    assert Status.UNKNOWN in threat.first and Status.UNKNOWN not in threat.first_exercised
    assert entry.rules["authorized"].exercised == 4
    assert entry.never_exercised == ()


def test_overdetermined_conditions_are_not_exercised(library: Library) -> None:
    dhs = library.get("dhs-2023")
    # Tennessee v. Garner's facts: two conditions fail, so neither alone decides.
    facts = {
        "subject_fleeing": Value.TRUE,
        "significant_threat_if_escapes": Value.FALSE,
        "threat_only_to_property_or_self": Value.TRUE,
        "subject_threatened_deadly_force": Value.FALSE,
        "shot_at_vehicle": Value.FALSE,
        "vehicle_moving_toward_person": Value.FALSE,
        "person_struck_or_dragged": Value.FALSE,
    }
    garner = evaluate(dhs, facts)
    live = exercised_rules(garner)
    assert garner.rules["lawful_basis"].status is Status.UNMET
    assert "lawful_basis" not in live and "not_only_property_or_self" not in live
    assert {"deadly_force_authorized", "safe_tactics"} <= live
    # With the property-only threat gone, lawful_basis alone decides.
    alone = evaluate(dhs, {**facts, "threat_only_to_property_or_self": Value.FALSE})
    assert "lawful_basis" in exercised_rules(alone)


def test_check_coverage_table(drills: Path) -> None:
    result = invoke(["check", "--coverage", str(drills)])
    assert result.exit_code == 0, result.stdout
    out = result.stdout
    assert out.startswith("3 passed, 0 failed, 1 skipped\n\n")
    assert (
        "Coverage of example-policy by 3 scenarios (4 evaluations): 7 of 9 rule statuses reached"
        in out
    )
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "│" in line}
    assert "never" in rows["authorized"].split("│")[4]
    # The first unknown threat was never exercised: marked, not hidden.
    assert "1 · c *" in rows["· threat"]
    assert "Never unmet: tactics" in out and "Never unknown: authorized" in out


def test_check_coverage_json(drills: Path) -> None:
    result = invoke(["check", "--coverage", "--format", "json", str(drills)])
    assert result.exit_code == 0
    [entry] = json.loads(result.stdout)["coverage"]
    assert (entry["policy"], entry["reached"], entry["possible"], entry["full"]) == (
        "example-policy",
        7,
        9,
        False,
    )
    threat = next(r for r in entry["rules"] if r["id"] == "threat")
    assert threat["statuses"]["unknown"]["count"] == 1
    assert threat["statuses"]["unknown"]["first"]["path"].endswith("c.yaml")
    assert threat["statuses"]["unknown"]["first_exercised"] is None
    assert threat["statuses"]["unmet"]["first"]["discharge"] == "shot-2"
    assert entry["never"] == {"met": [], "unmet": ["tactics"], "unknown": ["authorized"]}


def test_coverage_is_only_reported_when_asked(drills: Path) -> None:
    result = invoke(["check", "--format", "json", str(drills)])
    assert "coverage" not in json.loads(result.stdout)
    assert "Coverage" not in invoke(["check", str(drills)]).stdout


def test_require_full_coverage_fails_on_gaps(drills: Path) -> None:
    result = invoke(["check", "--require-full-coverage", str(drills)])
    assert result.exit_code == 1
    assert "Coverage of example-policy" in result.stdout
    assert "coverage is not full for: example-policy" in result.stderr


def test_require_full_coverage_fails_when_nothing_was_evaluated(tmp_path: Path) -> None:
    (tmp_path / "plain.yaml").write_text("policy: dhs-2023\nfacts: {}\n")
    result = invoke(["check", "--require-full-coverage", str(tmp_path)])
    assert result.exit_code == 1
    assert "no scenario with `expect:` was evaluated" in result.stdout
    assert "coverage is not full for: no policy" in result.stderr


def test_shipped_drills_cover_every_rule_of_dhs_2023() -> None:
    entries = coverage(check_paths([SCENARIOS / "training"]).results)
    [entry] = [e for e in entries if e.policy.id == "dhs-2023"]
    missing = {rule.rule: [str(s) for s in rule.missing] for rule in entry.rules.values()}
    assert {rule: gaps for rule, gaps in missing.items() if gaps} == {}
    assert entry.full and entry.never_exercised == ()
    assert len(entry.rules) == len(entry.policy.rules)


def test_require_full_coverage_passes_on_the_shipped_drills() -> None:
    result = invoke(["check", "--require-full-coverage", str(SCENARIOS / "training")])
    assert result.exit_code == 0, result.stderr
    assert "Every rule was driven to met, unmet and unknown." in result.stdout


def test_two_conditions_that_both_sink_the_decision_mask_each_other(tmp_path: Path) -> None:
    # A car at an officer who could have stepped aside and had another option: both sink the
    # vehicle exception, so neither alone is ever shown deciding. The footer says so, naming
    # the drill and what masked each.
    (tmp_path / "both.yaml").write_text(
        "policy: dhs-2023\nfacts:\n"
        "  subject_threatened_deadly_force: false\n  subject_driving: true\n"
        "  vehicle_moving_toward_person: true\n  person_in_vehicle_path: true\n"
        "  threat_ended: false\n  shot_at_vehicle: true\n  could_avoid_vehicle: true\n"
        "  other_defense_available: true\n"
        "expect: {outcome: not_authorized}\n"
    )
    result = invoke(["check", "--coverage", str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    text = " ".join(result.stdout.split())
    assert "Reached but never decisive (*)" in text
    assert "no_reasonable_alternative unmet: in both, masked by" in text
    data = json.loads(invoke(["check", "--coverage", "-f", "json", str(tmp_path)]).stdout)
    idle = {(d["rule"], d["status"]): d for d in data["coverage"][0]["never_decisive"]}
    masked = idle[("no_reasonable_alternative", "unmet")]
    assert masked["example"]["scenario"] == "both"
    assert "moving_vehicle_rule" in masked["masked_by"]
