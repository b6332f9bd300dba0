r"""The JSON of one batch line, read strictly: what Python's json module lets through, refused.

Python's decoder keeps the last of repeated keys, reads ``NaN`` and ``Infinity``, makes
``1e400`` infinite, and passes ``\ud800`` on as a lone surrogate that no UTF-8 output can
hold. Here each of those is a :class:`LineError` (the line's error record), and an id is
written back only as JSON any reader can read. Nothing here prints.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from forcecheck.errors import visible


class LineError(Exception):
    """What is wrong with one line: becomes its error record, and the run goes on."""

    def __init__(self, message: str, help: str | None = None, col: int | None = None) -> None:
        # Shown on stderr and in the record: names from the line are escaped, one line each.
        super().__init__(visible(message))
        self.message = visible(message)
        self.help = visible(help) if help else None
        self.col = col


class Number:
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
                raise LineError(
                    f"duplicate key '{printable(key)}'",
                    help=f"'{printable(key)}' is given twice in one object; keep one of them",
                )
            seen.add(key)
    return result


def _constant(name: str) -> Any:
    """``NaN``, ``Infinity`` and ``-Infinity``: Python reads them, JSON has no such number."""
    raise LineError(
        f"{name} is not a JSON number",
        help="JSON numbers are finite: write the value as a string, or leave it out",
    )


#: The strict decoder: refuses repeated keys (a Python call per object, so not the first try).
decode = json.JSONDecoder(
    parse_int=Number, parse_float=Number, parse_constant=_constant, object_pairs_hook=_object
).decode
#: The fast decoder's C scanner: what ``decode`` calls after skipping white space; called
#: directly on a line that starts with a value, it saves two regex matches per line. It
#: keeps the last of repeated keys: the evaluator counts colons to catch them.
scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(  # type: ignore[attr-defined]
    parse_int=Number, parse_float=Number, parse_constant=_constant
).scan_once


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(value: str) -> str:
    r"""``value`` with any lone surrogate written as its ``\u`` escape: encodable text."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def lone_surrogate(data: Any) -> str | None:
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


def id_json(value: Any) -> str:
    """A line's ``id`` as JSON (numbers back to numbers); LineError for one JSON cannot hold."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=_number)


def _number(number: Number) -> int | float:
    """A number of an id, as Python reads it; refused if a JSON reader could not read it."""
    try:
        value = json.loads(number.text)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise LineError(
            f"the id holds a number of {len(number.text):,} digits, too long to read",
            help="write a long id as a string",
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise LineError(
            f"the id holds {number.text}, too large a number for JSON readers",
            help="write the id as a string",
        )
    return value  # type: ignore[no-any-return]
