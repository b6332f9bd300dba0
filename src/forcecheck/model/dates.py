"""Dates a policy gives for when it was in force, exact or known only within a range.

A policy's ``effective`` and ``superseded`` dates are often not known to the day: a handbook
dated "May 2014", a policy known to have been replaced at some point between two dates. A
file says so with a **date range** (``{between: [earliest, latest], note: why}``) instead of
a made-up exact date. Whether a policy was in force on a given day is then one of three
answers: certainly, certainly not, or *may have been* -- and the last says which date leaves
it open (:class:`Uncertainty`), so a report can say "may bind on this date: superseded
between 2014-03-10 and 2023-05-26" rather than decide it silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from forcecheck.model.hints import Hint, record_config

#: The word a file writes for a bound that is not known.
UNKNOWN = "unknown"


def _bound(raw: Any) -> Any:
    """A bound as a file writes it: a date, or ``unknown`` (None); null is refused."""
    if raw == UNKNOWN:
        return None
    if raw is None:
        raise ValueError("write `unknown` for a bound that is not known, not null")
    return raw


#: One bound of a range: a date, or None where the file says ``unknown``.
Bound = Annotated[
    date | None,
    Hint(
        before=_bound,
        json_schema={
            "anyOf": [{"type": "string", "format": "date"}, {"const": UNKNOWN}],
            "description": "a date (YYYY-MM-DD), or unknown",
        },
    ),
]


@dataclass(frozen=True, slots=True)
class DateRange:
    """A date known only to lie between two bounds, both included (None: not known)."""

    __pydantic_config__ = record_config()

    between: Annotated[
        tuple[Bound, Bound],
        Hint(description="[earliest, latest]: the date is no earlier than the first, no later "
             "than the second; either may be `unknown` for `superseded`"),
    ]  # fmt: skip
    note: Annotated[
        str,
        Hint(min_length=1, description="why the date is not known exactly, and what the bounds "
             "rest on"),
    ]  # fmt: skip

    @property
    def earliest(self) -> date | None:
        """The earliest the date can be (None: not known)."""
        return self.between[0]

    @property
    def latest(self) -> date | None:
        """The latest the date can be (None: not known)."""
        return self.between[1]


#: What a file may write for a policy's date.
_DATE_FORMS = "a date (YYYY-MM-DD) or a range {between: [earliest, latest], note: why}"


def _policy_date(raw: Any) -> Any:
    """A policy's date as a file writes it, its shape checked with words a reader can act on.

    pydantic would report a bad value once per form (a date, a range) with neither
    pointing at the mistake; the shape is checked here, the types by pydantic after.
    """
    if isinstance(raw, date) or raw is None:
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"expected {_DATE_FORMS}, not '{raw}'") from None
    if not isinstance(raw, dict):
        raise ValueError(f"expected {_DATE_FORMS}")
    unknown = sorted(str(key) for key in raw if key not in ("between", "note"))
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}' in a date range (keys: between, note)")
    between = raw.get("between")
    if not isinstance(between, list | tuple) or len(between) != 2:
        raise ValueError("a date range needs `between: [earliest, latest]`, two bounds")
    for bound in between:
        if bound is None:
            raise ValueError("write `unknown` for a bound that is not known, not null")
        if bound != UNKNOWN and not isinstance(bound, date) and not _iso_date(bound):
            raise ValueError(
                f"a bound of `between` is a date (YYYY-MM-DD) or unknown, not {bound!r}"
            )
    if not isinstance(raw.get("note"), str) or not raw["note"].strip():
        raise ValueError("a date range needs a `note`: why the date is not known exactly")
    return raw


def _iso_date(raw: Any) -> bool:
    """Whether ``raw`` is a date written as text (JSON has no dates)."""
    try:
        date.fromisoformat(raw)
    except (TypeError, ValueError):
        return False
    return True


#: A date as a policy gives it: exact, or a range.
PolicyDate = date | DateRange
#: A policy's date as a file writes it (see :func:`_policy_date`).
PolicyDateField = Annotated[PolicyDate, Hint(before=_policy_date)]

#: The dates of a policy that can leave its being in force open.
DateKey = Literal["effective", "superseded"]


@dataclass(frozen=True, slots=True)
class Uncertainty:
    """Why a policy may or may not have been in force on a day: which date, and its range."""

    key: DateKey
    range: DateRange


def in_force(effective: PolicyDate, superseded: PolicyDate | None, day: date) -> bool | Uncertainty:
    """Whether a policy with these dates was in force on ``day``.

    True or False when the dates settle it; an :class:`Uncertainty` when ``day`` falls
    inside a range (the effective date first, if both do). A policy is in force from its
    effective date up to, not including, the day it is superseded; so with a range, it is
    certainly in force from the latest effective date and up to the day before the
    earliest date it can have been superseded.
    """
    open_: Uncertainty | None = None
    if isinstance(effective, DateRange):
        earliest, latest = effective.between
        if earliest is not None and day < earliest:
            return False
        if latest is None or day < latest:
            open_ = Uncertainty("effective", effective)
    elif day < effective:
        return False
    if isinstance(superseded, DateRange):
        earliest, latest = superseded.between
        if latest is not None and day >= latest:
            return False
        if open_ is None and (earliest is None or day >= earliest):
            open_ = Uncertainty("superseded", superseded)
    elif superseded is not None and day >= superseded:
        return False
    return True if open_ is None else open_


def earliest_date(value: PolicyDate) -> date | None:
    """The earliest a date can be: itself, or its range's first bound."""
    return value.earliest if isinstance(value, DateRange) else value


def latest_date(value: PolicyDate) -> date | None:
    """The latest a date can be: itself, or its range's second bound."""
    return value.latest if isinstance(value, DateRange) else value
