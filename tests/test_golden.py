"""Golden outputs: every output format, byte for byte, on a few small synthetic scenarios.

The cases (tests/fixtures/golden-cases/) use a small policy of their own, so a change to a
shipped policy or incident rewrites none of these; one case resolves the shipped layers by
date and agency. The shipped scenarios are checked by structure instead
(tests/test_shipped_reports.py). Refresh after an intended change with
``python -m pytest tests/test_golden.py --update-golden`` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, invoke

GOLDEN = ROOT / "tests" / "golden" / "cases"
CASES_DIR = Path("tests/fixtures/golden-cases")
ONE = str(CASES_DIR / "one-account.yaml")
TWO = str(CASES_DIR / "two-accounts.yaml")
LAYERS = str(CASES_DIR / "layers.yaml")
POLICY = str(CASES_DIR / "golden-policy.yaml")

#: golden file name -> the command line whose standard output it holds.
CASES: dict[str, list[str]] = {
    "evaluate-one.txt": ["evaluate", ONE],
    "evaluate-one.json": ["evaluate", ONE, "--format", "json"],
    "evaluate-one.md": ["evaluate", ONE, "--format", "markdown"],
    "evaluate-two.txt": ["evaluate", TWO],
    "evaluate-two-full.txt": ["evaluate", TWO, "--full"],
    "evaluate-two.json": ["evaluate", TWO, "--format", "json"],
    "evaluate-two.md": ["evaluate", TWO, "--format", "markdown"],
    "evaluate-two.html": ["evaluate", TWO, "--format", "html"],
    "evaluate-two-github.txt": ["evaluate", TWO, "--account", "video", "--table-format", "github"],
    "evaluate-layers.txt": ["evaluate", LAYERS],
    "evaluate-layers-full.txt": ["evaluate", LAYERS, "--full"],
    "evaluate-layers.json": ["evaluate", LAYERS, "--format", "json"],
    "compare-two.txt": ["compare", TWO],
    "compare-two.md": ["compare", TWO, "--format", "markdown"],
    "questions-one.txt": ["questions", ONE],
    "whatif-one.txt": ["whatif", ONE, "--set", "threat_ended=false"],
    "explain-policy.txt": ["explain", "authorized", "--policy", POLICY],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_output(
    name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke(CASES[name])
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout)
    assert golden.exists(), f"no golden file {golden}: run with --update-golden"
    assert result.stdout == golden.read_text()


def test_no_stale_golden_files() -> None:
    found = {p.name for p in GOLDEN.iterdir() if p.is_file()}
    assert found <= set(CASES), f"golden files for no case: {sorted(found - set(CASES))}"


def test_golden_files_stay_small() -> None:
    # Goldens are for formats, not for data: together they stay under 300 KB.
    total = sum(p.stat().st_size for p in (ROOT / "tests" / "golden").rglob("*") if p.is_file())
    assert total < 300_000, total
