"""Dates as precise as their source: a day, a month, or a year alone.

A news report is dated to the day, but a court filing may be cited as "February 2026" and
an annual report by its year. A scenario writes a source's or an account's date as
precisely as it is known -- ``2026-02-14``, ``2026-02`` or ``2026`` -- and the date keeps
that precision everywhere it is shown: a source dated ``2026-02`` is never shown as
``2026-02-01``, a day nobody gave.

The incident date itself is not one of these: it chooses the policy layers in force by
the day (docs/scenario-format.md, "A date known to the month or the year").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from forcecheck.model.hints import Hint, record_config

#: The forms a file may write, for messages.
FORMS = "YYYY-MM-DD, YYYY-MM or YYYY"
_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
#: The same forms for an editor, with a month of 01-12 and a day of 01-31.
_SCHEMA_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to the day, the month, or the year (``month``/``day`` None)."""

    __pydantic_config__ = record_config()

    year: int
    month: int | None = None
    day: int | None = None

    def isoformat(self) -> str:
        """The date as written, at its precision: ``2026``, ``2026-02`` or ``2026-02-14``."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def __str__(self) -> str:
        return self.isoformat()

    @property
    def earliest(self) -> dt.date:
        """The first day the date can stand for (1 February for ``2026-02``)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day the date can stand for (28 February for ``2026-02``)."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def certainly_before(self, other: PartialDate) -> bool:
        """Whether every day this date can be comes before every day ``other`` can be.

        ``2026-01`` is certainly before ``2026-02-03``; ``2026`` is not certainly before
        ``2026-02``: it may be the same month, or a later one.
        """
        return self.latest < other.earliest


def parse_partial_date(raw: Any) -> PartialDate:
    """A date as a file writes it: ``2026-02-14`` (YAML's date), ``2026-02``, ``2026``.

    Raises ValueError with words a reader can act on: ``2026-13``, ``2026-02-30``, ``26-02``.
    """
    if isinstance(raw, PartialDate):
        return raw
    if isinstance(raw, dt.datetime):
        raise ValueError(f"expected a date ({FORMS}), not a date and time")
    if isinstance(raw, dt.date):
        return PartialDate(raw.year, raw.month, raw.day)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)  # YAML reads `2026` as a number
    if not isinstance(raw, str):
        raise ValueError(f"expected a date ({FORMS})")
    found = _PATTERN.fullmatch(raw)
    if found is None:
        raise ValueError(f"'{raw}' is not a date: expected {FORMS}, with a four-digit year")
    year, month, day = (int(g) if g is not None else None for g in found.groups())
    assert year is not None
    if year == 0:
        raise ValueError(f"'{raw}' is not a date: there is no year 0")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"'{raw}' is not a date: there is no month {month}")
    if month is not None and day is not None:
        try:
            dt.date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"'{raw}' is not a date: {exc}") from None
    return PartialDate(year, month, day)


#: A date field as a file writes it, at the precision its source gives.
PartialDateField = Annotated[
    PartialDate,
    Hint(
        before=parse_partial_date,
        json_schema={
            "anyOf": [
                {"type": "string", "pattern": _SCHEMA_PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": f"a date as precise as the source gives it: {FORMS}",
        },
    ),
]
