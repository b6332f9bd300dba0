"""`policies`, `explain`, `lint` and `compare`: the policy library as a user works with it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, invoke

EXAMPLES = ROOT / "docs" / "examples"


def test_policies_lists_dates_scope_and_citation_counts() -> None:
    result = invoke(["policies", "--format", "json"])
    assert result.exit_code == 0
    listed = {p["id"]: p for p in json.loads(result.stdout)}
    dhs = listed["dhs-2023"]
    assert dhs["effective"] == "2023-02-06" and dhs["superseded"] is None
    assert "ICE" in dhs["agencies"] and dhs["layer"] == "department"
    assert dhs["rules"] == dhs["verbatim"] + dhs["secondary"] and dhs["verbatim"] > 0
    table = invoke(["policies"]).stdout
    assert "dhs-2023" in table and "verbatim" in table


def test_explain_reads_the_rule_back_with_its_quotes() -> None:
    result = invoke(["explain", "moving_vehicle_rule", "--policy", "dhs-2023"])
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert out.index("rule moving_vehicle_rule") < out.index("rule vehicle_exception")
    assert "§VI.B.2.a · verbatim" in out and "DHS LEOs are prohibited from discharging" in out
    assert "IF (otherwise this requirement does not apply):" in out
    assert "fact shot_at_vehicle: Was the firearm discharged at a moving vehicle" in out
    assert "interpretation:" in out and "moving out of the path of the vehicle" in out


def test_explain_unknown_rule_suggests_one() -> None:
    result = invoke(["explain", "moving_vehicle_rul"])
    assert result.exit_code == 3
    assert "did you mean 'moving_vehicle_rule'?" in result.stderr


# ---------------------------------------------------------------- lint


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    """A policy directory of one's own: the example policy, its sources, the vocabulary."""
    shutil.copy(ROOT / "policy" / "facts.yaml", tmp_path / "facts.yaml")
    shutil.copy(EXAMPLES / "example-policy.yaml", tmp_path / "example-policy.yaml")
    shutil.copytree(EXAMPLES / "sources", tmp_path / "sources")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _add_rule(policy: Path, rule_id: str, expression: str, *, in_decision: bool) -> None:
    """Append a rule with a placeholder citation; optionally make the decision require it."""
    if in_decision:
        _edit(
            policy, "      - not: warning_shot\n", f"      - not: warning_shot\n      - {rule_id}\n"
        )
    policy.write_text(
        policy.read_text() + f"  {rule_id}:\n    title: {rule_id}\n    {expression}\n"
        "    citation: {source: directive, section: '9', quote: x, wording: secondary}\n"
    )


def _lint(*paths: Path) -> tuple[int, list[str]]:
    result = invoke(["lint", *map(str, paths)])
    return result.exit_code, result.stdout.splitlines()


def test_example_policy_lints_clean_but_for_unused_facts(lib: Path) -> None:
    code, lines = _lint(lib)
    assert code == 0
    assert lines and all("[unused-fact]" in line for line in lines)


def test_a_changed_word_in_a_verbatim_quote_is_named_with_rule_file_and_line(lib: Path) -> None:
    policy = lib / "example-policy.yaml"
    _edit(policy, "Officers should not step into", "Officers must not step into")
    code, lines = _lint(policy)
    assert code == 1
    [line] = [ln for ln in lines if "[verbatim]" in ln]
    line_no = next(
        i for i, text in enumerate(policy.read_text().splitlines(), 1) if "must not step" in text
    )
    assert line.startswith(f"{policy}:{line_no}:")
    assert "rule 'tactics'" in line and "sources/directive.md" in line


def test_a_verbatim_quote_with_no_source_file(lib: Path) -> None:
    (lib / "sources" / "directive.md").unlink()
    code, lines = _lint(lib / "example-policy.yaml")
    assert code == 1 and any("[source-file]" in line for line in lines)


def test_unused_rule_is_a_warning(lib: Path) -> None:
    policy = lib / "example-policy.yaml"
    _add_rule(policy, "orphan", "not: warning_shot", in_decision=False)
    code, lines = _lint(policy)
    assert code == 0
    assert any("rule 'orphan' is used by neither" in ln and "[unused-rule]" in ln for ln in lines)


def test_constant_and_never_decisive_rules_are_warnings(lib: Path) -> None:
    policy = lib / "example-policy.yaml"
    _add_rule(policy, "always", "any: [warning_shot, {not: warning_shot}]", in_decision=True)
    code, lines = _lint(policy)
    assert code == 0
    assert any("rule 'always' is met whatever the facts" in ln for ln in lines)


def test_a_rule_that_never_changes_the_decision(lib: Path) -> None:
    policy = lib / "example-policy.yaml"
    # `threat` already requires subject_threatened_deadly_force; requiring it again
    # through another rule can never change the outcome.
    _add_rule(policy, "again", "all: [subject_threatened_deadly_force]", in_decision=True)
    _code, lines = _lint(policy)
    assert any("rule 'again' never changes the decision" in ln for ln in lines), lines


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    not: officer_placed_self_in_path\n",
            "    not: officer_placed_self_in_pth\n",
            "neither a rule of this policy nor a declared fact",
        ),
        (
            "      - subject_threatened_deadly_force\n",
            "      - authorized\n",
            "rules refer to each other in a cycle: authorized -> threat -> authorized",
        ),
        (
            '    citation:\n      source: directive\n      section: "3.4"',
            '    cite:\n      source: directive\n      section: "3.4"',
            "missing required key 'citation'",
        ),
    ],
    ids=["undeclared fact", "cycle", "missing citation"],
)
def test_broken_policies_are_lint_errors(lib: Path, old: str, new: str, message: str) -> None:
    policy = lib / "example-policy.yaml"
    _edit(policy, old, new)
    code, lines = _lint(policy)
    assert code == 3  # a policy that does not load is invalid input, as for every command
    assert any(message in line and line.startswith(str(policy) + ":") for line in lines), lines


def test_scenarios_are_linted_too(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("policy: dhs-2023\nfacts:\n  subject_fleing: true\n")
    good = tmp_path / "good.yaml"
    good.write_text("policy: dhs-2023\nfacts:\n  subject_fleeing: true\n")
    code, lines = _lint(tmp_path)
    assert code == 3
    assert lines == [
        f"{bad}:3:3: error: unknown fact 'subject_fleing' [scenario]",
        "help: did you mean 'subject_fleeing'?",
    ]


def test_lint_missing_path() -> None:
    result = invoke(["lint", "no/such/dir"])
    assert result.exit_code == 3 and "no such file or directory" in result.stderr


# ---------------------------------------------------------------- compare


def test_compare_across_policies_marks_where_they_part_ways() -> None:
    drill = "docs/examples/example-drill.yaml"
    result = invoke(
        [
            "compare",
            str(ROOT / drill),
            "--policies",
            f"dhs-2023,{EXAMPLES / 'example-policy.yaml'}",
            "--format",
            "json",
        ]
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [c["policy"] for c in report["columns"]] == ["dhs-2023", "example-policy"]
    rows = {row["id"]: row for row in report["conditions"]}
    assert rows["moving_vehicle_rule"]["statuses"] == ["unmet", None]
    assert rows["moving_vehicle_rule"]["partial"] and not rows["moving_vehicle_rule"]["differs"]
    assert rows["deadly_force_authorized"]["differs"] is False  # both unmet here
    table = invoke(
        ["compare", str(ROOT / drill), "--policies", f"dhs-2023,{EXAMPLES / 'example-policy.yaml'}"]
    ).stdout
    assert "~" in table and "OUTCOME" in table


def test_compare_accounts_side_by_side() -> None:
    path = ROOT / "scenarios" / "incidents" / "minneapolis-good-2026-01-07.yaml"
    report = json.loads(invoke(["compare", str(path), "-f", "json"]).stdout)
    labels = [c["label"] for c in report["columns"]]
    assert labels[0] == "agency" and "video @ shots-2-3" in labels
    assert report["outcomes_differ"]


def test_every_shipped_policy_and_scenario_lints_without_errors() -> None:
    result = invoke(["lint", str(ROOT / "policy"), str(ROOT / "scenarios")])
    assert result.exit_code == 0, result.stdout
    assert not [line for line in result.stdout.splitlines() if ": error:" in line]


def test_the_library_holds_the_six_policies() -> None:
    listed = {p["id"]: p for p in json.loads(invoke(["policies", "-f", "json"]).stdout)}
    assert set(listed) >= {
        "dhs-2023",
        "dhs-2018",
        "ice-2004",
        "cbp-2014",
        "doj-2022",
        "constitutional-floor",
    }
    assert listed["doj-2022"]["layer"] == "benchmark"
    assert listed["constitutional-floor"]["agencies"] == ["ALL"]
    assert listed["dhs-2018"]["superseded"] == "2023-02-06"


def test_compare_a_drill_across_all_policies() -> None:
    drill = ROOT / "scenarios/training/06-car-at-officer-could-step-aside.yaml"
    ids = "constitutional-floor,dhs-2018,dhs-2023,ice-2004,cbp-2014,doj-2022"
    report = json.loads(invoke(["compare", str(drill), "--policies", ids, "-f", "json"]).stdout)
    outcomes = {c["policy"]: c["outcome"] for c in report["columns"]}
    # Only the policies that count stepping aside as an alternative forbid this shot.
    assert outcomes["dhs-2023"] == outcomes["doj-2022"] == "not_authorized"
    assert outcomes["constitutional-floor"] == "authorized"
    rows = {row["id"]: row for row in report["conditions"]}
    assert rows["moving_vehicle_rule"]["differs"] and report["outcomes_differ"]


def test_lint_names_a_scenario_with_a_missing_policy(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("policy: dhs-2032\nfacts: {}\n")
    code, lines = _lint(path)
    assert code == 3
    assert lines == [
        f"{path}:1:9: error: unknown policy 'dhs-2032' [scenario]",
        "help: did you mean 'dhs-2023'?",
    ]


def test_lint_reports_every_broken_policy_once_each_with_its_help(tmp_path: Path) -> None:
    """Two broken policies and a drill that uses one: both named, the drill's path adds none."""
    folder = tmp_path / "policy"
    folder.mkdir()
    for name in ("facts.yaml", "dhs-2023.yaml", "doj-2022.yaml", "dhs-2018.yaml"):
        shutil.copy(ROOT / "policy" / name, folder / name)
    shutil.copytree(ROOT / "policy" / "sources", folder / "sources")
    _edit(folder / "dhs-2023.yaml", "decision: deadly_force_authorized", "decision: nope")
    _edit(folder / "doj-2022.yaml", "layer: benchmark", "layer: seventh")
    drill = tmp_path / "drill.yaml"
    drill.write_text("policy: dhs-2023\nfacts: {subject_fleeing: true}\n")
    result = invoke(["--policies-dir", str(folder), "lint", str(folder), str(drill)])
    assert result.exit_code == 3, result.output
    lines = result.stdout.splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert [line.split(":")[0] for line in errors] == [
        str(folder / "dhs-2023.yaml"),
        str(folder / "doj-2022.yaml"),
    ], lines
    assert errors[0].endswith("error: no rule named 'nope' [load]")
    # Each error's help follows it on a line of its own; dhs-2018 was still linted.
    for error in errors:
        assert lines[lines.index(error) + 1].startswith("help: "), lines
    assert "(" not in errors[0]
    assert "2 error(s)" in result.stderr


def test_compare_refuses_an_option_that_names_nothing() -> None:
    path = "scenarios/incidents/franklin-park-2025-09-12.yaml"
    for option in ("--policies", "--account"):
        result = invoke(["compare", path, option, " , "])
        assert result.exit_code == 2
        assert "names nothing" in result.stderr
    both = invoke(["compare", path, "--policies", "dhs-2023,dhs-2018", "--account", "agency,video"])
    assert both.exit_code == 2
    assert "names one account" in both.stderr
