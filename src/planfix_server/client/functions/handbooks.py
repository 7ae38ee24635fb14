"""``handbook.*`` (``planfix-xml-api/22-handbooks-analitics.md`` §3-§10) as typed calls: handbooks
(directories), their fields and their records.

A record is named by its ``key``; group records (``is_group``) hold other records
(``parent_key``) and carry no field values. Field values are written as ``{field_id: value}`` in
the API's write forms (a list of ids becomes ``[1,2]``) and read as ``RecordValue(field_id, value,
text)``, one per field of the handbook in field order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.client.calls import PAGE_SIZE, Listing, Prepared
from planfix_server.client.element import Element
from planfix_server.client.functions.common import EMPTY, Ref, custom_params, ident, need_id, ref_of
from planfix_server.client.response import Page, Response


@dataclass(frozen=True, slots=True)
class Handbook:
    """A handbook of ``handbook.getList``; ``group`` is None outside any group."""

    id: int
    name: str
    group: Ref | None


@dataclass(frozen=True, slots=True)
class HandbookField:
    """A field of ``handbook.getStructure``: ``id`` is what ``values`` of add/update take."""

    id: int
    num: int
    name: str
    type: str
    list_values: list[str]  # LIST fields
    handbook_id: int | None  # HANDBOOK / HANDBOOKSET fields: the handbook their records come from


@dataclass(frozen=True, slots=True)
class HandbookStructure:
    id: int
    name: str
    group_id: int | None
    fields: list[HandbookField]
    element: Element = field(default=EMPTY, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class RecordValue:
    """A field's value in a record: ``value`` raw (ids, 0/1, canonical numbers), ``text`` as shown."""

    field_id: int
    value: str
    text: str


@dataclass(frozen=True, slots=True)
class HandbookRecord:
    key: int
    parent_key: int | None  # None: top level
    is_group: bool
    name: str  # a group's name
    archived: bool
    values: list[RecordValue]
    element: Element = field(default=EMPTY, repr=False, compare=False)


def read_handbook(el: Element) -> Handbook:
    return Handbook(need_id(el), el.text_of("name"), ref_of(el, "group"))


def read_field(el: Element) -> HandbookField:
    return HandbookField(
        id=need_id(el),
        num=el.int_of("num") or 0,
        name=el.text_of("name"),
        type=el.text_of("type"),
        list_values=[node.text for node in el.findall("list/value")],
        handbook_id=ident(el, "handbook/id"),
    )


def read_structure(el: Element) -> HandbookStructure:
    return HandbookStructure(
        id=need_id(el),
        name=el.text_of("name"),
        group_id=ident(el, "group/id"),
        fields=[read_field(node) for node in el.findall("fields/field")],
        element=el,
    )


def read_record(el: Element) -> HandbookRecord:
    return HandbookRecord(
        key=need_id(el, "key"),
        parent_key=ident(el, "parentKey"),
        is_group=el.bool_of("isGroup"),
        name=el.text_of("name"),
        archived=el.bool_of("archived"),
        values=[
            RecordValue(node.int_of("field/id") or 0, node.text_of("value"), node.text_of("text"))
            for node in el.findall("customData/customValue")
        ],
        element=el,
    )


def _key(response: Response) -> int:
    return need_id(response, "key")


def _handbook(handbook_id: int) -> dict[str, Any]:
    return {"handbook": {"id": handbook_id}}


def get_group_list() -> Prepared[list[Ref]]:
    """``handbook.getGroupList``: every handbook group."""

    def read(response: Response) -> list[Ref]:
        return [
            Ref(need_id(node), node.text_of("name")) for node in response.one("handbookGroups").all("group")
        ]

    return Prepared("handbook.getGroupList", {}, read)


def get_list(group_id: int | None = None) -> Prepared[list[Handbook]]:
    """``handbook.getList``: every handbook, or those of one group."""
    params = {"group": None if group_id is None else {"id": group_id}}
    return Prepared(
        "handbook.getList",
        params,
        lambda r: [read_handbook(node) for node in r.one("handbooks").all("handbook")],
    )


def get_structure(handbook_id: int) -> Prepared[HandbookStructure]:
    """``handbook.getStructure``: the handbook's fields in order."""
    return Prepared(
        "handbook.getStructure", _handbook(handbook_id), lambda r: read_structure(r.one("handbook"))
    )


def iterate_records(
    handbook_id: int, *, parent_key: int | None = None, page_size: int = PAGE_SIZE
) -> Listing[HandbookRecord]:
    """``handbook.getRecords``, every page of one level: the top, or the records in ``parent_key``."""
    params = {**_handbook(handbook_id), "parentKey": parent_key}
    return Listing("handbook.getRecords", params, "record", read_record, page_size)


def get_records(
    handbook_id: int, *, parent_key: int | None = None, page: int = 1, page_size: int = PAGE_SIZE
) -> Prepared[Page[HandbookRecord]]:
    """``handbook.getRecords``, one page of one level."""
    return iterate_records(handbook_id, parent_key=parent_key).page(page, page_size)


def get_record(handbook_id: int, key: int) -> Prepared[HandbookRecord]:
    """``handbook.getRecord``."""
    params = {**_handbook(handbook_id), "key": key}
    return Prepared("handbook.getRecord", params, lambda r: read_record(r.one("record")))


def get_record_multi(handbook_id: int, keys: Sequence[int]) -> Prepared[list[HandbookRecord]]:
    """``handbook.getRecordMulti``: up to 100 records by key (keys the handbook lacks are left out)."""
    if not keys:
        raise ValueError("handbook.getRecordMulti needs at least one key")
    params = {**_handbook(handbook_id), "records": {"key": list(keys)}}
    return Prepared(
        "handbook.getRecordMulti",
        params,
        lambda r: [read_record(node) for node in r.one("records").all("record")],
    )


def _record_params(
    handbook_id: int,
    values: Mapping[int, Any] | None,
    parent_key: int | None,
    name: str | None,
    archived: bool | None,
) -> dict[str, Any]:
    return {
        **_handbook(handbook_id),
        "parentKey": parent_key,
        "name": name,
        "archived": archived,
        "customData": custom_params(values),
    }


def add_record(
    handbook_id: int,
    values: Mapping[int, Any] | None = None,
    *,
    parent_key: int | None = None,
    group_name: str | None = None,
    archived: bool | None = None,
) -> Prepared[int]:
    """``handbook.addRecord``: a record with ``values`` ({field id: value}), or with ``group_name``
    a group record; returns its key."""
    params = _record_params(handbook_id, values, parent_key, group_name, archived)
    if group_name is not None:
        params["isGroup"] = True
    return Prepared("handbook.addRecord", params, _key)


def update_record(
    handbook_id: int,
    key: int,
    values: Mapping[int, Any] | None = None,
    *,
    parent_key: int | None = None,
    name: str | None = None,
    archived: bool | None = None,
) -> Prepared[int]:
    """``handbook.updateRecord``: only what is given changes (``parent_key=0`` moves it to the top
    level; an empty value clears a field); returns the key."""
    params = {**_record_params(handbook_id, values, parent_key, name, archived), "key": key}
    return Prepared("handbook.updateRecord", params, _key)
