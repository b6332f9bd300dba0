"""docs/training.md: every command it shows runs, and what it says of the drills holds."""

from __future__ import annotations

import shlex

import pytest

from .conftest import ROOT, doc_commands, invoke

DOC = (ROOT / "docs" / "training.md").read_text()
COMMANDS = doc_commands(DOC)


def test_the_page_shows_commands() -> None:
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_on_the_page_runs(command: str) -> None:
    result = invoke(shlex.split(command)[1:])
    assert result.exit_code == 0, result.stderr


def test_what_the_page_says_of_drill_15_holds() -> None:
    whatif = invoke(shlex.split(next(c for c in COMMANDS if " whatif " in c))[1:]).stdout
    assert "│ outcome │ undetermined │ authorized │" in whatif
    interview = invoke(shlex.split(next(c for c in COMMANDS if " interview " in c))[1:]).stdout
    assert "Outcome: authorized after 2 questions." in interview
