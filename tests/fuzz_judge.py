"""Judging what forcecheck printed about a broken file: the kinds of failure the fuzzer finds.

Shared by tests/test_fuzz.py and scripts/fuzz.py. A run must exit with a code its command
allows (never 4, never 2), print no traceback, give each error as one line naming the file
(plus at most one ``help:`` line), put no raw control character on stderr, nor on stdout in
a text format, and write strict JSON where it writes JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .fuzz_run import Command, Result


#: Every kind of problem, in the order the summary lists them.
KINDS = [
    "exit 4",
    "exit 2",
    "other exit code",
    "traceback",
    "timeout",
    "multi-line message",
    "unlocated message",
    "control chars on stderr",
    "control chars on stdout",
    "invalid JSON on stdout",
]
#: C0 controls but newline and tab, DEL and C1 (ESC is among the C0).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SUMMARY = re.compile(
    r"^(\d+ error\(s\), \d+ warning\(s\)"  # lint
    r"|[\d,]+ scenarios: [\d,]+ evaluated, [\d,]+ failed"  # batch
    r"|\.\.\. and [\d,]+ more failed lines .*"
    r"|Wrote \S.* \([\d,]+ (bytes|kB)\)\.)$"  # -o FILE, once the file is whole
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a run: its kind (one of KINDS) and what was seen."""

    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


def problems(command: Command, path: Path, result: Result) -> list[Problem]:
    """What is wrong with how ``command`` answered about the mutated file ``path``."""
    found: list[Problem] = []
    code = result.exit_code
    if result.exception is not None:
        timed_out = result.exception.startswith("timed out")
        found.append(Problem("timeout" if timed_out else "traceback", result.exception[-300:]))
    elif code not in command.allowed_exits():
        kind = {4: "exit 4", 2: "exit 2"}.get(code, "other exit code")
        found.append(Problem(kind, _first_line(result.stderr)))
    if "Traceback (most recent call last)" in result.stderr + result.stdout:
        found.append(Problem("traceback", _first_line(result.stderr)))
    # lint's errors are its diagnostics, on stdout: stderr holds only its count.
    found += _judge_messages(result.stderr, code, path, lint=command.argv[0] == "lint")
    if command.json and code in (0, 1):
        found += _judge_json(result.stdout, command.argv[:2] == ("evaluate", "--batch"))
    if command.argv[0] == "lint":
        found += _judge_diagnostics(result.stdout)
    if CONTROL.search(result.stderr):
        found.append(Problem("control chars on stderr", _shown(result.stderr)))
    if command.text and CONTROL.search(result.stdout):
        found.append(Problem("control chars on stdout", _shown(result.stdout)))
    return found


def _names_file(line: str, path: Path) -> bool:
    """Whether an error line starts with ``path`` (and maybe ``:line:col``)."""
    return re.match(rf"^{re.escape(str(path))}(:\d+(:\d+)?)?: error: \S", line) is not None


def _judge_messages(stderr: str, code: int, path: Path, lint: bool = False) -> list[Problem]:
    """Each error is one line naming the file, then at most one `help:` line.

    On exit 3 stderr is exactly that; on exit 0 or 1 errors (a batch's bad lines) may be
    several, with the command's summary line; on exit 4 the message is judged by the exit.
    """
    if code == 4:
        return []
    lines = stderr.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    found: list[Problem] = []
    errors = 0
    previous = ""
    for line in lines:
        is_error = ": error: " in line or line.startswith("error: ")
        if is_error:
            errors += 1
            if not _names_file(line, path):
                found.append(Problem("unlocated message", line[:200]))
        elif line.startswith("help: "):
            if not (": error: " in previous or previous.startswith("error: ")):
                found.append(Problem("multi-line message", f"a stray help line: {line[:200]!r}"))
        elif not _SUMMARY.match(line):
            found.append(Problem("multi-line message", f"a stray line: {line[:200]!r}"))
        previous = line
    if code == 3 and errors != 1 and not lint:
        found.append(Problem("multi-line message", f"{errors} error lines on exit 3"))
    return found


_DIAGNOSTIC = re.compile(r"^\S.*?(:\d+:\d+)?: (error|warning): .* \[[\w-]+\]$")


def _judge_diagnostics(stdout: str) -> list[Problem]:
    """``lint`` prints one line per diagnostic: ``path:line:col: severity: message [check]``.

    An error may be followed by one ``help:`` line, as every command's errors are.
    """
    previous = ""
    for line in stdout.split("\n"):
        if line.startswith("help: ") and ": error: " in previous and _DIAGNOSTIC.match(previous):
            previous = line
            continue
        if line and not _DIAGNOSTIC.match(line):
            return [Problem("multi-line message", f"not a diagnostic on stdout: {line[:200]!r}")]
        previous = line
    return []


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _judge_json(stdout: str, lines: bool) -> list[Problem]:
    """JSON output is strict JSON (no NaN or Infinity): one document, or one per line."""
    documents = [line for line in stdout.split("\n") if line] if lines else [stdout]
    for document in documents:
        try:
            json.loads(document, parse_constant=_no_constant)
        except ValueError as exc:
            return [Problem("invalid JSON on stdout", f"{exc}: {document[:200]!r}")]
    return []


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:200] if text.strip() else "(nothing on stderr)"


def _shown(text: str) -> str:
    match = CONTROL.search(text)
    assert match is not None
    start = max(0, match.start() - 60)
    return repr(text[start : match.end() + 60])


def kinds(found: list[Problem]) -> list[str]:
    """The distinct kinds of ``found``, in the order of KINDS."""
    present = {p.kind for p in found}
    return [k for k in KINDS if k in present]
