"""Batch evaluation: many minimal scenarios, one JSON object per line (JSON Lines).

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

Every record is exactly what ``json.dumps(record, ensure_ascii=False)`` writes. The input
is read in blocks of whole lines, evaluated in worker processes when ``jobs`` > 1, with a
bounded number of blocks in flight, so memory stays constant however long the input is.
Nothing here prints.
"""

from __future__ import annotations

import gc
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

from forcecheck.engine.compiled import CompiledPolicy, compile_policy
from forcecheck.errors import InputError, did_you_mean
from forcecheck.load.library import Library, policy_from_ref, shipped
from forcecheck.model.logic import parse_value

#: The keys an input line may have.
LINE_KEYS = ("id", "policy", "facts")
#: Bytes per block of lines: large enough that passing a block between processes costs
#: little per line, small enough that a few blocks in flight hold little memory.
BLOCK_BYTES = 1 << 20
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


_VALID_VALUES = frozenset({True, False, "unknown"})
_DECODER = json.JSONDecoder(parse_int=_Number, parse_float=_Number, parse_constant=_Number)
_decode = _DECODER.decode
#: The decoder's C scanner: what ``decode`` calls after skipping white space; called
#: directly on a line that starts with a value, it saves two regex matches per line.
_scan: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]


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
            for raw in lines:
                if raw.strip():
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
                    if end != len(text):
                        raise ValueError("white space or more after the value")
                except (StopIteration, ValueError):
                    # Anything unusual is read again the usual way, which says what is wrong.
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
            return self._evaluate(number, data)
        except _LineError as exc:
            errors.append(BatchError(number, exc.message, exc.help, exc.col))
            head = f'{{"line": {number}'
            if isinstance(data, dict) and "id" in data:
                head += f', "id": {_id_json(data["id"])}'
            return (
                f'{head}, "error": {json.dumps(exc.message, ensure_ascii=False)}, '
                f'"help": {json.dumps(exc.help, ensure_ascii=False)}}}\n'
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


def _status_template(rules: tuple[tuple[str, int], ...]) -> str:
    """``{"rule": %s, ...}``: a JSON object with a %-placeholder for each rule's status."""
    return "{" + ", ".join(f"{name.replace('%', '%%')}: %s" for name, _ in rules) + "}"


def _id_json(value: Any) -> str:
    """A line's ``id`` as JSON (numbers back to numbers)."""
    return json.dumps(value, ensure_ascii=False, default=lambda n: json.loads(n.text))


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


def run_batch(
    stream: BinaryIO,
    options: BatchOptions,
    *,
    jobs: int = 1,
    block_bytes: int = BLOCK_BYTES,
) -> Iterator[BatchChunk]:
    """Evaluate every line of a binary stream, yielding chunks of records in input order.

    Raises InputError before yielding anything if ``options.policy`` names no policy. A
    bad line never raises: it becomes an error record. The stream is read in blocks of
    whole lines; with ``jobs`` > 1 the blocks are evaluated in that many worker
    processes, at most ``2 * jobs`` blocks at a time, so memory stays bounded.
    """
    evaluator = BatchEvaluator(options)  # checks the default policy here, in this process
    blocks = _blocks(stream, block_bytes)
    head = list(islice(blocks, 2))
    if jobs <= 1 or len(head) < 2:
        # One process; also when the whole input is one block (starting workers would
        # cost more than they save).
        for first_line, block in chain(head, blocks):
            yield evaluator.chunk(first_line, _split(block))
        return
    window = 2 * jobs
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(options,)) as pool:
        pending: deque[Future[BatchChunk]] = deque()
        for first_line, block in chain(head, blocks):
            pending.append(pool.submit(_work, first_line, block))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _blocks(stream: BinaryIO, size: int) -> Iterator[tuple[int, bytes]]:
    """Blocks of whole lines (about ``size`` bytes each) and the number of each first line."""
    first_line = 1
    carry = b""
    while True:
        data = stream.read(size)
        if not data:
            break
        data = carry + data
        cut = data.rfind(b"\n") + 1
        if cut == 0:  # no line end yet: a line longer than a block
            carry = data
            continue
        block, carry = data[:cut], data[cut:]
        yield first_line, block
        first_line += block.count(b"\n")
    if carry:
        yield first_line, carry


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
