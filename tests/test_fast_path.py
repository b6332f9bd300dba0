"""The start-up fast path for ``evaluate`` behaves exactly as the typer command does.

``forcecheck.__main__.main`` runs plain ``evaluate`` command lines itself, without typer;
everything else goes to typer. Each command line below is run both ways, and standard
output, standard error, the exit code and any file written must be the same.
"""

from __future__ import annotations

import io
import subprocess
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forcecheck.cli import app
from forcecheck.cli.fast_path import main, parse_evaluate

from .conftest import ROOT

ARMED = "scenarios/training/01-armed-attacker.yaml"
CHICAGO = "scenarios/incidents/chicago-brighton-park-2025-10-04.yaml"
BAD_YAML = "BAD_YAML"  # replaced by a malformed scenario file
NO_FACTS = "NO_FACTS"  # replaced by a scenario that fails validation
OUTPUT = "OUTPUT"  # replaced by a path in the test's temporary directory

#: Command lines the fast path runs itself.
FAST = [
    ["evaluate", ARMED],
    ["evaluate", "-f", "json", ARMED],
    ["evaluate", "--format", "markdown", ARMED],
    ["evaluate", "--format", "html", ARMED],
    ["evaluate", "--format=json", ARMED],
    ["evaluate", ARMED, "-f", "table"],
    ["evaluate", "--table-format", "github", ARMED],
    ["evaluate", "--table-format=plain", "-f", "json", ARMED],
    ["evaluate", "-p", "dhs-2018", ARMED],
    ["evaluate", "--policy", "policy/doj-2022.yaml", "-f", "json", ARMED],
    ["evaluate", CHICAGO],
    ["evaluate", "-a", "agency", "-f", "markdown", CHICAGO],
    ["evaluate", "./" + ARMED],
    # Input errors (exit 3), with their messages.
    ["evaluate", "scenarios/no-such-file.yaml"],
    ["evaluate", "scenarios"],
    ["evaluate", BAD_YAML],
    ["evaluate", NO_FACTS],
    ["evaluate", "--policy", "dhs-2030", ARMED],
    ["evaluate", "--policy", "nowhere/p.yaml", ARMED],
    ["evaluate", "--account", "nobody", CHICAGO],
    ["evaluate", "--account", "x\x1b[31mred", CHICAGO],  # escape codes in a message
]
#: Command lines it leaves to typer (usage errors, help, other forms).
TYPER = [
    ["evaluate"],
    ["evaluate", "--help"],
    ["evaluate", "-f", "JSON", ARMED],
    ["evaluate", "-f", "yaml", ARMED],
    ["evaluate", "-fjson", ARMED],
    ["evaluate", "-f=json", ARMED],
    ["evaluate", "--policy", "", ARMED],
    ["evaluate", "--policy", "   ", ARMED],
    ["evaluate", "--table-format", "nope", ARMED],
    ["evaluate", "-f", "json", "-f", "table", ARMED],
    ["evaluate", ARMED, ARMED],
    ["evaluate", ARMED, "--format"],
    ["evaluate", ARMED, "--conditions"],
    ["evaluate", "--", ARMED],
    ["evaluate", "-", "-f", "json"],
    ["evaluate", "--force", "--force", ARMED],
    ["evaluate", "--account", "-f", ARMED],
    ["--debug", "evaluate", ARMED],
    ["check", ARMED],
]


def _materialise(argv: list[str], tmp_path: Path) -> list[str]:
    bad = tmp_path / "bad.yaml"
    bad.write_text("facts: [unclosed\n")
    empty = tmp_path / "empty.yaml"
    empty.write_text("policy: dhs-2023\ntitle: no facts\n")
    swap = {BAD_YAML: str(bad), NO_FACTS: str(empty), OUTPUT: str(tmp_path / "out.txt")}
    return [swap.get(arg, arg) for arg in argv]


def _fast(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "argv", ["forcecheck", *argv])
    # As under the console script: typer names the program after argv[0], not pytest.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    # `-` reads standard input: empty, as CliRunner gives the typer path.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return out, err, code


def _words(result: tuple[str, str, int]) -> tuple[str, str, int]:
    return " ".join(result[0].split()), " ".join(result[1].split()), result[2]


def _typer(argv: list[str]) -> tuple[str, str, int]:
    result = CliRunner().invoke(app, argv, prog_name="forcecheck")
    return result.stdout, result.stderr, result.exit_code


@pytest.mark.parametrize("argv", FAST + TYPER, ids=lambda a: " ".join(a) or "(nothing)")
def test_both_paths_give_the_same_output_messages_and_exit_code(
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    args = _materialise(argv, tmp_path)
    assert (parse_evaluate(args) is not None) == (argv in FAST)
    fast, typer = _fast(args, capsys, monkeypatch), _typer(args)
    if argv in TYPER:
        # Both are typer; only help text may wrap differently outside CliRunner.
        fast, typer = _words(fast), _words(typer)
    assert fast == typer
    if argv in FAST:
        assert fast[2] in (0, 3)
        assert (fast[0] != "") == (fast[2] == 0)  # a report, or else a message
        assert (fast[1] == "") == (fast[2] == 0)


@pytest.mark.parametrize(
    "extra", [[], ["--force"], ["-f", "json", "--output"]], ids=["new", "force", "json"]
)
def test_output_files_and_refusing_to_replace_one_are_the_same(
    extra: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    target = tmp_path / "report.txt"
    argv = ["evaluate", ARMED, *extra]
    argv += [str(target)] if extra[-1:] == ["--output"] else ["-o", str(target)]
    assert parse_evaluate(argv) is not None
    results = []
    for run in (lambda: _fast(argv, capsys, monkeypatch), lambda: _typer(argv)):
        target.unlink(missing_ok=True)
        first = run()
        written = target.read_text()
        again = run()  # the file exists now: replaced with --force, else refused
        results.append((first, written, again, target.read_text()))
    assert results[0] == results[1]
    first, written, again, _ = results[0]
    # Both say where they wrote, on stderr, once the file is whole.
    assert first == ("", f"Wrote {target} ({round(len(written.encode()) / 1000)} kB).\n", 0)
    assert written.startswith(("Scenario:", "{"))
    assert again[2] == (0 if "--force" in extra else 3)


def test_shell_completion_requests_go_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_evaluate(["evaluate", ARMED]) is not None
    monkeypatch.setenv("_FORCECHECK_COMPLETE", "bash_complete")
    assert parse_evaluate(["evaluate", ARMED]) is None


def test_no_arguments_is_typer_s_usage_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, err, code = _fast([], capsys, monkeypatch)
    # (Compared loosely: typer shortens command summaries to the terminal's width.)
    assert (out, code) == ("", 2) and err.startswith("Usage: forcecheck [OPTIONS] COMMAND")


@pytest.mark.parametrize(("fmt", "needed"), [("json", ""), ("table", "tabulate")])
def test_a_cached_run_imports_only_what_its_format_needs(fmt: str, needed: str) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['forcecheck', 'evaluate', '-f', {fmt!r}, {ARMED!r}]\n"
        "from forcecheck.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "loaded = [m for m in ('typer', 'click', 'tabulate', 'yaml', 'pydantic', 'pydantic_core')\n"
        "          if m in sys.modules]\n"
        "sys.stderr.write(','.join(loaded))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout and "authorized" in runs[0].stdout
    # The first run may fill the cache (reading YAML, validating with pydantic); the second
    # finds policy, vocabulary and scenario there, and loads neither, nor typer.
    assert runs[1].stderr == needed


def test_the_console_script_is_the_fast_entry_point() -> None:
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"forcecheck": "forcecheck.__main__:main"}


def test_an_edited_scenario_is_validated_without_importing_pydantic(tmp_path: Path) -> None:
    drill = tmp_path / "drill.yaml"
    code = (
        "import sys\n"
        f"sys.argv = ['forcecheck', 'evaluate', '-f', 'json', {str(drill)!r}]\n"
        "from forcecheck.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "sys.stderr.write(','.join(m for m in ('yaml', 'pydantic_core', 'pydantic')\n"
        "                          if m in sys.modules))\n"
    )
    text = (ROOT / ARMED).read_text()
    loaded = []
    for edit in range(2):  # the first run may build and store the scenario validator
        drill.write_text(f"{text}\n# edit {edit}\n")
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        assert '"outcome": "authorized"' in run.stdout
        loaded.append(run.stderr)
    # The second run reads YAML and validates, with the stored validator: no pydantic.
    assert loaded[1] == "yaml,pydantic_core"
