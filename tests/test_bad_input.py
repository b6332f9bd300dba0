"""The bad-input corpus: one broken file per failure mode, each with the error it must give.

tests/fixtures/bad/cases.yaml pairs every file there with the error class, position,
message and help fragments it must produce. Each is run through the CLI in-process (fast)
and must give exit code 3, nothing on stdout, and exactly one error: an ``error:`` line
naming the file and a ``help:`` line. ``lint`` must report the same error at the same place.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from forcecheck import errors
from forcecheck.load.input_bytes import DEFAULT_MAX_FILE_BYTES

from .conftest import ROOT, SCENARIOS, invoke, run_process

BAD = Path(__file__).parent / "fixtures" / "bad"
MANIFEST = BAD / "cases.yaml"
CASES: dict[str, dict[str, Any]] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
#: A valid scenario to evaluate the bad policies with.
GOOD_SCENARIO = SCENARIOS / "training" / "09-warning-shot.yaml"


def command(name: str) -> list[str]:
    """The CLI arguments that read the bad file ``name``."""
    path = str(BAD / name)
    args = [str(a) for a in CASES[name].get("args", [])]
    if name.startswith("policy-"):
        return ["evaluate", str(GOOD_SCENARIO), "--policy", path, *args]
    return ["evaluate", path, *args]


def run_recording_error_class(args: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run the CLI in-process; also return the class of every error it rendered."""
    seen: list[str] = []
    render = errors.ForcecheckError.render

    def recording(self: errors.ForcecheckError) -> str:
        seen.append(type(self).__name__)
        return render(self)

    monkeypatch.setattr(errors.ForcecheckError, "render", recording)
    result = invoke(args)
    # CliRunner catches what would be a traceback in a real process; it must not have had to.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result, seen


def test_the_manifest_and_the_directory_agree() -> None:
    files = {p.name for p in BAD.iterdir() if p.is_file() and p != MANIFEST}
    assert files == set(CASES), (
        f"not in cases.yaml: {sorted(files - set(CASES))}; "
        f"no such file: {sorted(set(CASES) - files)}"
    )
    for name, case in CASES.items():
        assert set(case) <= {"error", "at", "message", "help", "args"}, name
        assert case["message"] and case["help"], name
        # Unquoted YAML fragments can turn into booleans or numbers: the corpus says text.
        assert all(isinstance(f, str) for f in [*case["message"], *case["help"]]), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gives_one_located_error(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    result, classes = run_recording_error_class(command(name), monkeypatch)
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    first, help_line = lines
    where = f"{BAD / name}:{case['at']}" if case["at"] else str(BAD / name)
    assert first.startswith(f"{where}: error: "), first
    for fragment in case["message"]:
        assert fragment in first, (fragment, first)
    assert help_line.startswith("help: ")
    for fragment in case["help"]:
        assert fragment in help_line, (fragment, help_line)
    assert classes == [case["error"]]


@pytest.mark.parametrize("name", sorted(n for n in CASES if "args" not in CASES[n]))
def test_lint_reports_the_same_error(name: str) -> None:
    case = CASES[name]
    result = invoke(["lint", str(BAD / name)])
    assert result.exit_code == 3, result.output  # a file that does not load: invalid input
    assert "Traceback" not in result.output
    [line, *help_line] = result.stdout.splitlines()
    path, _, rest = line.partition(f":{case['at']}: error: " if case["at"] else ": error: ")
    assert path.endswith(name) and rest, line
    for fragment in case["message"]:
        assert fragment in rest, (fragment, line)
    # The help is on a line of its own, as every command prints it, not in parentheses.
    if case["help"]:
        [shown] = help_line
        assert shown.startswith("help: ") and "(" + shown[6:] + ")" not in line
        for fragment in case["help"]:
            assert fragment in shown, (fragment, shown)


def test_every_input_error_class_has_a_bad_file() -> None:
    raised = {case["error"] for case in CASES.values()}
    classes = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type)
        and issubclass(value, errors.InputError)
        and value is not errors.InputError
    }
    # Errors about arguments and output files, not input files, are tested where they arise.
    not_about_input_files = {"OutputExistsError", "FileWriteError"}
    assert classes - not_about_input_files <= raised, sorted(classes - raised)


def _oversized(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "big.yaml"
    head = "policy: dhs-2023\nfacts: {warning_shot: true}\n"
    path.write_text(head + "#" * (size - len(head) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == size
    return path


def test_a_file_over_the_default_limit_is_refused(tmp_path: Path) -> None:
    path = _oversized(tmp_path, DEFAULT_MAX_FILE_BYTES + 1)
    result = invoke(["evaluate", str(path)])
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"{path}: error: file is {DEFAULT_MAX_FILE_BYTES + 1} bytes, over the "
        f"{DEFAULT_MAX_FILE_BYTES}-byte limit",
        "help: split the file, or raise FORCECHECK_MAX_FILE_BYTES if it is genuine",
    ]


def test_the_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = 64 * 1024
    # The limit applies to every file read, the shipped policies too: they must fit under it.
    assert all(p.stat().st_size < limit for p in (ROOT / "policy").glob("*.yaml"))
    monkeypatch.setenv("FORCECHECK_MAX_FILE_BYTES", str(limit))
    refused = invoke(["evaluate", str(_oversized(tmp_path, limit + 1))])
    assert refused.exit_code == 3
    assert f"over the {limit}-byte limit" in refused.stderr
    accepted = invoke(["evaluate", str(_oversized(tmp_path, limit))])
    assert accepted.exit_code == 0, accepted.output


@pytest.mark.parametrize("name", ["scenario-binary.yaml", "policy-chain-too-deep.yaml"])
def test_a_real_process_gives_the_same_two_lines(name: str) -> None:
    proc = run_process(command(name))
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 2
    assert proc.stderr.startswith(str(BAD / name))


def _all_error_classes() -> set[type[errors.ForcecheckError]]:
    """Every ForcecheckError subclass defined anywhere in the package (modules imported)."""
    import importlib
    import pkgutil

    import forcecheck

    for module in pkgutil.walk_packages(forcecheck.__path__, "forcecheck."):
        if not module.name.endswith("__main__"):  # importing it would run the CLI
            importlib.import_module(module.name)
    found: set[type[errors.ForcecheckError]] = set()
    pending = [errors.ForcecheckError]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.add(sub)
            pending.append(sub)
    return found


def test_docs_errors_lists_every_error_class_with_its_exit_code() -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    rows = {
        cells[0].strip("` "): cells
        for line in text.splitlines()
        if line.startswith("| `") and len(cells := line.strip("| ").split(" | ")) == 5
    }
    classes = {cls for cls in _all_error_classes() if cls is not errors.InputError}
    assert classes, "no error classes found"
    for cls in classes:
        assert cls.__name__ in rows, f"docs/errors.md has no row for {cls.__name__}"
        expected = "3" if issubclass(cls, errors.InputError) else "4"
        assert rows[cls.__name__][1].strip() == expected, cls.__name__
        assert cls.__doc__, f"{cls.__name__} needs a docstring"


# ---------------------------------------------------------------- what is read, and how much


def _run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``python -m forcecheck`` in a real process, given at most 30 s (a hang fails)."""
    return subprocess.run(
        [sys.executable, "-m", "forcecheck", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
        **kwargs,
    )


def _one_error(proc: subprocess.CompletedProcess[str], first: str, help_fragment: str) -> None:
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0] == first
    assert lines[1].startswith("help: ") and help_fragment in lines[1], lines[1]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_at_once() -> None:
    _one_error(
        _run(["evaluate", "/dev/zero"]),
        "/dev/zero: error: is a character device, not a regular file; "
        "forcecheck reads only regular files",
        "name a .yaml or .json file, or - for standard input",
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    _one_error(
        _run(["evaluate", str(fifo)]),
        f"{fifo}: error: is a named pipe (FIFO), not a regular file; "
        "forcecheck reads only regular files",
        "standard input",
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_named_as_a_scenario_policy_is_refused_at_that_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("facts: {warning_shot: true}\npolicy: /dev/zero\n", encoding="utf-8")
    _one_error(
        _run(["evaluate", str(path)]),
        f"{path}:2:9: error: the policy file '/dev/zero' is a character device, not a regular "
        "file; forcecheck reads only regular files",
        "name a .yaml or .json file",
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_lint_refuses_a_device() -> None:
    proc = _run(["lint", "/dev/zero"])
    assert proc.returncode == 3
    assert proc.stdout.splitlines()[0].startswith("/dev/zero: error: is a character device")


def _with_cache(tmp_path: Path) -> dict[str, str]:
    """The environment with a cache of its own (the cache must not eat standard input)."""
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_standard_input_is_read_once(tmp_path: Path, name: str) -> None:
    text = GOOD_SCENARIO.read_text(encoding="utf-8")
    for _ in range(2):  # the second run is served from the cache
        proc = _run(["evaluate", name, "--format", "json"], input=text, env=_with_cache(tmp_path))
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["outcome"] == "not_authorized"


def test_a_process_substitution_is_read_once(tmp_path: Path) -> None:
    # What the shell does for <(cat file): a pipe, passed as /dev/fd/N.
    read_end, write_end = os.pipe()
    os.write(write_end, GOOD_SCENARIO.read_bytes())
    os.close(write_end)
    try:
        proc = _run(
            ["evaluate", f"/dev/fd/{read_end}", "--format", "json"],
            pass_fds=(read_end,),
            env=_with_cache(tmp_path),
        )
    finally:
        os.close(read_end)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["outcome"] == "not_authorized"


def test_a_policy_from_a_process_substitution_needs_no_file_name(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, (ROOT / "policy" / "dhs-2023.yaml").read_bytes())
    os.close(write_end)
    try:
        args = ["evaluate", str(GOOD_SCENARIO), "--policy", f"/dev/fd/{read_end}"]
        proc = _run([*args, "--format", "json"], pass_fds=(read_end,))
    finally:
        os.close(read_end)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["outcome"] == "not_authorized"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_standard_input_stops_at_the_limit() -> None:
    with open("/dev/zero", "rb") as zeros:
        proc = _run(
            ["evaluate", "-"], stdin=zeros, env={**os.environ, "FORCECHECK_MAX_FILE_BYTES": "65536"}
        )
    _one_error(
        proc,
        "<stdin>: error: more than 65536 bytes, over the 65536-byte limit",
        "FORCECHECK_MAX_FILE_BYTES",
    )


def test_a_large_plain_file_is_not_called_an_alias_bomb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limit lowered for the test: what matters is which error a plain file gets.
    from forcecheck.load import reader

    monkeypatch.setattr(reader, "MAX_NODES", 2_000)
    path = tmp_path / "many.yaml"
    path.write_text("facts: {}\nx: [" + ",".join(["0"] * 2_000) + "]\n", encoding="utf-8")
    result = invoke(["evaluate", str(path)])
    assert result.exit_code == 3
    first, help_line = result.stderr.splitlines()
    assert first.endswith("error: the file holds more than 2000 values"), first
    assert help_line == "help: no scenario or policy needs that many: split the file"


def test_a_file_name_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse such names")
    name = os.fsdecode(b"\xff.yaml")  # the byte arrives as the lone surrogate U+DCFF
    path = tmp_path / name
    path.write_text(GOOD_SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    _one_error(
        _run(["evaluate", str(path)], env={**os.environ, "PYTHONIOENCODING": "utf-8"}),
        f"{tmp_path}/\\udcff.yaml: error: the file name is not UTF-8 text",
        "rename the file",
    )
