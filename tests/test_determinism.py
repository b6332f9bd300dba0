"""Same input, byte-identical output: across runs and across Python hash seeds.

String hashing (and so the order of sets and of dicts built from them) changes with
``PYTHONHASHSEED``. Each seed gets one fresh interpreter that runs every command in-process
(a process per command would cost seconds); their outputs must agree byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

INCIDENT = "scenarios/incidents/franklin-park-2025-09-12.yaml"
TIMELINE = "scenarios/training/14-threat-ends-between-shots.yaml"

_DRIVER = textwrap.dedent(
    """
    import json, sys
    from typer.testing import CliRunner
    from forcecheck.cli import app

    runs = []
    for args in json.loads(sys.argv[1]):
        result = CliRunner().invoke(app, args)
        runs.append([args, result.exit_code, result.stdout, result.stderr])
    sys.stdout.write(json.dumps(runs, ensure_ascii=False))
    """
)


def _commands(layered: Path) -> list[list[str]]:
    return [
        ["evaluate", INCIDENT],
        ["evaluate", INCIDENT, "--format", "json"],
        ["evaluate", INCIDENT, "--table-format", "github"],
        ["evaluate", TIMELINE, "--format", "json"],
        ["evaluate", str(layered)],
        ["evaluate", str(layered), "--format", "json"],
        ["compare", INCIDENT],
        ["compare", INCIDENT, "--format", "json"],
        ["compare", INCIDENT, "--policies", "dhs-2023,dhs-2018,doj-2022,constitutional-floor"],
        ["explain", "moving_vehicle_rule"],
        ["explain", "authorized", "--policy", "docs/examples/example-policy.yaml"],
        ["lint"],
        ["lint", "scenarios", "docs/examples"],
        ["check", "scenarios"],
        ["check", "scenarios", "--format", "json"],
        ["policies"],
        ["policies", "--format", "json"],
    ]


def _run(seed: str, commands: list[list[str]]) -> list[list[object]]:
    proc = subprocess.run(
        [sys.executable, "-c", _DRIVER, json.dumps(commands)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={
            "PYTHONHASHSEED": seed,
            "PATH": "",
            "PYTHONIOENCODING": "utf-8",
            # The suite's temporary cache (conftest), not the user's ~/.cache.
            "FORCECHECK_CACHE_DIR": os.environ["FORCECHECK_CACHE_DIR"],
        },
    )
    assert proc.returncode == 0, proc.stderr
    runs: list[list[object]] = json.loads(proc.stdout)
    return runs


@pytest.fixture(scope="module")
def layered() -> Path:
    """The incident, judged under every binding layer (it names no policy)."""
    text = (ROOT / INCIDENT).read_text(encoding="utf-8")
    assert not any(line.startswith("policy:") for line in text.splitlines())
    return ROOT / INCIDENT


def test_output_is_identical_across_hash_seeds(layered: Path) -> None:
    commands = _commands(layered)
    first, *others = [_run(seed, commands) for seed in ("0", "1", "4294967295")]
    for args, code, stdout, _stderr in first:
        assert isinstance(args, list)
        # lint exits 3 on the docs' examples that need their own policy directory.
        assert code in (0, 1) or (args[0] == "lint" and code == 3), (args, code)
        assert stdout or args[0] == "lint", args
    # The layered scenario really is reported under several policies.
    assert str(first[4][2]).count("layer") >= 1 and '"layers": [' in str(first[5][2])
    for other in others:
        for mine, theirs in zip(first, other, strict=True):
            assert mine == theirs, f"output differs between hash seeds: {mine[0]}"
