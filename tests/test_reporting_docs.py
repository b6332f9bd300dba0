"""docs/reporting.md: every command it shows runs, and what it says of the incidents holds."""

from __future__ import annotations

import shlex

import pytest

from .conftest import ROOT, doc_commands, invoke

DOC = (ROOT / "docs" / "reporting.md").read_text()
COMMANDS = doc_commands(DOC)


def test_the_page_shows_commands() -> None:
    assert len(COMMANDS) >= 4


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_on_the_page_runs(command: str) -> None:
    result = invoke(shlex.split(command)[1:])
    assert result.exit_code == 0, result.stderr


def test_what_the_page_says_of_franklin_park_holds() -> None:
    agency = invoke(
        ["questions", "scenarios/incidents/franklin-park-2025-09-12.yaml", "--account", "agency"]
    ).stdout
    assert "could_avoid_vehicle" in agency and "other_defense_available" in agency
    assert "{could_avoid_vehicle, other_defense_available}" in agency
    compare = invoke(["compare", "scenarios/incidents/franklin-park-2025-09-12.yaml"]).stdout
    summary = " ".join(compare[: compare.index("Disputed facts")].split())
    assert "No single disputed fact changes an account's outcome" in summary
    assert (
        "They contradict each other on 1: vehicle_moving_toward_person "
        "(true: agency, officers-on-bodycam; false: video)" in summary
    )
    table = compare[compare.index("Disputed facts") : compare.index("Stated by only some")]
    rows = [line for line in table.splitlines() if "│" in line and "fact" not in line]
    assert "◇  │ vehicle_moving_toward_person │ contradicted" in rows[0]
    assert "◇  │ person_struck_or_dragged" in table
    assert "subject_fleeing" not in table  # stated by three accounts, denied by none
    gaps = compare[compare.index("Stated by only some") : compare.index("Who said what")]
    assert "verbal_warning_given: true: agency" in gaps
    # Could he let go? No account settles it; it is asked first, with who cannot tell.
    open_part = compare[compare.index("Open in every account") : compare.index("Who said what")]
    items = [line for line in open_part.splitlines() if line.startswith("  - ")]
    assert items[0].startswith("  - could_avoid_vehicle:")
    assert "video: cannot tell — Investigate Death of Mexican National" in open_part
    conclusions = compare[compare.index("Stated conclusions") :]
    assert "deadly_force_authorized" in conclusions and "⚠ not established" in conclusions


def test_compare_narrows_to_the_accounts_named() -> None:
    result = invoke(
        [
            "compare",
            "scenarios/incidents/franklin-park-2025-09-12.yaml",
            "--account",
            "video,agency",
            "--format",
            "json",
        ]
    )
    assert result.exit_code == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert [c["label"] for c in data["columns"]] == ["agency", "video"]
    disputed = {d["fact"]: d for d in data["disputes"]}
    assert disputed["vehicle_moving_toward_person"]["kind"] == "contradicted"
    typo = invoke(["compare", "scenarios/incidents/franklin-park-2025-09-12.yaml", "-a", "vidoe"])
    assert typo.exit_code == 3
    assert "did you mean 'video'?" in typo.stderr


def test_what_the_page_says_of_pretti_holds() -> None:
    compare = invoke(["compare", "scenarios/incidents/minneapolis-pretti-2026-01-24.yaml"]).stdout
    assert "★  │ subject_threatened_deadly_force" in compare
    assert "witnesses: not_authorized → undetermined if true (as agency says)" in compare


def test_an_account_that_needs_every_answer_says_so_instead_of_listing_them() -> None:
    out = invoke(
        [
            "questions",
            "scenarios/incidents/franklin-park-2025-09-12.yaml",
            "--account",
            "officers-on-bodycam",
        ]
    ).stdout
    flat = " ".join(out.split())
    assert "No smaller set than all 15 questions is sure to settle the outcome" in flat
    assert "search stopped" not in flat
