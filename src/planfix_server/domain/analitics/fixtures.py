"""Fixture sections ``analitic_groups`` and ``analitics``: analitic definitions.

::

    "analitic_groups": [{"name": "Time management"}],
    "analitics": [{"name": "Work log", "group": "Time management",
                   "fields": [{"name": "Kind of work", "type": "HANDBOOK", "handbook": "Kinds of work"},
                              {"name": "Date", "type": "DATE"},
                              {"name": "Stage", "type": "LIST", "options": ["A", "B"]}]}]

A group is named by its name in ``analitic_groups``; a HANDBOOK / HANDBOOKSET field names its
handbook by id, or by the name the handbooks section gave it (``handbook`` references). The
answer lists ``{"analitic_groups": {name: id}, "analitics": {name: {"id", "fields": {name: id}}}}``.
"""

from __future__ import annotations

from typing import Any

from planfix_server.domain.analitics.catalog import define_analitic, define_field, define_group
from planfix_server.domain.analitics.definitions import FIELD_TYPES
from planfix_server.sandbox.fixtures import FixtureError, Item, SeedContext, entries, section

GROUP_FIELDS = ("name",)
ANALITIC_FIELDS = ("name", "group", "fields")
FIELD_FIELDS = ("name", "type", "options", "handbook")
HANDBOOK_REF = "handbook"


@section("analitic_groups", order=53)
def load_analitic_groups(context: SeedContext, data: Any, where: str) -> None:
    made: dict[str, int] = {}
    for value, place in entries(data, where):
        item = Item(value, place, GROUP_FIELDS)
        name = item.need("name")
        try:
            group_id = define_group(context.uow, context.now, name)
        except ValueError as exc:
            raise FixtureError(f"{place}: {exc}") from None
        context.remember("analitic_groups", name, group_id, place)
        made[name] = group_id
    context.result["analitic_groups"] = made


def _handbook(context: SeedContext, item: Item) -> int | None:
    value = item.data.get("handbook")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FixtureError(f"{item.at('handbook')}: expected a handbook id or name")
    if isinstance(value, int):
        return value
    return context.ref(HANDBOOK_REF, value, item.at("handbook"))


@section("analitics", order=54)
def load_analitics(context: SeedContext, data: Any, where: str) -> None:
    made: dict[str, dict[str, Any]] = {}
    for value, place in entries(data, where):
        item = Item(value, place, ANALITIC_FIELDS)
        name = item.need("name")
        group = item.text("group")
        group_id = None if group is None else context.ref("analitic_groups", group, item.at("group"))
        fields: dict[str, int] = {}
        try:
            analitic_id = define_analitic(context.uow, context.now, name, group_id)
            for field_value, field_place in entries(item.data.get("fields", []), item.at("fields")):
                spec = Item(field_value, field_place, FIELD_FIELDS)
                field_name = spec.need("name")
                if field_name in fields:
                    raise FixtureError(f"{spec.at('name')}: {field_name!r} appears twice")
                fields[field_name] = define_field(
                    context.uow,
                    analitic_id,
                    name=field_name,
                    field_type=spec.need("type", choices=FIELD_TYPES),
                    options=spec.texts("options") or (),
                    handbook_id=_handbook(context, spec),
                )
        except ValueError as exc:
            if isinstance(exc, FixtureError):
                raise
            raise FixtureError(f"{place}: {exc}") from None
        context.remember("analitics", name, analitic_id, place)
        made[name] = {"id": analitic_id, "fields": fields}
    context.result["analitics"] = made
