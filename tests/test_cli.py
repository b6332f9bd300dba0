"""The `forcecheck evaluate` command as a user runs it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from forcecheck.load.library import binds, shipped
from forcecheck.model.binding import LAYER_ORDER

from .conftest import ROOT, invoke, run_process

MINIMAL = """\
policy: dhs-2023
facts:
  subject_fleeing: true
  subject_threatened_deadly_force: false
  verbal_warning_given: unknown
"""


def _minimal(tmp_path: Path, text: str = MINIMAL, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_json_follows_the_contract(tmp_path: Path) -> None:
    result = invoke(["evaluate", str(_minimal(tmp_path)), "--format", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["policy"]["id"] == "dhs-2023"
    assert report["outcome"] == "undetermined"
    [evaluation] = report["evaluations"]
    assert evaluation["account"] == "default" and evaluation["discharge"] is None
    assert evaluation["outcome"] == "undetermined"
    statuses = {c["id"]: c["status"] for c in evaluation["conditions"]}
    assert statuses["deadly_force_authorized"] == "unknown"
    assert statuses["imminent_threat"] == "unknown"
    assert set(statuses.values()) <= {"met", "unmet", "unknown"}
    for condition in evaluation["conditions"]:
        assert condition["citation"]["quote"] and condition["citation"]["wording"] in {
            "verbatim",
            "secondary",
        }
    fleeing = next(c for c in evaluation["conditions"] if c["id"] == "fleeing_subject_exception")
    assert {"id": "subject_fleeing", "value": "true", "supplied": True} in fleeing["facts"]
    assert "subject_fleeing" not in evaluation["not_addressed"]
    assert "threat_ended" in evaluation["not_addressed"]


def test_a_json_scenario_reads_like_a_yaml_one(tmp_path: Path) -> None:
    path = _minimal(
        tmp_path,
        '{"policy": "dhs-2023", "facts": {"subject_fleeing": true, '
        '"subject_threatened_deadly_force": false, "verbal_warning_given": "unknown"}}',
        "s.json",
    )
    as_json = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    as_yaml = json.loads(invoke(["evaluate", str(_minimal(tmp_path)), "-f", "json"]).stdout)
    assert as_json["evaluations"] == as_yaml["evaluations"]


def test_exit_code_is_0_whatever_the_outcome(tmp_path: Path) -> None:
    path = _minimal(tmp_path, "policy: dhs-2023\nfacts: {warning_shot: true}\n")
    result = invoke(["evaluate", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["outcome"] == "not_authorized"


def test_table_shows_outcome_conditions_reasons_and_citations(tmp_path: Path) -> None:
    path = _minimal(tmp_path, "policy: dhs-2023\nfacts: {warning_shot: true}\n")
    out = invoke(["evaluate", str(path)]).stdout
    assert "Account 'default': not_authorized" in out
    line = next(row for row in out.splitlines() if row.startswith("│ · no_warning_shot"))
    assert "unmet" in line and "warning_shot is true" in line
    assert "doj-2004" in line
    assert '"Warning shots are not permitted outside of the prison context."' in out
    assert "Not addressed (evaluated as unknown):" in out


def test_table_format_passes_through_to_tabulate(tmp_path: Path) -> None:
    out = invoke(["evaluate", str(_minimal(tmp_path)), "--table-format", "github"]).stdout
    assert "| condition" in out and "|---" in out.replace(":", "-").replace(" ", "")


def test_policy_option_overrides_and_accepts_a_path(tmp_path: Path) -> None:
    scenario = _minimal(tmp_path, "facts: {subject_threatened_deadly_force: true}\n")
    by_path = str(ROOT / "docs" / "examples" / "example-policy.yaml")
    report = json.loads(invoke(["evaluate", str(scenario), "-p", by_path, "-f", "json"]).stdout)
    assert report["policy"]["id"] == "example-policy"
    assert (
        json.loads(invoke(["evaluate", str(scenario), "-p", "dhs-2023", "-f", "json"]).stdout)[
            "policy"
        ]["id"]
        == "dhs-2023"
    )


def test_policy_is_chosen_by_date_and_agency(tmp_path: Path) -> None:
    path = _minimal(tmp_path, "date: 2025-09-12\nagency: ICE\nfacts: {warning_shot: true}\n")
    assert json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)["policy"]["id"] == (
        "dhs-2023"
    )
    early = _minimal(tmp_path, "date: 1970-01-01\nagency: ICE\nfacts: {}\n", "early.yaml")
    result = invoke(["evaluate", str(early)])
    assert result.exit_code == 3 and "no policy binds ICE on 1970-01-01" in result.stderr


ACCOUNTS = """\
policy: dhs-2023
sources:
  s1: {title: Statement}
  s2: {title: Video}
accounts:
  agency:
    title: Agency statement
    source: s1
    facts:
      subject_threatened_deadly_force: true
  video:
    title: Video
    source: s2
    facts:
      subject_threatened_deadly_force: {value: false, quote: hands empty}
      shot_at_vehicle: false
      vehicle_moving_toward_person: false
      person_struck_or_dragged: false
      significant_threat_if_escapes: false
      threat_ended: true
    discharges:
      - id: shot-1
        facts: {threat_ended: false}
      - id: shot-2
"""


def test_accounts_and_discharges(tmp_path: Path) -> None:
    path = _minimal(tmp_path, ACCOUNTS)
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    assert [a["account"] for a in report["accounts"]] == ["agency", "video"]
    # The accounts disagree: the top-level outcome is "disputed", never the first account's.
    assert [a["outcome"] for a in report["accounts"]] == ["undetermined", "not_authorized"]
    assert report["outcome"] == "disputed"
    moments = [(e["account"], e["discharge"]) for e in report["evaluations"]]
    assert moments == [("agency", None), ("video", "shot-1"), ("video", "shot-2")]
    video_facts = {f["id"]: f for f in report["evaluations"][1]["facts"]}
    assert video_facts["threat_ended"]["value"] == "false"  # overridden at shot-1
    assert video_facts["subject_threatened_deadly_force"]["quote"] == "hands empty"
    assert video_facts["subject_threatened_deadly_force"]["source"] == "s2"
    only = json.loads(invoke(["evaluate", str(path), "-a", "video", "-f", "json"]).stdout)
    assert [a["account"] for a in only["accounts"]] == ["video"]
    assert only["outcome"] == "not_authorized"


def test_python_dash_m_runs_the_same_cli() -> None:
    proc = run_process(["evaluate", "docs/examples/example-drill.yaml", "-f", "json"])
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["outcome"] == "not_authorized"


def test_version() -> None:
    from forcecheck import __version__

    assert invoke(["--version"]).stdout.strip() == f"forcecheck {__version__}"


def test_bad_table_format_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(["evaluate", str(_minimal(tmp_path)), "--table-format", "bogus"])
    assert result.exit_code == 2 and "unknown table format" in result.output


def test_markdown_tables_are_not_wrapped_into_broken_rows(tmp_path: Path) -> None:
    out = invoke(["evaluate", str(_minimal(tmp_path)), "--table-format", "github"]).stdout
    rows = [line for line in out.splitlines() if line.startswith("|")]
    # No continuation rows: every row names its account or condition in the first cells.
    assert rows and not any(
        line.startswith("| ")
        and line.split("|")[1].strip() == ""
        and line.split("|")[2].strip() == ""
        for line in rows
    )
    assert any("vehicle_threat_no_alternative" in line and "unknown" in line for line in rows)


def test_another_policy_may_be_applied_to_a_scenario_with_expectations() -> None:
    result = invoke(
        [
            "evaluate",
            str(ROOT / "docs/examples/example-drill.yaml"),
            "--policy",
            str(ROOT / "docs/examples/example-policy.yaml"),
        ]
    )
    assert result.exit_code == 0, result.stderr


def test_reports_say_where_every_quote_was_seen_and_list_the_sources() -> None:
    path = ROOT / "scenarios/incidents/franklin-park-2025-09-12.yaml"
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    assert all(c["citation"]["seen_in"] for e in report["evaluations"] for c in e["conditions"])
    assert "dhs-044-05-2023" in report["policy"]["sources"]
    assert report["scenario"]["summary"] and report["accounts"][0]["summary"]
    table = invoke(["evaluate", str(path), "--full"]).stdout
    assert "\nSources\n=======" in table and "hrw-2025-09-16: " in table
    assert "+ interpretation" in table and "Of 14 conditions," in table


def test_unused_facts_are_marked_as_such(tmp_path: Path) -> None:
    path = _minimal(tmp_path, "policy: dhs-2023\nfacts: {subject_armed: true}\n")
    assert "subject_armed (not used by" in invoke(["evaluate", str(path)]).stdout


LAYERED = """\
date: {date}
agency: {agency}
facts:
  subject_threatened_deadly_force: true
  threat_ended: false
  threat_only_to_property_or_self: false
  other_defense_available: false
  shot_at_vehicle: false
  shot_solely_to_disable_vehicle: false
  warning_shot: false
  verbal_warning_feasible: true
  verbal_warning_given: false
"""


@pytest.mark.parametrize(
    ("date", "agency", "must_bind"),
    [
        ("2025-09-12", "ICE", ["dhs-2023", "8cfr-287-8", "constitutional-floor"]),
        ("2012-05-01", "ICE", ["ice-2004", "8cfr-287-8", "constitutional-floor"]),
        ("2020-06-01", "CBP", ["cbp-2014", "dhs-2018", "8cfr-287-8", "constitutional-floor"]),
        ("2022-01-10", "CBP", ["dhs-2018", "8cfr-287-8", "constitutional-floor"]),
    ],
)
def test_date_and_agency_choose_every_binding_layer(
    tmp_path: Path, date: str, agency: str, must_bind: list[str]
) -> None:
    path = _minimal(tmp_path, LAYERED.format(date=date, agency=agency))
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    listed = [layer["policy"] for layer in report["layers"]]
    library = shipped()
    binding = [
        p.id
        for p in library.policies()
        if p.spec.layer in LAYER_ORDER  # no place: no state's law, no immunity view
        and binds(p, agency, dt.date.fromisoformat(date)) is not False
    ]
    # Every policy in force for that agency on that date, and nothing else, ...
    assert sorted(listed) == sorted(binding)
    assert set(must_bind) <= set(listed)
    # ... those that certainly bind first, most specific layer first; the main policy is the
    # first. (Those that only may bind, where a date range covers the day, come after.)
    certain = [layer["policy"] for layer in report["layers"] if layer["binds"] == "yes"]
    assert listed[: len(certain)] == certain
    kinds = [library.get(policy).spec.layer for policy in certain]
    assert kinds == sorted(kinds, key=LAYER_ORDER.index)
    assert report["policy"]["id"] == listed[0]
    assert "doj-2022" not in listed  # a benchmark


def test_layers_part_ways_on_a_feasible_warning_not_given(tmp_path: Path) -> None:
    path = _minimal(tmp_path, LAYERED.format(date="2025-09-12", agency="ICE"))
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    outcomes = {layer["policy"]: layer["accounts"][0]["outcome"] for layer in report["layers"]}
    # Garner requires a warning only before shooting to stop an escape; DHS 2023 always; the
    # regulation (8 C.F.R. 287.8(a)(2)) says nothing about warnings.
    assert outcomes == {
        "dhs-2023": "not_authorized",
        "8cfr-287-8": "authorized",
        "constitutional-floor": "authorized",
    }
    table = invoke(["evaluate", str(path)]).stdout
    assert "Every policy that bound ICE on 2025-09-12" in table and "strictest" in table


def test_naming_a_policy_reports_only_that_policy(tmp_path: Path) -> None:
    path = _minimal(tmp_path, LAYERED.format(date="2025-09-12", agency="ICE"))
    report = json.loads(invoke(["evaluate", str(path), "-p", "doj-2022", "-f", "json"]).stdout)
    assert report["policy"]["id"] == "doj-2022" and report["layers"] == []
