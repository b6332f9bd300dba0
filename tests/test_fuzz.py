"""Fuzzing: broken and hostile files never crash forcecheck, and its messages stay clean.

Each case takes a shipped file, applies mutations (tests/mutations.py: delete, duplicate or
swap lines; cut the file short; insert or flip bytes; delete, retype, rename or swap keys
and values; and what a hostile author plants: ``!!bool maybe`` and other bad core tags,
lone surrogates, 5,000-digit integers, terminal escapes, line breaks, invisible and
look-alike characters in keys) and runs a command on it through the real entry point,
``forcecheck.__main__.main`` (tests/fuzz_run.py): every command, every format, batch mode.
It must exit 0, 1 (where a failed check is the result) or 3 — never 4, never 2 — with no
traceback; each error must be one line naming the file, plus at most one ``help:`` line;
and no raw control character may reach stderr, nor stdout in a text format.

Bounded and derandomized, so it is fast and the same on every run; scripts/fuzz.py runs the
same cases for as long as you like (see docs/reliability.md).
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fuzz_judge import kinds, problems
from .fuzz_run import (
    COMMANDS,
    GOOD_SCENARIO,
    ROOT,
    Case,
    Command,
    Result,
    Seed,
    make_case,
    run,
    seeds,
    write_case,
)
from .mutations import (
    BAD_TAGS,
    HOSTILE,
    HOSTILE_MUTATIONS,
    LOOK_ALIKES,
    MUTATIONS,
    OTHER_BAD_TAGS,
)

# A quality check that takes seconds: run by .ci/run, skipped by `-m "not slow"`.
pytestmark = pytest.mark.slow

#: Every character a hostile mutation plants: unprintable ones and Cyrillic look-alikes.
HOSTILE_CHARS = {c for c in "".join(HOSTILE) if not c.isprintable()} | set(LOOK_ALIKES.values())

SEEDS = seeds()
#: The seed each command meets every hostile mutation with: a scenario with accounts,
#: sources and discharges; the current DHS policy; a batch made from the same scenario.
MATRIX_SEEDS = {
    "scenario": Seed("scenario", ROOT / "scenarios/incidents/franklin-park-2025-09-12.yaml"),
    "policy": Seed("policy", ROOT / "policy/dhs-2023.yaml"),
    "batch": Seed("batch", ROOT / "scenarios/incidents/franklin-park-2025-09-12.yaml"),
}
#: Which hostile mutations are written as JSON first (5,000 digits are a `.json` problem).
_AS_JSON = {"huge_integer", "lone_surrogate"}


def _judge(case: Case, tmp_path: Path, subprocess: bool = False) -> tuple[list[str], Result]:
    path = write_case(case, tmp_path)
    argv = case.argv(path, tmp_path / "out.html")
    result = run(argv, subprocess=subprocess)
    found = [f"{p}" for p in problems(case.command, path, result)]
    return [f"forcecheck {' '.join(argv)}", *found] if found else [], result


def _hostile_case(command: Command, mutation: str) -> Case:
    seed = MATRIX_SEEDS[command.kind]
    rng = random.Random(f"{command.name}/{mutation}")
    steps = [(mutation, rng)]
    if mutation in _AS_JSON and seed.kind != "batch":
        steps.insert(0, ("to_json", random.Random(0)))
    return Case(seed, steps, command, as_json=True)


#: Each command line meets two of the hostile mutations, in turn, so each mutation meets
#: eighteen or nineteen command lines, of every command and kind of file.
MATRIX = [
    (command, HOSTILE_MUTATIONS[(i + shift) % len(HOSTILE_MUTATIONS)])
    for i, command in enumerate(COMMANDS)
    for shift in (0, 1)
]


@pytest.mark.parametrize(
    ("command", "mutation"), MATRIX, ids=[f"{c.kind}: {c.name} | {m}" for c, m in MATRIX]
)
def test_every_command_survives_hostile_input(
    command: Command, mutation: str, tmp_path: Path
) -> None:
    found = _judge(_hostile_case(command, mutation), tmp_path)[0]
    assert not found, "\n".join(found)


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rng=st.randoms(use_true_random=False))
def test_mutated_files_never_crash_the_cli(rng: random.Random, tmp_path: Path) -> None:
    case = make_case(rng, SEEDS, sorted(MUTATIONS))
    found = _judge(case, Path(tempfile.mkdtemp(dir=tmp_path)))[0]
    assert not found, "\n".join(found)


# A real process for a few cases: the fast path, a typer command, batch mode. Each must
# pass the judge and agree with the in-process run the other cases rely on.
_PROCESS_CASES = [
    ("evaluate {file}", "bad_tag"),
    ("compare {file} -f markdown", "escape_in_key"),
    ("evaluate --batch {file} --jobs 1", "lone_surrogate"),
]


@pytest.mark.parametrize(("name", "mutation"), _PROCESS_CASES)
def test_a_real_process_answers_as_the_in_process_run(
    name: str, mutation: str, tmp_path: Path
) -> None:
    command = next(c for c in COMMANDS if c.name == name and c.kind != "policy")
    case = _hostile_case(command, mutation)
    found, result = _judge(case, tmp_path, subprocess=True)
    in_process = run(case.argv(tmp_path / case.file_name(), tmp_path / "out.html"))
    assert (in_process.exit_code, in_process.stdout, in_process.stderr) == (
        result.exit_code,
        result.stdout,
        result.stderr,
    )
    assert not found, "\n".join(found)


def test_the_runner_takes_the_fast_path_as_the_command_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A plain `evaluate` never reaches typer; another command does, through the same main().
    import typer

    calls: list[object] = []
    real = typer.Typer.__call__

    def spy(self: typer.Typer, *args: object, **kwargs: object) -> object:
        calls.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(typer.Typer, "__call__", spy)
    assert run(["evaluate", str(GOOD_SCENARIO), "-f", "json"]).exit_code == 0
    assert calls == []
    assert run(["compare", str(GOOD_SCENARIO), "-f", "json"]).exit_code == 0
    assert len(calls) == 1


def _result(code: int, stderr: str = "", stdout: str = "") -> Result:
    return Result(code, stdout, stderr)


def test_the_judge_notices_each_kind_of_failure() -> None:
    evaluate = next(c for c in COMMANDS if c.name == "evaluate {file}")
    as_json = next(c for c in COMMANDS if c.name == "evaluate {file} --format json")
    lint = next(c for c in COMMANDS if c.argv[0] == "lint")
    batch = next(c for c in COMMANDS if c.kind == "batch")
    path = Path("/tmp/s.yaml")
    located = "/tmp/s.yaml:3:5: error: unknown key 'x'\nhelp: did you mean 'y'?\n"

    def judged(command: Command, result: Result) -> list[str]:
        return kinds(problems(command, path, result))

    assert judged(evaluate, _result(4, "error: internal error: KeyError\nhelp: a bug\n")) == [
        "exit 4"
    ]
    assert judged(evaluate, _result(2, "Usage: ...\nError: bad\n"))[0] == "exit 2"
    assert judged(evaluate, Result(1, "", "", "Traceback ...\nKeyError")) == ["traceback"]
    assert "traceback" in judged(evaluate, _result(3, "Traceback (most recent call last):\n"))
    assert judged(evaluate, _result(3, located + "help: forged\n")) == ["multi-line message"]
    assert judged(evaluate, _result(3, located + located)) == ["multi-line message"]
    assert judged(evaluate, _result(3, "error: unknown key 'x'\n")) == ["unlocated message"]
    assert judged(evaluate, _result(3, located.replace("'x'", "'\x1b[31mx'"))) == [
        "control chars on stderr"
    ]
    assert judged(evaluate, _result(0, "", "| \x9b31m |\n")) == ["control chars on stdout"]
    forged = "/tmp/s.yaml:1:1: error: key 'a\nb' [load]\n"
    assert judged(lint, _result(1, "1 error(s), 0 warning(s)\n", forged)) == ["multi-line message"]
    assert judged(as_json, _result(0, "", '{"id": NaN}')) == ["invalid JSON on stdout"]
    assert judged(batch, _result(1, "", '{"line": 1}\n{"id": 1e400')) == ["invalid JSON on stdout"]
    # What is allowed: exit 3 with one located error (and help); JSON's own escapes; a
    # batch's bad lines, each an error, with its summary; lint's diagnostics and count.
    assert judged(evaluate, _result(3, located)) == []
    assert judged(evaluate, _result(3, "/tmp/s.yaml: error: not UTF-8\n")) == []
    assert judged(as_json, _result(0, "", '{"a": "\x85"}')) == []
    batch_err = "/tmp/s.yaml:2: error: bad line\nhelp: fix it\n" * 2
    summary = "3 scenarios: 1 evaluated, 2 failed\n"
    assert judged(batch, _result(1, batch_err + summary, '{"line": 1}\n{"line": 2}\n')) == []
    diagnostic = "/tmp/s.yaml:1:1: warning: unused rule 'r' [unused]\n"
    assert judged(lint, _result(0, "0 error(s), 1 warning(s)\n", diagnostic)) == []
    broken = "/tmp/s.yaml:1:1: error: bad key [load]\nhelp: fix it\n"
    assert judged(lint, _result(3, "2 error(s), 0 warning(s)\n", broken * 2)) == []
    stray = "/tmp/s.yaml:1:1: warning: unused rule 'r' [unused]\nhelp: forged\n"
    assert judged(lint, _result(0, "0 error(s), 1 warning(s)\n", stray)) == ["multi-line message"]


@pytest.mark.parametrize("seed", [s for s in SEEDS if s.kind != "batch"], ids=lambda s: s.path.name)
def test_a_valid_file_evaluates_the_same_as_yaml_or_json(seed: Seed, tmp_path: Path) -> None:
    # Re-written as JSON (dates as text), the file must still load and mean the same.
    data = yaml.safe_load(seed.path.read_text(encoding="utf-8"))
    as_json = tmp_path / f"{seed.path.stem}.json"
    as_json.write_text(json.dumps(data, default=str), encoding="utf-8")
    if seed.kind == "policy":
        # A policy that reads another's decision ({policy: ID}) reads it beside itself.
        for neighbour in seed.path.parent.glob("*.yaml"):
            if neighbour.stem != seed.path.stem:
                (tmp_path / neighbour.name).write_bytes(neighbour.read_bytes())
        original = ["evaluate", str(GOOD_SCENARIO), "--policy", str(seed.path), "-f", "json"]
        rewritten = ["evaluate", str(GOOD_SCENARIO), "--policy", str(as_json), "-f", "json"]
    else:
        original = ["evaluate", str(seed.path), "-f", "json"]
        rewritten = ["evaluate", str(as_json), "-f", "json"]
    first, second = run(original), run(rewritten)
    assert first.exit_code == second.exit_code == 0, first.stderr + second.stderr
    assert json.loads(first.stdout)["evaluations"] == json.loads(second.stdout)["evaluations"]


def _planted(mutation: str, seed: Seed, number: int) -> str:
    text = seed.path.read_text(encoding="utf-8")
    if mutation == "huge_integer" and number % 2:
        text = str(MUTATIONS["to_json"](text, random.Random(number)))
    result = MUTATIONS[mutation](text, random.Random(number))
    return result if isinstance(result, str) else result.decode("utf-8", "replace")


@pytest.mark.parametrize("kind", ["scenario", "policy"])
def test_the_hostile_mutations_plant_what_they_say(kind: str) -> None:
    seed = MATRIX_SEEDS[kind]
    original = set(_strings(yaml.safe_load(seed.path.read_text(encoding="utf-8"))))
    hostile_names = 0
    for number in range(10):
        tagged = _planted("bad_tag", seed, number)
        assert any(tag in tagged for tag in BAD_TAGS + OTHER_BAD_TAGS)
        surrogate = _planted("lone_surrogate", seed, number)
        assert re.search(r'"[^"\n]*\\ud[89a-f][0-9a-f]{2}', surrogate)
        assert re.search(r"\d{4300}", _planted("huge_integer", seed, number))
        renamed = _planted("escape_in_key", seed, number)
        # (JSON may hold a raw C1 character, which YAML refuses.)
        data = json.loads(renamed) if renamed.startswith("{") else yaml.safe_load(renamed)
        strings = set(_strings(data))
        new = strings - original
        assert new
        # (PyYAML reads a BOM opening a key as a space: a new name all the same.)
        hostile_names += any(any(ch in HOSTILE_CHARS for ch in s) for s in new)
    assert hostile_names >= 7


def _strings(data: object) -> list[str]:
    """Every key and string value in ``data``."""
    if isinstance(data, dict):
        return [str(k) for k in data] + [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [data] if isinstance(data, str) else []
