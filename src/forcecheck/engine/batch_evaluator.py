"""The batch evaluator: one line of JSON in, one record out, never an exception.

:class:`BatchEvaluator` turns the lines of a block into records, each policy compiled once
and everything in a record but the statuses written once per policy. How lines are read and
run is :mod:`forcecheck.engine.batch`; the JSON of a line, :mod:`forcecheck.engine.batch_json`.
Nothing here prints.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from forcecheck.engine.batch_input import check_policy_file
from forcecheck.engine.batch_json import (
    LineError,
    Number,
    decode,
    id_json,
    lone_surrogate,
    printable,
    scan,
)
from forcecheck.engine.compiled import CompiledPolicy, compile_policy
from forcecheck.errors import InputError, did_you_mean
from forcecheck.load.library import Library, looks_like_path, policy_from_ref, shipped
from forcecheck.model.logic import parse_value

#: The keys an input line may have.
LINE_KEYS = ("id", "policy", "facts")
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


_VALID_VALUES = frozenset({True, False, "unknown"})


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
        self._targets: dict[str, _Target | LineError] = {}
        self._default = self._resolve(options.policy) if options.policy is not None else None

    def _resolve(self, ref: str) -> _Target:
        """The policy named ``ref``; raises InputError if there is none."""
        if looks_like_path(ref):
            check_policy_file(ref, Path(self.options.base_dir))
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
            raise LineError(
                "the line names no policy",
                help='add "policy": "dhs-2023" to the line, or pass --policy',
            )
        if not isinstance(ref, str):
            raise LineError('"policy" must be a policy id or path (a string)')
        found = self._targets.get(ref)
        if found is None:
            try:
                found = self._resolve(ref)
            except InputError as exc:
                found = LineError(exc.message, exc.help)
            if len(self._targets) < _MAX_POLICIES:
                self._targets[ref] = found
        if isinstance(found, LineError):
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
                    out.append(error_record(number, too_long_error(len(raw), limit), None, errors))
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
                    data, end = scan(text, 0)
                    if end != len(text) or type(data) is not dict:
                        raise ValueError("white space or more after the value, or no object")
                    # Every key in JSON text is followed by a colon: as many colons as keys
                    # decoded means no key was repeated (a repeat leaves fewer keys than
                    # colons) and no colon elsewhere (a string, a nested object). Any other
                    # line is read again by the strict decoder: one bytes.count per line,
                    # not a Python call per object.
                    facts = data.get("facts")
                    keys = len(data) + len(facts) if type(facts) is dict else len(data)
                    if keys != raw.count(b":"):
                        raise ValueError("maybe a repeated key")
                except (StopIteration, ValueError):
                    # Anything unusual is read again the usual way, which says what is wrong.
                    data = None
                    data = decode(text)
            except UnicodeDecodeError:
                raise LineError("not UTF-8 text", help="save the file as UTF-8") from None
            except json.JSONDecodeError as exc:
                raise LineError(
                    f"malformed JSON: {exc.msg}",
                    help="one JSON object per line, e.g. "
                    '{"policy": "dhs-2023", "facts": {"subject_fleeing": true}}',
                    col=exc.colno,
                ) from None
            except RecursionError:
                raise LineError("the line is nested too deeply to read") from None
            # Only a \u escape can make a lone surrogate (UTF-8 bytes cannot): check lines
            # with a backslash (find: one memchr, several times faster than `b"\\u" in raw`).
            if raw.find(b"\\") >= 0:
                lone = lone_surrogate(data)
                if lone is not None:
                    data = None  # not even the id can be written
                    raise LineError(
                        f"the line holds a lone surrogate (\\u{ord(lone):04x}), which is not text",
                        help="a \\u escape above U+FFFF is a pair (\\ud83d\\ude00); write the "
                        "character itself, or the whole pair",
                    )
            return self._evaluate(number, data)
        except LineError as exc:
            return error_record(number, exc, data, errors)
        except Exception as exc:  # a bug: that line's record says so, and the run goes on
            return error_record(
                number,
                LineError(
                    f"internal error: {type(exc).__name__}: {exc}",
                    help="this is a bug in forcecheck; report it with this line",
                ),
                None,
                errors,
            )

    def _evaluate(self, number: int, data: Any) -> str:
        if type(data) is not dict:
            raise LineError(
                "a line must be a JSON object",
                help='write {"policy": ..., "facts": {...}} on each line',
            )
        if not data.keys() <= _LINE_KEY_SET:
            key = next(k for k in data if k not in _LINE_KEY_SET)
            raise LineError(
                f"unknown key '{key}'",
                help=did_you_mean(key, LINE_KEYS) or "allowed keys: " + ", ".join(LINE_KEYS),
            )
        facts = data.get("facts")
        if type(facts) is not dict:
            raise LineError(
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
            head += f', "id": {id_json(data["id"])}'
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


def too_long_error(length: int, limit: int) -> LineError:
    """The error of a line of ``length`` bytes, over the ``limit``."""
    return LineError(
        f"the line is {length:,} bytes long, over the limit of {limit:,} bytes",
        help="one minimal scenario per line: an id, a policy and its facts",
    )


def error_record(number: int, error: LineError, data: Any, errors: list[BatchError]) -> str:
    """The error record of line ``number`` (with the line's id, if it has a valid one)."""
    message, help = printable(error.message), error.help and printable(error.help)
    errors.append(BatchError(number, message, help, error.col))
    head = f'{{"line": {number}'
    if type(data) is dict and "id" in data:
        with contextlib.suppress(LineError):  # the id itself may be what is wrong
            head += f', "id": {id_json(data["id"])}'
    return (
        f'{head}, "error": {json.dumps(message, ensure_ascii=False)}, '
        f'"help": {json.dumps(help, ensure_ascii=False)}}}\n'
    )


def _status_template(rules: tuple[tuple[str, int], ...]) -> str:
    """``{"rule": %s, ...}``: a JSON object with a %-placeholder for each rule's status."""
    return "{" + ", ".join(f"{name.replace('%', '%%')}: %s" for name, _ in rules) + "}"


def _explain_bad_facts(facts: dict[str, Any], compiled: CompiledPolicy) -> None:
    """Raise a LineError naming the first unknown fact or bad value."""
    for fact_id, value in facts.items():
        if fact_id not in compiled.fact_ids:
            raise LineError(
                f"unknown fact '{fact_id}'", help=did_you_mean(fact_id, compiled.fact_ids)
            )
        if isinstance(value, bool) or value == "unknown":
            continue
        message = f"a fact value must be true, false or unknown, not {value!r}"
        if not isinstance(value, Number):
            try:
                parse_value(value)
            except ValueError as exc:  # its wording for null, "True", "Unknown"...
                message = str(exc)
        raise LineError(f"fact '{fact_id}': {message}", help=_VALUE_HELP)
    raise AssertionError("the facts were valid after all")  # pragma: no cover
