"""docs/report.md: its commands run, and its pictures are the ones the script takes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from .conftest import ROOT, doc_commands, invoke

DOC = (ROOT / "docs" / "report.md").read_text()
COMMANDS = doc_commands(DOC)
IMAGES = re.findall(r"!\[[^\]]+\]\((images/[^)]+\.png)\)", DOC)


def test_the_page_shows_the_report_commands() -> None:
    assert {shlex.split(c)[1] for c in COMMANDS} == {"report", "evaluate", "compare"}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_on_the_page_writes_a_page(command: str, tmp_path: Path) -> None:
    args = shlex.split(command)[1:]
    target = tmp_path / args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(target)
    result = invoke(args)
    assert result.exit_code == 0, result.stderr
    assert target.read_text().startswith("<!DOCTYPE html>")


def test_every_picture_exists_and_comes_from_the_screenshot_script() -> None:
    script = (ROOT / "scripts" / "screenshots.py").read_text()
    assert len(IMAGES) >= 5
    for image in IMAGES:
        path = ROOT / "docs" / image
        assert path.read_bytes().startswith(b"\x89PNG"), image
        assert f'"{Path(image).name}"' in script, image
    shipped = {p.name for p in (ROOT / "docs" / "images").glob("report-*.png")}
    assert shipped == {Path(image).name for image in IMAGES}
