"""Data rows: checked and written for action.add / action.update, read for analitic.getData*.

Checks come before any write, so a refused request changes nothing: the analitic (4010), the
row's key (4016), each field (4012) and value (4013), the references (4013 / 4014 / 4015), and a
new row must carry at least one field (4011). A row need not carry every field of its analitic:
the ones left out stay unset (a production client leaves a time period out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.analitics import catalog, references, values
from planfix_server.domain.analitics.data import DataRepository
from planfix_server.domain.analitics.definitions import AnaliticDef
from planfix_server.domain.analitics.requests import ItemDataIn
from planfix_server.domain.analitics.values import Parsed
from planfix_server.store.uow import AccountUnitOfWork


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """One checked row: a new one (``key`` None) or changes to an existing one."""

    analitic: AnaliticDef
    key: int | None
    values: dict[int, Parsed | None]


def require_for_action(uow: AccountUnitOfWork, analitic_id: int, path: str) -> AnaliticDef:
    """The analitic named in an action function: 4010 when the account has none such."""
    found = catalog.find(uow, analitic_id)
    if found is None:
        raise errors.ActionAnaliticNotFound(f"{path}: {analitic_id}")
    return found


def plan_row(
    uow: AccountUnitOfWork,
    call: Call,
    analitic_id: int,
    key: int | None,
    items: Sequence[ItemDataIn] | None,
    action_id: int | None,
    path: str,
) -> PlannedRow:
    """Check one ``<analitic>`` of an action request (references are checked by ``check``)."""
    analitic = require_for_action(uow, analitic_id, f"{path}/id")
    if key is not None:
        found = uow.get(DataRepository).rows_by_keys([key]).get(key)
        if (
            found is None
            or action_id is None
            or int(found.action_id) != action_id
            or int(found.analitic_id) != analitic.id
        ):
            raise errors.AnaliticDataKeyForeign(f"{path}/analiticData/key: {key}")
    elif not items:
        raise errors.AnaliticFieldsMissing(f"{path}/analiticData: no itemData")
    parsed: dict[int, Parsed | None] = {}
    for item in items or ():
        spec = analitic.field(item.field_id)
        if spec is None:
            raise errors.AnaliticParameterUnknown(f"{path}/analiticData/itemData/fieldId: {item.field_id}")
        parsed[spec.id] = values.parse(spec, item.value, call.tz)
    return PlannedRow(analitic, key, parsed)


def check(uow: AccountUnitOfWork, planned: Sequence[PlannedRow]) -> None:
    """The references of every planned row, at once."""
    references.check(
        uow,
        [
            (spec, value)
            for row in planned
            for field_id, value in row.values.items()
            if value is not None and (spec := row.analitic.field(field_id)) is not None
        ],
    )


def require_own_keys(uow: AccountUnitOfWork, action_id: int, keys: Sequence[int], path: str) -> None:
    """``deletedAnalitics``: 4016 for a key that is no data row of this action."""
    found = uow.get(DataRepository).rows_by_keys(list(keys))
    for key in keys:
        row = found.get(key)
        if row is None or int(row.action_id) != action_id:
            raise errors.AnaliticDataKeyForeign(f"{path}: {key}")


def write(
    uow: AccountUnitOfWork,
    call: Call,
    action_id: int,
    task_id: int | None,
    planned: Sequence[PlannedRow],
    deleted: Sequence[int] = (),
) -> None:
    """Store checked rows on the action (new rows get a fresh key), then drop ``deleted``."""
    repo = uow.get(DataRepository)
    for row in planned:
        key = row.key
        if key is None:
            key = uow.next_id("analitic_data")
            repo.add_row(key, row.analitic.id, action_id, task_id, call.now)
        repo.set_values(key, row.values)
    repo.drop_rows(list(dict.fromkeys(deleted)))


# -- reading


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    name: str
    value: str
    value_id: str


@dataclass(frozen=True, slots=True)
class DataView:
    key: int
    task_id: int | None = None
    action_id: int | None = None
    items: list[ItemView] = field(default_factory=list)


def views(
    uow: AccountUnitOfWork, call: Call, found: Sequence[tuple[int, int, int | None, int]]
) -> list[DataView]:
    """Views of rows given as (key, analitic id, task id, action id): every field of the analitic
    in its order, unset ones empty."""
    keys = [key for key, _, _, _ in found]
    stored = uow.get(DataRepository).values(keys)
    analitics = {analitic_id: catalog.find(uow, analitic_id) for _, analitic_id, _, _ in found}
    pairs = [
        (spec, value)
        for key, analitic_id, _, _ in found
        if (analitic := analitics[analitic_id]) is not None
        for spec in analitic.fields
        if (value := stored.get(key, {}).get(spec.id)) is not None
    ]
    names = references.names_for(uow, pairs, call.tz)
    made = []
    for key, analitic_id, task_id, action_id in found:
        analitic = analitics[analitic_id]
        items = []
        for spec in analitic.fields if analitic is not None else ():
            value, value_id = values.render(spec, stored.get(key, {}).get(spec.id), names)
            items.append(ItemView(spec.id, spec.name, value, value_id))
        made.append(DataView(key, task_id, action_id, items))
    return made
