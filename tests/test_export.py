"""`forcecheck export`: a dataset across incidents, checked row by row against `evaluate`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .conftest import ROOT, invoke

INCIDENTS = ROOT / "scenarios" / "incidents"


def _evaluated(path: Path) -> dict[tuple[str, str, str | None], dict[str, object]]:
    """(policy, account, discharge) -> outcome and condition statuses, from evaluate's JSON."""
    report = json.loads(invoke(["evaluate", str(path), "-f", "json"]).stdout)
    found: dict[tuple[str, str, str | None], dict[str, object]] = {}
    layers = report.get("layers") or []
    for evaluation in report["evaluations"]:
        key = (report["policy"]["id"], evaluation["account"], evaluation["discharge"])
        found[key] = {
            "outcome": evaluation["outcome"],
            "conditions": {c["id"]: c["status"] for c in evaluation["conditions"]},
        }
    for layer in layers:
        for account in layer.get("accounts", []):
            found.setdefault(
                (layer["policy"], account["account"], account.get("discharge")),
                {"outcome": account["outcome"]},
            )
    return found


def test_the_csv_has_a_row_per_account_discharge_and_layer_matching_evaluate() -> None:
    result = invoke(["export", str(INCIDENTS)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["scenario_id"] for row in rows} == {p.stem for p in INCIDENTS.glob("*.yaml")}
    # Each incident under every layer that bound its agency on its date.
    franklin = [r for r in rows if r["scenario_id"] == "franklin-park-2025-09-12"]
    # ... the law of the state where it happened (Franklin Park is in Illinois), and the
    # immunity view.
    assert {r["policy"] for r in franklin} == {
        "dhs-2023",
        "8cfr-287-8",
        "constitutional-floor",
        "il-720-ilcs-5-7-5",
        "supremacy-clause-immunity",
    }
    assert {r["in_force"] for r in franklin} == {"yes"}
    checked = 0
    for path in sorted(INCIDENTS.glob("*.yaml")):
        expected = _evaluated(path)
        for row in (r for r in rows if r["scenario"].endswith(path.name)):
            key = (row["policy"], row["account"], row["discharge"] or None)
            if key not in expected:
                continue
            assert row["outcome"] == expected[key]["outcome"], key
            conditions = expected[key].get("conditions")
            if isinstance(conditions, dict):
                for rule, status in conditions.items():
                    assert row[f"condition:{rule}"] == status, (key, rule)
                checked += 1
    assert checked >= 20
    assert all(row["sources"] for row in franklin if row["account"] == "agency")


def test_jsonl_and_named_policies(tmp_path: Path) -> None:
    result = invoke(
        [
            "export",
            str(INCIDENTS / "franklin-park-2025-09-12.yaml"),
            "-f",
            "jsonl",
            "--policies",
            "ice-2004,dhs-2023",
        ]
    )
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_policy = {r["policy"]: r for r in records if r["account"] == "agency"}
    # ice-2004 had ended by 2025-09-12: shown, and marked as not in force.
    assert by_policy["ice-2004"]["in_force"] == "no"
    assert by_policy["dhs-2023"]["in_force"] == "yes"
    assert set(by_policy["dhs-2023"]["conditions"]) >= {"deadly_force_authorized", "lawful_basis"}


def test_output_file_is_written_atomically_and_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "incidents.csv"
    assert invoke(["export", str(INCIDENTS), "-o", str(out)]).exit_code == 0
    again = invoke(["export", str(INCIDENTS), "-o", str(out)])
    assert again.exit_code == 3 and "--force" in again.stderr
    assert out.read_text().startswith("scenario,scenario_id,")


def test_a_closed_pipe_stops_quietly() -> None:
    import subprocess
    import sys

    command = f"{sys.executable} -m forcecheck export {INCIDENTS} -f jsonl | head -1"
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("{")
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
