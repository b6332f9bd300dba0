"""Settling: values the exclusions force are shown as such, never asked, never disputed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcecheck.analysis.interview import Interview, run
from forcecheck.errors import ContradictionError
from forcecheck.load.library import Library
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.model.logic import Value
from forcecheck.model.scenario import Account, FactEntry
from forcecheck.model.settling import forbidden, settle
from forcecheck.model.vocabulary import Vocabulary

from .conftest import invoke, run_process

#: Every fact an account on foot never has to answer: the vehicle_involved exclusions settle
#: them, and disabling_shot_is_at_vehicle the last one from shot_at_vehicle.
VEHICLE_FACTS = {
    "subject_driving",
    "shot_at_vehicle",
    "vehicle_moving_toward_person",
    "person_in_vehicle_path",
    "person_struck_or_dragged",
    "could_avoid_vehicle",
    "officer_placed_self_in_path",
    "vehicle_boxed_in",
    "shot_solely_to_disable_vehicle",
}

#: Neither a threat nor flight: only a vehicle could have been a ground, and the account says
#: nothing about one.
NO_GROUND = """\
policy: dhs-2023
facts:
  subject_threatened_deadly_force: false
  subject_fleeing: false
  threat_ended: false
  threat_only_to_property_or_self: false
  other_defense_available: false
  warning_shot: false
  verbal_warning_given: true
"""

#: A shooting on foot at an armed attacker; nothing said about vehicles except that there was
#: none. Without settling, the vehicle rules (unknown shot_at_vehicle, unknown disabling shot)
#: would leave the outcome undetermined.
ON_FOOT = """\
policy: dhs-2023
facts:
  vehicle_involved: false
  subject_threatened_deadly_force: true
  threat_ended: false
  threat_only_to_property_or_self: false
  other_defense_available: false
  warning_shot: false
  verbal_warning_given: true
"""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# ---------------------------------------------------------------- the function


def test_a_chain_is_settled_and_explained(library: Library) -> None:
    found = settle(library.vocabulary, {"vehicle_involved": Value.FALSE})
    assert found.broken is None
    assert set(found.settlements) == VEHICLE_FACTS
    disabling = found.settlements["shot_solely_to_disable_vehicle"]
    assert disabling.value is Value.FALSE
    assert disabling.exclusion == "disabling_shot_is_at_vehicle"
    assert disabling.because == (("shot_at_vehicle", Value.FALSE),)
    shot = found.settlements["shot_at_vehicle"]
    assert shot.text() == (
        "follows from vehicle_involved: false; exclusion no_vehicle_no_shot_at_vehicle"
    )
    # The chain behind the last value starts from the stated one.
    assert [s.fact for s in found.chain(("shot_solely_to_disable_vehicle",))] == [
        "shot_at_vehicle",
        "shot_solely_to_disable_vehicle",
    ]
    assert found.stated_roots(("shot_solely_to_disable_vehicle",)) == ("vehicle_involved",)


def test_a_stated_value_is_never_overwritten(library: Library) -> None:
    found = settle(
        library.vocabulary, {"vehicle_involved": Value.TRUE, "shot_at_vehicle": Value.UNKNOWN}
    )
    assert found.settlements == {} and found.values["vehicle_involved"] is Value.TRUE


def test_the_other_value_of_a_settled_fact_is_forbidden(library: Library) -> None:
    values = {"vehicle_involved": Value.FALSE}
    assert forbidden(library.vocabulary, values, "shot_at_vehicle") == {Value.TRUE}
    assert forbidden(library.vocabulary, values, "warning_shot") == set()


def _small_vocabularies() -> st.SearchStrategy[Vocabulary]:
    from forcecheck.model.vocabulary import Exclusion, Fact

    names = [f"f{i}" for i in range(6)]
    exclusion = st.dictionaries(st.sampled_from(names), st.booleans(), min_size=2, max_size=4)
    return st.lists(exclusion, max_size=6).map(
        lambda found: Vocabulary(
            {n: Fact(question=f"{n}?") for n in names},
            exclusions={f"x{i}": Exclusion("impossible", facts) for i, facts in enumerate(found)},
        )
    )


@settings(max_examples=300, deadline=None)
@given(
    _small_vocabularies(),
    st.dictionaries(
        st.sampled_from([f"f{i}" for i in range(6)]),
        st.sampled_from([Value.TRUE, Value.FALSE, Value.UNKNOWN]),
    ),
)
def test_settling_keeps_stated_values_is_idempotent_and_breaks_nothing(
    vocabulary: Vocabulary, values: dict[str, Value]
) -> None:
    found = settle(vocabulary, values)
    for fact, value in values.items():
        if value is not Value.UNKNOWN:
            assert found.values[fact] is value
    for fact, settlement in found.settlements.items():
        assert values.get(fact, Value.UNKNOWN) is Value.UNKNOWN
        assert found.values[fact] is settlement.value
    if found.broken is None:
        assert vocabulary.broken_exclusion(found.values) is None
        again = settle(vocabulary, found.values)
        assert again.values == found.values and again.settlements == {}
    else:
        assert found.broken.exclusion.broken_by(found.values)


# ---------------------------------------------------------------- what a user sees


def test_evaluate_shows_the_vehicle_facts_as_settled(tmp_path: Path) -> None:
    path = _write(tmp_path, ON_FOOT)
    result = invoke(["evaluate", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    evaluation = report["evaluations"][0]
    # Undetermined without settling (the vehicle rules' facts unknown); settled, authorized.
    assert evaluation["outcome"] == "authorized"
    facts = {f["id"]: f for f in evaluation["facts"]}
    assert facts["vehicle_involved"]["settled"] is None
    assert set(facts) >= VEHICLE_FACTS
    shot = facts["shot_at_vehicle"]
    assert shot["value"] == "false" and shot["source"] is None
    assert shot["settled"] == {
        "exclusion": "no_vehicle_no_shot_at_vehicle",
        "from": {"vehicle_involved": "false"},
        "text": "follows from vehicle_involved: false; exclusion no_vehicle_no_shot_at_vehicle",
    }
    assert "shot_at_vehicle" not in evaluation["not_addressed"]
    text = invoke(["evaluate", str(path), "--table-format", "github"]).stdout
    assert "| follows from vehicle_involved: false; exclusion no_vehicle_no_shot_at_vehicle" in text
    # The reasons that read a settled value say where it comes from.
    assert "shot_at_vehicle is false (follows from vehicle_involved: false; exclusion" in text
    for fmt in ("markdown", "html"):
        shown = invoke(["evaluate", str(path), "--format", fmt]).stdout
        assert "follows from vehicle_involved: false; exclusion no_vehicle_no_shot_at_vehicle" in (
            shown
        ), fmt


def test_questions_asks_nothing_about_vehicles_on_foot(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "policy: dhs-2023\nfacts:\n  vehicle_involved: false\n"
        "  subject_threatened_deadly_force: true\n",
    )
    result = invoke(["questions", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    account = json.loads(result.stdout)["accounts"][0]
    assert account["outcome"] == "undetermined"
    asked = {q["fact"] for q in account["questions"]}
    assert asked and not asked & (VEHICLE_FACTS | {"vehicle_involved"})
    assert not set(account["moot"]) & VEHICLE_FACTS


def test_questions_asks_whether_a_vehicle_was_involved(tmp_path: Path) -> None:
    # Everything but the vehicle is answered: "no vehicle" settles the rest.
    path = _write(tmp_path, NO_GROUND)
    account = json.loads(invoke(["questions", str(path), "--format", "json"]).stdout)["accounts"][0]
    first = next(q for q in account["questions"] if q["fact"] == "vehicle_involved")
    assert first["if_false"] == "not_authorized" and first["settles_alone_if"] == "false"
    assert set(first["settles_facts_if_false"]) >= {"shot_at_vehicle", "subject_driving"}
    text = invoke(["questions", str(path)]).stdout
    assert "if no, settles" in text


def test_whatif_refuses_a_change_that_breaks_an_exclusion(tmp_path: Path) -> None:
    path = _write(tmp_path, ON_FOOT)
    proc = run_process(["whatif", str(path), "--set", "shot_at_vehicle=true"])
    assert proc.returncode == 3 and proc.stdout == ""
    assert proc.stderr.count("error:") == 1
    assert "--set shot_at_vehicle=true is impossible" in proc.stderr
    assert "no_vehicle_no_shot_at_vehicle" in proc.stderr
    assert "\nhelp: " in proc.stderr and "Traceback" not in proc.stderr
    # Through a chain: a disabling shot is a shot at the vehicle, and there was none.
    chained = invoke(["whatif", str(path), "--set", "shot_solely_to_disable_vehicle=true"])
    assert chained.exit_code == 3
    assert "settles shot_at_vehicle: true (exclusion disabling_shot_is_at_vehicle)" in (
        chained.stderr
    )
    # Changing the value the others follow from frees them.
    freed = invoke(["whatif", str(path), "--set", "vehicle_involved=true"])
    assert freed.exit_code == 0 and "undetermined" in freed.stdout


def test_a_file_that_breaks_an_exclusion_through_a_chain_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "policy: dhs-2023\nfacts:\n  warning_shot: false\n  vehicle_involved: false\n"
        "  shot_solely_to_disable_vehicle: true\n",
    )
    proc = run_process(["evaluate", str(path)])
    assert proc.returncode == 3 and proc.stdout == ""
    # At the first value of the chain in the file.
    assert proc.stderr.startswith(f"{path}:4:3: error: the scenario says vehicle_involved is false")
    assert "settles shot_at_vehicle" in proc.stderr and "\nhelp: " in proc.stderr


def test_the_interview_never_asks_a_vehicle_fact_after_no_vehicle(library: Library) -> None:
    policy = library.get("dhs-2023")
    answers = {"vehicle_involved": Value.FALSE, "subject_threatened_deadly_force": Value.TRUE}
    # Started with nothing known, and from an account on foot.
    for start in (Account(), Account(facts={"vehicle_involved": FactEntry(Value.FALSE)})):
        interview = Interview(policy, start)
        asked = [q.fact for q, _ in run(interview, answers)]
        cut = asked.index("vehicle_involved") + 1 if "vehicle_involved" in asked else 0
        after = asked[cut:]
        assert not set(after) & VEHICLE_FACTS, asked


def test_the_interview_asks_about_the_vehicle_when_it_settles_the_rest(
    tmp_path: Path, library: Library
) -> None:
    policy = library.get("dhs-2023")
    scenario = load_scenario(_write(tmp_path, NO_GROUND), library.vocabulary)
    interview = Interview(policy, scenario.accounts["default"])
    asked = [q.fact for q, _ in run(interview, {"vehicle_involved": Value.FALSE})]
    # Asked, and its "no" ends the interview: nothing about a vehicle is asked after it.
    assert asked[-1] == "vehicle_involved", asked
    assert str(interview.outcome) == "not_authorized"


def test_the_interview_refuses_an_impossible_answer(library: Library) -> None:
    policy = library.get("dhs-2023")
    interview = Interview(policy, Account(facts={"vehicle_involved": FactEntry(Value.FALSE)}))
    assert interview.conflict("warning_shot", Value.TRUE) is None
    assert "no_vehicle_no_shot_at_vehicle" in (
        interview.conflict("shot_solely_to_disable_vehicle", Value.TRUE) or ""
    )
    with pytest.raises(ContradictionError):
        interview.answer("shot_solely_to_disable_vehicle", Value.TRUE)
    assert "shot_solely_to_disable_vehicle" not in interview.answers


def test_compare_lists_no_settled_fact_as_a_dispute(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
policy: dhs-2023
accounts:
  agency:
    facts:
      vehicle_involved: true
      shot_at_vehicle: true
      subject_threatened_deadly_force: true
  video:
    facts:
      vehicle_involved: false
      subject_threatened_deadly_force: true
""",
    )
    result = invoke(["compare", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    disputed = {d["fact"] for d in data["disputes"]}
    assert "vehicle_involved" in disputed
    assert not disputed & VEHICLE_FACTS
    assert not {g["fact"] for g in data.get("gaps", [])} & VEHICLE_FACTS


def test_the_html_panel_is_given_the_exclusions_and_offers_vehicle_involved(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, ON_FOOT)
    page = invoke(["evaluate", str(path), "--format", "html"]).stdout
    start = page.index('<script type="application/json" id="fc-data">') + len(
        '<script type="application/json" id="fc-data">'
    )
    data = json.loads(page[start : page.index("</script>", start)])
    ids = [x["id"] for x in data["exclusions"]]
    assert "no_vehicle_no_shot_at_vehicle" in ids
    # The starting point holds what the account states; the script settles the rest.
    assert data["moments"][0]["values"]["vehicle_involved"] == "false"
    assert "shot_at_vehicle" not in data["moments"][0]["values"]
    assert 'data-fact="vehicle_involved"' in page
