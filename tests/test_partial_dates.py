"""Dates as precise as the source: a source or an account dated to the month or the year.

A date keeps its precision in every report (a source dated ``2026-02`` is never shown as
``2026-02-01``); the incident's own date needs the day, since it chooses the layers.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest

from forcecheck.model.partial_date import PartialDate, parse_partial_date

from .conftest import ROOT, invoke

SCENARIO = ROOT / "tests" / "fixtures" / "dates" / "partial-source-dates.yaml"


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_every_format_shows_each_date_as_precise_as_written(fmt: str) -> None:
    result = invoke(["evaluate", str(SCENARIO), "--format", fmt, "--full"])
    assert result.exit_code in (0, 1), result.output
    out = result.stdout
    for written in ("2026-02", "2026-02-14"):
        assert written in out
    # No invented day or month: the month is not its first day, the year not its January.
    for invented in ("2026-02-01", "2026-01-01", "2026-01-31", "2026-12-31"):
        assert invented not in out, (fmt, invented)


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_the_text_reports_name_the_month_and_the_year(fmt: str) -> None:
    out = invoke(["evaluate", str(SCENARIO), "--format", fmt, "--full"]).stdout
    text = html.unescape(re.sub(r"<[^>]+>", "", out))  # the words, without tags
    assert "A monthly report (Example News, 2026-02)" in text
    assert "An annual report (2026)" in text
    assert "The agent's statement (dated 2026-01)" in text
    # The witness's account has no title: its date alone, a year, on a line or in emphasis.
    assert re.search(r"(^|<em>|\*)dated 2026(</em>|\*|$)", out, re.MULTILINE)


def test_json_keeps_dates_as_text_at_their_precision() -> None:
    result = invoke(["evaluate", str(SCENARIO), "--format", "json"])
    report = json.loads(result.stdout)
    dates = {name: source["date"] for name, source in report["sources"].items()}
    assert dates == {"monthly": "2026-02", "annual": "2026", "daily": "2026-02-14"}
    accounts = {a["account"]: a["date"] for a in report["accounts"]}
    assert accounts == {"agent": "2026-01", "witness": "2026"}


def test_a_cached_scenario_keeps_the_precision() -> None:
    # The second run is served from the cache (tests/conftest.py gives the suite its own).
    first = invoke(["evaluate", str(SCENARIO), "--format", "json"]).stdout
    assert invoke(["evaluate", str(SCENARIO), "--format", "json"]).stdout == first


@pytest.mark.parametrize(
    ("written", "shown"),
    [("2026", "2026"), ("2026-02", "2026-02"), (2026, "2026"), (date(2026, 2, 14), "2026-02-14")],
)
def test_a_date_is_shown_as_written(written: object, shown: str) -> None:
    assert parse_partial_date(written).isoformat() == shown


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("2026-13", "no month 13"),
        ("2026-00", "no month 0"),
        ("2026-02-30", "day is out of range"),
        ("2024-02-30", "day is out of range"),
        ("26-02", "four-digit year"),
        ("2026-2", "four-digit year"),
        ("0000", "no year 0"),
        (True, "expected a date"),
    ],
)
def test_impossible_dates_are_refused(written: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_partial_date(written)


def test_a_month_spans_its_days_and_a_year_its_months() -> None:
    assert PartialDate(2024, 2).earliest == date(2024, 2, 1)
    assert PartialDate(2024, 2).latest == date(2024, 2, 29)  # a leap year
    assert PartialDate(2026).latest == date(2026, 12, 31)
    assert PartialDate(2026, 1).certainly_before(PartialDate(2026, 2, 3))
    # February 2026 may be before or after 2026 as a whole: not certainly before it.
    assert not PartialDate(2026).certainly_before(PartialDate(2026, 2))
    assert not PartialDate(2026, 2).certainly_before(PartialDate(2026))
