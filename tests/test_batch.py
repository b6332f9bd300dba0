"""Batch mode: JSON Lines in, one record per line out, in order; bad lines become records."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forcecheck.cli import app
from forcecheck.engine.batch import BatchOptions, evaluate_lines, run_batch
from forcecheck.engine.explain import decide, evaluate
from forcecheck.model.logic import Value
from forcecheck.model.policy import Policy

from .conftest import invoke

THREAT = {
    "subject_threatened_deadly_force": True,
    "threat_ended": False,
    "other_defense_available": False,
    "threat_only_to_property_or_self": False,
    "shot_at_vehicle": False,
    "shot_solely_to_disable_vehicle": False,
    "warning_shot": False,
    "verbal_warning_feasible": False,
}
_VALUE = {True: Value.TRUE, False: Value.FALSE, "unknown": Value.UNKNOWN}


def _line(facts: Mapping[str, object], **extra: object) -> str:
    return json.dumps({"policy": "dhs-2023", **extra, "facts": facts})


def _random_lines(policy: Policy, count: int, seed: int = 0) -> list[dict[str, object]]:
    rng = random.Random(seed)
    return [
        {
            fact: rng.choice([True, False, "unknown"])
            for fact in policy.facts_used
            if rng.random() < 0.7
        }
        for _ in range(count)
    ]


def test_outcomes_and_conditions_agree_with_evaluate(dhs: Policy) -> None:
    cases = _random_lines(dhs, 200)
    options = BatchOptions(conditions=True)
    records = list(evaluate_lines([_line(facts) for facts in cases], options))
    assert [r["line"] for r in records] == list(range(1, 201))
    for facts, record in zip(cases, records, strict=True):
        values = {k: _VALUE[v] for k, v in facts.items()}
        evaluation = evaluate(dhs, values)
        assert record["outcome"] == decide(dhs, values) == evaluation.outcome
        assert record["conditions"] == {r.rule.id: r.status for r in evaluation.conditions}
        assert list(record["conditions"]) == list(dhs.conditions)
        assert record["findings"] == {"safe_tactics": evaluation.rules["safe_tactics"].status}


def test_a_record_is_exactly_json_dumps_of_itself() -> None:
    text = "".join(
        chunk.text
        for chunk in run_batch(
            io.BytesIO((_line(THREAT, id="é-1") + "\n" + _line({}, id=[7.5, {"a": 1}])).encode()),
            BatchOptions(conditions=True),
        )
    )
    lines = text.splitlines()
    assert lines[0].startswith('{"line": 1, "id": "é-1", "policy": "dhs-2023", "outcome": "auth')
    assert lines[1].startswith('{"line": 2, "id": [7.5, {"a": 1}], "policy": ')
    for line in lines:
        assert json.dumps(json.loads(line), ensure_ascii=False) == line


BAD_LINES = [
    ("not json", "malformed JSON: Expecting value", None),
    ("[1, 2]", "a line must be a JSON object", None),
    ('{"policy": "dhs-2023"}', "the line has no facts", None),
    ('{"policy": "dhs-2023", "facts": []}', '"facts" must be a JSON object', None),
    ('{"policy": "dhs-2023", "fact": {}}', "unknown key 'fact'", "did you mean 'facts'?"),
    ('{"facts": {}}', "the line names no policy", None),
    ('{"policy": 7, "facts": {}}', '"policy" must be a policy id or path (a string)', None),
    ('{"policy": "dhs-2024", "facts": {}}', "unknown policy 'dhs-2024'", "did you mean 'dhs-20"),
    (
        '{"policy": "dhs-2023", "facts": {"subject_flee": true}}',
        "unknown fact 'subject_flee'",
        "did you mean 'subject_fleeing'?",
    ),
    (
        '{"policy": "dhs-2023", "facts": {"subject_fleeing": 1}}',
        "fact 'subject_fleeing': a fact value must be true, false or unknown, not 1",
        None,
    ),
    (
        '{"policy": "dhs-2023", "facts": {"subject_fleeing": "True"}}',
        "fact 'subject_fleeing': 'True' is quoted text, not a boolean: write true unquoted",
        None,
    ),
    (
        '{"policy": "dhs-2023", "facts": {"subject_fleeing": [true]}}',
        "fact 'subject_fleeing': a fact value must be true, false or unknown, not [True]",
        None,
    ),
]


@pytest.mark.parametrize(("line", "message", "help"), BAD_LINES, ids=[b[1] for b in BAD_LINES])
def test_a_bad_line_gives_an_error_record_and_the_run_goes_on(
    line: str, message: str, help: str | None
) -> None:
    records = list(evaluate_lines([_line(THREAT), line, _line(THREAT)]))
    assert [r["line"] for r in records] == [1, 2, 3]
    assert records[1]["error"] == message
    if help is not None:
        assert records[1]["help"].startswith(help)
    assert records[0]["outcome"] == records[2]["outcome"] == "authorized"


def test_blank_lines_are_skipped_but_counted_and_crlf_is_read() -> None:
    data = (_line(THREAT) + "\r\n\r\n   \n" + _line({}) + "\r\n").encode()
    text = "".join(c.text for c in run_batch(io.BytesIO(data), BatchOptions()))
    assert [json.loads(t)["line"] for t in text.splitlines()] == [1, 4]


def test_the_default_policy_overrides_the_lines_and_a_bad_one_fails_at_once() -> None:
    records = list(evaluate_lines([_line({}), '{"facts": {}}'], BatchOptions(policy="dhs-2018")))
    assert [r["policy"] for r in records] == ["dhs-2018", "dhs-2018"]
    from forcecheck.errors import UnknownPolicyError

    with pytest.raises(UnknownPolicyError):
        next(run_batch(io.BytesIO(b"{}\n"), BatchOptions(policy="nope")))


def test_worker_processes_and_small_blocks_give_the_same_output_in_order(dhs: Policy) -> None:
    lines = [_line(facts) for facts in _random_lines(dhs, 400, seed=3)]
    lines[17] = "broken"
    lines[250] = "x" * 5000  # a line longer than a block
    data = ("\n".join(lines)).encode()  # and no line end after the last line
    single = list(run_batch(io.BytesIO(data), BatchOptions()))
    parallel = list(run_batch(io.BytesIO(data), BatchOptions(), jobs=2, block_bytes=1000))
    assert len(parallel) > 10
    assert "".join(c.text for c in parallel) == "".join(c.text for c in single)
    assert [e.line for c in parallel for e in c.errors] == [18, 251]
    assert sum(c.records for c in parallel) == 400


def test_jobs_start_worker_processes_when_the_input_has_several_blocks(
    dhs: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from typing import Any

    import forcecheck.engine.batch as batch

    started: list[int] = []

    def recording(workers: int, **kwargs: Any) -> ProcessPoolExecutor:
        started.append(workers)
        return ProcessPoolExecutor(workers, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", recording)
    data = "".join(_line(f) + "\n" for f in _random_lines(dhs, 300, seed=5)).encode()
    single = "".join(c.text for c in run_batch(io.BytesIO(data), BatchOptions()))
    assert started == []
    # Blocks end at a line end, so each is a little under block_bytes: still several.
    parallel = list(run_batch(io.BytesIO(data), BatchOptions(), jobs=2, block_bytes=4096))
    assert started == [2]
    assert "".join(c.text for c in parallel) == single
    list(run_batch(io.BytesIO(data), BatchOptions(), jobs=2, block_bytes=len(data) + 1))
    assert started == [2]  # one block: evaluated in this process


@pytest.mark.parametrize(
    "line",
    [
        '  {"policy": "dhs-2023", "facts": {"warning_shot": true}}',
        '{"policy": "dhs-2023", "facts": {"warning_shot": true}}   ',
        '{"policy": "dhs-2023", "facts": {"warning_shot": true}}\t',
    ],
)
def test_white_space_around_a_line_reads_as_without(line: str) -> None:
    plain = '{"policy": "dhs-2023", "facts": {"warning_shot": true}}'
    assert list(evaluate_lines([line])) == list(evaluate_lines([plain]))


def test_extra_data_after_the_object_is_an_error_at_its_column() -> None:
    (record,) = evaluate_lines(['{"facts": {}} {"facts": {}}'], BatchOptions(policy="dhs-2023"))
    assert record["error"] == "malformed JSON: Extra data"
    (chunk,) = run_batch(io.BytesIO(b'{"facts": {}} {"facts": {}}\n'), BatchOptions())
    assert chunk.errors[0].col == 15


def test_cli_batch_streams_records_and_exits_1_when_a_line_failed(tmp_path: Path) -> None:
    batch = tmp_path / "many.jsonl"
    batch.write_text(_line(THREAT) + "\n" + _line({"subject_flee": True}) + "\n")
    result = invoke(["evaluate", "--batch", str(batch), "--jobs", "1"])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["outcome"] == "authorized"
    assert records[1]["error"] == "unknown fact 'subject_flee'"
    assert f"{batch}:2: error: unknown fact 'subject_flee'" in result.stderr
    assert "help: did you mean 'subject_fleeing'?" in result.stderr
    assert "2 scenarios: 1 evaluated, 1 failed" in result.stderr


def test_cli_batch_reads_stdin_with_a_policy_option() -> None:
    result = CliRunner().invoke(
        app,
        ["evaluate", "--batch", "-", "--policy", "dhs-2023", "--conditions"],
        input='{"facts": {}}\n',
    )
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["outcome"] == "undetermined"
    assert record["conditions"]["deadly_force_authorized"] == "unknown"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["evaluate"], 2, "give a scenario FILE, or --batch JSONL"),
        (["evaluate", "x.yaml", "--batch", "-"], 2, "give a scenario FILE, or --batch JSONL"),
        (["evaluate", "--batch", "-", "--account", "a"], 2, "--account does not apply"),
        (["evaluate", "x.yaml", "--conditions"], 2, "apply only to --batch"),
        (["evaluate", "--batch", "missing.jsonl"], 3, "missing.jsonl: error: cannot read file"),
        (["evaluate", "--batch", "-", "--policy", "nope"], 3, "unknown policy 'nope'"),
    ],
)
def test_cli_batch_usage_and_input_errors(args: list[str], code: int, message: str) -> None:
    result = invoke(args)
    assert result.exit_code == code
    assert message in result.stderr


# ---------------------------------------------------------------- hostile lines (issue 17)

_GOOD = '{"policy": "dhs-2023", "facts": {}}'
HOSTILE_LINES = [
    ('{"id": "\\ud800", "policy": "dhs-2023", "facts": {}}', "lone surrogate"),
    ('{"id": "a\\udc00", "policy": "dhs-2023", "facts": {}}', "lone surrogate"),
    ('{"\\ud800": 1, "policy": "dhs-2023", "facts": {}}', "lone surrogate"),
    ('{"policy": "dhs-2023", "facts": {"\\udfff": true}}', "lone surrogate"),
    ('{"policy": "\\ud800.yaml", "facts": {}}', "lone surrogate"),
    ('{"id": ' + "7" * 5000 + ', "policy": "dhs-2023", "facts": {}}', "too long"),
    ('{"id": NaN, "policy": "dhs-2023", "facts": {}}', "NaN"),
    ('{"id": -Infinity, "policy": "dhs-2023", "facts": {}}', "-Infinity"),
    ('{"id": 1e400, "policy": "dhs-2023", "facts": {}}', "1e400"),
    ('{"id": [1, -1E+999], "policy": "dhs-2023", "facts": {}}', "-1E+999"),
    ('{"id": 1, "id": 2, "policy": "dhs-2023", "facts": {}}', "duplicate key 'id'"),
    ('{"policy": "dhs-2023", "facts": {"warning_shot": true, "warning_shot": false}}', "dup"),
    ('{"policy": "/dev/zero", "facts": {}}', "not a regular file"),
    ('{"policy": "/dev/null", "facts": {}}', "not a regular file"),
    ('{"policy": "a\\u0000b.yaml", "facts": {}}', "policy"),
]


def _strict_records(text: str) -> list[dict[str, object]]:
    """Each line of ``text`` parsed as strict JSON: finite numbers, text that is UTF-8."""

    def refuse(name: str) -> None:
        raise AssertionError(f"non-finite number {name} in the output")

    text.encode("utf-8")  # no lone surrogates
    return [json.loads(line, parse_constant=refuse) for line in text.splitlines()]


@pytest.mark.parametrize(("line", "fragment"), HOSTILE_LINES)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hostile_line_gives_an_error_record_and_the_run_goes_on(
    line: str, fragment: str, jobs: int
) -> None:
    data = "\n".join([_GOOD] * 30 + [line] + [_GOOD] * 30).encode()
    chunks = list(run_batch(io.BytesIO(data), BatchOptions(), jobs=jobs, block_bytes=256))
    records = _strict_records("".join(c.text for c in chunks))
    assert [r["line"] for r in records] == list(range(1, 62))
    assert [e.line for c in chunks for e in c.errors] == [31]
    bad = records[30]
    assert set(bad) == {"line", "error", "help"}, bad
    assert fragment in str(bad["error"]) + str(bad["help"])
    assert all(r["outcome"] == "undetermined" for r in records[:30] + records[31:])


def test_a_hostile_line_in_a_real_process_exits_1_with_every_valid_result(tmp_path: Path) -> None:
    batch = tmp_path / "cases.jsonl"
    lines = [_GOOD] + [line for line, _ in HOSTILE_LINES] + [_GOOD]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "forcecheck", "evaluate", "--batch", str(batch), "--jobs", "1"],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    records = _strict_records(done.stdout.decode("utf-8"))
    assert len(records) == len(lines)
    assert records[0]["outcome"] == records[-1]["outcome"] == "undetermined"
    assert all("error" in r for r in records[1:-1])
    stderr = done.stderr.decode("utf-8")  # strict: no lone surrogate reaches stderr either
    assert "internal error" not in stderr
    assert f"{len(lines)} scenarios: 2 evaluated, {len(lines) - 2} failed" in stderr


def test_a_policy_that_is_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "policy.yaml"
    os.mkfifo(fifo)
    records = list(
        evaluate_lines(
            ['{"policy": "policy.yaml", "facts": {}}'], BatchOptions(base_dir=str(tmp_path))
        )
    )
    assert "not a regular file" in str(records[0]["error"])


def test_a_default_policy_that_is_a_device_is_an_input_error() -> None:
    from forcecheck.errors import InputError

    with pytest.raises(InputError, match="not a regular file"):
        next(run_batch(io.BytesIO(b"{}\n"), BatchOptions(policy="/dev/zero")))


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("block_bytes", [64, 4096])
def test_a_line_over_the_limit_is_an_error_record(jobs: int, block_bytes: int) -> None:
    long_line = '{"id": "' + "x" * 5000 + '", "policy": "dhs-2023", "facts": {}}'
    lines = [_GOOD] * 40 + [long_line] + [_GOOD] * 40 + [long_line]  # the last: no line end
    data = "\n".join(lines).encode()
    chunks = list(
        run_batch(
            io.BytesIO(data), BatchOptions(max_line_bytes=1000), jobs=jobs, block_bytes=block_bytes
        )
    )
    records = _strict_records("".join(c.text for c in chunks))
    assert [r["line"] for r in records] == list(range(1, 83))
    assert [e.line for c in chunks for e in c.errors] == [41, 82]
    assert records[40]["error"] == (
        f"the line is {len(long_line):,} bytes long, over the limit of 1,000 bytes"
    )
    assert records[81]["error"] == records[40]["error"]
    assert records[0]["outcome"] == records[41]["outcome"] == records[80]["outcome"]
    # A line exactly at the limit is read; one byte more is not, in one read or several.
    exact = '{"id": "", "policy": "dhs-2023", "facts": {}}'
    exact = exact.replace('""', '"' + "y" * (1000 - len(exact)) + '"')
    assert len(exact) == 1000
    data = f"{exact}\n{exact} \n{exact}".encode()
    options = BatchOptions(max_line_bytes=1000)
    chunks = list(run_batch(io.BytesIO(data), options, block_bytes=block_bytes))
    records = _strict_records("".join(c.text for c in chunks))
    assert [r.get("outcome") for r in records] == ["undetermined", None, "undetermined"]
    assert "1,001 bytes long" in str(records[1]["error"])


class _EndlessLine(io.RawIOBase):
    """A stream of one line of ``size`` bytes, made up as it is read (nothing stored)."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.after = ("\n" + _GOOD + "\n").encode()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.left > 0:
            n = min(size, self.left)
            self.left -= n
            return b"x" * n
        part, self.after = self.after[:size], self.after[size:]
        return part


def test_a_huge_line_is_read_in_linear_time_and_bounded_memory() -> None:
    import time
    import tracemalloc

    tracemalloc.start()
    started = time.perf_counter()
    chunks = list(run_batch(_EndlessLine(256 << 20), BatchOptions()))  # type: ignore[arg-type]
    took = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    records = _strict_records("".join(c.text for c in chunks))
    assert [r["line"] for r in records] == [1, 2]
    assert "over the limit" in str(records[0]["error"])
    assert records[1]["outcome"] == "undetermined"
    assert peak < 16 << 20, f"peak {peak:,} bytes for a 256 MiB line"
    assert took < 20


def _big_batch(tmp_path: Path) -> Path:
    batch = tmp_path / "big.jsonl"
    batch.write_text((_GOOD + "\n") * 60_000)  # over 2 MB: several blocks for --jobs 2
    return batch


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_closed_pipe_ends_the_run_quietly(tmp_path: Path, jobs: str) -> None:
    batch = _big_batch(tmp_path)
    done = subprocess.run(
        f'"{sys.executable}" -m forcecheck evaluate --batch "{batch}" --jobs {jobs} | head -1;'
        ' echo "status ${PIPESTATUS[0]}" >&2',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout == '{"line": 1, "policy": "dhs-2023", "outcome": "undetermined"}\n'
    assert done.stderr == "status 141\n"


def test_a_device_as_batch_input_is_refused_at_once() -> None:
    # /dev/zero has no line end: it used to be read forever (in bounded memory).
    result = subprocess.run(
        [sys.executable, "-m", "forcecheck", "evaluate", "--batch", "/dev/zero", "-p", "dhs-2023"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 3
    assert result.stderr.startswith("/dev/zero: error: is a character device")
    assert "help: name a JSON Lines file" in result.stderr
