"""The rules of handbooks: who reads and writes, which handbook and record, record views, writes.

Errors (22-handbooks-analitics.md §17 leaves the exact codes open): an unknown handbook or record
key 0101; a contact signed in 0104 for reads, 0105 for writes; bad values, a parent that is not a
group of the same handbook, a HANDBOOK value naming a group record 0015; a group without a name 0009.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.files.requests import FileIn
from planfix_server.domain.handbooks import files_field
from planfix_server.domain.handbooks.fields import FILES, HandbookField, field_from_row
from planfix_server.domain.handbooks.repository import HandbookRepository
from planfix_server.domain.handbooks.requests import RecordAdd, RecordFields, RecordUpdate, RecordValueIn
from planfix_server.domain.handbooks.shapes import GroupView, HandbookView, RecordView
from planfix_server.domain.handbooks.values import Parsed, check_references, parse_value, render_values
from planfix_server.store.uow import AccountUnitOfWork

# -- rights


def require_reader(call: Call) -> None:
    """Every employee reads handbooks; a contact signed in does not."""
    if call.is_contact:
        raise errors.DataAccessDenied("handbooks are not open to contacts")


def require_writer(call: Call) -> None:
    """Every employee writes records; a contact signed in does not."""
    if call.is_contact:
        raise errors.ObjectEditDenied("handbooks are not open to contacts")


# -- handbooks


def handbook_view(row: Any, fields: list[HandbookField] | None = None) -> HandbookView:
    group = GroupView(int(row.group_id or 0), row.group_name or "")
    return HandbookView(int(row.id), row.name, group, fields or [])


def require_handbook(uow: AccountUnitOfWork, handbook_id: int) -> HandbookView:
    """The handbook with its fields in ``num`` order; 0101 when the account has none of that id."""
    repo = uow.get(HandbookRepository)
    row = repo.handbook(handbook_id)
    if row is None:
        raise errors.ObjectNotFound(f"handbook {handbook_id}")
    return handbook_view(row, [field_from_row(one) for one in repo.fields(handbook_id)])


# -- reading records


def record_views(
    uow: AccountUnitOfWork, call: Call, handbook: HandbookView, rows: Sequence[Any]
) -> list[RecordView]:
    """Views of record rows; group records carry no field values."""
    ordinary = [int(row.id) for row in rows if not row.is_group]
    values = render_values(uow, call, handbook.fields, ordinary)
    return [
        RecordView(
            parent_key=int(row.parent_key or 0),
            is_group=bool(row.is_group),
            key=int(row.id),
            name=row.name,
            archived=bool(row.archived),
            custom_data=[] if row.is_group else values[int(row.id)],
        )
        for row in rows
    ]


def require_record(uow: AccountUnitOfWork, handbook_id: int, key: int) -> Any:
    row = uow.get(HandbookRepository).record(handbook_id, key)
    if row is None:
        raise errors.ObjectNotFound(f"record {key} of handbook {handbook_id}")
    return row


# -- writing records


def _parent(
    uow: AccountUnitOfWork, handbook_id: int, parent_key: int | None, moving: int | None = None
) -> int | None:
    """The group record a record goes into (None: top level); 0015 for anything but a group of
    this handbook, or (``moving`` a group) for that group itself or one of its descendants."""
    if not parent_key:
        return None
    repo = uow.get(HandbookRepository)
    row = repo.record(handbook_id, parent_key)
    if row is None or not row.is_group:
        raise errors.InvalidParameterValue(f"parentKey: {parent_key} is no group record of this handbook")
    ancestor: Any = row
    while moving is not None and ancestor is not None:
        if int(ancestor.id) == moving:
            raise errors.InvalidParameterValue(f"parentKey: {parent_key} is the record or lies inside it")
        ancestor = None if ancestor.parent_key is None else repo.record(handbook_id, int(ancestor.parent_key))
    return parent_key


FileItem = tuple[int, Sequence[FileIn], list[int] | None]  # field id, files to store, ids kept (None: all)


def _parse_values(
    uow: AccountUnitOfWork,
    call: Call,
    handbook: HandbookView,
    given: Sequence[RecordValueIn],
    is_group: bool,
    adding: bool,
) -> tuple[Parsed, list[FileItem]]:
    """Stored forms of the written values (0009 / 0015 before anything changes) and the FILES items."""
    fields = {field.id: field for field in handbook.fields}
    parsed = Parsed({}, {}, {})
    file_items: list[FileItem] = []
    for item in given:
        if item.id is None:
            if not item.value and not item.files:
                continue  # an all-empty template entry
            raise errors.MissingParameter("customData/customValue/id")
        field = fields.get(item.id)
        if field is None:
            raise errors.InvalidParameterValue(f"customData: no field {item.id} in handbook {handbook.id}")
        if is_group:
            if item.value or item.files:
                raise errors.InvalidParameterValue("customData: a group record has no field values")
            continue
        if field.type == FILES:
            keep = None if adding else files_field.kept_ids(field, item.value)
            file_items.append((field.id, item.files or (), keep))
            continue
        if item.files:
            raise errors.InvalidParameterValue(f"customData field {field.id}: files go into FILES fields")
        parse_value(field, item.value, call, parsed)
    check_references(uow, fields, parsed)
    return parsed, file_items


def _write_values(
    uow: AccountUnitOfWork,
    call: Call,
    key: int,
    parsed: Parsed,
    file_items: list[FileItem],
) -> None:
    stored = {field_id: value for field_id, value in parsed.stored.items() if value is not None}
    uow.get(HandbookRepository).replace_values(key, sorted(parsed.stored), stored)
    for field_id, files, keep in file_items:
        files_field.attach_files(uow, call, key, field_id, files, keep)


def add_record(uow: AccountUnitOfWork, call: Call, request: RecordAdd) -> int:
    """A new record (or group record) of the handbook; its key."""
    handbook = require_handbook(uow, request.handbook_id)
    is_group = bool(request.is_group)
    name = (request.name or "").strip()
    if is_group and not name:
        raise errors.MissingParameter("name (of a group record)")
    parent = _parent(uow, handbook.id, request.parent_key)
    parsed, file_items = _parse_values(uow, call, handbook, request.custom_data or (), is_group, adding=True)
    key = uow.next_id("handbook_records")
    uow.get(HandbookRepository).add_record(
        id=key,
        handbook_id=handbook.id,
        parent_key=parent,
        is_group=is_group,
        name=name,
        archived=bool(request.archived),
        created_at=call.now,
    )
    _write_values(uow, call, key, parsed, file_items)
    return key


def update_record(uow: AccountUnitOfWork, call: Call, request: RecordUpdate) -> int:
    """Change what the request gives (the rest stays); ``isGroup`` cannot change and is ignored."""
    handbook = require_handbook(uow, request.handbook_id)
    row = require_record(uow, handbook.id, request.key)
    is_group = bool(row.is_group)
    parent = _update_parent(uow, handbook.id, row, request)
    name = row.name if request.name is None or not request.name.strip() else request.name.strip()
    parsed, file_items = _parse_values(uow, call, handbook, request.custom_data or (), is_group, adding=False)
    uow.get(HandbookRepository).update_record(
        request.key,
        parent_key=parent,
        name=name,
        archived=bool(row.archived) if request.archived is None else request.archived,
        modified_at=call.now,
    )
    _write_values(uow, call, request.key, parsed, file_items)
    return int(request.key)


def _update_parent(uow: AccountUnitOfWork, handbook_id: int, row: Any, request: RecordFields) -> int | None:
    if request.parent_key is None:
        return None if row.parent_key is None else int(row.parent_key)
    return _parent(uow, handbook_id, request.parent_key, moving=int(row.id))
