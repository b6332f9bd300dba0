"""`forcecheck check`: scenario expectations run like tests."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import ROOT, invoke

FAILING = """\
policy: dhs-2023
facts: {warning_shot: true}
expect:
  outcome: authorized
  conditions: {no_warning_shot: met, lawful_basis: unknown}
"""


def test_every_shipped_scenario_passes() -> None:
    result = invoke(["check", str(ROOT / "scenarios")])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith(
        f"{len(list((ROOT / 'scenarios').rglob('*.yaml')))} passed, 0 failed"
    )


def test_all_mismatches_are_reported_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FAILING)
    good = tmp_path / "good.yaml"
    good.write_text(
        "policy: dhs-2023\nfacts: {warning_shot: true}\nexpect: {outcome: not_authorized}\n"
    )
    (tmp_path / "plain.yaml").write_text("policy: dhs-2023\nfacts: {}\n")
    result = invoke(["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad}:4:12: account 'default': outcome: expected authorized, got not_authorized",
        f"{bad}:5:33: account 'default': condition 'no_warning_shot': expected met, got unmet",
        "1 passed, 1 failed, 1 skipped",
    ]


def test_json_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FAILING)
    report = json.loads(invoke(["check", str(bad), "--format", "json"]).stdout)
    assert report["summary"] == {"passed": 0, "failed": 1}
    [failure] = report["failed"]
    assert [(m["subject"], m["expected"], m["got"]) for m in failure["mismatches"]] == [
        ("outcome", "authorized", "not_authorized"),
        ("condition 'no_warning_shot'", "met", "unmet"),
    ]


def test_an_invalid_scenario_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "typo.yaml").write_text("policy: dhs-2023\nfacts: {warning_shot: ture}\n")
    result = invoke(["check", str(tmp_path)])
    assert result.exit_code == 3 and "typo.yaml:2:23: error:" in result.stderr


LAYERED = """\
date: 2025-09-12
agency: ICE
facts:
  subject_fleeing: true
  subject_armed: false
  subject_threatened_deadly_force: false
  threat_only_to_property_or_self: false
  threat_ended: false
  significant_threat_if_escapes: true
  escape_poses_imminent_danger: false
  violent_felony_suspect: true
  necessary_to_prevent_escape: true
  shot_at_vehicle: false
  vehicle_moving_toward_person: false
  person_in_vehicle_path: false
  person_struck_or_dragged: false
  officer_placed_self_in_path: false
  other_defense_available: false
  shot_solely_to_disable_vehicle: false
  warning_shot: false
  verbal_warning_feasible: true
  verbal_warning_given: true
  identification_practical_and_safe: true
  identified_as_officer: true
expect:
  layers:
{layers}
"""


def test_expect_layers_checks_each_binding_layer_and_the_strictest(tmp_path: Path) -> None:
    path = tmp_path / "alley.yaml"
    path.write_text(
        LAYERED.format(layers="    8cfr-287-8: not_authorized\n    strictest: not_authorized")
    )
    assert invoke(["check", str(path)]).exit_code == 0
    path.write_text(LAYERED.format(layers="    8cfr-287-8: authorized\n    strictest: authorized"))
    result = invoke(["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        f"{path}:27:17: account 'default': outcome under 8cfr-287-8: expected authorized, "
        "got not_authorized",
        f"{path}:28:16: account 'default': outcome across the layers: expected authorized, "
        "got not_authorized",
    ]


def test_expect_layers_refuses_a_layer_the_scenario_is_not_judged_under(tmp_path: Path) -> None:
    path = tmp_path / "alley.yaml"
    path.write_text(LAYERED.format(layers="    ice-2004: authorized"))
    result = invoke(["check", str(path)])
    assert result.exit_code == 3
    assert f"{path}:27:5: error: `expect` names a layer 'ice-2004'" in result.stderr
    assert "help: its layers: dhs-2023, 8cfr-287-8, constitutional-floor, strictest" in (
        result.stderr
    )
    named = tmp_path / "named.yaml"
    named.write_text("policy: dhs-2023\nfacts: {}\nexpect:\n  layers: {strictest: undetermined}\n")
    result = invoke(["check", str(named)])
    assert result.exit_code == 3
    assert "layers are judged only where `date` and `agency` choose them" in result.stderr
