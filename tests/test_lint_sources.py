"""lint reads a policy's source texts as it reads every input: bounded, regular files only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

EXAMPLE = ROOT / "docs" / "examples"


def _policy_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    (folder / "sources").mkdir(parents=True)
    shutil.copy(ROOT / "policy" / "facts.yaml", folder / "facts.yaml")
    shutil.copy(EXAMPLE / "example-policy.yaml", folder / "example-policy.yaml")
    return folder


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "forcecheck", "lint", str(folder / "example-policy.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_named_pipe_as_source_text_neither_hangs_nor_is_read(tmp_path: Path) -> None:
    folder = _policy_dir(tmp_path)
    os.mkfifo(folder / "sources" / "directive.md")
    result = _lint(folder)  # a blocking read would hit the timeout
    assert result.returncode == 1, result.stderr
    assert "no sources/directive.md to check it against" in result.stdout


def test_the_real_source_text_still_confirms_the_quotes(tmp_path: Path) -> None:
    folder = _policy_dir(tmp_path)
    shutil.copy(EXAMPLE / "sources" / "directive.md", folder / "sources" / "directive.md")
    result = _lint(folder)
    assert result.returncode == 0, result.stdout
    assert "0 error(s)" in result.stderr
