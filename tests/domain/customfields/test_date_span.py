"""The date object of list filters (10-tasks.md §3.7, 11-projects.md §2.4) as a span of local time."""

from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.api import errors
from planfix_server.domain.customfields.filters import FilterIn, date_span

TODAY = dt.date(2024, 3, 13)  # a Wednesday


def span(
    datetype: str, value: str | None = None, start: str | None = None, end: str | None = None
) -> tuple[str, str]:
    found = date_span(FilterIn(date_type=datetype, date_value=value, date_from=start, date_to=end), TODAY)
    return found.start.isoformat(sep=" ", timespec="minutes"), found.end.isoformat(
        sep=" ", timespec="minutes"
    )


@pytest.mark.parametrize(
    ("datetype", "value", "expected"),
    [
        ("today", None, ("2024-03-13 00:00", "2024-03-14 00:00")),
        ("yesterday", None, ("2024-03-12 00:00", "2024-03-13 00:00")),
        ("tomorrow", None, ("2024-03-14 00:00", "2024-03-15 00:00")),
        ("thisweek", None, ("2024-03-11 00:00", "2024-03-18 00:00")),
        ("lastweek", None, ("2024-03-04 00:00", "2024-03-11 00:00")),
        ("nextweek", None, ("2024-03-18 00:00", "2024-03-25 00:00")),
        ("thismonth", None, ("2024-03-01 00:00", "2024-04-01 00:00")),
        ("lastmonth", None, ("2024-02-01 00:00", "2024-03-01 00:00")),
        ("nextmonth", None, ("2024-04-01 00:00", "2024-05-01 00:00")),
        ("last", "3", ("2024-03-10 00:00", "2024-03-14 00:00")),
        ("next", "2", ("2024-03-13 00:00", "2024-03-16 00:00")),
        ("in", "2", ("2024-03-15 00:00", "2024-03-16 00:00")),
        ("TODAY", None, ("2024-03-13 00:00", "2024-03-14 00:00")),
    ],
)
def test_relative_spans(datetype: str, value: str | None, expected: tuple[str, str]) -> None:
    assert span(datetype, value) == expected


def test_month_spans_cross_years() -> None:
    december = date_span(FilterIn(date_type="nextmonth"), dt.date(2024, 11, 30))
    assert (december.start.date(), december.end.date()) == (dt.date(2024, 12, 1), dt.date(2025, 1, 1))
    january = date_span(FilterIn(date_type="lastmonth"), dt.date(2025, 1, 31))
    assert january.start.date() == dt.date(2024, 12, 1)


def test_explicit_dates() -> None:
    assert span("anotherdate", start="01-02-2024") == ("2024-02-01 00:00", "2024-02-02 00:00")
    assert span("anotherperiod", start="01-01-2015", end="01-02-2015") == (
        "2015-01-01 00:00",
        "2015-02-02 00:00",
    )
    assert span("anotherdate_withtime", start="01-02-2024 10:30") == ("2024-02-01 10:30", "2024-02-01 10:31")
    assert span("anotherperiod_withtime", start="01-02-2024 10:30", end="01-02-2024 12:00") == (
        "2024-02-01 10:30",
        "2024-02-01 12:01",
    )


@pytest.mark.parametrize(
    ("given", "error"),
    [
        (FilterIn(), errors.MissingParameter),
        (FilterIn(date_type="last"), errors.MissingParameter),
        (FilterIn(date_type="anotherdate"), errors.MissingParameter),
        (FilterIn(date_type="anotherperiod", date_from="01-01-2024"), errors.MissingParameter),
        (FilterIn(date_type="soon"), errors.InvalidParameterValue),
        (FilterIn(date_type="last", date_value="many"), errors.InvalidParameterValue),
        (FilterIn(date_type="anotherdate", date_from="2024-01-01"), errors.InvalidParameterValue),
        (
            FilterIn(date_type="anotherperiod", date_from="02-01-2024", date_to="01-01-2024"),
            errors.InvalidParameterValue,
        ),
    ],
)
def test_errors(given: FilterIn, error: type[Exception]) -> None:
    with pytest.raises(error):
        date_span(given, TODAY)
