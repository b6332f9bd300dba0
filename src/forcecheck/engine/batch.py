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

import contextlib
import gc
import json
import math
import os
import re
import stat
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

from forcecheck.engine.compiled import CompiledPolicy, compile_policy
from forcecheck.errors import FileReadError, InputError, Location, did_you_mean
from forcecheck.load.library import Library, looks_like_path, policy_from_ref, shipped
from forcecheck.model.logic import parse_value

#: The keys an input line may have.
LINE_KEYS = ("id", "policy", "facts")
#: Bytes per block of lines: large enough that passing a block between processes costs
#: little per line, small enough that a few blocks in flight hold little memory.
BLOCK_BYTES = 1 << 20
#: The longest line read, in bytes (without its line end): a minimal scenario of every fact
#: of the largest shipped policy is under 3 KB. A longer line is an error record, and is
#: skipped as it is read, never held in memory.
MAX_LINE_BYTES = 1 << 20
#: At most this many policies (or failed policy references) are kept per process.
_MAX_POLICIES = 1_000
_OUTCOMES = ('"not_authorized"', '"undetermined"', '"authorized"')
_STATUSES = ('"unmet"', '"unknown"', '"met"')
#: At most this many finished record ends are kept per policy (a few MB at most).
_MAX_TAILS = 10_000
_VALUE_HELP = "a fact value is true, false or unknown (lower case, unquoted true/false)"


@dataclass(frozen=True)
class BatchOptions:
    """How to evaluate a batch (plain data, so that worker processes can receive it)."""

    #: A policy id or path for every line (overrides the lines' own); None: each line's.
    policy: str | None = None
    #: Relative policy paths in lines are resolved from here (the batch file's directory).
    base_dir: str = "."
    #: Whether records carry every condition's status.
    conditions: bool = False
    #: The policy library directory; None for the shipped one.
    library_dir: str | None = None
    #: A longer line (in bytes, without its line end) is an error record.
    max_line_bytes: int = MAX_LINE_BYTES


@dataclass(frozen=True)
class BatchError:
    """A line that could not be evaluated."""

    line: int
    message: str
    help: str | None = None
    col: int | None = None


@dataclass(frozen=True)
class BatchChunk:
    """The results of consecutive input lines."""

    #: JSON Lines text: one record per non-blank input line, in input order.
    text: str
    #: How many records ``text`` holds.
    records: int
    #: The lines that gave error records.
    errors: tuple[BatchError, ...]


class _LineError(Exception):
    def __init__(self, message: str, help: str | None = None, col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.help = help
        self.col = col


class _Number:
    """A JSON number in the facts: never a fact value, but parsed so that 1 != true."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's dict; a key given twice is an error, as in a ``.json`` file."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _LineError(
                    f"duplicate key '{_text(key)}'",
                    help=f"'{_text(key)}' is given twice in one object; keep one of them",
                )
            seen.add(key)
    return result


def _constant(name: str) -> Any:
    """``NaN``, ``Infinity`` and ``-Infinity``: Python reads them, JSON has no such number."""
    raise _LineError(
        f"{name} is not a JSON number",
        help="JSON numbers are finite: write the value as a string, or leave it out",
    )


_VALID_VALUES = frozenset({True, False, "unknown"})
#: The strict decoder: refuses repeated keys (a Python call per object, so not the first try).
_decode = json.JSONDecoder(
    parse_int=_Number, parse_float=_Number, parse_constant=_constant, object_pairs_hook=_object
).decode
#: The fast decoder's C scanner: what ``decode`` calls after skipping white space; called
#: directly on a line that starts with a value, it saves two regex matches per line. It
#: keeps the last of repeated keys: see _key_count for how those are caught.
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(  # type: ignore[attr-defined]
    parse_int=_Number, parse_float=_Number, parse_constant=_constant
).scan_once


@dataclass(frozen=True)
class _Target:
    """A policy ready for the hot loop: its compiled functions and pre-encoded JSON."""

    compiled: CompiledPolicy
    policy_json: str
    #: Indexes into the compiled rule codes of the conditions and the findings.
    conditions: tuple[tuple[str, int], ...]
    findings: tuple[tuple[str, int], ...]
    #: The end of a record without conditions, by outcome code: policy and outcome.
    outcome_tails: tuple[str, ...]
    #: The rule codes a record with conditions shows (the decision's first), in order.
    shown_codes: Callable[[tuple[int, ...]], tuple[int, ...]]
    #: The end of a record with conditions, a %-template taking one status per shown code.
    status_tail: str
    #: Finished ends of records with conditions, by every rule's codes: the same few
    #: combinations of statuses recur, line after line (bounded by _MAX_TAILS).
    tails: dict[tuple[int, ...], str] = field(default_factory=dict, compare=False)


class BatchEvaluator:
    """Evaluates input lines into records; one per process, its policies cached."""

    def __init__(self, options: BatchOptions) -> None:
        self.options = options
        self.library: Library = (
            Library(Path(options.library_dir)) if options.library_dir else shipped()
        )
        self._targets: dict[str, _Target | _LineError] = {}
        self._default = self._resolve(options.policy) if options.policy is not None else None

    def _resolve(self, ref: str) -> _Target:
        """The policy named ``ref``; raises InputError if there is none."""
        if looks_like_path(ref):
            _check_regular_file(ref, Path(self.options.base_dir))
        policy = policy_from_ref(ref, self.library, relative_to=Path(self.options.base_dir))
        compiled = compile_policy(policy)
        index = {rule_id: i for i, rule_id in enumerate(compiled.rule_ids)}
        policy_json = json.dumps(policy.id)
        conditions = tuple((json.dumps(r), index[r]) for r in policy.conditions)
        findings = tuple((json.dumps(r), index[r]) for r in policy.findings)
        # Everything but the statuses is the same on every line: written once, here.
        status_tail = ', "conditions": ' + _status_template(conditions)
        if findings:
            status_tail += ', "findings": ' + _status_template(findings)
        shown = [i for _, i in conditions + findings]
        return _Target(
            compiled=compiled,
            policy_json=policy_json,
            conditions=conditions,
            findings=findings,
            outcome_tails=tuple(
                f', "policy": {policy_json}, "outcome": {outcome}}}\n' for outcome in _OUTCOMES
            ),
            # The decision is always a condition, so at least two codes: always a tuple.
            shown_codes=itemgetter(shown[0], *shown),
            status_tail=status_tail + "}\n",
        )

    def _target(self, ref: Any) -> _Target:
        if self._default is not None:
            return self._default
        if ref is None:
            raise _LineError(
                "the line names no policy",
                help='add "policy": "dhs-2023" to the line, or pass --policy',
            )
        if not isinstance(ref, str):
            raise _LineError('"policy" must be a policy id or path (a string)')
        found = self._targets.get(ref)
        if found is None:
            try:
                found = self._resolve(ref)
            except InputError as exc:
                found = _LineError(exc.message, exc.help)
            if len(self._targets) < _MAX_POLICIES:
                self._targets[ref] = found
        if isinstance(found, _LineError):
            raise found
        return found

    def chunk(self, first_line: int, lines: list[bytes]) -> BatchChunk:
        """Records for ``lines``, the first of which is input line ``first_line``."""
        out: list[str] = []
        errors: list[BatchError] = []
        number = first_line
        # Records create no reference cycles (JSON values are trees), so the cyclic
        # collector would only rescan the heap, over and over: pause it for the chunk.
        collecting = gc.isenabled()
        gc.disable()
        try:
            limit = self.options.max_line_bytes
            for raw in lines:
                if len(raw) > limit:
                    out.append(_error_record(number, _too_long(len(raw), limit), None, errors))
                elif raw.strip():
                    out.append(self._record(number, raw, errors))
                number += 1
        finally:
            if collecting:
                gc.enable()
        return BatchChunk("".join(out), len(out), tuple(errors))

    def _record(self, number: int, raw: bytes, errors: list[BatchError]) -> str:
        data: Any = None
        try:
            try:
                text = raw.decode("utf-8")
                try:
                    data, end = _scan(text, 0)
                    if end != len(text) or type(data) is not dict:
                        raise ValueError("white space or more after the value, or no object")
                    # _key_count, inlined: this runs for every line.
                    facts = data.get("facts")
                    keys = len(data) + len(facts) if type(facts) is dict else len(data)
                    if keys != raw.count(b":"):
                        raise ValueError("maybe a repeated key")
                except (StopIteration, ValueError):
                    # Anything unusual is read again the usual way, which says what is wrong.
                    data = None
                    data = _decode(text)
            except UnicodeDecodeError:
                raise _LineError("not UTF-8 text", help="save the file as UTF-8") from None
            except json.JSONDecodeError as exc:
                raise _LineError(
                    f"malformed JSON: {exc.msg}",
                    help="one JSON object per line, e.g. "
                    '{"policy": "dhs-2023", "facts": {"subject_fleeing": true}}',
                    col=exc.colno,
                ) from None
            except RecursionError:
                raise _LineError("the line is nested too deeply to read") from None
            # Only a \u escape can make a lone surrogate (UTF-8 bytes cannot): check lines
            # with a backslash (find: one memchr, several times faster than `b"\\u" in raw`).
            if raw.find(b"\\") >= 0:
                lone = _lone_surrogate(data)
                if lone is not None:
                    data = None  # not even the id can be written
                    raise _LineError(
                        f"the line holds a lone surrogate (\\u{ord(lone):04x}), which is not text",
                        help="a \\u escape above U+FFFF is a pair (\\ud83d\\ude00); write the "
                        "character itself, or the whole pair",
                    )
            return self._evaluate(number, data)
        except _LineError as exc:
            return _error_record(number, exc, data, errors)
        except Exception as exc:  # a bug: that line's record says so, and the run goes on
            return _error_record(
                number,
                _LineError(
                    f"internal error: {type(exc).__name__}: {exc}",
                    help="this is a bug in forcecheck; report it with this line",
                ),
                None,
                errors,
            )

    def _evaluate(self, number: int, data: Any) -> str:
        if type(data) is not dict:
            raise _LineError(
                "a line must be a JSON object",
                help='write {"policy": ..., "facts": {...}} on each line',
            )
        if not data.keys() <= _LINE_KEY_SET:
            key = next(k for k in data if k not in _LINE_KEY_SET)
            raise _LineError(
                f"unknown key '{key}'",
                help=did_you_mean(key, LINE_KEYS) or "allowed keys: " + ", ".join(LINE_KEYS),
            )
        facts = data.get("facts")
        if type(facts) is not dict:
            raise _LineError(
                "the line has no facts" if facts is None else '"facts" must be a JSON object',
                help='write "facts": {"fact_id": true, ...} (it may be empty)',
            )
        target = self._default if self._default is not None else self._target(data.get("policy"))
        compiled = target.compiled
        # The fast check first; the slow one only to say what is wrong.
        try:
            valid = facts.keys() <= compiled.fact_ids and _VALID_VALUES.issuperset(facts.values())
        except TypeError:  # an unhashable value: a list or an object
            valid = False
        if not valid:
            _explain_bad_facts(facts, compiled)
        head = f'{{"line": {number}'
        if "id" in data:
            head += f', "id": {_id_json(data["id"])}'
        if not self.options.conditions:
            return head + target.outcome_tails[compiled.decision_code(facts)]
        codes = compiled.rule_codes(facts)
        tail = target.tails.get(codes)
        if tail is None:
            shown = target.shown_codes(codes)
            tail = f', "policy": {target.policy_json}, "outcome": {_OUTCOMES[shown[0]]}'
            tail += target.status_tail % tuple(map(_STATUSES.__getitem__, shown[1:]))
            if len(target.tails) < _MAX_TAILS:
                target.tails[codes] = tail
        return head + tail


_LINE_KEY_SET = frozenset(LINE_KEYS)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _key_count(data: Any) -> int:
    """The keys of a line's object and of its facts; -1 if the line is no object.

    Every key in JSON text is followed by a colon, so a line with as many colons as the
    decoded objects have keys has no repeated key (a repeat would leave fewer keys than
    colons) and no colon elsewhere, such as in a string or a nested object. Any other line
    is read again by the strict decoder: one ``bytes.count`` per line instead of a Python
    call per object.
    """
    if type(data) is not dict:
        return -1
    facts = data.get("facts")
    return len(data) + len(facts) if type(facts) is dict else len(data)


def _text(value: str) -> str:
    r"""``value`` with any lone surrogate written as its ``\u`` escape: encodable text."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _lone_surrogate(data: Any) -> str | None:
    """The first lone surrogate in any string or key of ``data``, or None."""
    stack = [data]
    while stack:
        item = stack.pop()
        if type(item) is str:
            found = _SURROGATE.search(item)
            if found:
                return found.group()
        elif type(item) is dict:
            stack.extend(item)
            stack.extend(item.values())
        elif type(item) is list:
            stack.extend(item)
    return None


def _too_long(length: int, limit: int) -> _LineError:
    return _LineError(
        f"the line is {length:,} bytes long, over the limit of {limit:,} bytes",
        help="one minimal scenario per line: an id, a policy and its facts",
    )


def _error_record(number: int, error: _LineError, data: Any, errors: list[BatchError]) -> str:
    """The error record of line ``number`` (with the line's id, if it has a valid one)."""
    message, help = _text(error.message), error.help and _text(error.help)
    errors.append(BatchError(number, message, help, error.col))
    head = f'{{"line": {number}'
    if type(data) is dict and "id" in data:
        with contextlib.suppress(_LineError):  # the id itself may be what is wrong
            head += f', "id": {_id_json(data["id"])}'
    return (
        f'{head}, "error": {json.dumps(message, ensure_ascii=False)}, '
        f'"help": {json.dumps(help, ensure_ascii=False)}}}\n'
    )


def _check_regular_file(ref: str, base_dir: Path) -> None:
    """Refuse a policy path that is not a regular file (a device or FIFO may never end)."""
    path = Path(ref)
    if not path.is_absolute():
        path = base_dir / path
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return  # the loader says there is no such policy file
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise FileReadError(
            f"cannot read the policy file: {getattr(exc, 'strerror', None) or exc}",
            location=Location(_text(ref)),
            help="name a policy by id (see `forcecheck policies`) or by a readable path",
        ) from None
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "a device, FIFO or socket"
        raise FileReadError(
            f"the policy '{_text(ref)}' is not a regular file but {kind}",
            location=Location(_text(ref)),
            help="name a policy file, or a policy by id (see `forcecheck policies`)",
        )


def _status_template(rules: tuple[tuple[str, int], ...]) -> str:
    """``{"rule": %s, ...}``: a JSON object with a %-placeholder for each rule's status."""
    return "{" + ", ".join(f"{name.replace('%', '%%')}: %s" for name, _ in rules) + "}"


def _id_json(value: Any) -> str:
    """A line's ``id`` as JSON (numbers back to numbers); _LineError for one JSON cannot hold."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=_number)


def _number(number: _Number) -> int | float:
    """A number of an id, as Python reads it; refused if a JSON reader could not read it."""
    try:
        value = json.loads(number.text)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise _LineError(
            f"the id holds a number of {len(number.text):,} digits, too long to read",
            help="write a long id as a string",
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise _LineError(
            f"the id holds {number.text}, too large a number for JSON readers",
            help="write the id as a string",
        )
    return value  # type: ignore[no-any-return]


def _explain_bad_facts(facts: dict[str, Any], compiled: CompiledPolicy) -> None:
    """Raise a _LineError naming the first unknown fact or bad value."""
    for fact_id, value in facts.items():
        if fact_id not in compiled.fact_ids:
            raise _LineError(
                f"unknown fact '{fact_id}'", help=did_you_mean(fact_id, compiled.fact_ids)
            )
        if isinstance(value, bool) or value == "unknown":
            continue
        message = f"a fact value must be true, false or unknown, not {value!r}"
        if not isinstance(value, _Number):
            try:
                parse_value(value)
            except ValueError as exc:  # its wording for null, "True", "Unknown"...
                message = str(exc)
        raise _LineError(f"fact '{fact_id}': {message}", help=_VALUE_HELP)
    raise AssertionError("the facts were valid after all")  # pragma: no cover


# ---------------------------------------------------------------- running a batch

#: The evaluator of a worker process (made once, by the pool's initializer).
_worker: BatchEvaluator | None = None


def _start_worker(options: BatchOptions) -> None:
    global _worker
    _worker = BatchEvaluator(options)


def _work(first_line: int, block: bytes) -> BatchChunk:
    assert _worker is not None
    return _worker.chunk(first_line, _split(block))


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _too_long_chunk(line: int, length: int, limit: int) -> BatchChunk:
    errors: list[BatchError] = []
    text = _error_record(line, _too_long(length, limit), None, errors)
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
    blocks = _blocks(stream, block_bytes, limit)
    head = list(islice(blocks, 2))
    if jobs <= 1 or len(head) < 2:
        # One process; also when the whole input is one block (starting workers would
        # cost more than they save).
        for first_line, block in chain(head, blocks):
            if isinstance(block, int):
                yield _too_long_chunk(first_line, block, limit)
            else:
                yield evaluator.chunk(first_line, _split(block))
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


def _blocks(stream: BinaryIO, size: int, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """Blocks of whole lines (about ``size`` bytes each) and the number of each first line.

    A line that runs on over more than ``limit`` bytes is not kept: it is read on to its
    end, only counted, and given as its length (an int) in place of a block. Each byte is
    copied at most twice, so the time is linear and the memory bounded, however long a line.
    """
    first_line = 1
    pieces: list[bytes] = []  # the start of a line that goes on in the next read
    held = 0  # their length
    skipped = -1  # while skipping an over-long line: its length so far
    while True:
        data = stream.read(size)
        if not data:
            break
        start = 0
        if skipped >= 0:
            end = data.find(b"\n")
            if end < 0:
                skipped += len(data)
                continue
            yield first_line, skipped + end
            first_line += 1
            skipped = -1
            start = end + 1
        cut = data.rfind(b"\n") + 1
        if cut <= start:  # no line end in (the rest of) this read
            held += len(data) - start
            if held > limit:
                skipped, pieces, held = held, [], 0
            else:
                pieces.append(data[start:] if start else data)
            continue
        if pieces:  # the first line of this read ends the line held
            end = data.find(b"\n")
            if held + end > limit:
                yield first_line, held + end
                first_line += 1
                start = end + 1
                pieces = []
        block = b"".join([*pieces, data[start:cut]]) if pieces else data[start:cut]
        pieces, held = [], 0
        if cut < len(data):
            held = len(data) - cut
            if held > limit:
                skipped, held = held, 0
            else:
                pieces.append(data[cut:])
        if block:
            yield first_line, block
            first_line += block.count(b"\n")
    if skipped >= 0:
        yield first_line, skipped
    elif pieces:
        yield first_line, b"".join(pieces)


def _split(block: bytes) -> list[bytes]:
    lines = block.split(b"\n")
    if lines[-1] == b"":  # the block ends with a line end
        lines.pop()
    return lines


def evaluate_lines(
    lines: Iterable[bytes | str], options: BatchOptions | None = None
) -> Iterator[dict[str, Any]]:
    """Evaluate lines in this process, yielding each record as a dict (for library use)."""
    evaluator = BatchEvaluator(options or BatchOptions())
    for number, line in enumerate(lines, start=1):
        raw = line.encode("utf-8") if isinstance(line, str) else line
        for text in evaluator.chunk(number, [raw]).text.splitlines():
            yield json.loads(text)
