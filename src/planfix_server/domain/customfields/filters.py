"""Complex list filters shared by task.getList, project.getList (and later contact.getList).

``FilterIn`` reads one ``<filter>``; ``date_span`` turns the date object (``datetype`` …) into a
span of local time; ``span_condition`` compares a column with it; ``custom_condition`` builds the
SQL of a custom-field filter. Custom-field filter types share their last two digits across
objects (task 1xx, contact 41xx, project 51xx): ``type % 100`` is the ``suffix`` below.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, and_, bindparam, case, cast, exists, func, literal, not_, or_
from sqlalchemy.sql.elements import ColumnElement

from planfix_server.api import errors
from planfix_server.domain.customfields import types
from planfix_server.domain.customfields.types import FieldDef
from planfix_server.domain.users.queries import ci
from planfix_server.store.tables import custom_values
from planfix_server.wire.fields import Date, DateTime, Id, Int, Str, xml

OPERATORS = ("equal", "notequal", "gt", "lt")


@dataclass(frozen=True, slots=True)
class FilterIn:
    """One ``<filter>``: ``value`` is text, or a date object in the ``date_*`` fields."""

    type: int | None = xml("type", Int())
    operator: str | None = xml("operator", Str())
    value: str | None = xml("value", Str())
    field: int | None = xml("field", Id())
    date_type: str | None = xml("value/datetype", Str())
    date_value: str | None = xml("value/datevalue", Str())
    date_from: str | None = xml("value/datefrom", Str())
    date_to: str | None = xml("value/dateto", Str())

    @property
    def is_blank(self) -> bool:
        """An entry a template client sent with every part empty."""
        return self.type is None and self.operator is None and self.value is None and self.date_type is None

    def checked_operator(self, allowed: tuple[str, ...] = OPERATORS) -> str:
        if self.operator is None:
            raise errors.MissingParameter("filters/filter/operator")
        operator = self.operator.strip()
        if operator not in allowed:
            raise errors.InvalidParameterValue(
                f"filters/filter/operator: {operator[:20]!r} for type {self.type}"
            )
        return operator

    def text(self) -> str:
        if self.value is None or not self.value.strip():
            raise errors.MissingParameter("filters/filter/value")
        return self.value.strip()

    def number(self) -> int:
        return int(Int().parse(self.text()))


# -- the date object


@dataclass(frozen=True, slots=True)
class DateSpan:
    """Local (naive) time from ``start`` up to, not including, ``end``."""

    start: dt.datetime
    end: dt.datetime


def _date(text: str | None, with_time: bool) -> dt.datetime:
    if text is None or not text.strip():
        raise errors.MissingParameter("filters/filter/value/datefrom")
    element = types.element_of(text)
    if with_time:
        return DateTime().from_element(element).local()  # type: ignore[no-any-return]
    return dt.datetime.combine(Date().from_element(element), dt.time())


def date_span(given: FilterIn, today: dt.date) -> DateSpan:
    """The span a date object names, ``today`` being the caller's local date; 0009 / 0015."""
    kind = (given.date_type or "").strip().lower()
    if not kind:
        raise errors.MissingParameter("filters/filter/value/datetype")
    day = dt.timedelta(days=1)
    midnight = dt.datetime.combine(today, dt.time())
    week = midnight - dt.timedelta(days=today.weekday())
    month = midnight.replace(day=1)

    def months(start: dt.datetime, shift: int) -> dt.datetime:
        index = start.year * 12 + start.month - 1 + shift
        return start.replace(year=index // 12, month=index % 12 + 1)

    simple = {
        "today": (midnight, midnight + day),
        "yesterday": (midnight - day, midnight),
        "tomorrow": (midnight + day, midnight + 2 * day),
        "thisweek": (week, week + 7 * day),
        "lastweek": (week - 7 * day, week),
        "nextweek": (week + 7 * day, week + 14 * day),
        "thismonth": (month, months(month, 1)),
        "lastmonth": (months(month, -1), month),
        "nextmonth": (months(month, 1), months(month, 2)),
    }
    if kind in simple:
        return DateSpan(*simple[kind])
    if kind in ("last", "next", "in"):
        count_text = (given.date_value or "").strip()
        if not count_text:
            raise errors.MissingParameter("filters/filter/value/datevalue")
        count = int(Int(minimum=0, maximum=100000).parse(count_text))
        if kind == "last":  # the last N days, today included
            return DateSpan(midnight - count * day, midnight + day)
        if kind == "next":
            return DateSpan(midnight, midnight + (count + 1) * day)
        return DateSpan(midnight + count * day, midnight + (count + 1) * day)
    if kind in ("anotherdate", "anotherdate_withtime"):
        with_time = kind.endswith("_withtime")
        start = _date(given.date_from, with_time)
        return DateSpan(start, start + (dt.timedelta(minutes=1) if with_time else day))
    if kind in ("anotherperiod", "anotherperiod_withtime"):
        with_time = kind.endswith("_withtime")
        start = _date(given.date_from, with_time)
        end = _date(given.date_to, with_time) + (dt.timedelta(minutes=1) if with_time else day)
        if end <= start:
            raise errors.InvalidParameterValue("filters/filter/value: dateto before datefrom")
        return DateSpan(start, end)
    raise errors.InvalidParameterValue(f"filters/filter/value/datetype: {kind[:30]!r}")


def span_condition(column: Any, span: DateSpan, operator: str, convert: Callable[[dt.datetime], Any]) -> Any:
    """``column`` against ``span``: equal = inside, notequal = outside, gt = after, lt = before.

    ``convert`` maps a local boundary to the column's terms (a UTC datetime, a date, ISO text).
    Rows without a value never match.
    """
    start, end = convert(span.start), convert(span.end)
    if operator == "equal":
        return and_(column >= start, column < end)
    if operator == "notequal":
        return or_(column < start, column >= end)
    if operator == "gt":
        return column >= end
    return column < start


def to_date(moment: dt.datetime) -> dt.date:
    """A local boundary for a date column: a boundary inside a day moves to the next day."""
    return moment.date() if moment.time() == dt.time() else moment.date() + dt.timedelta(days=1)


# -- custom fields

# Filter suffix -> the field types it applies to.
SUFFIX_TYPES = {
    1: ("string", "text"),
    2: ("number",),
    3: ("date", "datetime"),
    5: ("checkbox",),
    6: ("list", "value_set"),
    7: ("handbook_record",),
    8: ("contact", "counterparty"),
    9: ("employee",),
    11: ("value_set",),  # several values joined by ";" (contacts' 4111)
    12: ("employee", "contact", "counterparty"),
    13: ("employee_list",),
    14: ("handbook_record_set",),
}


def _stored(object_kind: str, id_column: Any, field_id: int) -> Any:
    return (
        custom_values.c.account_id == bindparam("tenant"),
        custom_values.c.object_kind == object_kind,
        custom_values.c.object_id == id_column,
        custom_values.c.field_id == field_id,
    )


def has_value_condition(object_kind: str, id_column: Any, field_id: int) -> ColumnElement[bool]:
    """The object has a value in the field (task filters 152 / 153 negated)."""
    return exists().where(*_stored(object_kind, id_column, field_id))


def _in_id_list(ids: list[int]) -> ColumnElement[bool]:
    # Stored "[1,2,3]" -> ",1,2,3," so one id matches as ",2,".
    delimited = func.replace(func.replace(custom_values.c.value, "[", ","), "]", ",")
    return or_(*(delimited.contains(f",{one},") for one in ids))


def custom_condition(
    object_kind: str,
    id_column: Any,
    definition: FieldDef,
    suffix: int,
    given: FilterIn,
    today: dt.date,
    to_utc: Callable[[dt.datetime], dt.datetime],
) -> ColumnElement[bool]:
    """The SQL of one custom-field filter on objects whose id is ``id_column``; 0015 on a misfit."""
    if definition.type not in SUFFIX_TYPES.get(suffix, ()):
        raise errors.InvalidParameterValue(
            f"filters/filter/field: {definition.type} field for type {given.type}"
        )
    allowed = OPERATORS if suffix in (2, 3) else ("equal", "notequal")
    operator = given.checked_operator(allowed)
    match: ColumnElement[bool]
    value = custom_values.c.value
    if suffix == 1:
        match = ci(value).contains(given.text().lower(), autoescape=True)
    elif suffix == 2:
        number = types.canonical_number(given.text())
        if number is None:
            raise errors.InvalidParameterValue("filters/filter/value: not a number")
        # CASE keeps the cast away from other fields' values whatever order the database picks.
        numeric = case((custom_values.c.field_id == definition.id, cast(value, Float)), else_=None)
        target = literal(float(number), Float)
        if operator in ("gt", "lt"):
            compared = numeric > target if operator == "gt" else numeric < target
            return exists().where(*_stored(object_kind, id_column, definition.id), compared)
        match = numeric == target
    elif suffix == 3:
        span = date_span(given, today)
        if definition.type == "date":
            condition = span_condition(value, span, operator, lambda moment: to_date(moment).isoformat())
        else:
            condition = span_condition(
                value, span, operator, lambda moment: to_utc(moment).strftime("%Y-%m-%dT%H:%M")
            )
        return exists().where(*_stored(object_kind, id_column, definition.id), condition)
    elif suffix == 5:
        match = value == ("1" if given.text() in ("1", "true") else "0")
        if given.text() not in ("1", "true"):  # an unset checkbox reads as unchecked
            hit = exists().where(*_stored(object_kind, id_column, definition.id), value == "1")
            return hit if operator == "notequal" else not_(hit)
    elif suffix == 6:
        text = given.text()
        if definition.type == "value_set":  # stored as a JSON list of strings
            match = value.contains(json.dumps(text, ensure_ascii=False), autoescape=True)
        else:
            match = value == text
    elif suffix == 11:  # any of the values
        parts = [part.strip() for part in given.text().split(";") if part.strip()]
        wanted = [json.dumps(part, ensure_ascii=False) for part in parts]
        match = or_(*(value.contains(one, autoescape=True) for one in wanted)) if wanted else literal(False)
    elif suffix in (13, 14):
        parts = [part for part in given.text().split(";") if part.strip()]
        ids = [int(Int(minimum=0).parse(part)) for part in parts]
        match = _in_id_list(ids) if ids else literal(False)
    else:
        match = value == str(int(Int(minimum=0).parse(given.text())))
    hit = exists().where(*_stored(object_kind, id_column, definition.id), match)
    return hit if operator == "equal" else not_(hit)
