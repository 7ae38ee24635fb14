"""The handbook functions that read: getGroupList, getList, getStructure, getRecords, getRecord,
getRecordMulti (22-handbooks-analitics.md §3-§8)."""

from __future__ import annotations

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.paging import MAX_PAGE_SIZE, window
from planfix_server.api.registry import method
from planfix_server.domain.handbooks.repository import HandbookRepository
from planfix_server.domain.handbooks.requests import (
    HandbookGetList,
    HandbookRef,
    RecordGet,
    RecordGetMulti,
    RecordsGet,
)
from planfix_server.domain.handbooks.service import (
    handbook_view,
    record_views,
    require_handbook,
    require_reader,
    require_record,
)
from planfix_server.domain.handbooks.shapes import (
    HANDBOOK_GROUPS,
    HANDBOOKS,
    RECORD,
    RECORDS,
    STRUCTURE,
    GroupView,
    HandbookView,
    RecordView,
)
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page


@method("handbook.getGroupList", request=None, response=[HANDBOOK_GROUPS], errors=("0104",))
def handbook_get_group_list(_request: None, uow: AccountUnitOfWork, call: Call) -> Page:
    """Every handbook group of the account, in their order."""
    require_reader(call)
    groups = [GroupView(int(row.id), row.name) for row in uow.get(HandbookRepository).groups()]
    return Page(groups, len(groups))


@method("handbook.getList", request=HandbookGetList, response=[HANDBOOKS], errors=("0015", "0104"))
def handbook_get_list(request: HandbookGetList, uow: AccountUnitOfWork, call: Call) -> Page:
    """Every handbook, or those of ``group.id``; one outside any group shows group id 0."""
    require_reader(call)
    found = [handbook_view(row) for row in uow.get(HandbookRepository).handbooks(request.group_id)]
    return Page(found, len(found))


@method(
    "handbook.getStructure",
    request=HandbookRef,
    response=[STRUCTURE],
    errors=("0009", "0015", "0101", "0104"),
)
def handbook_get_structure(request: HandbookRef, uow: AccountUnitOfWork, call: Call) -> HandbookView:
    """The fields of a handbook in ``num`` order, with the list values and the target handbook."""
    require_reader(call)
    return require_handbook(uow, request.handbook_id)


@method(
    "handbook.getRecords",
    request=RecordsGet,
    response=[RECORDS],
    errors=("0009", "0015", "0021", "0101", "0104"),
)
def handbook_get_records(request: RecordsGet, uow: AccountUnitOfWork, call: Call) -> Page:
    """One level of the tree (the top, or the children of ``parentKey``), by key, archived included."""
    require_reader(call)
    handbook = require_handbook(uow, request.handbook_id)
    if request.parent_key is not None:
        require_record(uow, handbook.id, request.parent_key)
    page = window(request.page_current, request.page_size, call.settings.page_size_over_limit)
    repo = uow.get(HandbookRepository)
    total = repo.level_count(handbook.id, request.parent_key)
    if page.count_only or page.offset >= total:
        return Page([], total)
    rows = repo.level(handbook.id, request.parent_key, page.offset, page.limit)
    return Page(record_views(uow, call, handbook, rows), total)


@method("handbook.getRecord", request=RecordGet, response=[RECORD], errors=("0009", "0015", "0101", "0104"))
def handbook_get_record(request: RecordGet, uow: AccountUnitOfWork, call: Call) -> RecordView:
    """One record of the handbook by key."""
    require_reader(call)
    handbook = require_handbook(uow, request.handbook_id)
    return record_views(uow, call, handbook, [require_record(uow, handbook.id, request.key)])[0]


@method(
    "handbook.getRecordMulti",
    request=RecordGetMulti,
    response=[RECORDS],
    errors=("0009", "0015", "0021", "0101", "0104"),
)
def handbook_get_record_multi(request: RecordGetMulti, uow: AccountUnitOfWork, call: Call) -> Page:
    """Up to 100 records of the handbook by key, by key; keys it does not have are left out."""
    require_reader(call)
    keys = list(dict.fromkeys(request.keys))
    if len(keys) > MAX_PAGE_SIZE:
        raise errors.TooManyObjects(f"records/key: {len(keys)} > {MAX_PAGE_SIZE}")
    handbook = require_handbook(uow, request.handbook_id)
    views = record_views(uow, call, handbook, uow.get(HandbookRepository).records(handbook.id, keys))
    return Page(views, len(views))
