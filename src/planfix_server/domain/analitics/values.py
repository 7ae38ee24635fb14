"""One ``itemData.value``: the written form -> the stored form -> what analitic.getData shows.

The field types shared with custom fields (``datatag_types``) are parsed and rendered by
``customfields.types``; the others have forms of their own:

* ``TIMEPERIOD``: ``<begin>hh:mm</begin><end>hh:mm</end>`` (or ``hh:mm-hh:mm``), stored ``hh:mm-hh:mm``;
* ``LOGINLIST``: repeated ``<id>`` of users (employees or contacts with access), stored ``[1,2]``;
* ``GROUPUSERCONTACT``: one user id (``<id>`` or plain), or ``<group><id>`` of an employee group,
  stored ``5`` or ``G3``.

Other differences from custom fields: ``DATE`` also reads ``yyyy-mm-dd`` (a production client sends
it), ``STRING`` holds at most 255 characters, id types also read nested ``<id>`` children, and every
refusal is 4013. What a value refers to is returned apart (``Parsed.refs``) so the caller checks
all references of a request at once (references.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.domain.analitics.definitions import FieldSpec
from planfix_server.domain.analitics.requests import ItemValue
from planfix_server.domain.customfields import types
from planfix_server.domain.customfields.datatag_types import DATATAG_TYPES

STRING_LENGTH = 255
# What the ids of a field refer to: the kinds references.py checks and names.
REFERENCE_OF = {
    "TASK": "task",
    "TASKSET": "task",
    "PROJECT": "project",
    "USER": "user",
    "CLIENT": "contact",
    "CONTACT": "contact",
    "LOGINLIST": "login",
    "GROUPUSERCONTACT": "login",
    "HANDBOOK": "handbook",
    "HANDBOOKSET": "handbook",
}
ID_LISTS = ("TASKSET", "HANDBOOKSET", "LOGINLIST")
GROUP_PREFIX = "G"

_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", re.ASCII)
_TIME = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)
_PERIOD = re.compile(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", re.ASCII)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A stored value and the ids it refers to (users, tasks, handbook keys …); ``group`` for a
    GROUPUSERCONTACT naming an employee group."""

    value: str
    refs: tuple[int, ...] = ()
    group: int | None = None


def _bad(spec: FieldSpec, why: str) -> errors.ApiError:
    return errors.AnaliticTypeMismatch(f"itemData field {spec.id} ({spec.type}): {why}")


def field_def(spec: FieldSpec) -> types.FieldDef:
    """The custom-field definition that parses and renders a field of a shared type."""
    kind = DATATAG_TYPES[spec.type]
    assert kind is not None
    return types.FieldDef(
        spec.id, "analitic", spec.name, kind, spec.options, handbook_id=spec.handbook_id, position=spec.num
    )


def _time(spec: FieldSpec, text: str) -> str:
    match = _TIME.fullmatch(text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise _bad(spec, f"not a time hh:mm: {text[:20]!r}")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _period(spec: FieldSpec, item: ItemValue) -> Parsed | None:
    begin, end = item.child_texts("begin"), item.child_texts("end")
    if not begin and not end:
        match = _PERIOD.fullmatch(item.text)
        if match is None:
            raise _bad(spec, "expected <begin>hh:mm</begin><end>hh:mm</end>")
        begin, end = [match.group(1)], [match.group(2)]
    if not begin or not end:
        raise _bad(spec, "a time period needs both begin and end")
    return Parsed(f"{_time(spec, begin[0])}-{_time(spec, end[0])}")


def _ids(spec: FieldSpec, texts: list[str]) -> list[int]:
    found: list[int] = []
    for text in texts:
        if not text.strip():
            continue
        ids = types.parse_ids(text)
        if ids is None:
            raise _bad(spec, f"not an id: {text[:20]!r}")
        found.extend(ids)
    return list(dict.fromkeys(found))


def _people(spec: FieldSpec, item: ItemValue) -> Parsed | None:
    groups = _ids(spec, item.child_texts("group"))
    users = _ids(spec, item.child_texts("id") + item.child_texts("user") or [item.text])
    if spec.type == "LOGINLIST":
        if groups:
            raise _bad(spec, "an employee list holds users, not groups")
        return Parsed(types.format_ids(users), tuple(users)) if users else None
    if len(users) + len(groups) > 1:
        raise _bad(spec, "one employee, contact or group")
    if groups:
        return Parsed(f"{GROUP_PREFIX}{groups[0]}", group=groups[0])
    return Parsed(str(users[0]), (users[0],)) if users else None


def parse(spec: FieldSpec, item: ItemValue | None, tz: dt.tzinfo) -> Parsed | None:
    """The stored form of one written value; None for an empty one (the field stays unset)."""
    if item is None:
        return None
    kind = spec.type
    if kind == "TIMEPERIOD":
        return _period(spec, item)
    if kind in ("LOGINLIST", "GROUPUSERCONTACT"):
        return _people(spec, item)
    text = item.text
    if kind in REFERENCE_OF:
        ids = _ids(spec, item.child_texts("id") or [text])
        if len(ids) > 1 and kind not in ID_LISTS:
            raise _bad(spec, "one id")
        if not ids:
            return None
        stored = types.format_ids(ids) if kind in ID_LISTS else str(ids[0])
        return Parsed(stored, tuple(ids))
    if not text.strip():
        return None
    if kind == "STRING" and len(text) > STRING_LENGTH:
        raise _bad(spec, f"longer than {STRING_LENGTH} characters")
    if kind == "DATE":
        match = _ISO_DATE.fullmatch(text)
        if match is not None:
            try:
                return Parsed(dt.date(*(int(part) for part in match.groups())).isoformat())
            except ValueError:
                raise _bad(spec, f"no such date: {text[:20]!r}") from None
    try:
        plain = types.parse(field_def(spec), text, tz)
    except errors.InvalidParameterValue as exc:
        raise _bad(spec, exc.detail or "invalid") from None
    assert plain is None or isinstance(plain, str)
    return None if plain is None else Parsed(plain)


# -- reading


@dataclass(frozen=True, slots=True)
class Names:
    """Names of what stored values refer to, by reference kind (references.py fills it)."""

    by_kind: dict[str, dict[int, str]]
    groups: dict[int, str]
    tz: dt.tzinfo

    def of(self, kind: str, ident: int) -> str:
        return self.by_kind.get(kind, {}).get(ident, "")


def stored_refs(spec: FieldSpec, stored: str) -> tuple[list[int], int | None]:
    """The ids a stored value refers to, and the group of a GROUPUSERCONTACT."""
    if spec.type not in REFERENCE_OF:
        return [], None
    if stored.startswith(GROUP_PREFIX):
        return [], int(stored[len(GROUP_PREFIX) :])
    return (types.parse_ids(stored) or []), None


def render(spec: FieldSpec, stored: str | None, names: Names) -> tuple[str, str]:
    """(``itemData.value``, ``itemData.valueId``): text, and the ids of a reference (comma-separated)."""
    if stored is None:
        return "", ""
    kind = spec.type
    reference = REFERENCE_OF.get(kind)
    if reference is not None:
        ids, group = stored_refs(spec, stored)
        if group is not None:
            return names.groups.get(group, ""), str(group)
        shown = [names.of(reference, one) for one in ids]
        return ", ".join(name for name in shown if name), ",".join(str(one) for one in ids)
    if kind in ("TIMEPERIOD", "TIME", "STRING", "TEXT", "NUMBER", "LIST", "CHECKBOX"):
        return stored, ""
    if kind == "SETSTRING":
        return ", ".join(json.loads(stored)), ""
    value, _text = types.render(field_def(spec), stored, types.Display(names.tz))
    return value, ""
