"""Fixture sections ``handbook_groups`` and ``handbooks``::

    "handbook_groups": [{"name": "Work types"}],
    "handbooks": [
      {"name": "Units", "fields": [{"name": "Name", "type": "STRING", "displayed": true}],
       "records": [{"values": {"Name": "minute"}}, {"values": {"Name": "hour"}}]},
      {"name": "Kinds of work", "group": "Work types",
       "fields": [{"name": "Name", "type": "STRING"},
                  {"name": "Unit", "type": "HANDBOOK", "handbook": "Units"},
                  {"name": "Size", "type": "LIST", "options": ["S", "L"]}],
       "records": [{"group": "Programming", "records": [{"values": {"Name": "Coding", "Size": "L"}}]},
                   {"values": {"Name": "Old"}, "archived": true}]}
    ]

A field's ``handbook`` names a handbook of the section (or gives its id). Record values are keyed by
field name, in the API's write forms (a HANDBOOK value is a record key). Handbooks are remembered
by name as ``handbook`` (``context.ref("handbook", name, where)``) for later sections (analitics).
The loader answers ``{"handbooks": {name: {"id", "fields": {name: id}, "records": [key, …]}}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planfix_server.api.context import Call
from planfix_server.domain.customfields.datatag_types import HANDBOOK_FIELD_TYPES
from planfix_server.domain.handbooks import definitions, service
from planfix_server.domain.handbooks.requests import RecordAdd, RecordValueIn
from planfix_server.domain.users.repository import UserRepository
from planfix_server.sandbox.fixtures import FixtureError, Item, SeedContext, entries, section

HANDBOOK_REF = "handbook"  # the kind under which handbooks are remembered, by name
GROUP_REF = "handbook_groups"
HANDBOOK_FIELDS = ("name", "group", "fields", "records")
FIELD_FIELDS = ("name", "type", "options", "handbook", "displayed")
RECORD_FIELDS = ("group", "values", "archived", "records")


@section("handbook_groups", order=51)
def load_handbook_groups(context: SeedContext, data: Any, where: str) -> None:
    """Handbook groups by name, in order."""
    made: dict[str, int] = {}
    for value, place in entries(data, where):
        item = Item(value, place, ("name",))
        name = item.need("name")
        try:
            group_id = definitions.add_group(context.uow, name, context.now)
        except ValueError as exc:
            raise FixtureError(f"{place}: {exc}") from None
        context.remember(GROUP_REF, name, group_id, place)
        made[name] = group_id
    context.result["handbook_groups"] = made


def _target(context: SeedContext, item: Item) -> int | None:
    value = item.data.get("handbook")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return context.ref(HANDBOOK_REF, value.strip(), item.at("handbook"))
    raise FixtureError(f"{item.at('handbook')}: expected a handbook name or id")


@section("handbooks", order=52)
def load_handbooks(context: SeedContext, data: Any, where: str) -> None:
    """Handbooks with their fields and records; every handbook first, so fields may name any."""
    items: list[tuple[Item, int]] = []
    for value, place in entries(data, where):
        item = Item(value, place, HANDBOOK_FIELDS)
        name = item.need("name")
        group = item.text("group")
        group_id = None if group is None else context.ref(GROUP_REF, group.strip(), item.at("group"))
        try:
            handbook_id = definitions.add_handbook(context.uow, name, context.now, group_id)
        except ValueError as exc:
            raise FixtureError(f"{place}: {exc}") from None
        context.remember(HANDBOOK_REF, name, handbook_id, place)
        items.append((item, handbook_id))
    made: dict[str, dict[str, Any]] = {}
    for item, handbook_id in items:
        fields: dict[str, int] = {}
        for value, place in entries(item.data.get("fields", []), item.at("fields")):
            fields_item = Item(value, place, FIELD_FIELDS)
            name = fields_item.need("name")
            if name in fields:
                raise FixtureError(f"{place}: the field {name!r} appears twice")
            try:
                fields[name] = definitions.add_field(
                    context.uow,
                    handbook_id,
                    name=name,
                    field_type=fields_item.need("type", choices=HANDBOOK_FIELD_TYPES),
                    options=fields_item.texts("options") or (),
                    target_handbook_id=_target(context, fields_item),
                    displayed=fields_item.flag("displayed"),
                )
            except ValueError as exc:
                raise FixtureError(f"{place}: {exc}") from None
        made[str(item.data["name"]).strip()] = {"id": handbook_id, "fields": fields, "records": []}
    call = _owner_call(context)
    for item, handbook_id in items:
        entry = made[str(item.data["name"]).strip()]
        _records(context, call, handbook_id, entry, item.data.get("records", []), item.at("records"), None)
    context.result["handbooks"] = made


def _owner_call(context: SeedContext) -> Call:
    user_id = context.ref("users", context.owner_login, "owner")
    user = context.uow.get(UserRepository).by_id(user_id)
    assert user is not None
    return Call(account=context.account, user=user, now=context.now, request_id="fixture", silent=True)


def _records(
    context: SeedContext,
    call: Call,
    handbook_id: int,
    entry: dict[str, Any],
    data: Any,
    where: str,
    parent: int | None,
) -> None:
    for value, place in entries(data, where):
        item = Item(value, place, RECORD_FIELDS)
        group = item.text("group")
        values = item.data.get("values") or {}
        if not isinstance(values, Mapping):
            raise FixtureError(f"{item.at('values')}: expected a mapping of field name to value")
        given = []
        for name, text in values.items():
            if not isinstance(text, str):
                raise FixtureError(
                    f"{item.at('values')}.{name}: expected text (the value as the API writes it)"
                )
            field_id = entry["fields"].get(str(name))
            if field_id is None:
                raise FixtureError(f"{item.at('values')}.{name}: no such field in this handbook")
            given.append(RecordValueIn(field_id, text))
        if "records" in item and group is None:
            raise FixtureError(f"{item.at('records')}: only a group record holds records")
        request = RecordAdd(
            handbook_id=handbook_id,
            parent_key=parent,
            is_group=group is not None,
            name=group,
            archived=item.flag("archived"),
            custom_data=given,
        )
        with context.at(place):
            key = service.add_record(context.uow, call, request)
        entry["records"].append(key)
        if group is not None:
            _records(context, call, handbook_id, entry, item.data.get("records", []), item.at("records"), key)
