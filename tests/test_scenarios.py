"""The shipped scenarios: they load, their expectations hold, incidents keep claims attributed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forcecheck.checks.check import evaluate_for_expectations
from forcecheck.checks.expect import check_expectations
from forcecheck.load.library import Library
from forcecheck.load.scenario_loader import load_scenario

from .conftest import SCENARIOS

INCIDENTS = sorted((SCENARIOS / "incidents").glob("*.yaml"))
DRILLS = sorted((SCENARIOS / "training").glob("*.yaml"))
EVERY_SCENARIO = sorted(SCENARIOS.rglob("*.yaml"))

# A claim code of the research notes the incidents were compiled from: V-O1, G-C16, P-U2, E-C4.
# Those notes do not ship, so a code printed in a report is a reference no reader can follow;
# a scenario names the publication instead. The look-behind skips a match inside a longer
# identifier (policy numbers such as 1-16.200 or VI.B.2.a never have this shape anyway).
RESEARCH_CLAIM_CODE = re.compile(r"(?<![\w.-])[A-Z]{1,2}-[A-Z]{1,2}\d+\b")


@pytest.mark.parametrize("path", [*INCIDENTS, *DRILLS], ids=lambda p: p.name)
def test_shipped_scenario_meets_its_expectations(library: Library, path: Path) -> None:
    scenario = load_scenario(path, library.vocabulary)
    assert scenario.spec.expect is not None, "every shipped scenario states its expectations"
    result = evaluate_for_expectations(scenario, library)
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


@pytest.mark.parametrize(
    "text", ["(G-C1)", "(V-O1 to V-O3)", "see V-U4", "(P-C3)", "(M-C9, NBC)", "E-O2; G-C16."]
)
def test_research_claim_code_pattern_finds_codes(text: str) -> None:
    assert RESEARCH_CLAIM_CODE.search(text)


@pytest.mark.parametrize(
    "text",
    ["VI.B.2.a", "1-16.200", "JM 1-16.100", "044-05", "HB 4500-01C", "UTF-8", "I-94", "shots-2-3"],
)
def test_research_claim_code_pattern_spares_section_numbers(text: str) -> None:
    assert not RESEARCH_CLAIM_CODE.search(text)


@pytest.mark.parametrize("path", EVERY_SCENARIO, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_scenario_text_cites_publications_not_research_codes(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [
        f"{number}: {match.group()}"
        for number, line in enumerate(lines, start=1)
        for match in RESEARCH_CLAIM_CODE.finditer(line)
    ]
    assert found == [], f"research claim codes a reader cannot follow, at lines {found}"
