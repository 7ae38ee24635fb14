"""Field kinds of request parameters: text on the wire -> typed Python value.

Every kind turns an element's text into a value or raises InvalidParameterValue (0015).
Empty text means "absent" everywhere (clients built from templates send empty elements), and
so does ``0`` for identifiers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from lxml import etree

from planfix_server.api import errors


@dataclass(frozen=True, slots=True)
class Moment:
    """A wire DateTime: a date, with a time of day when the client gave one."""

    date: dt.date
    time: dt.time | None = None

    def local(self, *, end_of_day: bool = False) -> dt.datetime:
        """Naive local datetime; a date-only value means 00:00 (or 23:59:59 at the end of a range)."""
        if self.time is not None:
            return dt.datetime.combine(self.date, self.time)
        if end_of_day:
            return dt.datetime.combine(self.date, dt.time(23, 59, 59, 999999))
        return dt.datetime.combine(self.date, dt.time())


class Kind:
    """How one element's text becomes a value."""

    label = "value"

    def parse(self, text: str) -> Any:
        return text

    def from_element(self, element: etree._Element) -> Any:
        """The value of ``element``, or None when it is empty."""
        text = element.text
        if text is None or not text.strip():
            return None
        return self.parse(text)


class Str(Kind):
    label = "string"

    def __init__(self, max_length: int | None = None) -> None:
        self.max_length = max_length

    def parse(self, text: str) -> str:
        if self.max_length is not None and len(text) > self.max_length:
            raise errors.InvalidParameterValue(f"longer than {self.max_length} characters")
        return text


class Int(Kind):
    label = "int"
    _PATTERN = re.compile(r"\s*[-+]?\d{1,18}\s*", re.ASCII)

    def __init__(self, minimum: int | None = None, maximum: int | None = None) -> None:
        self.minimum = minimum
        self.maximum = maximum

    def parse(self, text: str) -> int:
        if not self._PATTERN.fullmatch(text):
            raise errors.InvalidParameterValue(f"not an integer: {text[:40]!r}")
        value = int(text)
        if self.minimum is not None and value < self.minimum:
            raise errors.InvalidParameterValue(f"below {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise errors.InvalidParameterValue(f"above {self.maximum}")
        return value


class Id(Int):
    """An object identifier: a positive integer; ``0`` means absent."""

    label = "id"

    def __init__(self) -> None:
        super().__init__(minimum=0)

    def from_element(self, element: etree._Element) -> int | None:
        value: int | None = super().from_element(element)
        return value or None


class Bool01(Kind):
    label = "bool"
    _VALUES: ClassVar[dict[str, bool]] = {"1": True, "0": False, "true": True, "false": False}

    def parse(self, text: str) -> bool:
        value = self._VALUES.get(text.strip().lower())
        if value is None:
            raise errors.InvalidParameterValue(f"not a boolean: {text[:40]!r}")
        return value


class Enum(Kind):
    label = "enum"

    def __init__(self, *values: str) -> None:
        self.values = frozenset(values)
        self.choices = values

    def parse(self, text: str) -> str:
        value = text.strip()
        if value not in self.values:
            raise errors.InvalidParameterValue(f"{value[:40]!r} is not one of {', '.join(self.choices)}")
        return value


class Date(Kind):
    """``dd-mm-yyyy``."""

    label = "date"
    _PATTERN = re.compile(r"\s*(\d{1,2})[-.](\d{1,2})[-.](\d{4})\s*", re.ASCII)

    def parse(self, text: str) -> dt.date:
        match = self._PATTERN.fullmatch(text)
        if not match:
            raise errors.InvalidParameterValue(f"not a date dd-mm-yyyy: {text[:40]!r}")
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise errors.InvalidParameterValue(f"no such date: {text[:40]!r}") from None


class DateTime(Kind):
    """``dd-mm-yyyy`` or ``dd-mm-yyyy HH:MM`` (seconds tolerated), in the caller's time zone."""

    label = "DateTime"
    _PATTERN = re.compile(
        r"\s*(\d{1,2})[-.](\d{1,2})[-.](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*", re.ASCII
    )

    def parse(self, text: str) -> Moment:
        match = self._PATTERN.fullmatch(text)
        if not match:
            raise errors.InvalidParameterValue(f"not a DateTime dd-mm-yyyy[ HH:MM]: {text[:40]!r}")
        day, month, year, hour, minute, second = match.groups()
        try:
            date = dt.date(int(year), int(month), int(day))
            time = None if hour is None else dt.time(int(hour), int(minute), int(second or 0))
        except ValueError:
            raise errors.InvalidParameterValue(f"no such date or time: {text[:40]!r}") from None
        return Moment(date, time)


@dataclass(frozen=True, slots=True)
class XmlField:
    """Where a request field lives and how it is read."""

    path: str
    kind: Kind | None = None
    required: bool = False
    many: str | None = None
    struct: type | None = None
    steps: tuple[str, ...] = field(default=())


def xml(
    path: str,
    kind: Kind | None = None,
    *,
    required: bool = False,
    many: str | None = None,
    struct: type | None = None,
    default: Any = None,
) -> Any:
    """Declare a request field on a dataclass.

    ``path`` is relative to ``<request>`` (or to the enclosing struct). With ``many=TAG`` the
    field is a list of the ``TAG`` children of ``path`` (None when ``path`` is absent, so an
    update can tell "replace with nothing" from "leave alone"). With ``struct=cls`` each value
    is a nested dataclass.
    """
    spec = XmlField(path, kind, required, many, struct, tuple(path.split("/")))
    return field(default=default, metadata={"xml": spec})


def describe(kind: Kind | None, struct: type | None) -> str:
    if struct is not None:
        return struct.__name__
    return kind.label if kind is not None else "value"
