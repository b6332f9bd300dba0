"""The shipped scenarios: they load, their expectations hold, incidents keep claims attributed."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcecheck.evaluation import evaluate_scenario
from forcecheck.expect import check_expectations
from forcecheck.library import Library, policy_for_scenario
from forcecheck.scenario import load_scenario

from .conftest import SCENARIOS

INCIDENTS = sorted((SCENARIOS / "incidents").glob("*.yaml"))
DRILLS = sorted((SCENARIOS / "training").glob("*.yaml"))


@pytest.mark.parametrize("path", [*INCIDENTS, *DRILLS], ids=lambda p: p.name)
def test_shipped_scenario_meets_its_expectations(library: Library, path: Path) -> None:
    scenario = load_scenario(path, library.vocabulary)
    assert scenario.spec.expect is not None, "every shipped scenario states its expectations"
    result = evaluate_scenario(scenario, policy_for_scenario(scenario, library))
    assert [str(m) for m in check_expectations(result)] == []


def test_there_are_at_least_three_incidents_and_thirty_drills() -> None:
    assert len(INCIDENTS) >= 3
    assert len(DRILLS) >= 30


@pytest.mark.parametrize("path", INCIDENTS, ids=lambda p: p.name)
def test_incident_accounts_are_attributed(library: Library, path: Path) -> None:
    spec = load_scenario(path, library.vocabulary).spec
    assert spec.date and spec.place and spec.agency and spec.sources
    assert spec.accounts is not None and len(spec.accounts) >= 2
    assert "agency" in spec.accounts, "the agency's own account comes first and is named"
    for name, account in spec.accounts.items():
        assert account.title, name
        entries = [*account.facts.items()]
        entries += [(f, e) for d in account.discharges for f, e in d.facts.items()]
        for fact_id, entry in entries:
            source = entry.source or account.source
            assert source in spec.sources, (name, fact_id)
            assert entry.quote or entry.note, f"{name}.{fact_id} says neither quote nor note"


@pytest.mark.parametrize("path", DRILLS, ids=lambda p: p.name)
def test_drills_have_a_narrative(library: Library, path: Path) -> None:
    spec = load_scenario(path, library.vocabulary).spec
    assert spec.title and spec.summary and len(spec.summary) > 40


@pytest.mark.parametrize("path", DRILLS, ids=lambda p: p.name)
def test_drills_from_cases_attribute_every_fact(library: Library, path: Path) -> None:
    spec = load_scenario(path, library.vocabulary).spec
    if not spec.sources:
        return
    assert spec.accounts is not None
    for name, account in spec.accounts.items():
        entries = [*account.facts.items()]
        entries += [(f, e) for d in account.discharges for f, e in d.facts.items()]
        for fact_id, entry in entries:
            assert entry.quote or entry.note, f"{name}.{fact_id} says neither quote nor note"
