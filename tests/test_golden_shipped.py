"""Golden outputs: the table and JSON report of every shipped scenario, byte for byte.

Refresh after an intended change with ``python -m pytest tests/test_golden.py
--update-golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, invoke

GOLDEN = ROOT / "tests" / "golden" / "shipped"
FILES = sorted(
    [p.relative_to(ROOT) for p in (ROOT / "scenarios").rglob("*.yaml")]
    + [Path("docs/examples/example-drill.yaml")]
)


@pytest.mark.parametrize("relative", FILES, ids=str)
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_golden_output(
    relative: Path, fmt: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke(["evaluate", str(relative), "--format", fmt])
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / relative.with_suffix(".json" if fmt == "json" else ".txt")
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout)
    assert golden.exists(), f"no golden file {golden}: run with --update-golden"
    assert result.stdout == golden.read_text()


def test_no_stale_golden_files() -> None:
    expected = {
        (GOLDEN / f.with_suffix(suffix)).resolve() for f in FILES for suffix in (".txt", ".json")
    }
    found = {p.resolve() for p in GOLDEN.rglob("*") if p.is_file()}
    assert found <= expected, f"golden files for no scenario: {sorted(found - expected)}"
