"""A policy's dates in words and in JSON, exact or known only within a range."""

from __future__ import annotations

from typing import Any

from forcecheck.model.dates import UNKNOWN, DateRange, PolicyDate, Uncertainty


def date_text(value: PolicyDate | None, *, none: str = "in force") -> str:
    """A policy date for a reader: ``2023-02-06``, ``between 2014-03-10 and 2023-05-26``."""
    if value is None:
        return none
    if not isinstance(value, DateRange):
        return value.isoformat()
    earliest, latest = value.between
    if earliest and latest:
        return f"between {earliest.isoformat()} and {latest.isoformat()}"
    if earliest:
        return f"on or after {earliest.isoformat()}, or not yet"
    if latest:
        return f"by {latest.isoformat()}"
    return "unknown"


def uncertainty_text(why: Uncertainty) -> str:
    """Why a policy only may bind on a date, e.g. ``superseded between … and …``."""
    return f"{why.key} {date_text(why.range)}"


def may_bind_lines(day: object, may_bind: tuple[tuple[str, Uncertainty], ...]) -> list[str]:
    """A sentence per policy that only may bind on ``day``: which date leaves it open, why."""
    return [
        f"{policy} may or may not have been in force on {day}: {uncertainty_text(why)} "
        f"({why.range.note})"
        for policy, why in may_bind
    ]


def date_json(value: PolicyDate | None, *, widest: str) -> str | None:
    """The one ISO date the JSON's ``effective`` and ``superseded`` keep (a contract's type).

    For a range, the end that gives the widest span the policy may have been in force
    (``widest="earliest"`` for ``effective``, ``"latest"`` for ``superseded``); null when
    that bound is not known.
    """
    if value is None:
        return None
    if not isinstance(value, DateRange):
        return value.isoformat()
    bound = value.earliest if widest == "earliest" else value.latest
    return bound.isoformat() if bound else None


def range_json(value: PolicyDate | None) -> dict[str, Any] | None:
    """A date range as JSON (``{"between": [earliest, latest], "note": ...}``), else null."""
    if not isinstance(value, DateRange):
        return None
    return {
        "between": [bound.isoformat() if bound else UNKNOWN for bound in value.between],
        "note": value.note,
    }


def uncertainty_json(why: Uncertainty | None) -> dict[str, Any] | None:
    """Why a policy only may bind, as JSON: which date, its range and note; null if it binds."""
    if why is None:
        return None
    found = range_json(why.range)
    assert found is not None
    return {"date": why.key, **found}
