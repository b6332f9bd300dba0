"""Points the text leaves unsettled: Barnes on the floor, text not seen, and how reports say so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import ROOT, invoke

DRILLS = ROOT / "scenarios" / "training"

#: A man fires at an officer on foot: no vehicle anywhere, and the account says nothing of one.
ON_FOOT = """\
policy: constitutional-floor
facts:
  subject_fleeing: false
  subject_threatened_deadly_force: true
  threat_ended: false
  threat_only_to_property_or_self: false
  shot_at_vehicle: false
"""

#: Shots at a car that drove at the officer; whether he had stepped into its path: {placed}.
AT_A_CAR = """\
policy: constitutional-floor
facts:
  subject_fleeing: false
  subject_threatened_deadly_force: false
  threat_ended: false
  threat_only_to_property_or_self: false
  shot_at_vehicle: true
  vehicle_moving_toward_person: true
  subject_driving: true
  person_in_vehicle_path: true
  officer_placed_self_in_path: {placed}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return path


def _evaluation(path: Path) -> dict[str, Any]:
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    evaluation: dict[str, Any] = report["evaluations"][0]
    return evaluation


def test_a_shooting_on_foot_is_not_held_open_by_barnes(tmp_path: Path) -> None:
    # The officer's stepping into a vehicle's path is not a question without a vehicle.
    evaluation = _evaluation(_write(tmp_path, ON_FOOT))
    assert evaluation["outcome"] == "authorized"
    assert evaluation["unsettled"] == []


def test_barnes_holds_the_floor_open_where_the_officer_stepped_in_front_and_quotes_why(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, AT_A_CAR.format(placed="true"))
    evaluation = _evaluation(path)
    assert evaluation["outcome"] == "undetermined"
    [point] = evaluation["unsettled"]
    assert point["rule"] == "officer_created_danger" and point["why"] == "left_open"
    assert "creation of a dangerous situation" in point["citation"]["quote"]
    table = invoke(["evaluate", str(path), "--full"]).stdout
    assert "Undetermined where the text is open (no fact can settle these):" in table
    assert "officer_created_danger: left open by the text" in table
    # Had he not stepped in front, the floor would authorize.
    assert _evaluation(_write(tmp_path, AT_A_CAR.format(placed="false")))["outcome"] == (
        "authorized"
    )


def test_a_point_that_only_may_apply_is_a_question_not_an_open_text(tmp_path: Path) -> None:
    """Whether he stepped in front is unknown: a fact can still settle it, so it is asked."""
    path = _write(tmp_path, AT_A_CAR.format(placed="unknown"))
    evaluation = _evaluation(path)
    assert evaluation["outcome"] == "undetermined"
    assert evaluation["unsettled"] == []
    assert "no fact can settle" not in invoke(["evaluate", str(path), "--full"]).stdout
    asked = invoke(["questions", str(path)]).stdout
    assert "officer_placed_self_in_path" in asked


def test_a_warning_shot_under_a_text_not_seen_is_undetermined_not_authorized() -> None:
    path = DRILLS / "43-warning-shot-text-not-seen.yaml"
    evaluation = _evaluation(path)
    assert evaluation["outcome"] == "undetermined"
    assert [p["why"] for p in evaluation["unsettled"]] == ["text_not_seen"]
    compared = invoke(["compare", str(path), "--policies", "dhs-2018,dhs-2023"]).stdout
    assert "dhs-2018: warning_shot_text: text not seen" in compared


def test_evaluate_says_why_another_layer_is_held_open(tmp_path: Path) -> None:
    """The floor's undetermined row in the layers table comes with Barnes quoted."""
    path = _write(
        tmp_path,
        "date: 2025-09-12\nagency: ICE\n" + AT_A_CAR.format(placed="true").split("\n", 1)[1],
    )
    table = invoke(["evaluate", str(path), "--full"]).stdout
    assert "Where another layer is undetermined because its text is open:" in table
    assert "constitutional-floor: officer_created_danger: left open by the text" in table
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    floor = next(layer for layer in report["layers"] if layer["policy"] == "constitutional-floor")
    assert [p["rule"] for p in floor["accounts"][0]["unsettled"]] == ["officer_created_danger"]


def test_compare_across_policies_names_the_account_and_marks_partial_rows() -> None:
    incident = ROOT / "scenarios" / "incidents" / "minneapolis-good-2026-01-07.yaml"
    shown = invoke(["compare", str(incident), "--policies", "all"]).stdout
    assert "Account:  agency (choose another with --account)" in shown
    # The legend's mark is printed where a policy lacks the condition.
    assert "~ marks a condition only some of the policies have" in shown
    assert any(line.startswith("│ ~ ") for line in shown.splitlines())
