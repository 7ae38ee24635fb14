"""Values of handbook record fields: the written form -> the stored form -> (value, text).

Types shared with custom fields go through ``customfields.types`` (``parse`` / ``render``); the
handbooks' own forms are here:

* ``TIMEPERIOD``: written ``hh:mm-hh:mm`` (or ``<begin>hh:mm</begin><end>hh:mm</end>``), stored
  ``HH:MM-HH:MM``;
* ``LOGINLIST``: user ids (employees or contacts' userids) as ``[3,7]`` (or repeated ``<id>``),
  stored ``[3,7]``;
* ``GROUPUSERCONTACT``: one user id (employee or contact userid), or ``group:ID`` for an employee
  group; stored as written;
* ``FILES``: kept in the files of the record (``files_field.py``), not here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.customfields import types
from planfix_server.domain.customfields.repository import CustomFieldRepository
from planfix_server.domain.handbooks.fields import (
    FILES,
    GROUPUSERCONTACT,
    LOGINLIST,
    TIMEPERIOD,
    HandbookField,
)
from planfix_server.domain.handbooks.lookup import find_records
from planfix_server.domain.handbooks.repository import HandbookRepository
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import user_groups
from planfix_server.store.uow import AccountUnitOfWork

STRING_LENGTH = 255  # §1: a STRING holds at most 255 characters
GROUP_PREFIX = "group:"
_PERIOD = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", re.ASCII)
_GROUP = re.compile(r"\s*group:\s*(\d+)\s*", re.ASCII | re.IGNORECASE)
_GROUP_NAMES = Scoped(
    select(user_groups.c.id, user_groups.c.name).where(
        user_groups.c.account_id == bindparam("tenant"),
        user_groups.c.id.in_(bindparam("ids", expanding=True)),
    )
)


class _UserGroups(Repository):
    def names(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        return {int(row.id): row.name for row in self.rows(_GROUP_NAMES, ids=list(ids))}


@dataclass(frozen=True, slots=True)
class ValueView:
    field_id: int
    value: str
    text: str


def _bad(field: HandbookField, why: str) -> errors.ApiError:
    return errors.InvalidParameterValue(f"customData field {field.id} ({field.type}): {why}")


# -- writing


def _period(field: HandbookField, text: str) -> str:
    match = _PERIOD.fullmatch(text)
    if match is None:
        raise _bad(field, f"not a period hh:mm-hh:mm: {text[:30]!r}")
    hours, minutes = (int(match.group(1)), int(match.group(3))), (int(match.group(2)), int(match.group(4)))
    if max(hours) > 23 or max(minutes) > 59:
        raise _bad(field, f"not a time of day: {text[:30]!r}")
    return f"{hours[0]:02d}:{minutes[0]:02d}-{hours[1]:02d}:{minutes[1]:02d}"


@dataclass
class Parsed:
    """Written values of one record: the stored forms, and the ids they name (checked together)."""

    stored: dict[int, str | None]
    ids: dict[str, set[int]]
    records: dict[int, list[int]]  # field id -> handbook keys

    def need(self, kind: str, ids: Sequence[int]) -> None:
        self.ids.setdefault(kind, set()).update(ids)


def parse_value(field: HandbookField, text: str | None, call: Call, into: Parsed) -> None:
    """Put the stored form of ``text`` into ``into`` (None clears the field); 0015 when bad."""
    if text is None or not text.strip():
        into.stored[field.id] = None
        return
    definition = field.definition
    if definition is not None:
        if field.type == "STRING" and len(text) > STRING_LENGTH:
            raise _bad(field, f"longer than {STRING_LENGTH} characters")
        value = types.parse(definition, text, call.tz)
        if isinstance(value, list):
            reference = definition.reference or ""
            if reference == "handbook_record":
                into.records[field.id] = value
            else:
                into.need(reference, value)
            value = types.format_ids(value) if definition.type in types.ID_LISTS else str(value[0])
        into.stored[field.id] = value
    elif field.type == TIMEPERIOD:
        into.stored[field.id] = _period(field, text)
    elif field.type == LOGINLIST:
        ids = types.parse_ids(text)
        if ids is None:
            raise _bad(field, f"not an id list [1,2]: {text[:30]!r}")
        into.need("login", ids)
        into.stored[field.id] = types.format_ids(ids) if ids else None
    elif field.type == GROUPUSERCONTACT:
        group = _GROUP.fullmatch(text)
        if group is not None:
            into.need("user_group", [int(group.group(1))])
            into.stored[field.id] = f"{GROUP_PREFIX}{int(group.group(1))}"
        elif text.strip().isdigit():
            user_id = int(text.strip())
            into.need("login", [user_id] if user_id else [])
            into.stored[field.id] = str(user_id) if user_id else None
        else:
            raise _bad(field, f"not a user id or group:ID: {text[:30]!r}")
    else:  # FILES: files come in <files>; the value lists the ones kept (files_field.py)
        raise _bad(field, "files are written in <files>")


def check_references(uow: AccountUnitOfWork, fields: Mapping[int, HandbookField], parsed: Parsed) -> None:
    """0015 for a named object the account does not have, or a handbook key that cannot be used."""
    repo = uow.get(CustomFieldRepository)
    for kind, wanted in parsed.ids.items():
        if not wanted:
            continue
        if kind == "login":  # employees and contacts with their user ids
            found = set(repo.names("user", sorted(wanted))) | set(repo.names("contact", sorted(wanted)))
        elif kind == "user_group":
            found = set(uow.get(_UserGroups).names(sorted(wanted)))
        else:
            found = set(repo.names(kind, sorted(wanted)))
        missing = sorted(wanted - found)
        if missing:
            raise errors.InvalidParameterValue(f"customData: no {kind.replace('_', ' ')} {missing[0]}")
    keys = {key for values in parsed.records.values() for key in values}
    known = find_records(uow, keys)
    for field_id, values in parsed.records.items():
        field = fields[field_id]
        for key in values:
            ref = known.get(key)
            if ref is None or (
                field.target_handbook_id is not None and ref.handbook_id != field.target_handbook_id
            ):
                raise _bad(field, f"no record {key} in handbook {field.target_handbook_id}")
            if ref.is_group:
                raise _bad(field, f"record {key} is a group")


# -- reading


def render_values(
    uow: AccountUnitOfWork, call: Call, fields: Sequence[HandbookField], record_keys: Sequence[int]
) -> dict[int, list[ValueView]]:
    """One view per field (in ``num`` order) for each record, unset fields empty."""
    if not fields or not record_keys:
        return {key: [] for key in record_keys}
    repo = uow.get(HandbookRepository)
    by_id = {field.id: field for field in fields}
    stored: dict[int, dict[int, str]] = defaultdict(dict)
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in repo.values(record_keys):
        field = by_id.get(int(row.field_id))
        if field is None:
            continue
        stored[int(row.record_id)][field.id] = row.value
        _collect(field, row.value, wanted)
    attached: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    if any(field.type == FILES for field in fields):
        for row in repo.files(record_keys):
            attached[(int(row.record_id), int(row.field_id or 0))].append((int(row.id), row.name))
    names = _names(uow, wanted)
    display = types.Display(call.tz, call.settings.language, names)
    views: dict[int, list[ValueView]] = {}
    for key in record_keys:
        values = stored.get(key, {})
        views[key] = [
            ValueView(
                field.id, *_render(field, values.get(field.id), display, attached.get((key, field.id), []))
            )
            for field in fields
        ]
    return views


def _collect(field: HandbookField, value: str, wanted: dict[str, set[int]]) -> None:
    definition = field.definition
    if definition is not None:
        if definition.reference is not None:
            wanted[definition.reference].update(types.stored_ids(definition, value))
    elif field.type == LOGINLIST:
        wanted["login"].update(types.parse_ids(value) or [])
    elif field.type == GROUPUSERCONTACT:
        if value.startswith(GROUP_PREFIX):
            wanted["user_group"].add(int(value.removeprefix(GROUP_PREFIX)))
        elif value.isdigit():
            wanted["login"].add(int(value))


def _names(uow: AccountUnitOfWork, wanted: Mapping[str, set[int]]) -> dict[str, dict[int, str]]:
    repo = uow.get(CustomFieldRepository)
    names: dict[str, dict[int, str]] = {}
    for kind, ids in wanted.items():
        if kind == "handbook_record":
            names[kind] = {key: ref.caption for key, ref in find_records(uow, ids).items()}
        elif kind == "login":
            names[kind] = {**repo.names("contact", sorted(ids)), **repo.names("user", sorted(ids))}
        elif kind == "user_group":
            names[kind] = uow.get(_UserGroups).names(sorted(ids))
        else:
            names[kind] = repo.names(kind, sorted(ids))
    return names


def _render(
    field: HandbookField, stored: str | None, display: types.Display, files: list[tuple[int, str]]
) -> tuple[str, str]:
    definition = field.definition
    if definition is not None:
        return types.render(definition, stored, display)
    if field.type == FILES:
        return ",".join(str(file_id) for file_id, _ in files), ", ".join(name for _, name in files)
    if stored is None:
        return ("0", "") if field.type == GROUPUSERCONTACT else ("", "")
    if field.type == LOGINLIST:
        login = display.names.get("login", {})
        shown = [login.get(user_id, "") for user_id in types.parse_ids(stored) or []]
        return stored, ", ".join(name for name in shown if name)
    if field.type == GROUPUSERCONTACT:
        if stored.startswith(GROUP_PREFIX):
            return stored, display.names.get("user_group", {}).get(int(stored.removeprefix(GROUP_PREFIX)), "")
        return stored, display.names.get("login", {}).get(int(stored), "")
    return stored, stored  # TIMEPERIOD
