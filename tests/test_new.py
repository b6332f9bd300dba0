"""`forcecheck new`: the template on disk, never overwriting, the user's next steps work."""

from __future__ import annotations

import json
import re
from pathlib import Path

from forcecheck.load.schema import SchemaKind, shipped_schema_path

from .conftest import ROOT, invoke, run_process


def test_new_writes_a_template_that_evaluate_runs(tmp_path: Path) -> None:
    target = tmp_path / "drill.yaml"
    result = invoke(["new", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"Wrote {target}" in result.stderr and "forcecheck evaluate" in result.stderr
    text = target.read_text()
    assert "policy: dhs-2023" in text and "id: drill" in text
    evaluated = invoke(["evaluate", str(target), "--format", "json"])
    assert evaluated.exit_code == 0, evaluated.stderr
    assert '"outcome": "undetermined"' in evaluated.stdout


def test_new_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "drill.yaml"
    target.write_text("facts: {warning_shot: true}\n")
    refused = run_process(["new", str(target)])
    assert refused.returncode == 3
    assert refused.stderr == (
        f"{target}: error: the file already exists\n"
        "help: pass --force to replace it, or name another file\n"
    )
    assert target.read_text() == "facts: {warning_shot: true}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["drill.yaml"]  # no temporary file left
    replaced = invoke(["new", str(target), "--force"])
    assert replaced.exit_code == 0, replaced.stderr
    assert "subject_fleeing: unknown" in target.read_text()


def test_an_unknown_policy_is_an_input_error_with_a_suggestion(tmp_path: Path) -> None:
    target = tmp_path / "drill.yaml"
    result = run_process(["new", str(target), "--policy", "dhs-2032"])
    assert result.returncode == 3
    assert result.stderr == "error: unknown policy 'dhs-2032'\nhelp: did you mean 'dhs-2023'?\n"
    assert not target.exists()


def test_policy_option_picks_the_policy(tmp_path: Path) -> None:
    target = tmp_path / "drill.yaml"
    assert invoke(["new", str(target), "--policy", "doj-2022"]).exit_code == 0
    text = target.read_text()
    assert "policy: doj-2022" in text and "facts doj-2022 tests" in text


def test_a_policy_file_of_ones_own_is_named_relative_to_the_scenario(tmp_path: Path) -> None:
    target = tmp_path / "drills" / "car.yaml"
    target.parent.mkdir()
    policy = ROOT / "docs" / "examples" / "example-policy.yaml"
    assert invoke(["new", str(target), "--policy", str(policy)]).exit_code == 0
    line = next(line for line in target.read_text().splitlines() if line.startswith("policy:"))
    written = line.removeprefix("policy: ").strip('"')
    assert not Path(written).is_absolute()
    assert (target.parent / written).resolve() == policy.resolve()
    # Run from elsewhere: the path is read relative to the scenario file.
    evaluated = run_process(["evaluate", str(target)], env=None)
    assert evaluated.returncode == 0, evaluated.stderr


def test_the_modeline_points_at_the_committed_schema(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "drill.yaml"
    target.parent.mkdir(parents=True)
    assert invoke(["new", str(target)]).exit_code == 0
    first = target.read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    schema = (target.parent / first.removeprefix(prefix)).resolve()
    assert schema == shipped_schema_path(SchemaKind.scenario).resolve()


def test_in_the_repository_the_modeline_is_short() -> None:
    result = invoke(["new", "-"])
    assert result.exit_code == 0
    # Printed from the repository root (the tests' working directory) or wherever: the
    # path is relative to the current directory then.
    first = result.stdout.splitlines()[0]
    assert first.endswith("schemas/scenario.json")


def test_dash_prints_the_template(tmp_path: Path) -> None:
    result = invoke(["new", "-", "--policy", "dhs-2018"])
    assert result.exit_code == 0
    assert "policy: dhs-2018" in result.stdout and "# id: a-short-identifier" in result.stdout


def test_a_json_file_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(["new", str(tmp_path / "drill.json")])
    assert result.exit_code == 2
    assert not (tmp_path / "drill.json").exists()


def test_a_missing_directory_is_an_input_error(tmp_path: Path) -> None:
    result = run_process(["new", str(tmp_path / "nowhere" / "drill.yaml")])
    assert result.returncode == 3
    assert "error: cannot write the file" in result.stderr and "help:" in result.stderr


def test_the_new_user_walkthrough(tmp_path: Path) -> None:
    """new a drill, fill three facts, evaluate, whatif one fact, interview --from, check."""
    drill = tmp_path / "scenarios" / "car-stop.yaml"
    drill.parent.mkdir()
    assert invoke(["new", str(drill)]).exit_code == 0
    text = drill.read_text()
    for fact, value in [
        ("shot_at_vehicle", "true"),
        ("vehicle_moving_toward_person", "true"),
        ("could_avoid_vehicle", "true"),
    ]:
        assert f"  {fact}: unknown\n" in text
        text = text.replace(f"  {fact}: unknown\n", f"  {fact}: {value}\n")
    drill.write_text(text)
    evaluated = invoke(["evaluate", str(drill), "--format", "json"])
    assert evaluated.exit_code == 0, evaluated.stderr
    assert '"outcome": "undetermined"' in evaluated.stdout
    assert '"shot_at_vehicle"' in evaluated.stdout
    changed = invoke(
        ["whatif", str(drill), "--set", "subject_threatened_deadly_force=false", "-f", "json"]
    )
    assert changed.exit_code == 0, changed.stderr
    outcome = json.loads(changed.stdout)["outcomes"][0]
    assert (outcome["before"], outcome["after"]) == ("undetermined", "not_authorized")
    # The facts left unknown in the template are open questions, not answers: the
    # interview asks them. One answered unknown, the rest no.
    saved = drill.parent / "car-stop-interviewed.yaml"
    interviewed = run_process(
        ["interview", "--from", str(drill), "--save", str(saved)], input="?\n" + "n\n" * 20
    )
    assert interviewed.returncode == 0, interviewed.stderr
    # It asks the point first (did he threaten deadly force other than with the car?); not
    # knowing that, the shot at the car cannot be settled whatever the other answers.
    assert "Question 1 (13 open facts" in interviewed.stdout
    assert "[subject_threatened_deadly_force]" in interviewed.stdout.split("Question 2")[0]
    # 8 questions before the interview counted "unknown" among the answers (#21.5).
    asked = re.search(r"Outcome: undetermined after (\d+) questions\.", interviewed.stdout)
    assert asked is not None and int(asked.group(1)) <= 8, interviewed.stdout[-300:]
    assert "subject_threatened_deadly_force: unknown" in saved.read_text()
    # Uncomment the expect example: it holds for the drill as filled in, so check passes.
    text = drill.read_text()
    start = text.index("# expect:")
    drill.write_text(text[:start] + text[start:].replace("\n# ", "\n").removeprefix("# "))
    checked = invoke(["check", str(drill.parent)])
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "1 passed, 0 failed, 1 skipped" in checked.stdout


def test_a_policy_with_its_own_vocabulary_gets_no_shipped_schema_line(tmp_path: Path) -> None:
    target = tmp_path / "drill.yaml"
    policy = ROOT / "docs" / "examples" / "policy-repo" / "policy" / "ecpd-2024.yaml"
    result = invoke(["new", str(target), "--policy", str(policy)])
    assert result.exit_code == 0, result.stderr
    text = target.read_text()
    assert "yaml-language-server" not in text
    assert "forcecheck schema scenario --vocabulary" in result.stderr
    assert "subject_fleeing: unknown" in text
    assert run_process(["evaluate", str(target)]).returncode == 0


def test_an_incident_template_has_accounts_and_sources_and_no_policy(tmp_path: Path) -> None:
    incident = tmp_path / "shooting.yaml"
    result = invoke(["new", "--incident", str(incident)])
    assert result.exit_code == 0, result.stderr
    text = incident.read_text()
    assert "\npolicy:" not in text and "\nexpect:" not in text
    assert "\nsources:\n  agency-statement:" in text and "\naccounts:\n  agency:" in text
    # Every fact of the vocabulary is listed, by topic, for the coder to copy.
    assert "# -- who posed the threat --" in text
    for fact in ("subject_driving", "vehicle_involved", "threat_from_another_person"):
        assert f"# {fact}: " in text
    # Valid as written: date and agency choose the layers.
    evaluated = invoke(["evaluate", str(incident), "-f", "json"])
    assert evaluated.exit_code == 0, evaluated.stderr
    report = json.loads(evaluated.stdout)
    assert {layer["policy"] for layer in report["layers"]} >= {"dhs-2023", "8cfr-287-8"}
    refused = invoke(["new", "--incident", "-", "--policy", "dhs-2023"])
    assert refused.exit_code == 2 and "names no policy" in refused.stderr
