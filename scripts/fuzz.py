"""Fuzz forcecheck with broken and hostile files, for as long as you like.

    python scripts/fuzz.py --cases 20000 [--seed 1] [--save DIR] [--processes-every 50]

Each case takes a shipped scenario or policy (or a JSON Lines batch made from a scenario),
applies one to three mutations of tests/mutations.py chosen by a seeded random generator,
and runs one command line of tests/fuzz_run.py (every command, every format) on the result
through the real entry point, ``forcecheck.__main__.main``, in-process; one case in
``--processes-every`` runs as a real ``python -m forcecheck`` process instead. A case fails
if the exit code is not allowed (never 4, never 2), a traceback appears, an error is not one
line naming the file (plus at most one ``help:`` line), or raw control characters reach
stderr (or stdout in text formats). tests/test_fuzz.py runs the same cases, bounded.

The first failing case of each distinct problem is saved under ``--save`` (``cases/``, with
the command and both outputs), and the first of each kind is shrunk, line by line, to a
minimal reproducer (``minimal/KIND/``). Prints a summary ending with one line of counts by
failure kind (also after Ctrl-C or SIGTERM, for the cases run); exits 1 if any case failed.
Record the figures in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # the checkout's code, not an installed one

from tests.fuzz_judge import CONTROL, KINDS, Problem, kinds, problems  # noqa: E402
from tests.fuzz_run import Case, Result, make_case, run, seeds, write_case  # noqa: E402
from tests.mutations import MUTATIONS, as_bytes  # noqa: E402

#: At most this many runs to shrink the reproducer of one kind.
SHRINK_BUDGET = 400


def main() -> int:
    """Run the cases and print a summary."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="how many cases to run")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random generator")
    parser.add_argument(
        "--save",
        type=Path,
        default=Path(tempfile.gettempdir()) / "forcecheck-fuzz-failures",
        help="directory for failing inputs (created only if a case fails)",
    )
    parser.add_argument(
        "--processes-every",
        type=int,
        default=50,
        metavar="N",
        help="run one case in N as a real `python -m forcecheck` process (0: never)",
    )
    parser.add_argument("--no-shrink", action="store_true", help="save reproducers as found")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="forcecheck-fuzz-"))
    # A private policy cache for the run (processes inherit it), never the user's.
    os.environ["FORCECHECK_CACHE_DIR"] = str(work / "cache")
    rng = random.Random(args.seed)
    files = seeds()
    names = sorted(MUTATIONS)
    exit_codes: collections.Counter[int] = collections.Counter()
    by_kind: collections.Counter[str] = collections.Counter()
    distinct: collections.Counter[str] = collections.Counter()
    failed = processes = ran = 0
    start = time.monotonic()
    signal.signal(signal.SIGTERM, _stop)
    try:
        for number in range(args.cases):
            case = make_case(rng, files, names)
            as_process = args.processes_every > 0 and number % args.processes_every == 0
            processes += as_process
            directory = Path(tempfile.mkdtemp(dir=work))
            path = write_case(case, directory)
            result = run(case.argv(path, directory / "out.html"), subprocess=as_process)
            exit_codes[result.exit_code] += 1
            found = problems(case.command, path, result)
            if found:
                failed += 1
                for kind in kinds(found):
                    by_kind[kind] += 1
                    if by_kind[kind] == 1:
                        _save_minimal(args.save, case, found, kind, work, not args.no_shrink)
                for problem in found:
                    key = _distinct(case, problem)
                    distinct[key] += 1
                    if distinct[key] == 1:
                        _save_case(args.save / "cases", number, case, path, found, result)
            shutil.rmtree(directory)
            ran = number + 1
            if ran % 1000 == 0:
                print(f"{ran} cases, {failed} failed ({_counts(by_kind)})", file=sys.stderr)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: stop, and summarize what ran
        print(f"stopped after {ran} cases", file=sys.stderr)
    finally:
        shutil.rmtree(work)
    elapsed = time.monotonic() - start
    print(f"cases: {ran} (seed {args.seed}; {processes} as processes) in {elapsed:.0f} s")
    print("exit codes: " + ", ".join(f"{code}: {n}" for code, n in sorted(exit_codes.items())))
    print(f"distinct problems: {len(distinct)}")
    for key, count in sorted(distinct.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count:6d}  {key}")
    if failed:
        print(f"failing inputs: {args.save}")
    print(f"summary: {ran} cases, {failed} failed ({_counts(by_kind)})")
    return 1 if failed else 0


def _counts(by_kind: collections.Counter[str]) -> str:
    return ", ".join(f"{kind}: {by_kind[kind]}" for kind in KINDS)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _distinct(case: Case, problem: Problem) -> str:
    """A key that groups the same problem: kind, command, message without names or numbers."""
    detail = re.sub(r"\S*/\S*|[\w.-]+\.(yaml|json|jsonl)\b", "PATH", problem.detail)
    detail = re.sub(r"'[^'\n]*'", "'…'", re.sub(r"\d+", "N", detail))[:90]
    return f"{problem.kind} | {case.command.argv[0]} | {detail}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _report(case: Case, path: Path, found: list[Problem], result: Result) -> str:
    argv = case.argv(path, path.parent / "out.html")
    return "\n".join(
        [
            f"command: forcecheck {' '.join(argv)}",
            f"seed file: {case.seed.path.relative_to(ROOT)}",
            f"mutations: {', '.join(name for name, _ in case.steps)}",
            f"exit code: {result.exit_code}",
            *(f"problem: {p}" for p in found),
            "--- stderr (control characters shown as \\xNN)",
            _visible(result.stderr[:4000]),
            "--- stdout (start)",
            _visible(result.stdout[:2000]),
            *(["--- exception", result.exception] if result.exception else []),
        ]
    )


def _visible(text: str) -> str:
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _save_case(
    directory: Path, number: int, case: Case, path: Path, found: list[Problem], result: Result
) -> None:
    folder = directory / f"case-{number:07d}"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, folder / path.name)
    report = _report(case, folder / path.name, found, result)
    (folder / "case.txt").write_text(report, encoding="utf-8")


def _has_kind(case: Case, content: bytes, kind: str, work: Path) -> tuple[bool, Path, Result]:
    directory = Path(tempfile.mkdtemp(dir=work))
    path = directory / case.file_name()
    path.write_bytes(content)
    result = run(case.argv(path, directory / "out.html"))
    found = problems(case.command, path, result)
    return kind in kinds(found), path, result


def shrink(case: Case, kind: str, work: Path) -> bytes:
    """The case's file with as many lines removed as keep the problem ``kind``."""
    content = case.build()
    raw = as_bytes(content)
    lines = raw.splitlines(keepends=True)
    runs = 0
    chunk = max(1, len(lines) // 2)
    while chunk >= 1 and runs < SHRINK_BUDGET:
        at = 0
        while at < len(lines) and runs < SHRINK_BUDGET:
            trial = lines[:at] + lines[at + chunk :]
            runs += 1
            if trial and _has_kind(case, b"".join(trial), kind, work)[0]:
                lines = trial
            else:
                at += chunk
        chunk //= 2
    return b"".join(lines)


def _save_minimal(
    directory: Path, case: Case, found: list[Problem], kind: str, work: Path, shrinking: bool
) -> None:
    content = case.build()
    raw = as_bytes(content)
    still, path, result = _has_kind(case, raw, kind, work)
    if still and shrinking:
        shrunk = shrink(case, kind, work)
        still, path, result = _has_kind(case, shrunk, kind, work)
        raw = shrunk if still else raw
    folder = directory / "minimal" / _slug(kind)
    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / path.name
    saved.write_bytes(raw)
    if still:  # the problems and output as the saved file gives them
        result = run(case.argv(saved, work / "out.html"))
        found = problems(case.command, saved, result)
    report = _report(case, saved, found, result)
    (folder / "case.txt").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
