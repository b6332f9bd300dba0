"""A state's law beside the federal layers: chosen by the scenario's place, never merged.

A scenario whose `place:` names a state with a law in the library is judged under that law
too, beside the federal layers and after the strictest row; the strictest outcome is still
taken across the federal layers only. The state law here is a small one written for the test
in a repository of one's own, so that the resolution is tested apart from any real statute.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from forcecheck.load.library import shipped
from forcecheck.load.policy_loader import load_policy
from forcecheck.model.binding import names_place
from forcecheck.model.policy import Policy
from forcecheck.model.us_states import state_named
from tests.conftest import invoke

STATE_LAW = """\
id: zz-state-law
title: A state's deadly-force statute (written for a test)
document: Test Stat. § 1
issuer: The legislature of a test
agencies: [ALL]
layer: state
places: [Minnesota, MN, Minn.]
effective: 2021-03-01
sources:
  stat:
    title: Test Stat. § 1
    seen_in: written for a test
decision: justified
rules:
  justified:
    title: Justified only against a threat of deadly force
    all: [subject_threatened_deadly_force]
    citation:
      source: stat
      section: § 1
      quote: only to protect against a threat of death
      wording: secondary
      seen_in: written for a test
"""

SCENARIO = """\
id: t
title: t
date: 2025-06-01
place: {place}
agency: ICE
facts:
  subject_threatened_deadly_force: false
"""


@pytest.fixture()
def repository(tmp_path: Path) -> Path:
    """The shipped policies and vocabulary, and the test's state law."""
    policy_dir = tmp_path / "policy"
    shutil.copytree(shipped().directory, policy_dir, ignore=shutil.ignore_patterns("sources"))
    (policy_dir / "zz-state-law.yaml").write_text(STATE_LAW)
    return policy_dir


def test_policies_dir_does_not_outlive_its_command_in_one_process(repository: Path) -> None:
    """Two commands in a row in one process: the second reads the shipped policies again."""
    chosen = invoke(["--policies-dir", str(repository), "policies", "-f", "json"])
    assert chosen.exit_code == 0, chosen.output
    assert "zz-state-law" in chosen.stdout
    after = invoke(["policies", "-f", "json"])
    assert after.exit_code == 0, after.output
    assert "zz-state-law" not in after.stdout and "dhs-2023" in after.stdout


def _evaluate(repository: Path, tmp_path: Path, place: str, *args: str) -> str:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO.format(place=place))
    result = invoke(["--policies-dir", str(repository), "evaluate", str(scenario), *args])
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_a_place_in_the_state_adds_its_law_after_the_strictest_row(
    repository: Path, tmp_path: Path
) -> None:
    out = _evaluate(repository, tmp_path, "Portland Avenue South, Minneapolis, Minnesota", "--full")
    table = out[out.index("│ policy") :]
    assert table.index("strictest") < table.index("zz-state-law")
    assert "Supremacy Clause immunity" in " ".join(out.split())


def test_a_place_elsewhere_leaves_the_state_law_out(repository: Path, tmp_path: Path) -> None:
    out = _evaluate(repository, tmp_path, "Franklin Park, Illinois")
    assert "zz-state-law" not in out


def test_the_strictest_outcome_is_federal_only(repository: Path, tmp_path: Path) -> None:
    report = json.loads(_evaluate(repository, tmp_path, "Minneapolis, MN", "--format", "json"))
    layers = {layer["policy"]: layer for layer in report["layers"]}
    assert "zz-state-law" in layers
    # The state law says not_authorized; the federal layers cannot say so on these facts
    # alone (most of them are not addressed), so a merged strictest would differ.
    state = layers["zz-state-law"]["accounts"][0]["outcome"]
    assert state == "not_authorized"
    assert report["strictest"][0]["outcome"] != "not_authorized"


@pytest.mark.parametrize(
    ("place", "named"),
    [
        ("Minneapolis, Minnesota", True),
        ("2600 block of Nicollet Ave S, Minneapolis, MN 55408", True),
        ("minneapolis, minnesota", True),
        ("a town in Iowa near the Minnesota line", True),
        ("Chicago, Illinois", False),
        ("mn", False),  # a postal code counts only as written
        ("Minnesotan Avenue, Chicago, Illinois", False),  # whole words only
        ("St. Paul, Minn.", True),  # the newspaper abbreviation, with its stop
        ("a minn. of rain", False),  # an abbreviation counts only as written
    ],
)
def test_a_place_names_the_state_in_whole_words(place: str, named: bool, tmp_path: Path) -> None:
    path = tmp_path / "zz-state-law.yaml"
    path.write_text(STATE_LAW)
    policy: Policy = load_policy(path, shipped().vocabulary)
    assert names_place(policy, place) is named


def test_a_state_law_without_places_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zz-state-law.yaml"
    path.write_text(STATE_LAW.replace("places: [Minnesota, MN, Minn.]\n", ""))
    result = invoke(["lint", str(path)])
    assert result.exit_code == 3
    assert "a state law names no `places`" in result.output


def _shipped(tmp_path: Path, place: str, *args: str, date: str = "2025-06-01") -> str:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO.format(place=f'"{place}"').replace("2025-06-01", date))
    result = invoke(["evaluate", str(scenario), *args])
    assert result.exit_code == 0, result.output
    return " ".join(str(result.stdout).split())


@pytest.mark.parametrize("place", ["Portland, Oregon", "Portland, OR 97201", "Salem, Ore."])
def test_a_state_without_an_encoded_law_is_said_not_silently_left_out(
    place: str, tmp_path: Path
) -> None:
    out = _shipped(tmp_path, place)
    assert "No state law is encoded for Oregon (encoded: California, Illinois, Minnesota)." in out
    report = json.loads(_shipped(tmp_path, place, "--format", "json"))
    assert report["state_law"]["state"] == "Oregon"
    assert report["state_law"]["encoded"] == ["California", "Illinois", "Minnesota"]
    assert [layer["layer"] for layer in report["layers"]] == [
        "department",
        "regulation",
        "constitution",
    ]


def test_a_place_that_names_no_state_says_so_and_which_states_are_encoded(
    tmp_path: Path,
) -> None:
    out = _shipped(tmp_path, "Sacramento")
    assert 'The place "Sacramento" names no US state the tool recognises' in out
    assert "state law is encoded for California, Illinois, Minnesota." in out
    report = json.loads(_shipped(tmp_path, "Sacramento", "--format", "json"))
    assert report["state_law"]["state"] is None


def test_a_state_whose_law_was_not_yet_in_force_says_so(tmp_path: Path) -> None:
    out = _shipped(tmp_path, "St. Paul, Minn.", date="2019-06-01")
    assert "Minnesota's law encoded here (mn-609-066) was not in force on 2019-06-01" in out


def test_a_state_law_shown_needs_no_word_on_state_law(tmp_path: Path) -> None:
    out = _shipped(tmp_path, "Sacramento, California")
    assert "ca-penal-835a (state)" in out
    assert "No state law is encoded" not in out and "names no US state" not in out
    report = json.loads(_shipped(tmp_path, "Sacramento, California", "--format", "json"))
    assert report["state_law"] is None


def test_the_encoded_states_come_from_the_library(repository: Path, tmp_path: Path) -> None:
    oregon = STATE_LAW.replace("zz-state-law", "zz-oregon-law").replace(
        "places: [Minnesota, MN, Minn.]", "places: [Oregon, OR, Ore.]"
    )
    (repository / "zz-oregon-law.yaml").write_text(oregon)
    assert "zz-oregon-law (state)" in _evaluate(repository, tmp_path, "Portland, Oregon")
    out = " ".join(_evaluate(repository, tmp_path, "Sacramento").split())
    assert "state law is encoded for California, Illinois, Minnesota, Oregon." in out


@pytest.mark.parametrize(
    ("place", "state"),
    [
        ("Portland Avenue South, Minneapolis, Minnesota", "Minnesota"),
        ("Washington Avenue, Boston, Massachusetts", "Massachusetts"),  # the last one named
        ("Washington, D.C.", "District of Columbia"),
        ("Charleston, W.Va.", "West Virginia"),
        ("Charleston, West Virginia", "West Virginia"),
        ("Kansas City, Mo.", "Missouri"),
        ("El Paso, TX 79901", "Texas"),
        ("a raid in LA County", None),  # a postal code counts only after a comma
        ("an operation OR a raid", None),
        ("Sacramento", None),
    ],
)
def test_the_state_a_place_names(place: str, state: str | None) -> None:
    assert state_named(place) == state
