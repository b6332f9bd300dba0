"""Checking a policy's dates against each other, with errors at the date that is wrong.

The layout (``forcecheck.model.dates``) checks each date's shape; what no layout can say is
checked here: a range's bounds in order, an effective date bounded on both sides, and
nothing superseded before it took effect.
"""

from __future__ import annotations

from datetime import date

from forcecheck.errors import SchemaError
from forcecheck.model.dates import DateRange, PolicyDate, earliest_date, latest_date
from forcecheck.model.document import Document

_RANGE_HELP = "write {between: [earliest, latest], note: why}, the earlier date first"


def check_policy_dates(doc: Document, effective: PolicyDate, superseded: PolicyDate | None) -> None:
    """Raise a located SchemaError if the dates of a policy cannot all be true."""
    for key, value in (("effective", effective), ("superseded", superseded)):
        if isinstance(value, DateRange):
            _check_range(doc, key, value)
    if isinstance(effective, DateRange) and None in effective.between:
        index = effective.between.index(None)
        raise SchemaError(
            "'effective': both bounds of its range must be dates",
            location=doc.locate(("effective", "between", index)),
            help="a policy that may never have taken effect binds no one; give the latest "
            "date it can have taken effect",
        )
    if superseded is None:
        return
    start = latest_date(effective)
    end = earliest_date(superseded)
    where: tuple[str | int, ...] = ("superseded", "between", 0)
    if end is None:  # `unknown`: any time after it took effect; its latest bound must follow
        end = latest_date(superseded)
        where = ("superseded", "between", 1)
    elif not isinstance(superseded, DateRange):
        where = ("superseded",)
    if start is not None and end is not None and end <= start:
        raise SchemaError(
            f"'superseded': {end.isoformat()} is not after the date it took effect "
            f"({start.isoformat()})",
            location=doc.locate(where),
            help="a policy is superseded after it takes effect; check both dates",
        )


def _check_range(doc: Document, key: str, value: DateRange) -> None:
    earliest, latest = value.between
    if isinstance(earliest, date) and isinstance(latest, date) and latest <= earliest:
        raise SchemaError(
            f"'{key}': the range's latest date {latest.isoformat()} is not after its earliest "
            f"{earliest.isoformat()}",
            location=doc.locate((key, "between", 1)),
            help=_RANGE_HELP + " (a date known exactly is written as the date itself)",
        )
