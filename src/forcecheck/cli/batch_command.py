"""``forcecheck evaluate --batch``: stream JSON Lines in, JSON Lines out.

The evaluation is :func:`forcecheck.engine.batch.run_batch`; this module only reads the input,
writes the records to stdout as they come, reports failed lines on stderr, and shows
progress when stderr is a terminal.

When the reader of stdout goes away (``forcecheck evaluate --batch big.jsonl | head -1``)
the run stops quietly, as Unix tools do: nothing more on stderr, exit code 141 (128 +
SIGPIPE, what a shell shows for a tool killed by SIGPIPE), so that ``set -o pipefail``
scripts can still tell that not every record was read.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import BinaryIO

from forcecheck.engine.batch import BatchError, BatchOptions, run_batch
from forcecheck.errors import FileReadError, Location
from forcecheck.load.input_bytes import check_regular_file

#: At most this many failed lines are described on stderr; every one has its error record.
MAX_REPORTED_ERRORS = 20
_PROGRESS_INTERVAL = 0.2
#: The exit code when stdout is closed early: 128 + SIGPIPE, as a shell reports `yes | head`.
EXIT_BROKEN_PIPE = 141


def _open(source: Path) -> tuple[BinaryIO, str]:
    if str(source) == "-":
        return sys.stdin.buffer, "<stdin>"
    if source.is_dir():
        raise FileReadError(
            "is a directory, not a file",
            location=Location(str(source)),
            help="name a JSON Lines file, or - for standard input",
        )
    # As every input: a regular file, standard input or a pipe already open (`<(gen)`);
    # never a device such as /dev/zero, which would run forever.
    try:
        check_regular_file(source, Location(str(source)))
    except FileReadError as exc:
        raise FileReadError(
            exc.message,
            location=exc.location,
            help="name a JSON Lines file, or - for standard input",
        ) from None
    try:
        return source.open("rb"), str(source)
    except OSError as exc:
        raise FileReadError(
            f"cannot read file: {exc.strerror}",
            location=Location(str(source)),
            help="check the path and its permissions, or give - for standard input",
        ) from None


def _describe(error: BatchError, shown: str) -> str:
    head = f"{Location(shown, error.line, error.col)}: error: {error.message}"
    return f"{head}\nhelp: {error.help}" if error.help else head


def run_batch_command(source: Path, policy: str | None, jobs: int, conditions: bool) -> int:
    """Evaluate every line of ``source``; return the exit code (1 if any line failed)."""
    stream, shown = _open(source)
    base_dir = "." if shown == "<stdin>" else str(source.parent)
    options = BatchOptions(policy=policy, base_dir=base_dir, conditions=conditions)
    progress = sys.stderr.isatty()
    out = sys.stdout.buffer
    records = failed = 0
    started = shown_at = time.monotonic()
    chunks = run_batch(stream, options, jobs=jobs)
    try:
        for chunk in chunks:
            out.write(chunk.text.encode("utf-8"))
            for error in chunk.errors:
                if failed < MAX_REPORTED_ERRORS:
                    sys.stderr.write(_describe(error, shown) + "\n")
                failed += 1
            records += chunk.records
            if progress and time.monotonic() - shown_at > _PROGRESS_INTERVAL:
                shown_at = time.monotonic()
                rate = records / max(shown_at - started, 1e-9)
                sys.stderr.write(f"\r{records:,} scenarios, {failed:,} failed, {rate:,.0f}/s ")
                sys.stderr.flush()
        out.flush()
    except BrokenPipeError:
        _silence_stdout()
        if progress:
            sys.stderr.write("\r\x1b[K")
        return EXIT_BROKEN_PIPE
    finally:
        chunks.close()  # stops the worker processes at once when the pipe closed
        if stream is not sys.stdin.buffer:
            stream.close()
    if progress:
        sys.stderr.write("\r\x1b[K")
    if failed > MAX_REPORTED_ERRORS:
        sys.stderr.write(
            f"... and {failed - MAX_REPORTED_ERRORS:,} more failed lines (see their error "
            "records on stdout)\n"
        )
    sys.stderr.write(f"{records:,} scenarios: {records - failed:,} evaluated, {failed:,} failed\n")
    return 1 if failed else 0


def _silence_stdout() -> None:
    """Point stdout at the null device, so that flushing it at exit raises nothing more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
