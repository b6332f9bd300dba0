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
