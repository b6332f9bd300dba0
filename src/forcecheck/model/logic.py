"""Kleene's strong three-valued logic: the statuses a condition can have, and their operators.

``met`` and ``unmet`` are the two classical values; ``unknown`` stands for "could be either".
Every operator here is monotone: replacing an unknown input by met or unmet never changes a
met or unmet result. The property tests in ``tests/test_logic.py`` check this and the usual
Kleene laws exhaustively.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """The status of a condition: met, unmet or unknown."""

    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"


class Value(StrEnum):
    """A fact's value in a scenario."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    @property
    def status(self) -> Status:
        """The status of a condition that is just this fact."""
        return _VALUE_STATUS[self]


#: How a fact value is written in a file, as JSON Schema: YAML's (and JSON's) own booleans
#: ``true``/``false``, or the word ``unknown`` -- not the enum's strings "true"/"false",
#: which the loader refuses as quoted text.
FACT_VALUE_JSON_SCHEMA: dict[str, Any] = {
    "enum": [True, False, "unknown"],
    "description": "true, false or unknown (unquoted, lower case)",
}

_VALUE_STATUS = {Value.TRUE: Status.MET, Value.FALSE: Status.UNMET, Value.UNKNOWN: Status.UNKNOWN}


class Outcome(StrEnum):
    """The decision rule's status, named for readers."""

    AUTHORIZED = "authorized"
    NOT_AUTHORIZED = "not_authorized"
    UNDETERMINED = "undetermined"

    @classmethod
    def of(cls, status: Status) -> Outcome:
        """The outcome a decision-rule status stands for."""
        return _STATUS_OUTCOME[status]


_STATUS_OUTCOME = {
    Status.MET: Outcome.AUTHORIZED,
    Status.UNMET: Outcome.NOT_AUTHORIZED,
    Status.UNKNOWN: Outcome.UNDETERMINED,
}


#: Status codes, ordered by truth (unmet < unknown < met): so that Kleene's conjunction is
#: the minimum, disjunction the maximum and negation ``MET - x``. Every back end that works
#: on numbers (the compiled Python, the page's JavaScript) uses these.
UNMET, UNKNOWN, MET = 0, 1, 2

#: The status of each code (``STATUS_BY_CODE[MET] is Status.MET``).
STATUS_BY_CODE = (Status.UNMET, Status.UNKNOWN, Status.MET)
#: The code of each status.
CODE: dict[Status, int] = {status: code for code, status in enumerate(STATUS_BY_CODE)}


class Kleene:
    """Kleene's strong three-valued tables, on status codes: the reference semantics.

    Every connective of the rule language is defined (in :mod:`forcecheck.model.semantics`)
    from these three; the symbolic back ends use the equivalent two-rail form
    (:class:`forcecheck.model.semantics.Rails`), and the tests check the two agree.
    """

    @staticmethod
    def not_(part: int) -> int:
        """Negation: swaps met and unmet; unknown stays unknown."""
        return MET - part

    @staticmethod
    def all_(parts: Iterable[int]) -> int:
        """Conjunction: unmet if any part is unmet, met if all are met, else unknown."""
        return min(parts, default=MET)

    @staticmethod
    def any_(parts: Iterable[int]) -> int:
        """Disjunction: met if any part is met, unmet if all are unmet, else unknown."""
        return max(parts, default=UNMET)

    @staticmethod
    def unknown() -> int:
        """The constant unknown."""
        return UNKNOWN


def all_of(statuses: Iterable[Status]) -> Status:
    """Kleene conjunction: unmet if any part is unmet, met if all are met, else unknown."""
    return STATUS_BY_CODE[Kleene.all_(CODE[status] for status in statuses)]


def any_of(statuses: Iterable[Status]) -> Status:
    """Kleene disjunction: met if any part is met, unmet if all are unmet, else unknown."""
    return STATUS_BY_CODE[Kleene.any_(CODE[status] for status in statuses)]


def negate(status: Status) -> Status:
    """Kleene negation: swaps met and unmet; unknown stays unknown."""
    return STATUS_BY_CODE[Kleene.not_(CODE[status])]


def combine_outcomes(outcomes: Iterable[Outcome]) -> Outcome:
    """A timeline's outcome: not authorized if any discharge is, else undetermined if any is."""
    statuses = [
        {Outcome.AUTHORIZED: Status.MET, Outcome.NOT_AUTHORIZED: Status.UNMET}.get(
            outcome, Status.UNKNOWN
        )
        for outcome in outcomes
    ]
    return Outcome.of(all_of(statuses))


def parse_value(raw: Any) -> Value:
    """A fact value from YAML: true, false or unknown, and nothing else."""
    if isinstance(raw, Value):  # built in code (e.g. a what-if change), already parsed
        return raw
    if raw is True:
        return Value.TRUE
    if raw is False:
        return Value.FALSE
    if raw == "unknown":
        return Value.UNKNOWN
    if raw is None:
        raise ValueError("null is not a fact value: write unknown, or leave the fact out")
    if isinstance(raw, str) and raw.lower() in ("true", "false"):
        raise ValueError(f"'{raw}' is quoted text, not a boolean: write {raw.lower()} unquoted")
    if isinstance(raw, str) and raw.lower() == "unknown":
        raise ValueError(f"write unknown in lower case, not '{raw}'")
    raise ValueError(f"a fact value must be true, false or unknown, not {raw!r}")
