"""The immunity view speaks its own words everywhere, also as the report's main policy.

Drills 90-96 are evaluated under the Supremacy Clause immunity view alone (their
`policy:`). It is no policy an officer follows: its outcomes are "immunity likely",
"immunity unlikely" and "undetermined", in the summary, the tables, the readings, the
Markdown page, the JSON (top level, accounts, evaluations, readings) and the export,
never "authorized" - so that no reader takes it for whether the force was lawful.
"""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import ROOT, invoke

TRAINING = ROOT / "scenarios" / "training"
LIKELY = str(TRAINING / "90-immunity-on-duty-objectively-reasonable.yaml")
UNLIKELY = str(TRAINING / "91-immunity-off-duty-quarrel.yaml")
HONEST_BELIEF_UNKNOWN = str(TRAINING / "92-immunity-honest-belief-unknown.yaml")


def _run(*args: str) -> str:
    result = invoke(list(args))
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _json(path: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(_run("evaluate", path, "--format", "json"))
    return report


def test_the_json_outcome_of_the_immunity_view_is_in_its_own_words() -> None:
    likely, unlikely = _json(LIKELY), _json(UNLIKELY)
    assert likely["policy"]["layer"] == "immunity"
    assert likely["outcome"] == "immunity_likely"
    assert [a["outcome"] for a in likely["accounts"]] == ["immunity_likely"]
    assert [e["outcome"] for e in likely["evaluations"]] == ["immunity_likely"]
    assert unlikely["outcome"] == "immunity_unlikely"
    assert [e["outcome"] for e in unlikely["evaluations"]] == ["immunity_unlikely"]
    # The contract's keys are kept: conditions still say met, unmet or unknown.
    assert {c["status"] for c in unlikely["evaluations"][0]["conditions"]} <= {
        "met",
        "unmet",
        "unknown",
    }


def test_the_json_readings_of_the_immunity_view_are_in_its_own_words() -> None:
    report = _json(HONEST_BELIEF_UNKNOWN)
    readings = {r["reading"]: r for r in report["readings"]}
    (account,) = readings["objective_only"]["accounts"]
    assert account["outcome"] == "immunity_likely"
    assert account["default_outcome"] == "undetermined"
    assert account["evaluations"][0]["outcome"] == "immunity_likely"


def test_the_readings_sentence_of_the_immunity_view_says_immunity_likely() -> None:
    text = " ".join(_run("evaluate", HONEST_BELIEF_UNKNOWN).split())
    assert "immunity likely under reading objective_only of necessary_and_proper" in text
    assert "authorized under reading" not in text


def test_the_markdown_page_of_the_immunity_view_never_says_authorized() -> None:
    page = _run("evaluate", LIKELY, "--format", "markdown")
    assert "**immunity likely**" in page
    # What the outcome rests on: had a fact turned out otherwise, immunity would be unlikely.
    rests_on = page[page.index("### What the outcome rests on") :]
    rests_on = rests_on[: rests_on.index("### Conditions")]
    assert "immunity unlikely" in rests_on
    assert "not_authorized" not in rests_on and "| authorized" not in rests_on


def test_the_html_page_of_the_immunity_view_shows_its_words_on_neutral_badges() -> None:
    page = _run("evaluate", UNLIKELY, "--format", "html")
    assert '<span class="badge view">immunity unlikely</span>' in page
    assert '<span class="badge not_authorized">' not in page
    # The what-if panel says the same when a fact is changed.
    assert '"outcomeText":["Immunity unlikely","Undetermined","Immunity likely"]' in page


def test_the_export_and_the_json_agree_on_the_immunity_view() -> None:
    rows = [
        json.loads(line)
        for line in _run("export", LIKELY, UNLIKELY, "--format", "jsonl").splitlines()
    ]
    assert [row["outcome"] for row in rows] == [
        _json(LIKELY)["outcome"],
        _json(UNLIKELY)["outcome"],
    ]


def test_questions_of_the_immunity_view_speak_its_words() -> None:
    from .conftest import SCENARIOS

    drill = str(next((SCENARIOS / "training").glob("92-*.yaml")))
    text = invoke(["questions", drill]).stdout
    assert "│ immunity │" in text
    assert "│ authorized" not in text and "│ not_authorized" not in text
    data = json.loads(invoke(["questions", drill, "-f", "json"]).stdout)
    (question,) = data["accounts"][0]["questions"]
    assert (question["if_true"], question["if_false"]) == ("immunity_likely", "immunity_unlikely")
