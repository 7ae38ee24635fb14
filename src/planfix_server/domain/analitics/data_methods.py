"""The analitic functions that read data rows: analitic.getData, analitic.getDataByCondition
(22-handbooks-analitics.md §15-§16).

A caller reads the rows of the actions he sees (data.readable); any other key reads as unknown.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, bindparam

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.paging import window
from planfix_server.api.registry import method
from planfix_server.domain.analitics import catalog, data, rows
from planfix_server.domain.analitics.data import DataRepository
from planfix_server.domain.analitics.definitions import DATE_TYPES, AnaliticDef
from planfix_server.domain.analitics.requests import ConditionIn, DataByCondition, DataKeys
from planfix_server.domain.analitics.rows import DataView
from planfix_server.domain.analitics.shapes import DATA_BY_KEYS, DATA_PAGE
from planfix_server.domain.tasks import access as task_access
from planfix_server.domain.tasks.visibility import viewer_of
from planfix_server.store.tables import analitic_data
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page

# Open ends of a date range, as stored values compare (ISO text).
_LOWEST, _HIGHEST = "0000-01-01", "9999-12-31T23:59"


@method(
    "analitic.getData",
    request=DataKeys,
    response=[DATA_BY_KEYS],
    errors=("0009", "0015", "10001"),
)
def analitic_get_data(request: DataKeys, uow: AccountUnitOfWork, call: Call) -> list[DataView]:
    """The rows of the given keys, in that order; an unknown key gives a row with no itemData."""
    catalog.require_employee(call)
    keys = list(dict.fromkeys(request.keys))
    repo = uow.get(DataRepository)
    query = data.keys_query(data.readable(viewer_of(uow, call.user)))
    seen = {int(row.id) for row in repo.rows(query, keys=keys, me=call.user.id)}
    found = repo.rows_by_keys([key for key in keys if key in seen])
    views = {
        view.key: view
        for view in rows.views(
            uow,
            call,
            [(key, int(row.analitic_id), None, int(row.action_id)) for key, row in found.items()],
        )
    }
    return [views.get(key) or DataView(key) for key in keys]


def _bounds(call: Call, kind: str, given: ConditionIn) -> tuple[str, str]:
    """The stored-form range of ``fromDate``/``toDate`` (both included; a date alone is its whole day)."""
    if kind == "DATE":
        low = given.from_date.date.isoformat() if given.from_date else _LOWEST
        high = given.to_date.date.isoformat() if given.to_date else _HIGHEST
        return low, high
    low = _LOWEST
    if given.from_date is not None:
        low = call.to_utc(given.from_date.local()).strftime("%Y-%m-%dT%H:%M")
    high = _HIGHEST
    if given.to_date is not None:
        high = call.to_utc(given.to_date.local(end_of_day=True)).strftime("%Y-%m-%dT%H:%M")
    return low, high


def _filters(
    call: Call, analitic: AnaliticDef, given: list[ConditionIn], params: dict[str, object]
) -> list[ColumnElement[bool]]:
    """``filters/filter``, ANDed: 4012 for a field of another analitic. Date bounds apply to date
    fields; ``userid`` to any field referring to users."""
    found = []
    for index, one in enumerate(given):
        spec = analitic.field(one.field)
        if spec is None:
            raise errors.AnaliticParameterUnknown(f"filters/filter/field: {one.field}")
        params[f"f{index}"] = spec.id
        if one.user_id is not None:
            params[f"u{index}"] = one.user_id
            found.append(data.refers_to(index))
        if (one.from_date or one.to_date) and spec.type in DATE_TYPES:
            params[f"lo{index}"], params[f"hi{index}"] = _bounds(call, spec.type, one)
            found.append(data.value_between(index))
    return found


@method(
    "analitic.getDataByCondition",
    request=DataByCondition,
    response=[DATA_PAGE],
    errors=("0009", "0015", "0021", "3001", "3008", "4012", "10001", "10002"),
)
def analitic_get_data_by_condition(request: DataByCondition, uow: AccountUnitOfWork, call: Call) -> Page:
    """The rows of one analitic (of one task, when given) that meet every filter, by key, paged."""
    catalog.require_employee(call)
    analitic = catalog.require(uow, request.analitic)
    viewer = viewer_of(uow, call.user)
    params: dict[str, object] = {"analitic": analitic.id, "me": call.user.id}
    conditions = [*data.readable(viewer), analitic_data.c.analitic_id == bindparam("analitic")]
    if request.task_id is not None or request.task_general is not None:
        loaded = task_access.load(uow, call, request.task_id, request.task_general, viewer=viewer)
        params["task"] = loaded.task.id
        conditions.append(analitic_data.c.task_id == bindparam("task"))
    conditions += _filters(call, analitic, list(request.filters or ()), params)
    page = window(request.page_current, request.page_size, call.settings.page_size_over_limit)
    rows_query, count_query = data.page_query(conditions)
    repo = uow.get(DataRepository)
    total = int(repo.scalar(count_query, **params))
    if page.count_only or page.offset >= total:
        return Page([], total)
    found = repo.rows(rows_query, offset=page.offset, limit=page.limit, **params)
    origins = [
        (int(row.id), analitic.id, None if row.task_id is None else int(row.task_id), int(row.action_id))
        for row in found
    ]
    return Page(rows.views(uow, call, origins), total)
