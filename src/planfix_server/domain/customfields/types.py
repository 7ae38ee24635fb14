"""Custom field types: the write form a client sends, what is stored, the read form (value, text).

Write forms follow planfix-xml-api/23-files-and-other.md §6.2: plain values, ids of several
objects as ``[1,2]``, several strings of a set of values as ``["a","b"]``. Stored forms are chosen
so list filters can compare them in SQL: numbers canonical, dates ISO (``yyyy-mm-dd``), date-times
ISO in UTC, id lists ``[1,2]``, value sets a JSON list.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from planfix_server.api import errors
from planfix_server.wire.fields import Bool01, Date, DateTime

OBJECT_KINDS = ("task", "project", "contact")

# Type -> what its stored value refers to (for id checks and display names), if anything. Employee
# fields hold employees' user ids; contact and counterparty fields a contact's ``userid``
# (23-files-and-other.md §6.2), never a template's.
REFERENCE_OF = {
    "employee": "user",
    "employee_list": "user",
    "contact": "contact",
    "counterparty": "contact",
    "task": "task",
    "task_set": "task",
    "project": "project",
    "handbook_record": "handbook_record",
    "handbook_record_set": "handbook_record",
}
ID_LISTS = ("employee_list", "task_set", "handbook_record_set")
PLAIN = ("string", "text", "number", "date", "datetime", "time", "checkbox", "list", "value_set")
TYPES = (*PLAIN, *REFERENCE_OF)

_CHECKBOX_TEXT = {"en": ("No", "Yes"), "ru": ("Нет", "Да")}
_ID_LIST = re.compile(r"\s*\[\s*(\d+(?:\s*,\s*\d+)*)?\s*,?\s*\]\s*", re.ASCII)
_TIME = re.compile(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*", re.ASCII)


@dataclass(frozen=True, slots=True)
class FieldDef:
    """A custom field definition of one kind of object."""

    id: int
    object_kind: str
    name: str
    type: str
    options: tuple[str, ...] = ()
    unit: str = ""
    handbook_id: int | None = None
    position: int = 0

    @property
    def reference(self) -> str | None:
        return REFERENCE_OF.get(self.type)

    def options_json(self) -> str | None:
        data: dict[str, Any] = {}
        if self.options:
            data["options"] = list(self.options)
        if self.unit:
            data["unit"] = self.unit
        if self.handbook_id is not None:
            data["handbook_id"] = self.handbook_id
        return json.dumps(data, ensure_ascii=False) if data else None


def field_from_row(row: Any) -> FieldDef:
    data = json.loads(row.options) if row.options else {}
    return FieldDef(
        id=int(row.id),
        object_kind=row.object_kind,
        name=row.name,
        type=row.type,
        options=tuple(data.get("options", ())),
        unit=data.get("unit", ""),
        handbook_id=data.get("handbook_id"),
        position=int(row.position),
    )


def _bad(definition: FieldDef, why: str) -> errors.ApiError:
    return errors.InvalidParameterValue(f"customData field {definition.id} ({definition.type}): {why}")


def element_of(text: str) -> etree._Element:
    """An element holding ``text``, for the wire field kinds that read elements."""
    element = etree.Element("value")
    element.text = text
    return element


def parse_ids(text: str) -> list[int] | None:
    """``[1,2]`` (or one bare id) -> ids; None when the text is neither."""
    stripped = text.strip()
    if stripped.isdigit():
        return [int(stripped)] if int(stripped) else []
    match = _ID_LIST.fullmatch(stripped)
    if match is None:
        return None
    inner = match.group(1)
    return [] if inner is None else list(dict.fromkeys(int(part) for part in inner.split(",")))


def format_ids(ids: list[int]) -> str:
    return "[" + ",".join(str(value) for value in ids) + "]"


def parse_value_set(text: str) -> list[str] | None:
    stripped = text.strip()
    if not stripped.startswith("["):
        return [stripped]  # one value given plainly
    try:
        found = json.loads(stripped)
    except ValueError:
        return None
    if not isinstance(found, list) or not all(isinstance(item, str | int | float) for item in found):
        return None
    return list(dict.fromkeys(str(item) for item in found))


def canonical_number(text: str) -> str | None:
    try:
        number = Decimal(text.strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def parse(definition: FieldDef, text: str | None, tz: dt.tzinfo) -> str | list[int] | None:
    """The stored form of a written value; None clears the field. Id types give their ids."""
    if text is None or not text.strip():
        return None
    kind = definition.type
    if kind in ("string", "text"):
        return text
    if kind == "number":
        number = canonical_number(text)
        if number is None:
            raise _bad(definition, f"not a number: {text[:30]!r}")
        return number
    if kind == "date":
        return Date().from_element(element_of(text)).isoformat()  # type: ignore[no-any-return]
    if kind == "datetime":
        local = DateTime().from_element(element_of(text)).local()
        return str(local.replace(tzinfo=tz).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M"))
    if kind == "time":
        match = _TIME.fullmatch(text)
        if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise _bad(definition, f"not a time hh:mm: {text[:30]!r}")
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    if kind == "checkbox":
        return "1" if Bool01().parse(text) else "0"
    if kind == "list":
        value = text.strip()
        if definition.options and value not in definition.options:
            raise _bad(definition, f"{value[:30]!r} is not one of its values")
        return value
    if kind == "value_set":
        values = parse_value_set(text)
        if values is None:
            raise _bad(definition, 'expected ["value", …]')
        unknown = [value for value in values if definition.options and value not in definition.options]
        if unknown:
            raise _bad(definition, f"{unknown[0][:30]!r} is not one of its values")
        return json.dumps(values, ensure_ascii=False) if values else None
    ids = parse_ids(text)
    if ids is None or (kind not in ID_LISTS and len(ids) > 1):
        raise _bad(definition, f"not an id{' list [1,2]' if kind in ID_LISTS else ''}: {text[:30]!r}")
    return ids or None


@dataclass(frozen=True, slots=True)
class Display:
    """What rendering needs besides the value: the caller's zone, the language, referenced names."""

    tz: dt.tzinfo
    language: str = "en"
    names: dict[str, dict[int, str]] = field(default_factory=dict)


def stored_ids(definition: FieldDef, stored: str) -> list[int]:
    if definition.type in ID_LISTS:
        return parse_ids(stored) or []
    return [int(stored)] if stored.isdigit() else []


def render(definition: FieldDef, stored: str | None, display: Display) -> tuple[str, str]:
    """(value, text) of the read form; an unset field reads as empty (``0`` for references)."""
    kind = definition.type
    if stored is None:
        if kind == "checkbox":
            return "0", _CHECKBOX_TEXT.get(display.language, _CHECKBOX_TEXT["en"])[0]
        if kind in REFERENCE_OF and kind not in ID_LISTS:
            return "0", ""
        return "", ""
    if kind == "number":
        return stored, f"{stored} {definition.unit}" if definition.unit else stored
    if kind == "date":
        day = dt.date.fromisoformat(stored)
        text = f"{day.day:02d}-{day.month:02d}-{day.year:04d}"
        return text, text
    if kind == "datetime":
        local = dt.datetime.fromisoformat(stored).replace(tzinfo=dt.UTC).astimezone(display.tz)
        text = f"{local.day:02d}-{local.month:02d}-{local.year:04d} {local.hour:02d}:{local.minute:02d}"
        return text, text
    if kind == "checkbox":
        return stored, _CHECKBOX_TEXT.get(display.language, _CHECKBOX_TEXT["en"])[stored == "1"]
    if kind == "value_set":
        return stored, ", ".join(json.loads(stored))
    reference = definition.reference
    if reference is not None:
        names = display.names.get(reference, {})
        shown = [names.get(item, "") for item in stored_ids(definition, stored)]
        return stored, ", ".join(name for name in shown if name)
    return stored, stored
