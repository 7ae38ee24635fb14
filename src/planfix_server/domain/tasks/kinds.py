"""Field kinds the task requests need beyond wire.fields.

* Kinds that tell an empty element from an absent one (``EMPTY``): by default both leave a field
  unchanged in ``task.update``; the ``task_update_empty`` setting can make an empty element clear it.
* ``TimeOrMoment``: ``startTime``/``endTime`` are documented as ``hh:mm``, but real clients send a
  whole date there (``<endTime>06-08-2019</endTime>`` in the captured task.add).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

from lxml import etree

from planfix_server.api import errors
from planfix_server.wire.fields import Bool01, DateTime, Int, Kind, Moment, Str


class EmptyMark:
    """An element that was sent without a value."""

    _instance: EmptyMark | None = None

    def __new__(cls) -> EmptyMark:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "EMPTY"


EMPTY: Final = EmptyMark()


def blank(element: etree._Element) -> bool:
    return len(element) == 0 and (element.text is None or not element.text.strip())


class _MarksEmpty(Kind):
    def from_element(self, element: etree._Element) -> Any:
        if blank(element):
            return EMPTY
        return super().from_element(element)


class EStr(_MarksEmpty, Str):
    pass


class EInt(_MarksEmpty, Int):
    pass


class EBool(_MarksEmpty, Bool01):
    pass


class EMoment(_MarksEmpty, DateTime):
    pass


class TimeOrMoment(_MarksEmpty):
    """``hh:mm`` (seconds tolerated) -> ``dt.time``; a DateTime -> ``Moment``."""

    label = "time or DateTime"
    _TIME = re.compile(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*", re.ASCII)

    def parse(self, text: str) -> dt.time | Moment:
        match = self._TIME.fullmatch(text)
        if match is None:
            return DateTime().parse(text)
        hour, minute, second = (int(part or 0) for part in match.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise errors.InvalidParameterValue(f"no such time: {text[:20]!r}")
        return dt.time(hour, minute, second)


def given(value: Any, clear_empty: bool) -> Any:
    """What a decoded update field means: None = leave alone, EMPTY = clear, else the value."""
    if value is EMPTY:
        return EMPTY if clear_empty else None
    return value


def plain(value: Any) -> Any:
    """A decoded field where an empty element counts as absent (task.add and friends)."""
    return None if value is EMPTY else value
