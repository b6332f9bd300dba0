"""Fuzz the forcecheck CLI with broken scenario and policy files, for as long as you like.

    python scripts/fuzz.py --cases 100000 [--seed 1] [--save DIR]

Uses the mutations of tests/mutations.py (the bounded hypothesis suite in tests/test_fuzz.py
runs the same ones): each case takes a shipped scenario or policy, applies one to three
mutations chosen by a seeded random generator, and runs a command on the result in-process.
A case fails if the CLI exits 4 (or anything but 0, 1 for check/lint, and 3), prints a
traceback, or gives an error that does not name the file. Failing inputs are saved with the
command and output, to replay with ``forcecheck``. Prints a summary; exits 1 on failures.
Record the last result in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import collections
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.mutations import MUTATIONS, command_for, mutate, problems, seeds  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from forcecheck.cli import app  # noqa: E402


def main() -> int:
    """Run the cases and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="how many cases to run")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random generator")
    parser.add_argument(
        "--save",
        type=Path,
        default=Path(tempfile.gettempdir()) / "forcecheck-fuzz-failures",
        help="directory for failing inputs (created only if a case fails)",
    )
    args = parser.parse_args()

    rng = random.Random(args.seed)
    files = seeds()
    texts = {seed.path: seed.path.read_text(encoding="utf-8") for seed in files}
    names = sorted(MUTATIONS)
    runner = CliRunner()
    exit_codes: collections.Counter[int] = collections.Counter()
    failures: dict[str, int] = {}
    work = Path(tempfile.mkdtemp(prefix="forcecheck-fuzz-"))
    start = time.monotonic()
    try:
        for case in range(args.cases):
            seed = rng.choice(files)
            steps = [
                (rng.choice(names), random.Random(rng.getrandbits(64)))
                for _ in range(rng.randint(1, 3))
            ]
            content = mutate(texts[seed.path], steps)
            path = work / seed.path.name
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            command = command_for(seed, path, rng.randrange(5))
            result = runner.invoke(app, command)
            exit_codes[result.exit_code] += 1
            found = problems(command, path, result.exit_code, result.stderr, result.exception)
            if found:
                key = found[0][:120]
                failures[key] = failures.get(key, 0) + 1
                if failures[key] == 1:
                    _save(args.save, case, seed.path.name, content, command, found, result)
            if (case + 1) % 1000 == 0:
                print(f"{case + 1} cases, {len(failures)} distinct failures", file=sys.stderr)
    finally:
        shutil.rmtree(work)
    elapsed = time.monotonic() - start
    print(f"cases: {args.cases} (seed {args.seed}) in {elapsed:.0f} s")
    print("exit codes: " + ", ".join(f"{code}: {n}" for code, n in sorted(exit_codes.items())))
    print(f"failures: {sum(failures.values())} ({len(failures)} distinct)")
    for key, count in sorted(failures.items(), key=lambda item: -item[1]):
        print(f"  {count:6d}  {key}")
    return 1 if failures else 0


def _save(
    directory: Path,
    case: int,
    name: str,
    content: str | bytes,
    command: list[str],
    found: list[str],
    result: object,
) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"case-{case:07d}"
    data = content.encode("utf-8") if isinstance(content, str) else content
    (directory / f"{stem}-{name}").write_bytes(data)
    report = [
        "command: forcecheck " + " ".join(command),
        *found,
        f"exception: {getattr(result, 'exception', None)!r}",
        "stderr:",
        str(getattr(result, "stderr", "")),
    ]
    (directory / f"{stem}.txt").write_text("\n".join(report), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
