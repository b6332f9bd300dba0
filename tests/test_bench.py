"""The benchmark script runs (smoke mode, no general engines) and writes its report."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def test_bench_smoke_run_writes_every_section(tmp_path: Path) -> None:
    report, picture = tmp_path / "performance.md", tmp_path / "size.png"
    report.write_text(
        "# Performance\n\nprose kept\n\n<!-- bench results: start -->\nold\n"
        "<!-- bench results: end -->\n\nmore prose\n"
    )
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--engines", "",
         "--output", str(report), "--plot", str(picture)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = report.read_text()
    assert text.startswith("# Performance\n\nprose kept\n") and text.endswith("more prose\n")
    assert "\nold\n" not in text
    for heading in ("The dhs-2023 decision", "Batch mode", "Start-up", "`forcecheck verify`",
                    "policy size", "accounts × discharges"):  # fmt: skip
        assert heading in text
    for method in ("forcecheck compiled decision", "every rule's status", "--jobs 1",
                   "no fast path", "| dhs-2023 |", "proved", "`forcecheck draft`"):  # fmt: skip
        assert method in text
    assert picture.exists() == (importlib.util.find_spec("matplotlib") is not None)
