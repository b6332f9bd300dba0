"""The shipped incidents show the law of their state and the immunity view, never merged.

Each of the four incidents happened in a state with a law in the library (Franklin Park and
Brighton Park in Illinois, both Minneapolis shootings in Minnesota). `evaluate` judges every
account under that law and the Supremacy Clause immunity view, after the strictest row; the
strictest outcome is still the one across the federal layers alone. The accounts code the
facts those two read, so the official accounts' immunity view never turns on whether the
agent was on duty.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from forcecheck.model.binding import LAYER_ORDER
from tests.conftest import ROOT, invoke

INCIDENTS = ROOT / "scenarios" / "incidents"
STATE_LAW = {
    "franklin-park-2025-09-12": "il-720-ilcs-5-7-5",
    "chicago-brighton-park-2025-10-04": "il-720-ilcs-5-7-5",
    "minneapolis-good-2026-01-07": "mn-609-066",
    "minneapolis-pretti-2026-01-24": "mn-609-066",
}
IMMUNITY = "supremacy-clause-immunity"


def _run(*args: str) -> str:
    result = invoke(list(args))
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _report(stem: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(
        _run("evaluate", str(INCIDENTS / f"{stem}.yaml"), "--format", "json")
    )
    return report


def _strictest(outcomes: list[str]) -> str:
    """Deadly force is authorized only if every layer authorizes it."""
    if "not_authorized" in outcomes:
        return "not_authorized"
    if "undetermined" in outcomes:
        return "undetermined"
    return "authorized"


def test_every_shipped_incident_is_listed_here() -> None:
    assert sorted(path.stem for path in INCIDENTS.glob("*.yaml")) == sorted(STATE_LAW)


@pytest.mark.parametrize("stem", sorted(STATE_LAW))
def test_the_json_has_the_state_law_and_the_immunity_view_after_the_federal_layers(
    stem: str,
) -> None:
    report = _report(stem)
    layers = [(layer["policy"], layer["layer"]) for layer in report["layers"]]
    assert layers[-2:] == [(STATE_LAW[stem], "state"), (IMMUNITY, "immunity")]
    assert all(kind in LAYER_ORDER for _, kind in layers[:-2]), layers
    accounts = [account["account"] for account in report["accounts"]]
    for layer in report["layers"][-2:]:
        # Beside the federal layers: whether the state's law reaches a federal agent at all
        # is the immunity view's question, so neither is said to bind him.
        assert layer["binds"] == "beside", layer["policy"]
        assert layer["may_bind"] is None, layer["policy"]
        assert [entry["account"] for entry in layer["accounts"]] == accounts
    assert {layer["binds"] for layer in report["layers"][:-2]} <= {"yes", "may"}
    state, immunity = report["layers"][-2:]
    assert {entry["outcome"] for entry in state["accounts"]} <= {
        "authorized",
        "not_authorized",
        "undetermined",
    }
    # The immunity view answers in its own words, never "authorized".
    assert {entry["outcome"] for entry in immunity["accounts"]} <= {
        "immunity_likely",
        "immunity_unlikely",
        "undetermined",
    }


@pytest.mark.parametrize("stem", sorted(STATE_LAW))
def test_the_strictest_outcome_is_taken_across_the_federal_layers_only(stem: str) -> None:
    report = _report(stem)
    federal = [layer for layer in report["layers"] if layer["layer"] in LAYER_ORDER]
    assert len(federal) == len(report["layers"]) - 2
    for row in report["strictest"]:
        outcomes = [
            entry["outcome"]
            for layer in federal
            for entry in layer["accounts"]
            if entry["account"] == row["account"]
        ]
        assert len(outcomes) == len(federal), row["account"]
        assert row["outcome"] == _strictest(outcomes), row["account"]


@pytest.mark.parametrize("stem", sorted(STATE_LAW))
def test_the_table_shows_the_state_law_and_the_immunity_view_after_the_strictest_row(
    stem: str,
) -> None:
    path = str(INCIDENTS / f"{stem}.yaml")
    table = _run("evaluate", path, "--full", "--table-format", "tsv")
    first_cells = [line.split("\t")[0].strip() for line in table.splitlines()]
    strictest = first_cells.index("strictest")
    assert first_cells[strictest + 1] == STATE_LAW[stem]
    assert first_cells[strictest + 2] == IMMUNITY
    flat = " ".join(table.split())
    assert f"the law of the state where it happened ({STATE_LAW[stem]})" in flat


@pytest.mark.parametrize("stem", sorted(STATE_LAW))
def test_the_summary_names_the_state_law_and_the_immunity_view_after_the_strictest_line(
    stem: str,
) -> None:
    lines = _run("evaluate", str(INCIDENTS / f"{stem}.yaml")).splitlines()
    starts = [line.split(" ")[0] for line in lines]
    strictest = next(n for n, line in enumerate(lines) if line.startswith("strictest (federal"))
    later = [start for start in starts[strictest + 1 :] if start in (STATE_LAW[stem], IMMUNITY)]
    assert later[:2] == [STATE_LAW[stem], IMMUNITY]
    assert f"{STATE_LAW[stem]} (state):" in "\n".join(lines)
    assert f"{IMMUNITY} (immunity):" in "\n".join(lines)


@pytest.mark.parametrize("stem", sorted(STATE_LAW))
def test_the_official_accounts_immunity_view_does_not_turn_on_whether_he_was_on_duty(
    stem: str,
) -> None:
    out = _run(
        "questions",
        str(INCIDENTS / f"{stem}.yaml"),
        "--account",
        "agency",
        "--policy",
        IMMUNITY,
        "--format",
        "json",
    )
    (account,) = json.loads(out)["accounts"]
    asked = {question["fact"] for question in account["questions"]}
    assert "acting_within_federal_duties" not in asked, asked
    # What it turns on instead: the agent's own belief, which the agency's words do not give.
    assert "agent_honestly_believed_force_necessary" in asked, asked


def test_the_good_video_account_is_not_justified_under_minnesota_law() -> None:
    """Shots two and three, after the car had passed Ross: no harm likely absent action."""
    report = _report("minneapolis-good-2026-01-07")
    state = next(layer for layer in report["layers"] if layer["layer"] == "state")
    outcomes = {entry["account"]: entry["outcome"] for entry in state["accounts"]}
    assert outcomes["video"] == "not_authorized"
    assert outcomes["agency"] == "undetermined"


def test_full_says_why_minnesotas_law_is_not_authorized_for_the_video_account() -> None:
    """A reporter reading the Good shooting with --full sees the state law's reasons.

    The report's own policy (dhs-2023) has its condition tables; the other layers, the
    state's law among them, list the conditions not met that give their outcome.
    """
    path = str(INCIDENTS / "minneapolis-good-2026-01-07.yaml")
    out = _run("evaluate", path, "--full")
    start = out.index("mn-609-066 · video · discharge shots-2-3: not_authorized")
    block = " ".join(out[start : out.index("mn-609-066 · pro-officer-commentary", start)].split())
    assert "without_unreasonable_delay (unmet): threat_ended is true" in block
    assert "likely_absent_action (unmet): harm_likely_without_action is false" in block
    assert "articulated_with_specificity (unmet): threat_articulable is false" in block
    # The summary alone stays one screen.
    assert "without_unreasonable_delay (unmet)" not in _run("evaluate", path)
    # The JSON says the same, per layer, account and discharge.
    layers = {layer["policy"]: layer for layer in _report(path.rsplit("/", 1)[1][:-5])["layers"]}
    (video,) = [a for a in layers["mn-609-066"]["accounts"] if a["account"] == "video"]
    later = next(d for d in video["deciding"] if d["discharge"] == "shots-2-3")
    assert {
        "id": "without_unreasonable_delay",
        "status": "unmet",
        "reason": "threat_ended is true",
    } in later["conditions"]
