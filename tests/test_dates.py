"""Policy dates known only within a range: which layers bind on a date, and which only may.

ice-2004's end and cbp-2014's start and end are date ranges (policy/*.yaml); a scenario
dated inside one shows that layer as one that *may* bind, in every format, and says so
when the strictest outcome rests on it. `--policies all` names every layer.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from forcecheck.model.binding import LAYER_ORDER
from forcecheck.model.dates import DateRange, Uncertainty, in_force

from .conftest import ROOT, invoke

FIXTURES = ROOT / "tests" / "fixtures" / "dates"
ICE_2025 = FIXTURES / "ice-2025-no-policy.yaml"
ICE_2020 = FIXTURES / "ice-2020-warning-shot.yaml"
BARNES = ROOT / "scenarios" / "training" / "23-barnes-officer-on-doorsill.yaml"


def _json(args: list[str]) -> Any:
    result = invoke(args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _policies() -> dict[str, Any]:
    return {p["id"]: p for p in _json(["policies", "--format", "json"])}


def test_ice_2025_resolves_to_every_layer_that_binds_ice_and_none_that_may() -> None:
    report = _json(["evaluate", str(ICE_2025), "--format", "json"])
    listed = _policies()
    layers = [layer["policy"] for layer in report["layers"]]
    assert report["policy"]["id"] == "dhs-2023" == layers[0]
    assert "constitutional-floor" in layers
    # Every layer that binds ICE that day, whatever layers the library adds (a regulation).
    expected = {
        pid
        for pid, p in listed.items()
        if p["layer"] in LAYER_ORDER  # no place: no state's law, no immunity view
        and ({"ICE", "ALL"} & set(p["agencies"]))
        and p["effective"] <= "2025-09-12"
        and (p["superseded"] is None or p["superseded"] > "2025-09-12")
    }
    assert set(layers) == expected
    assert "ice-2004" not in layers and "doj-2022" not in layers
    assert all(layer["binds"] == "yes" and layer["may_bind"] is None for layer in report["layers"])
    assert [s["rests_on_may_bind"] for s in report["strictest"]] == [[]]


def test_a_date_inside_ice_2004s_end_range_shows_it_as_may_bind_in_json() -> None:
    report = _json(["evaluate", str(ICE_2020), "--format", "json"])
    by_id = {layer["policy"]: layer for layer in report["layers"]}
    assert report["policy"]["id"] == "dhs-2018"  # the most specific layer that surely binds
    ice = by_id["ice-2004"]
    assert ice["binds"] == "may"
    assert ice["may_bind"]["date"] == "superseded"
    assert ice["may_bind"]["between"] == ["2014-03-10", "2023-05-26"]
    assert "19009" in ice["may_bind"]["note"]
    assert by_id["dhs-2018"]["binds"] == "yes"
    # ice-2004 forbids the warning shot: the strictest outcome rests on it alone.
    [strictest] = report["strictest"]
    assert strictest["outcome"] == "not_authorized"
    assert strictest["rests_on_may_bind"] == ["ice-2004"]


def test_the_table_markdown_and_html_say_may_bind_and_what_the_strictest_rests_on() -> None:
    table = invoke(["evaluate", str(ICE_2020), "--table-format", "github", "--full"]).stdout
    assert "may: superseded between 2014-03-10 and 2023-05-26" in table
    assert "not_authorized (rests on ice-2004, which may not bind)" in table
    markdown = invoke(["evaluate", str(ICE_2020), "--format", "markdown"]).stdout
    assert "| Binds |" in markdown and "may: superseded between 2014-03-10" in markdown
    assert "rests on ice-2004, which may not bind" in markdown
    html = invoke(["evaluate", str(ICE_2020), "--format", "html"]).stdout
    assert "may: superseded between 2014-03-10 and 2023-05-26" in html
    assert "rests on ice-2004, which may not bind" in html


def test_policies_lists_a_range_and_keeps_the_json_dates_as_one_date() -> None:
    listed = _policies()
    ice = listed["ice-2004"]
    assert ice["superseded"] == "2023-05-26"  # the widest span it may have been in force
    assert ice["superseded_range"]["between"] == ["2014-03-10", "2023-05-26"]
    cbp = listed["cbp-2014"]
    assert cbp["effective"] == "2014-05-01" and cbp["effective_range"]["between"][1] == "2014-05-31"
    assert listed["dhs-2023"]["effective_range"] is None
    table = " ".join(invoke(["policies"]).stdout.split())
    assert "between 2014-03-10 and 2023-05-26" in table


def test_compare_policies_all_shows_every_layer_and_which_may_bind() -> None:
    report = _json(["compare", str(ICE_2020), "--policies", "all", "--format", "json"])
    columns = {c["policy"]: c for c in report["columns"]}
    assert {"dhs-2018", "constitutional-floor", "ice-2004"} <= set(columns)
    assert "doj-2022" not in columns  # a benchmark binds no one
    assert columns["ice-2004"]["may_bind"]["date"] == "superseded"
    assert columns["dhs-2018"]["may_bind"] is None
    text = " ".join(invoke(["compare", str(ICE_2020), "--policies", "all"]).stdout.split())
    assert "ice-2004 may or may not have been in force on 2020-06-01" in text


def test_compare_policies_all_without_date_and_agency_shows_every_policy() -> None:
    report = _json(["compare", str(BARNES), "--policies", "all", "--format", "json"])
    shown = [c["policy"] for c in report["columns"]]
    assert set(shown) == set(_policies())
    # The federal layers, the benchmark last among them; then the layers shown beside them
    # (a state's law, the immunity view).
    beside = {
        pid for pid, p in _policies().items() if p["layer"] not in (*LAYER_ORDER, "benchmark")
    }
    federal = [pid for pid in shown if pid not in beside]
    assert "constitutional-floor" in shown and federal[-1] == "doj-2022"
    assert set(shown[len(federal) :]) == beside


def test_all_may_stand_beside_other_policies_each_shown_once() -> None:
    report = _json(
        ["compare", str(ICE_2025), "--policies", "doj-2022,all,dhs-2023", "--format", "json"]
    )
    shown = [c["policy"] for c in report["columns"]]
    assert shown[0] == "doj-2022" and shown.count("dhs-2023") == 1


_RANGE = DateRange((date(2014, 3, 10), date(2023, 5, 26)), "why")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2004, 7, 6), False),  # before it took effect
        (date(2014, 3, 9), True),  # before the earliest it can have been superseded
        (date(2014, 3, 10), Uncertainty("superseded", _RANGE)),
        (date(2023, 5, 25), Uncertainty("superseded", _RANGE)),
        (date(2023, 5, 26), False),  # superseded by then at the latest
    ],
)
def test_a_superseded_range_leaves_only_the_days_inside_it_open(
    day: date, expected: object
) -> None:
    assert in_force(date(2004, 7, 7), _RANGE, day) == expected


def test_an_effective_range_binds_for_certain_from_its_latest_day() -> None:
    may = DateRange((date(2014, 5, 1), date(2014, 5, 31)), "May 2014")
    assert in_force(may, None, date(2014, 4, 30)) is False
    assert in_force(may, None, date(2014, 5, 15)) == Uncertainty("effective", may)
    assert in_force(may, None, date(2014, 5, 31)) is True
    unknown_end = DateRange((date(2021, 1, 1), None), "may still be in force")
    assert in_force(date(2014, 5, 31), unknown_end, date(2030, 1, 1)) == Uncertainty(
        "superseded", unknown_end
    )


def test_compare_policies_marks_the_policies_that_did_not_bind_the_incident() -> None:
    drill = "scenarios/training/36-old-homicide-suspect-runs-down-alley.yaml"
    args = ["compare", drill, "--policies", "dhs-2023,ice-2004,cbp-2014"]
    text = invoke(args).stdout
    assert "ice-2004 †" in text and "cbp-2014 †" in text and "dhs-2023 †" not in text
    assert "ice-2004 not in force on 2025-09-12; cbp-2014 does not bind ICE" in " ".join(
        text.split()
    )
    page = invoke([*args, "-f", "markdown"]).stdout
    assert "| **outcome** | ≠ |" in page
    assert "cbp-2014 does not bind ICE" in page
    data = json.loads(invoke([*args, "-f", "json"]).stdout)
    shown = {c["policy"]: c["not_binding"] for c in data["columns"]}
    assert shown == {
        "dhs-2023": None,
        "ice-2004": "not in force on 2025-09-12",
        "cbp-2014": "does not bind ICE",
    }


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_evaluate_with_a_list_of_policies_says_to_use_compare(fmt: str) -> None:
    drill = "scenarios/training/01-armed-attacker.yaml"
    result = invoke(["evaluate", drill, "--policy", "dhs-2023,ice-2004", "-f", fmt])
    assert result.exit_code == 3
    assert f"forcecheck compare {drill} --policies dhs-2023,ice-2004" in result.stderr
