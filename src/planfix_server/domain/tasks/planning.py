"""The planned start and end of a task from the request's date parts (10-tasks.md §5.1).

``startDate`` (+ ``startTime`` when ``startTimeIsSet`` is not 0) makes the start, and likewise the
end; ``*DateIsSet=0`` means no value whatever the other elements say; a date without its flag
counts as set. ``startTime``/``endTime`` may also carry a whole DateTime (as a captured client
sends). In task.update a time alone moves the time of the date the task already has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planfix_server.api import errors
from planfix_server.domain.tasks.kinds import EMPTY
from planfix_server.wire.fields import Moment


@dataclass(frozen=True, slots=True)
class Planned:
    """A planned moment as stored: an instant, or a date at 00:00 UTC when ``has_time`` is off."""

    at: dt.datetime | None
    has_time: bool = False


NOT_PLANNED = Planned(None, False)


def store(day: dt.date, clock: dt.time | None, tz: dt.tzinfo) -> Planned:
    if clock is None:
        return Planned(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), False)
    local = dt.datetime.combine(day, clock.replace(microsecond=0), tzinfo=tz)
    return Planned(local.astimezone(dt.UTC), True)


def local_day(current: Planned, tz: dt.tzinfo) -> dt.date:
    assert current.at is not None
    return current.at.astimezone(tz).date() if current.has_time else current.at.date()


def planned(
    *,
    which: str,
    date_is_set: bool | None,
    date: Any,
    time_is_set: bool | None,
    time: Any,
    current: Planned | None,
    tz: dt.tzinfo,
) -> Planned | None:
    """The new value, or None to leave the current one. ``date``/``time`` may be EMPTY (clear)."""
    if date_is_set is False or date is EMPTY:
        return NOT_PLANNED
    moment: Moment | None = date if isinstance(date, Moment) else None
    clock: dt.time | None = time if isinstance(time, dt.time) else None
    if isinstance(time, Moment):
        if moment is None:
            moment = time
        clock = time.time if time.time is not None else clock
    drop_time = time_is_set is False or time is EMPTY
    if moment is None:
        if date_is_set:
            raise errors.DependentParameterMissing(f"{which}Date")
        if current is None or current.at is None:
            if clock is not None and not drop_time:
                raise errors.DependentParameterMissing(f"{which}Date (for {which}Time)")
            return None
        if drop_time:
            return store(local_day(current, tz), None, tz)
        if clock is not None:
            return store(local_day(current, tz), clock, tz)
        return None
    if drop_time:
        clock = None
    elif clock is None:
        clock = moment.time
    return store(moment.date, clock, tz)
