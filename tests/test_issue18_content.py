"""The policy content of issue 18: the regulation layer, probable cause of a violent felony in
the ICE fleeing rule, any other defense in the vehicle exceptions, and the exclusion that keeps
an imminently dangerous escape from being less than a significant threat."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forcecheck.errors import ContradictionError
from forcecheck.load.library import Library, scenario_layers
from forcecheck.load.scenario_loader import load_scenario

from .conftest import SCENARIOS, invoke

DRILLS = SCENARIOS / "training"
FLEEING_UNARMED = """\
date: {date}
agency: {agency}
facts:
  subject_fleeing: true
  subject_threatened_deadly_force: false
  threat_only_to_property_or_self: false
  threat_ended: false
  significant_threat_if_escapes: true
  escape_poses_imminent_danger: false
  necessary_to_prevent_escape: true
  shot_at_vehicle: false
  person_struck_or_dragged: false
  vehicle_moving_toward_person: false
  other_defense_available: false
  shot_solely_to_disable_vehicle: false
  warning_shot: false
  verbal_warning_feasible: true
  verbal_warning_given: true
"""


def _layer_outcomes(path: Path) -> dict[str, str]:
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    return {layer["policy"]: layer["accounts"][0]["outcome"] for layer in report["layers"]}


def _strictest_row(path: Path) -> str:
    table: str = invoke(["evaluate", str(path), "--table-format", "plain"]).stdout
    [row] = [line for line in table.splitlines() if line.startswith("strictest")]
    return row.split()[-1]


@pytest.mark.parametrize("agency", ["ICE", "CBP"])
def test_the_regulation_binds_ice_and_cbp_beside_dhs_2023_and_the_floor(
    tmp_path: Path, agency: str, library: Library
) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text(FLEEING_UNARMED.format(date="2025-09-12", agency=agency))
    scenario = load_scenario(path, library.vocabulary)
    layers = [b.policy.id for b in scenario_layers(scenario, library)]
    assert layers == ["dhs-2023", "8cfr-287-8", "constitutional-floor"]


def test_the_regulation_binds_since_1994_and_no_one_before(
    tmp_path: Path, library: Library
) -> None:
    for date, bound in (("1994-08-16", False), ("1994-08-17", True), ("2001-01-01", True)):
        path = tmp_path / f"{date}.yaml"
        path.write_text(FLEEING_UNARMED.format(date=date, agency="INS"))
        scenario = load_scenario(path, library.vocabulary)
        layers = [b.policy.id for b in scenario_layers(scenario, library)]
        assert ("8cfr-287-8" in layers) is bound, date


def test_a_dangerous_fugitive_is_no_imminent_danger_under_the_regulation() -> None:
    drill = DRILLS / "36-old-homicide-suspect-runs-down-alley.yaml"
    outcomes = _layer_outcomes(drill)
    # DHS 2023's fleeing clause and Garner allow it; the regulation has no fleeing clause.
    assert outcomes == {
        "dhs-2023": "authorized",
        "8cfr-287-8": "not_authorized",
        "constitutional-floor": "authorized",
    }
    assert _strictest_row(drill) == "not_authorized"


def _statuses(path: Path, policy: str) -> dict[str, str]:
    report = json.loads(invoke(["evaluate", str(path), "-p", policy, "-f", "json"]).stdout)
    [evaluation] = report["evaluations"]
    return {c["id"]: c["status"] for c in evaluation["conditions"] + evaluation["findings"]}


def test_an_escape_that_endangers_people_is_within_the_regulation() -> None:
    drill = DRILLS / "37-dangerous-escape-no-violent-felony.yaml"
    statuses = _statuses(drill, "8cfr-287-8")
    assert statuses["dangerous_escape"] == "met" and statuses["present_danger"] == "unmet"
    # ... while ICE 2004 also asks for probable cause of a violent felony, which is missing.
    assert _layer_outcomes(drill)["ice-2004"] == "not_authorized"
    assert _layer_outcomes(drill)["8cfr-287-8"] == "authorized"


def test_cover_or_a_partners_taser_defeats_both_vehicle_exceptions() -> None:
    outcomes = _layer_outcomes(DRILLS / "38-car-at-officer-with-cover-and-taser.yaml")
    assert outcomes["ice-2004"] == outcomes["dhs-2018"] == "not_authorized"


def test_identification_is_a_finding_not_a_condition_of_the_decision(
    tmp_path: Path, library: Library
) -> None:
    assert library.get("8cfr-287-8").findings == ("identification_at_arrest",)
    path = tmp_path / "unidentified.yaml"
    path.write_text(
        "policy: 8cfr-287-8\nfacts:\n  subject_threatened_deadly_force: true\n"
        "  threat_ended: false\n  threat_only_to_property_or_self: false\n"
        "  other_defense_available: false\n  identification_practical_and_safe: true\n"
        "  identified_as_officer: false\n"
    )
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    assert report["outcome"] == "authorized"
    assert _statuses(path, "8cfr-287-8")["identification_at_arrest"] == "unmet"


def test_an_imminently_dangerous_escape_is_a_significant_threat(
    tmp_path: Path, library: Library
) -> None:
    path = tmp_path / "below-the-floor.yaml"
    path.write_text(
        "policy: ice-2004\nfacts:\n  escape_poses_imminent_danger: true\n"
        "  significant_threat_if_escapes: false\n"
    )
    with pytest.raises(ContradictionError) as caught:
        load_scenario(path, library.vocabulary)
    assert "imminent_escape_danger_is_a_significant_threat" in caught.value.message
