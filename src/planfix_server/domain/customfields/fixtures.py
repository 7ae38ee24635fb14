"""Fixture section ``custom_fields``: field definitions of tasks, projects and contacts.

::

    "custom_fields": [{"object": "task", "name": "Time spent", "type": "number", "unit": "min"},
                      {"object": "project", "name": "Stage", "type": "list", "options": ["A", "B"]}]

Fields are referable by ``object`` and name (``fields_ref``), so later sections can give values
as ``{"custom_data": {"Time spent": "548"}}`` (``write_fixture_values``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planfix_server.api.context import Call
from planfix_server.domain.customfields.service import CustomValueIn, define_field, write_values
from planfix_server.domain.customfields.types import OBJECT_KINDS, TYPES
from planfix_server.domain.users.repository import UserRepository
from planfix_server.sandbox.fixtures import FixtureError, Item, SeedContext, entries, section

FIELD_FIELDS = ("object", "name", "type", "options", "unit", "handbook")


def fields_ref(object_kind: str) -> str:
    return f"{object_kind}_fields"


@section("custom_fields", order=55)
def load_custom_fields(context: SeedContext, data: Any, where: str) -> None:
    """Field definitions, in form order."""
    made: dict[str, dict[str, int]] = {}
    for value, place in entries(data, where):
        item = Item(value, place, FIELD_FIELDS)
        object_kind = item.need("object", choices=OBJECT_KINDS)
        name = item.need("name")
        handbook = item.data.get("handbook")
        if handbook is not None and (not isinstance(handbook, int) or isinstance(handbook, bool)):
            raise FixtureError(f"{item.at('handbook')}: expected a number")
        try:
            field_id = define_field(
                context.uow,
                context.now,
                object_kind=object_kind,
                name=name,
                field_type=item.need("type", choices=TYPES),
                options=item.texts("options") or (),
                unit=item.text("unit") or "",
                handbook_id=handbook,
            )
        except ValueError as exc:
            raise FixtureError(f"{place}: {exc}") from None
        context.remember(fields_ref(object_kind), name, field_id, place)
        made.setdefault(object_kind, {})[name] = field_id
    context.result["custom_fields"] = made


def fixture_call(context: SeedContext, user_id: int) -> Call:
    """A call as ``user_id`` at the fixture's time (what writing values needs: zone, settings)."""
    user = context.uow.get(UserRepository).by_id(user_id)
    assert user is not None
    return Call(account=context.account, user=user, now=context.now, request_id="fixture")


def write_fixture_values(
    context: SeedContext, object_kind: str, object_id: int, data: Any, where: str, user_id: int
) -> None:
    """``{"field name": "value", …}`` written as through <customData> (values in the API's forms)."""
    if data is None:
        return
    if not isinstance(data, Mapping):
        raise FixtureError(f"{where}: expected a mapping of field name to value")
    given = []
    for name, value in data.items():
        if not isinstance(value, str):
            raise FixtureError(f"{where}.{name}: expected text (the value as the API writes it)")
        field_id = context.ref(fields_ref(object_kind), str(name), f"{where}.{name}")
        given.append(CustomValueIn(field_id, value))
    with context.at(where):
        write_values(context.uow, object_kind, object_id, given, fixture_call(context, user_id))
