"""The README's Quick start and CI agree, and the package is installable as documented."""

import re

from .conftest import ROOT


def _quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = re.search(r"^## Quick start\s*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert section, "README.md has a Quick start"
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section.group(1), re.S)
    assert len(blocks) == 1
    return [line.strip() for line in blocks[0].splitlines() if line.strip()]


def test_quick_start_has_two_commands_and_ci_runs_the_test_one() -> None:
    install_and_run, install_and_test = _quick_start()
    assert "forcecheck evaluate scenarios/incidents/" in install_and_run
    assert (ROOT / install_and_run.split("forcecheck evaluate ")[1]).exists()
    assert "pytest" in install_and_test
    assert install_and_test in (ROOT / ".ci" / "run").read_text()


def test_ci_lints_and_type_checks() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "ruff check" in ci and "mypy" in ci and "set -euo pipefail" in ci
