"""Running the real ``forcecheck`` on broken files, and judging what it prints.

Shared by tests/test_fuzz.py (bounded, derandomized) and scripts/fuzz.py (the long run). A
:class:`Case` is a seed file, the mutations applied to it and a command line from
:data:`COMMANDS`; :func:`run` runs it through the real entry point,
``forcecheck.__main__.main`` (the start-up fast path for ``evaluate`` included), in-process
with ``sys.argv`` set and stdout and stderr captured as the byte streams a terminal-less
process has — or, with ``subprocess=True``, as ``python -m forcecheck``. tests/fuzz_judge.py
says what is wrong with the result.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import random
import subprocess as sp
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer.main
import yaml

from .mutations import MUTATIONS, UNPARSED, Content, as_bytes, load, mutate, remember

ROOT = Path(__file__).resolve().parents[1]
#: A valid scenario to run mutated policies (and interview answers) with.
GOOD_SCENARIO = ROOT / "scenarios" / "training" / "09-warning-shot.yaml"


@dataclass(frozen=True)
class Seed:
    """A valid file to mutate: a scenario, a policy, or a scenario turned into a batch."""

    kind: str  # "scenario", "policy" or "batch"
    path: Path


def seeds() -> list[Seed]:
    """Every shipped scenario and policy, and the documentation's examples."""
    scenarios = sorted((ROOT / "scenarios").rglob("*.yaml"))
    scenarios.append(ROOT / "docs" / "examples" / "example-drill.yaml")
    found = [Seed("scenario", p) for p in scenarios]
    policies = sorted((ROOT / "policy").glob("*.yaml"))
    found += [Seed("policy", p) for p in policies if p.name not in ("facts.yaml", "lexicon.yaml")]
    found.append(Seed("policy", ROOT / "docs" / "examples" / "example-policy.yaml"))
    found += [Seed("batch", p) for p in scenarios[:: max(1, len(scenarios) // 8)]]
    return found


@dataclass(frozen=True)
class Command:
    """A command line run on the mutated file ``{file}``, and the exit codes it may give.

    Placeholders: ``{file}`` the mutated file, ``{good}`` a valid scenario, ``{out}`` an
    output file, ``{account}``, ``{rule}`` and ``{fact}`` names taken from the seed.
    ``text`` says whether stdout is text for a terminal (table, Markdown, plain lines) that
    must hold no raw control characters; JSON and HTML escape by their own rules.
    """

    kind: str
    argv: tuple[str, ...]
    text: bool = True
    may_fail: bool = False  # exit 1 is a result (check, lint, verify, batch)

    @property
    def name(self) -> str:
        """A short label: the command line with placeholders."""
        return " ".join(self.argv)

    @property
    def json(self) -> bool:
        """Whether stdout is JSON (``--format json``) or JSON Lines (``--batch``)."""
        formats = {self.argv[i + 1] for i, arg in enumerate(self.argv[:-1]) if arg in _FORMAT}
        return "json" in formats or "--batch" in self.argv

    def allowed_exits(self) -> set[int]:
        """0, 3 (bad input) and, where a failed check is a result, 1; never 2 or 4."""
        return {0, 1, 3} if self.may_fail else {0, 3}


_FORMAT = {"--format", "-f"}


def _c(kind: str, *argv: str, text: bool = True, may_fail: bool = False) -> Command:
    return Command(kind, argv, text, may_fail)


_BATCH = {"text": False, "may_fail": True}  # JSON records out; a bad line exits 1
COMMANDS: list[Command] = [
    # A mutated scenario.
    _c("scenario", "evaluate", "{file}"),
    _c("scenario", "evaluate", "{file}", "--format", "json", text=False),
    _c("scenario", "evaluate", "{file}", "-f", "markdown"),
    _c("scenario", "evaluate", "{file}", "-f", "html", text=False),
    _c("scenario", "evaluate", "{file}", "--account", "{account}"),
    _c("scenario", "evaluate", "{file}", "-a", "{account}", "-f", "markdown"),
    _c("scenario", "evaluate", "{file}", "--table-format", "github", "-o", "{out}"),
    _c("scenario", "compare", "{file}"),
    _c("scenario", "compare", "{file}", "-f", "markdown"),
    _c("scenario", "compare", "{file}", "-f", "json", text=False),
    _c("scenario", "compare", "{file}", "-f", "html", text=False),
    _c("scenario", "compare", "{file}", "--policies", "dhs-2023,dhs-2018"),
    _c("scenario", "report", "{file}", "-o", "{out}"),
    _c("scenario", "questions", "{file}"),
    _c("scenario", "questions", "{file}", "-f", "json", text=False),
    _c("scenario", "whatif", "{file}", "--set", "{fact}=unknown"),
    _c("scenario", "whatif", "{file}", "-s", "{fact}=false", "-f", "json", text=False),
    _c("scenario", "check", "{file}", may_fail=True),
    _c("scenario", "lint", "{file}", may_fail=True),
    _c("scenario", "interview", "--from", "{file}", "--answers", "{good}"),
    _c("scenario", "interview", "--from", "{good}", "--answers", "{file}"),
    # A mutated policy, with a valid scenario.
    _c("policy", "evaluate", "{good}", "--policy", "{file}"),
    _c("policy", "evaluate", "{good}", "-p", "{file}", "-f", "json", text=False),
    _c("policy", "evaluate", "{good}", "-p", "{file}", "-f", "markdown"),
    _c("policy", "evaluate", "{good}", "-p", "{file}", "-f", "html", text=False),
    _c("policy", "compare", "{good}", "--policies", "dhs-2023,{file}"),
    _c("policy", "compare", "{good}", "--policies", "{file},dhs-2018", "-f", "markdown"),
    _c("policy", "report", "{good}", "--policy", "{file}", "-o", "{out}"),
    _c("policy", "questions", "{good}", "--policy", "{file}"),
    _c("policy", "whatif", "{good}", "-p", "{file}", "--set", "{fact}=true"),
    _c("policy", "explain", "{rule}", "--policy", "{file}"),
    _c("policy", "verify", "{file}", may_fail=True),
    _c("policy", "verify", "{file}", "-f", "json", text=False, may_fail=True),
    _c("policy", "lint", "{file}", may_fail=True),
    _c("policy", "interview", "--policy", "{file}", "--answers", "{good}"),
    # A mutated JSON Lines batch.
    _c("batch", "evaluate", "--batch", "{file}", "--jobs", "1", **_BATCH),
    _c("batch", "evaluate", "--batch", "{file}", "-j", "1", "--conditions", **_BATCH),
]


@dataclass
class Case:
    """One fuzz case: what to mutate, how, and the command to run on the result."""

    seed: Seed
    steps: list[tuple[str, random.Random]]
    command: Command
    as_json: bool = False  # name a JSON-looking result `.json` (parsed strictly as JSON)
    content: Content = field(default="", init=False)

    def build(self) -> Content:
        """Mutate the seed (once); the new content."""
        if not self.content:
            if self.seed.kind == "batch":
                text = batch_lines(_parsed(self.seed.path), random.Random(str(self.seed.path)))
                self.content = mutate_batch(text, self.steps) or "\n"
            else:
                text = self.seed.path.read_text(encoding="utf-8")
                remember(text, _parsed(self.seed.path))
                self.content = mutate(text, self.steps)
        return self.content

    def file_name(self) -> str:
        """The mutated file's name: a policy's id must be its stem, so the stem stays."""
        if self.seed.kind == "batch":
            return "batch.jsonl"
        json_like = as_bytes(self.content)[:1] == b"{"
        suffix = ".json" if self.as_json and json_like else self.seed.path.suffix
        return self.seed.path.stem + suffix

    def argv(self, path: Path, out: Path) -> list[str]:
        """The command line, placeholders filled in."""
        names = _names(self.seed.path)
        rng = random.Random(str(self.seed.path) + self.command.name)
        values = {
            "file": str(path),
            "good": str(GOOD_SCENARIO),
            "out": str(out),
            "account": rng.choice(names["accounts"] or ["agency"]),
            "rule": rng.choice(names["rules"] or ["lawful_basis"]),
            "fact": rng.choice(names["facts"] or ["warning_shot"]),
        }
        return [arg.format(**values) for arg in self.command.argv]


def make_case(rng: random.Random, seeds_: Sequence[Seed], mutations: Sequence[str]) -> Case:
    """A random case: a seed, one to three of ``mutations``, a command for the seed's kind."""
    seed = rng.choice(seeds_)
    steps = [
        (rng.choice(mutations), random.Random(rng.getrandbits(64)))
        for _ in range(rng.randint(1, 3))
    ]
    command = rng.choice([c for c in COMMANDS if c.kind == seed.kind])
    return Case(seed, steps, command, as_json=rng.random() < 0.7)


_PARSED: dict[Path, Any] = {}


def _parsed(path: Path) -> Any:
    if path not in _PARSED:
        _PARSED[path] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return _PARSED[path]


def _names(path: Path) -> dict[str, list[str]]:
    """Account, rule and fact names of a seed file, to put in command lines."""
    data = _parsed(path)
    found: dict[str, list[str]] = {"accounts": [], "rules": [], "facts": []}
    for key in found:
        value = data.get(key) if isinstance(data, dict) else None
        if isinstance(value, dict):
            found[key] = sorted(str(k) for k in value)
    return found


# ---------------------------------------------------------------- batches

#: Mutations that rewrite the parsed data (a batch line is then written back as JSON).
STRUCTURAL = {"edit_structure", "escape_in_key"}


def mutate_batch(content: str, steps: list[tuple[str, random.Random]]) -> Content:
    """Apply the named mutations to JSON Lines, each to one line chosen at random.

    A line's structural edits are written back as JSON on one line, as a batch file has
    them; the text mutations may still split, join or cut lines.
    """
    lines = content.splitlines(keepends=True)
    for name, rng in steps:
        i = rng.randrange(len(lines))
        line = MUTATIONS[name](lines[i], rng)
        if name in STRUCTURAL:
            data = load(line)
            if data is not UNPARSED:
                line = json.dumps(data, default=str, ensure_ascii=rng.random() < 0.5) + "\n"
        lines[i] = line if isinstance(line, str) else line.decode("utf-8", "replace")
    return "".join(lines)


def batch_lines(scenario: Any, rng: random.Random) -> str:
    """A JSON Lines batch built from a parsed scenario: its facts (or each account's)."""
    facts = [scenario.get("facts")] if isinstance(scenario, dict) else []
    accounts = scenario.get("accounts") if isinstance(scenario, dict) else None
    if isinstance(accounts, dict):
        facts += [a.get("facts") for a in accounts.values() if isinstance(a, dict)]
    policy = scenario.get("policy", "dhs-2023") if isinstance(scenario, dict) else "dhs-2023"
    lines = []
    for i, each in enumerate(f for f in facts if isinstance(f, dict)):
        plain = {k: v.get("value") if isinstance(v, dict) else v for k, v in each.items()}
        lines.append(json.dumps({"id": f"line-{i}", "policy": policy, "facts": plain}))
    lines.append(json.dumps({"id": rng.randrange(10**6), "policy": "dhs-2023", "facts": {}}))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- running


@dataclass
class Result:
    """What a run gave: exit code, both streams as text, and any exception that escaped."""

    exit_code: int
    stdout: str
    stderr: str
    exception: str | None = None  # a traceback, if an exception escaped main()


def write_case(case: Case, directory: Path) -> Path:
    """Write the mutated file into ``directory``; its path."""
    content = case.build()
    path = directory / case.file_name()
    path.write_bytes(as_bytes(content))
    return path


# typer builds the click command from the app every time the app is called, which costs more
# than most cases run (half the in-process time): build it once per app, as one process does
# (tests/conftest.py does the same for typer's test runner). Every call still parses its own
# arguments in a fresh context; the real processes build it as usual.
typer.main.get_command = functools.cache(typer.main.get_command)


def run(argv: list[str], subprocess: bool = False, timeout: float = 120) -> Result:
    """Run ``forcecheck ARGV`` through ``forcecheck.__main__.main``, stdin empty."""
    if subprocess:
        return _run_process(argv, timeout)
    from forcecheck.__main__ import main

    # Standard streams as a process without a terminal has them: UTF-8, strict on stdout,
    # backslashreplace on stderr, with a binary buffer underneath.
    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.argv, sys.stdin, sys.stdout, sys.stderr
    sys.argv = ["forcecheck", *argv]
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    sys.stdout, sys.stderr = stdout, stderr
    exception = None
    code: int = 0
    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            sys.stderr.write(f"{exc.code}\n")
            code = 1
    except KeyboardInterrupt:  # the fuzzer being stopped, not forcecheck failing
        raise
    except BaseException:  # a real process would die with a traceback
        exception = traceback.format_exc()
        code = 1
    finally:
        for stream in (stdout, stderr):
            with contextlib.suppress(ValueError, UnicodeError):
                stream.flush()
        sys.argv, sys.stdin, sys.stdout, sys.stderr = saved
    result = Result(code, _decode(out.getvalue()), _decode(err.getvalue()), exception)
    stdout.detach(), stderr.detach()  # the wrappers would close the buffers when collected
    return result


def _run_process(argv: list[str], timeout: float) -> Result:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    try:
        done = sp.run(
            [sys.executable, "-m", "forcecheck", *argv],
            stdin=sp.DEVNULL,
            capture_output=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except sp.TimeoutExpired:
        return Result(-1, "", "", f"timed out after {timeout} s")
    return Result(done.returncode, _decode(done.stdout), _decode(done.stderr))


def _decode(raw: bytes) -> str:
    # Invalid UTF-8 shows as \xNN, which is not a control character: it is judged apart.
    return raw.decode("utf-8", "backslashreplace")
