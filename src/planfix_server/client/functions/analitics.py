"""``analitic.*`` (``planfix-xml-api/22-handbooks-analitics.md`` §11-§16) as typed calls, and
``action.getListWithAnalitic``.

Data rows are written with the action they belong to::

    client.action.add("Work", task_id=7, analitics=rows_params([
        AnaliticRowIn(263, {741: 725, 743: dt.date(2018, 2, 19), 824: TimePeriod(dt.time(9), dt.time(10)),
                    846: [5, 9]}),
    ]))

A value is written by the rules of ``client.values`` (dates ``dd-mm-yyyy``, times ``HH:MM``); a
``TimePeriod`` becomes ``<begin>``/``<end>``, a list of ids repeated ``<id>`` (employee lists).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.client.calls import PAGE_SIZE, Listing, Prepared
from planfix_server.client.element import Element
from planfix_server.client.functions.actions import Action, read_action
from planfix_server.client.functions.common import EMPTY, Ref, drop_none, ident, need_id, ref_of
from planfix_server.client.response import Page, Response


@dataclass(frozen=True, slots=True)
class AnaliticField:
    """A field of an analitic: ``id`` is ``itemData.fieldId``; ``handbook_id`` for HANDBOOK fields."""

    id: int
    num: int
    name: str
    type: str
    options: list[str]
    handbook_id: int | None


@dataclass(frozen=True, slots=True)
class Analitic:
    """An analitic (data tag); ``fields`` only from ``get_options``."""

    id: int
    name: str
    group: Ref | None
    fields: list[AnaliticField]
    element: Element = field(default=EMPTY, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class AnaliticRecordValue:
    name: str
    value: str
    is_displayed: bool


@dataclass(frozen=True, slots=True)
class AnaliticHandbookRecord:
    """A record of ``analitic.getHandbook``; a group record has one value, its name."""

    key: int
    parent_key: int | None
    is_group: bool
    values: list[AnaliticRecordValue]


@dataclass(frozen=True, slots=True)
class ItemData:
    """One field of a data row: the value as text, ``value_id`` the ids of what it refers to."""

    id: int
    name: str
    value: str
    value_id: str


@dataclass(frozen=True, slots=True)
class AnaliticData:
    """A data row; ``task_id`` and ``action_id`` come from ``get_data_by_condition`` only.
    A key the server does not know reads as a row without items."""

    key: int
    task_id: int | None
    action_id: int | None
    items: list[ItemData]
    element: Element = field(default=EMPTY, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class TimePeriod:
    begin: dt.time
    end: dt.time


@dataclass(frozen=True, slots=True)
class AnaliticRowIn:
    """A data row to write: ``values`` by field id; ``key`` changes an existing row (update)."""

    analitic_id: int
    values: Mapping[int, Any]
    key: int | None = None


@dataclass(frozen=True, slots=True)
class AnaliticDataFilter:
    """A condition of ``get_data_by_condition``: a date range of a date field, or a user of an
    employee field."""

    field_id: int
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    user_id: int | None = None

    def params(self) -> dict[str, Any]:
        return drop_none(
            {
                "field": self.field_id,
                "fromDate": self.from_date,
                "toDate": self.to_date,
                "userid": self.user_id,
            }
        )


def _value(value: Any) -> Any:
    if isinstance(value, TimePeriod):
        return {"begin": value.begin, "end": value.end}
    if isinstance(value, list | tuple):
        return {"id": list(value)}
    return "" if value is None else value


def rows_params(rows: Sequence[AnaliticRowIn]) -> dict[str, Any]:
    """The ``analitics`` of action.add / action.update."""
    return {
        "analitic": [
            {
                "id": row.analitic_id,
                "analiticData": {
                    **({"key": row.key} if row.key is not None else {}),
                    "itemData": [
                        {"fieldId": ident, "value": _value(value)} for ident, value in row.values.items()
                    ],
                },
            }
            for row in rows
        ]
    }


def read_field(el: Element) -> AnaliticField:
    return AnaliticField(
        id=need_id(el),
        num=el.int_of("num") or 0,
        name=el.text_of("name"),
        type=el.text_of("type"),
        options=[node.text for node in el.findall("list/value")],
        handbook_id=ident(el, "handbook/id"),
    )


def read_analitic(el: Element) -> Analitic:
    group = el.get("group")
    return Analitic(
        id=need_id(el),
        name=el.text_of("name"),
        group=None if group is None else ref_of(el, "group"),
        fields=[read_field(node) for node in el.findall("fields/field")],
        element=el,
    )


def read_data(el: Element) -> AnaliticData:
    return AnaliticData(
        key=need_id(el, "key"),
        task_id=ident(el, "task/id"),
        action_id=ident(el, "action/id"),
        items=[
            ItemData(need_id(node), node.text_of("name"), node.text_of("value"), node.text_of("valueId"))
            for node in el.all("itemData")
        ],
        element=el,
    )


def read_record(el: Element) -> AnaliticHandbookRecord:
    return AnaliticHandbookRecord(
        key=need_id(el, "key"),
        parent_key=ident(el, "parentKey"),
        is_group=el.bool_of("isGroup"),
        values=[
            AnaliticRecordValue(
                node.attrs.get("name", ""), node.attrs.get("value", ""), node.attrs.get("isDisplayed") == "1"
            )
            for node in el.all("value")
        ],
    )


def get_group_list() -> Prepared[list[Ref]]:
    """``analitic.getGroupList``."""

    def read(response: Response) -> list[Ref]:
        return [
            Ref(need_id(node), node.text_of("name")) for node in response.one("analiticGroups").all("group")
        ]

    return Prepared("analitic.getGroupList", {}, read)


def get_list() -> Prepared[list[Analitic]]:
    """``analitic.getList``: every analitic with its group (no fields: see ``get_options``)."""
    return Prepared(
        "analitic.getList", {}, lambda r: [read_analitic(node) for node in r.one("analitics").all("analitic")]
    )


def get_options(id: int) -> Prepared[Analitic]:
    """``analitic.getOptions``: an analitic with its fields."""
    return Prepared(
        "analitic.getOptions", {"analitic": {"id": id}}, lambda r: read_analitic(r.one("analitic"))
    )


def get_handbook(handbook_id: int) -> Prepared[list[AnaliticHandbookRecord]]:
    """``analitic.getHandbook``: every record of a handbook, flat."""
    return Prepared(
        "analitic.getHandbook",
        {"handbook": {"id": handbook_id}},
        lambda r: [read_record(node) for node in r.one("records").all("record")],
    )


def get_data(keys: Sequence[int]) -> Prepared[list[AnaliticData]]:
    """``analitic.getData`` of data-row keys (``Action.analitics[i].key``), in that order."""
    return Prepared(
        "analitic.getData",
        {"analiticKeys": {"key": list(keys)}},
        lambda r: [read_data(node) for node in r.one("analiticDatas").all("analiticData")],
    )


def iterate_data_by_condition(
    analitic_id: int,
    *,
    task_id: int | None = None,
    task_general: int | None = None,
    filters: Sequence[AnaliticDataFilter] | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing[AnaliticData]:
    """``analitic.getDataByCondition``, every page: rows of one analitic meeting every filter."""
    params = {
        "analitic": {"id": analitic_id},
        "task": drop_none({"id": task_id, "general": task_general}) or None,
        "filters": {"filter": [one.params() for one in filters]} if filters else None,
    }
    return Listing("analitic.getDataByCondition", params, "analiticData", read_data, page_size)


def get_data_by_condition(
    analitic_id: int,
    *,
    task_id: int | None = None,
    task_general: int | None = None,
    filters: Sequence[AnaliticDataFilter] | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Prepared[Page[AnaliticData]]:
    """``analitic.getDataByCondition``, one page."""
    listing = iterate_data_by_condition(
        analitic_id, task_id=task_id, task_general=task_general, filters=filters
    )
    return listing.page(page, page_size)


def iterate_with_analitic(
    analitic_id: int, *, task_id: int | None = None, sort: str | None = None, page_size: int = PAGE_SIZE
) -> Listing[Action]:
    """``action.getListWithAnalitic``, every page: actions carrying a row of the analitic."""
    params = {
        "analitic": {"id": analitic_id},
        "task": None if task_id is None else {"id": task_id},
        "sort": sort,
    }
    return Listing("action.getListWithAnalitic", params, "action", read_action, page_size)


def get_list_with_analitic(
    analitic_id: int,
    *,
    task_id: int | None = None,
    sort: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Prepared[Page[Action]]:
    """``action.getListWithAnalitic``, one page."""
    return iterate_with_analitic(analitic_id, task_id=task_id, sort=sort).page(page, page_size)
