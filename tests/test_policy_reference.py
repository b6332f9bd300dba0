"""A rule that reads another policy's decision, ``{policy: ID}`` (the immunity view's way).

The referenced policy's rules are copied in under ``ID.rule`` ids, so an evaluation reaches
through to the facts; a missing neighbour, a chain of references and extra keys are input
errors located in the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forcecheck.engine.explain import evaluate
from forcecheck.errors import InputError
from forcecheck.load.library import shipped
from forcecheck.load.policy_loader import load_policy
from forcecheck.model.logic import Outcome, Value

READER = """\
id: reader
title: Reads the floor
document: test
issuer: test
agencies: [ALL]
effective: 2000-01-01
sources:
  s:
    title: test
    seen_in: written for a test
decision: d
rules:
  d:
    title: The floor's decision, on duty
    all: [acting_within_federal_duties, {floor}]
    citation:
      source: s
      section: "1"
      quote: a test
      wording: secondary
      seen_in: written for a test
"""


def _write(directory: Path, text: str, name: str = "reader") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(text)
    return path


@pytest.fixture()
def beside_the_floor(tmp_path: Path) -> Path:
    shutil.copy(shipped().directory / "constitutional-floor.yaml", tmp_path)
    return tmp_path


def test_the_floors_rules_are_copied_in_and_evaluate_as_the_floor(beside_the_floor: Path) -> None:
    path = _write(beside_the_floor, READER.replace("{floor}", "{policy: constitutional-floor}"))
    policy = load_policy(path, shipped().vocabulary)
    assert "constitutional-floor.deadly_force_authorized" in policy.rules
    assert set(policy.own_rules) == {"d"}
    floor = shipped().get("constitutional-floor")
    facts = {
        "acting_within_federal_duties": Value.TRUE,
        "subject_threatened_deadly_force": Value.TRUE,
        "threat_ended": Value.FALSE,
        "subject_fleeing": Value.FALSE,
        "vehicle_involved": Value.FALSE,
        "threat_only_to_property_or_self": Value.FALSE,
    }
    ours, theirs = evaluate(policy, facts), evaluate(floor, facts)
    assert Outcome.of(ours.decision.status) == Outcome.of(theirs.decision.status)
    assert (
        ours.rules["constitutional-floor.imminent_threat"].status
        == theirs.rules["imminent_threat"].status
    )


def test_a_missing_neighbour_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, READER.replace("{floor}", "{policy: constitutional-floor}"))
    with pytest.raises(InputError) as caught:
        load_policy(path, shipped().vocabulary)
    assert "no policy 'constitutional-floor' beside this file" in str(caught.value)
    assert caught.value.location is not None and caught.value.location.line == 15


def test_a_chain_of_references_is_refused(beside_the_floor: Path) -> None:
    middle = READER.replace("{floor}", "{policy: constitutional-floor}")
    _write(beside_the_floor, middle.replace("id: reader", "id: middle"), "middle")
    path = _write(beside_the_floor, READER.replace("{floor}", "{policy: middle}"))
    with pytest.raises(InputError) as caught:
        load_policy(path, shipped().vocabulary)
    assert "may not read a third" in (caught.value.help or "")


def test_a_reference_stands_alone(beside_the_floor: Path) -> None:
    path = _write(
        beside_the_floor, READER.replace("{floor}", "{policy: constitutional-floor, not: x}")
    )
    with pytest.raises(InputError) as caught:
        load_policy(path, shipped().vocabulary)
    assert "does not go with `policy`" in str(caught.value)
