"""Fuzzing: valid scenario and policy files, broken at random, never crash the CLI.

Each example takes a shipped file, applies one to three mutations (tests/mutations.py:
delete, duplicate or swap lines; cut the file short; insert or flip bytes; delete, retype,
rename or swap keys and values) and runs a command on it in-process. The CLI must exit 0,
1 (check, lint) or 3 — never 4 — with no traceback, and an error must name the file.
Bounded and derandomized, so it is fast and the same on every run; scripts/fuzz.py runs the
same mutations for as long as you like (see docs/reliability.md).
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import invoke
from .mutations import (
    GOOD_SCENARIO,
    MUTATIONS,
    Seed,
    command_for,
    mutate,
    problems,
    seeds,
)

SEEDS = seeds()

steps = st.lists(
    st.tuples(st.sampled_from(sorted(MUTATIONS)), st.randoms(use_true_random=False)),
    min_size=1,
    max_size=3,
)


def _run_mutated(seed: Seed, content: str | bytes, choice: int) -> list[str]:
    directory = Path(tempfile.mkdtemp(prefix="forcecheck-fuzz-"))
    try:
        # A policy's id must be its file stem, so the copy keeps the name.
        path = directory / seed.path.name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        args = command_for(seed, path, choice)
        result = invoke(args)
        return problems(args, path, result.exit_code, result.stderr, result.exception)
    finally:
        shutil.rmtree(directory)


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(seed=st.sampled_from(SEEDS), steps=steps, choice=st.integers(0, 4))
def test_mutated_files_never_crash_the_cli(
    seed: Seed, steps: list[tuple[str, random.Random]], choice: int
) -> None:
    content = mutate(seed.path.read_text(encoding="utf-8"), steps)
    assert _run_mutated(seed, content, choice) == []


def _evaluations(args: list[str]) -> object:
    result = invoke(args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["evaluations"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.path.name)
def test_a_valid_file_evaluates_the_same_as_yaml_or_json(seed: Seed, tmp_path: Path) -> None:
    # Re-written as JSON (dates as text), the file must still load and mean the same.
    data = yaml.safe_load(seed.path.read_text(encoding="utf-8"))
    as_json = tmp_path / f"{seed.path.stem}.json"
    as_json.write_text(json.dumps(data, default=str), encoding="utf-8")
    if seed.kind == "policy":
        original = ["evaluate", str(GOOD_SCENARIO), "--policy", str(seed.path), "-f", "json"]
        rewritten = ["evaluate", str(GOOD_SCENARIO), "--policy", str(as_json), "-f", "json"]
    else:
        original = ["evaluate", str(seed.path), "-f", "json"]
        rewritten = ["evaluate", str(as_json), "-f", "json"]
    assert _evaluations(original) == _evaluations(rewritten)


def test_the_judge_notices_a_crash() -> None:
    path = Path("s.yaml")
    crash = ValueError("boom")
    assert problems(["evaluate", "s.yaml"], path, 1, "", crash)
    assert problems(["evaluate", "s.yaml"], path, 4, "error: internal error: ...", None)
    assert problems(["evaluate", "s.yaml"], path, 3, "error: no path\nhelp: x", None)
    assert problems(["evaluate", "s.yaml"], path, 3, "s.yaml: e\nTraceback", None)
    assert not problems(["evaluate", "s.yaml"], path, 3, "s.yaml:1:1: error: x\nhelp: y", None)
    assert not problems(["lint", "s.yaml"], path, 1, "", None)
