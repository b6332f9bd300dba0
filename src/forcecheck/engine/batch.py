r"""Batch evaluation: many minimal scenarios, one JSON object per line (JSON Lines).

Each input line is a minimal scenario as a JSON object::

    {"id": "drill-7", "policy": "dhs-2023", "facts": {"subject_fleeing": true}}

``facts`` is required (it may be empty); ``policy`` is a policy id or path (paths relative
to the batch file's directory) and may be left out when a default policy is given, which
then overrides every line's own, as ``evaluate --policy`` does; ``id`` is any JSON value,
copied to the result. Fact values are ``true``, ``false`` or ``"unknown"``; an omitted fact
is unknown. Blank lines are skipped (they still count in line numbers).

Each non-blank line gives exactly one result record, in input order::

    {"line": 1, "id": "drill-7", "policy": "dhs-2023", "outcome": "undetermined"}

and, with ``conditions``, ``"conditions": {rule id: status, ...}`` for the decision and
every condition it turns on (the same rules, in the same order, as ``evaluate``), and
``"findings"`` for the policy's secondary findings. A line that cannot be evaluated gives
an error record instead, and the run goes on::

    {"line": 2, "error": "unknown fact 'subject_flee'", "help": "did you mean 'subject_fleeing'?"}

Every record is exactly what ``json.dumps(record, ensure_ascii=False, allow_nan=False)``
writes: valid UTF-8, strict JSON. A line is refused (an error record) when it is longer than
``max_line_bytes`` (1 MiB by default), repeats a key in an object, holds ``NaN``,
``Infinity`` or a number too large for a JSON reader (``1e400``, a 5,000-digit id), holds a
lone surrogate (a ``\ud800`` escape that is half of a pair), or names a policy path that is
not a regular file (a device or a FIFO would never end, or never answer). The input is
read in blocks of whole lines, evaluated in worker processes when ``jobs`` > 1, with a
bounded number of blocks in flight, so memory stays constant however long the input is
or any one line. Nothing here prints.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import Any, BinaryIO

from forcecheck.engine.batch_evaluator import (
    LINE_KEYS,
    MAX_LINE_BYTES,
    BatchChunk,
    BatchError,
    BatchEvaluator,
    BatchOptions,
    error_record,
    too_long_error,
)
from forcecheck.engine.batch_input import read_blocks, split_lines

__all__ = [
    "BLOCK_BYTES",
    "LINE_KEYS",
    "MAX_LINE_BYTES",
    "BatchChunk",
    "BatchError",
    "BatchEvaluator",
    "BatchOptions",
    "default_jobs",
    "evaluate_lines",
    "run_batch",
]

#: Bytes per block of lines: large enough that passing a block between processes costs
#: little per line, small enough that a few blocks in flight hold little memory.
BLOCK_BYTES = 1 << 20


# ---------------------------------------------------------------- running a batch

#: The evaluator of a worker process (made once, by the pool's initializer).
_worker: BatchEvaluator | None = None


def _start_worker(options: BatchOptions) -> None:
    global _worker
    _worker = BatchEvaluator(options)


def _work(first_line: int, block: bytes) -> BatchChunk:
    assert _worker is not None
    return _worker.chunk(first_line, split_lines(block))


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _too_long_chunk(line: int, length: int, limit: int) -> BatchChunk:
    errors: list[BatchError] = []
    text = error_record(line, too_long_error(length, limit), None, errors)
    return BatchChunk(text, 1, tuple(errors))


def run_batch(
    stream: BinaryIO,
    options: BatchOptions,
    *,
    jobs: int = 1,
    block_bytes: int = BLOCK_BYTES,
) -> Generator[BatchChunk, None, None]:
    """Evaluate every line of a binary stream, yielding chunks of records in input order.

    Raises InputError before yielding anything if ``options.policy`` names no policy. A
    bad line never raises: it becomes an error record. The stream is read in blocks of
    whole lines; with ``jobs`` > 1 the blocks are evaluated in that many worker
    processes, at most ``2 * jobs`` blocks at a time, so memory stays bounded. A line
    longer than ``options.max_line_bytes`` is skipped as it is read (an error record).
    """
    evaluator = BatchEvaluator(options)  # checks the default policy here, in this process
    limit = options.max_line_bytes
    blocks = read_blocks(stream, block_bytes, limit)
    head = list(islice(blocks, 2))
    if jobs <= 1 or len(head) < 2:
        # One process; also when the whole input is one block (starting workers would
        # cost more than they save).
        for first_line, block in chain(head, blocks):
            if isinstance(block, int):
                yield _too_long_chunk(first_line, block, limit)
            else:
                yield evaluator.chunk(first_line, split_lines(block))
        return
    window = 2 * jobs
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(options,)) as pool:
        pending: deque[Future[BatchChunk]] = deque()
        try:
            for first_line, block in chain(head, blocks):
                if isinstance(block, int):
                    done: Future[BatchChunk] = Future()
                    done.set_result(_too_long_chunk(first_line, block, limit))
                    pending.append(done)
                else:
                    pending.append(pool.submit(_work, first_line, block))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except GeneratorExit:  # the reader stopped (a closed pipe): start nothing more
            for future in pending:
                future.cancel()
            raise


def evaluate_lines(
    lines: Iterable[bytes | str], options: BatchOptions | None = None
) -> Iterator[dict[str, Any]]:
    """Evaluate lines in this process, yielding each record as a dict (for library use)."""
    evaluator = BatchEvaluator(options or BatchOptions())
    for number, line in enumerate(lines, start=1):
        raw = line.encode("utf-8") if isinstance(line, str) else line
        for text in evaluator.chunk(number, [raw]).text.splitlines():
            yield json.loads(text)
