"""Exclusions: fact values the vocabulary declares impossible together are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcecheck.errors import ContradictionError, SchemaError, UnknownFactError
from forcecheck.load.library import Library
from forcecheck.load.scenario_loader import load_scenario
from forcecheck.load.vocabulary_loader import load_vocabulary

from .conftest import ROOT, run_process


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_shipped_exclusions_name_declared_facts(library: Library) -> None:
    exclusions = library.vocabulary.exclusions
    assert exclusions["disabling_shot_is_at_vehicle"].facts == {
        "shot_solely_to_disable_vehicle": True,
        "shot_at_vehicle": False,
    }
    for exclusion in exclusions.values():
        assert set(exclusion.facts) <= set(library.vocabulary.ids)


def test_a_scenario_breaking_an_exclusion_is_refused_at_the_fact(
    tmp_path: Path, library: Library
) -> None:
    path = _write(
        tmp_path,
        "policy: dhs-2023\nfacts:\n  shot_solely_to_disable_vehicle: true\n"
        "  shot_at_vehicle: false\n",
    )
    with pytest.raises(ContradictionError) as caught:
        load_scenario(path, library.vocabulary)
    error = caught.value
    assert error.location is not None and (error.location.line, error.location.col) == (3, 3)
    assert "disabling_shot_is_at_vehicle" in error.message
    assert "A shot aimed solely at disabling the vehicle" in error.message
    assert "unknown" in (error.help or "")


def test_unknown_never_breaks_an_exclusion(tmp_path: Path, library: Library) -> None:
    path = _write(
        tmp_path,
        "facts:\n  shot_solely_to_disable_vehicle: true\n  shot_at_vehicle: unknown\n",
    )
    load_scenario(path, library.vocabulary)


def test_a_discharge_is_checked_after_its_own_facts(tmp_path: Path, library: Library) -> None:
    text = """\
accounts:
  video:
    facts:
      subject_fleeing: true
      necessary_to_prevent_escape: true
    discharges:
      - id: shot-1
      - id: shot-2
        facts:
          subject_fleeing: false
"""
    with pytest.raises(ContradictionError) as caught:
        load_scenario(_write(tmp_path, text), library.vocabulary)
    error = caught.value
    assert "account 'video' at discharge 'shot-2'" in error.message
    assert "escape_needs_flight" in error.message
    # It points at the value the discharge itself sets.
    assert error.location is not None and error.location.line == 10


def test_a_discharge_may_correct_the_account_it_belongs_to(
    tmp_path: Path, library: Library
) -> None:
    text = """\
facts:
  subject_fleeing: false
  necessary_to_prevent_escape: true
discharges:
  - id: shot-1
    facts:
      subject_fleeing: true
"""
    load_scenario(_write(tmp_path, text), library.vocabulary)


def test_the_cli_exits_3_naming_the_exclusion(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "policy: dhs-2023\nfacts:\n  shot_at_vehicle: false\n"
        "  shot_solely_to_disable_vehicle: true\n",
    )
    proc = run_process(["evaluate", str(path)])
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert f"{path}:3:3: error: the scenario says" in proc.stderr
    assert "Traceback" not in proc.stderr


def _vocabulary(tmp_path: Path, exclusions: str) -> Path:
    facts = (ROOT / "policy" / "facts.yaml").read_text()
    facts = facts[: facts.index("\nexclusions:")]
    return _write(tmp_path, facts + "\nexclusions:\n" + exclusions, "facts.yaml")


def test_an_exclusion_naming_an_undeclared_fact_is_located(tmp_path: Path) -> None:
    text = "  x:\n    statement: impossible\n    facts: {warning_shot: true, shot_at_vehicel: true}"
    path = _vocabulary(tmp_path, text + "\n")
    with pytest.raises(UnknownFactError) as caught:
        load_vocabulary(path)
    assert "shot_at_vehicel" in caught.value.message
    assert caught.value.help == "did you mean 'shot_at_vehicle'?"
    assert caught.value.location is not None and caught.value.location.line is not None


@pytest.mark.parametrize(
    "facts",
    ["{warning_shot: unknown, shot_at_vehicle: true}", "{warning_shot: true}"],
    ids=["unknown-value", "single-fact"],
)
def test_an_exclusion_needs_two_known_values(tmp_path: Path, facts: str) -> None:
    path = _vocabulary(tmp_path, f"  x:\n    statement: impossible\n    facts: {facts}\n")
    with pytest.raises(SchemaError):
        load_vocabulary(path)
