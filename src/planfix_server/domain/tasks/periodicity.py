"""``<periodicity>``: the recurrence of a task or template (planfix-xml-api/10-tasks.md §2.4).

The current docs no longer list it as input, but older ones did and the reference recommends
accepting it: exactly one of ``daily``/``weekly``/``monthly`` (none or several: 3007), the common
parts, and ``<periodicity unset="1"/>`` in task.update to stop recurring. It is stored as JSON;
dates in it are kept like task dates (a date alone, or a UTC instant when a time was given).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Final

from lxml import etree

from planfix_server.api import errors
from planfix_server.domain.tasks.kinds import blank
from planfix_server.wire.fields import DateTime, Enum, Int, Kind, Moment

KINDS = ("daily", "weekly", "monthly")
_TYPES = {
    "daily": ("EVERY", "EVERY_WORKING", "AFTER_COMPLETE"),
    "weekly": ("EVERY", "AFTER_COMPLETE"),
    "monthly": ("EVERY", "EXACT", "AFTER_COMPLETE"),
}
DAY_TYPES = ("DAY", "WORKDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
END_TYPES = ("ENDLESS", "BYCOUNT", "BYENDDATE")


class Unset:
    """``<periodicity unset="1"/>``: stop recurring."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()


@dataclass(frozen=True, slots=True)
class PeriodicityIn:
    """A parsed, validated recurrence; dates still in the caller's local time."""

    data: dict[str, Any]
    start: Moment | None
    end_date: Moment | None


def _text(element: etree._Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path)
    if found is None or found.text is None or not found.text.strip():
        return None
    return found.text.strip()


def _int(element: etree._Element, path: str, where: str, *, minimum: int = 0) -> int | None:
    text = _text(element, path)
    if text is None:
        return None
    try:
        return int(Int(minimum=minimum, maximum=100000).parse(text))
    except errors.InvalidParameterValue as exc:
        raise errors.InvalidParameterValue(f"periodicity/{where}: {exc.detail}") from None


def _enum(element: etree._Element, path: str, values: tuple[str, ...], where: str) -> str | None:
    text = _text(element, path)
    if text is None:
        return None
    try:
        return str(Enum(*values).parse(text.upper()))
    except errors.InvalidParameterValue as exc:
        raise errors.InvalidParameterValue(f"periodicity/{where}: {exc.detail}") from None


def _moment(element: etree._Element, path: str) -> Moment | None:
    text = _text(element, path)
    if text is None:
        return None
    try:
        return DateTime().parse(text)
    except errors.InvalidParameterValue as exc:
        raise errors.InvalidParameterValue(f"periodicity/{path}: {exc.detail}") from None


def _undefined(why: str) -> errors.ApiError:
    return errors.TaskRecurrenceUndefined(f"periodicity: {why}")


def _rule(kind: str, node: etree._Element) -> dict[str, Any]:
    rule_type = _enum(node, "type", _TYPES[kind], f"{kind}/type")
    if rule_type is None:
        raise _undefined(f"{kind} without a type")
    rule: dict[str, Any] = {"kind": kind, "type": rule_type}
    if kind in ("daily", "weekly"):
        shift = _int(node, "shift", f"{kind}/shift", minimum=1)
        if rule_type != "EVERY_WORKING":
            rule["shift"] = 1 if shift is None else shift
    if kind == "weekly" and rule_type == "EVERY":
        days_text = _text(node, "days")
        if days_text is None:
            raise _undefined("weekly EVERY without days")
        days = sorted({part.strip() for part in days_text.split(",") if part.strip()})
        if not days or any(day not in "1234567" or len(day) != 1 for day in days):
            raise errors.InvalidParameterValue(f"periodicity/weekly/days: {days_text[:30]!r}")
        rule["days"] = ",".join(days)
    if kind == "monthly":
        month = _int(node, "month", "monthly/month", minimum=1)
        rule["month"] = 1 if month is None else month
        if rule_type != "AFTER_COMPLETE":
            day = _int(node, "day", "monthly/day", minimum=1)
            if day is None:
                raise _undefined(f"monthly {rule_type} without day")
            if day > 31:
                raise errors.InvalidParameterValue("periodicity/monthly/day: above 31")
            rule["day"] = day
        if rule_type == "EXACT":
            day_type = _enum(node, "dayType", DAY_TYPES, "monthly/dayType")
            if day_type is None:
                raise _undefined("monthly EXACT without dayType")
            rule["dayType"] = day_type
    return rule


def parse(element: etree._Element) -> PeriodicityIn | Unset | None:
    """The recurrence in ``element``; None when it is empty; 3007 / 0015 when it is not valid."""
    if (element.get("unset") or "").strip().lower() in ("1", "true"):
        return UNSET
    if blank(element):
        return None
    present = [kind for kind in KINDS if element.find(kind) is not None and not blank(element.find(kind))]  # type: ignore[arg-type]
    if len(present) != 1:
        raise _undefined(f"{len(present)} of daily/weekly/monthly given")
    kind = present[0]
    node = element.find(kind)
    assert node is not None
    data: dict[str, Any] = {"rule": _rule(kind, node)}
    end = element.find("endCondition")
    end_type = None if end is None else _enum(end, "type", END_TYPES, "endCondition/type")
    end_date = None
    data["end"] = {"type": end_type or "ENDLESS"}
    if end_type == "BYCOUNT":
        count = None if end is None else _int(end, "repeatCount", "endCondition/repeatCount", minimum=1)
        if count is None:
            raise _undefined("BYCOUNT without repeatCount")
        data["end"]["repeatCount"] = count
    elif end_type == "BYENDDATE":
        end_date = None if end is None else _moment(end, "date")
        if end_date is None:
            raise _undefined("BYENDDATE without date")
    notify = element.find("notify")
    if notify is not None and not blank(notify):
        notify_type = _int(notify, "type", "notify/type")
        if notify_type not in (None, 0, 1):
            raise errors.InvalidParameterValue("periodicity/notify/type: 0 or 1")
        data["notify"] = {"type": notify_type or 0, "day": _int(notify, "day", "notify/day") or 0}
    return PeriodicityIn(data, _moment(element, "startDate"), end_date)


class PeriodicityKind(Kind):
    """The whole ``<periodicity>`` element (its children and its ``unset`` attribute)."""

    label = "periodicity"

    def from_element(self, element: etree._Element) -> PeriodicityIn | Unset | None:
        return parse(element)


# -- storage and display


def _store_moment(moment: Moment | None, tz: dt.tzinfo) -> str | None:
    if moment is None:
        return None
    if moment.time is None:
        return moment.date.isoformat()
    aware = dt.datetime.combine(moment.date, moment.time).replace(tzinfo=tz)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def _shown_moment(text: str | None) -> dt.date | dt.datetime | None:
    if not text:
        return None
    if text.endswith("Z"):
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
    return dt.date.fromisoformat(text)


def to_json(given: PeriodicityIn, tz: dt.tzinfo) -> str:
    data = dict(given.data)
    data["start"] = _store_moment(given.start, tz)
    data["end"] = {**data["end"], "date": _store_moment(given.end_date, tz)}
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True, slots=True)
class RuleView:
    type: str
    shift: int | None = None
    days: str | None = None
    month: int | None = None
    day: int | None = None
    day_type: str | None = None


@dataclass(frozen=True, slots=True)
class EndView:
    type: str
    date: dt.date | dt.datetime | None
    repeat_count: int | None


@dataclass(frozen=True, slots=True)
class NotifyView:
    type: int
    day: int


@dataclass(frozen=True, slots=True)
class PeriodicityView:
    daily: RuleView | None
    weekly: RuleView | None
    monthly: RuleView | None
    start_date: dt.date | dt.datetime | None
    end_condition: EndView
    notify: NotifyView | None


def view(stored: str | None) -> PeriodicityView | None:
    if not stored:
        return None
    data = json.loads(stored)
    rule = data["rule"]
    shown = RuleView(
        rule["type"],
        rule.get("shift"),
        rule.get("days"),
        rule.get("month"),
        rule.get("day"),
        rule.get("dayType"),
    )
    end = data.get("end", {})
    notify = data.get("notify")
    return PeriodicityView(
        daily=shown if rule["kind"] == "daily" else None,
        weekly=shown if rule["kind"] == "weekly" else None,
        monthly=shown if rule["kind"] == "monthly" else None,
        start_date=_shown_moment(data.get("start")),
        end_condition=EndView(
            end.get("type", "ENDLESS"), _shown_moment(end.get("date")), end.get("repeatCount")
        ),
        notify=None if notify is None else NotifyView(int(notify["type"]), int(notify["day"])),
    )
