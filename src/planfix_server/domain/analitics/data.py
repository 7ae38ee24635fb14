"""The SQL of data rows: writing them with their values, and reading them as a caller may.

A caller reads a row when he sees its action: not hidden from him (the rule of the action
functions) and, for a task's action, when he sees the task (``tasks.visibility``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, exists, false, func, or_, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.analitics.values import Parsed
from planfix_server.domain.tasks.visibility import Viewer, visible
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import (
    action_notified,
    actions,
    analitic_data,
    analitic_value_refs,
    analitic_values,
    analitics,
    tasks,
)

TENANT: BindParameter[int] = bindparam("tenant")
ME: BindParameter[int] = bindparam("me")
_KEYS: BindParameter[list[int]] = bindparam("keys", expanding=True)

_ROWS_OF_ACTIONS = Scoped(
    select(analitic_data.c.action_id, analitic_data.c.id, analitic_data.c.analitic_id, analitics.c.name)
    .join(
        analitics,
        and_(
            analitics.c.account_id == analitic_data.c.account_id,
            analitics.c.id == analitic_data.c.analitic_id,
        ),
    )
    .where(
        analitic_data.c.account_id == TENANT, analitic_data.c.action_id.in_(bindparam("ids", expanding=True))
    )
    .order_by(analitic_data.c.action_id, analitic_data.c.id)
)
_ROWS_BY_KEYS = Scoped(
    select(analitic_data.c.id, analitic_data.c.analitic_id, analitic_data.c.action_id).where(
        analitic_data.c.account_id == TENANT, analitic_data.c.id.in_(_KEYS)
    )
)
_VALUES = Scoped(
    select(analitic_values.c.data_id, analitic_values.c.field_id, analitic_values.c.value).where(
        analitic_values.c.account_id == TENANT, analitic_values.c.data_id.in_(_KEYS)
    )
)
_DROP_REFS = Scoped(
    delete(analitic_value_refs).where(
        analitic_value_refs.c.account_id == TENANT,
        analitic_value_refs.c.data_id == bindparam("key"),
        analitic_value_refs.c.field_id.in_(bindparam("fields", expanding=True)),
    )
)
_DROP_VALUES = Scoped(
    delete(analitic_values).where(
        analitic_values.c.account_id == TENANT,
        analitic_values.c.data_id == bindparam("key"),
        analitic_values.c.field_id.in_(bindparam("fields", expanding=True)),
    )
)
_DROP_ROWS = Scoped(
    delete(analitic_data).where(analitic_data.c.account_id == TENANT, analitic_data.c.id.in_(_KEYS))
)

# Rows with their action and (outer) task, for the caller's visibility.
SOURCE = analitic_data.join(
    actions,
    and_(actions.c.account_id == analitic_data.c.account_id, actions.c.id == analitic_data.c.action_id),
).outerjoin(
    tasks, and_(tasks.c.account_id == analitic_data.c.account_id, tasks.c.id == analitic_data.c.task_id)
)


def readable(viewer: Viewer) -> list[ColumnElement[bool]]:
    """The caller (``:me``) sees the row's action, and its task when it has one."""
    seen = or_(
        actions.c.is_hidden == false(),
        actions.c.owner_id == ME,
        exists().where(
            action_notified.c.account_id == TENANT,
            action_notified.c.action_id == actions.c.id,
            action_notified.c.user_id == ME,
        ),
    )
    found = [analitic_data.c.account_id == TENANT, seen]
    task_seen = visible(viewer, TENANT)
    if task_seen is not None:
        found.append(or_(analitic_data.c.task_id.is_(None), task_seen))
    return found


def keys_query(conditions: Sequence[ColumnElement[bool]]) -> Scoped:
    """Keys of the rows among ``:keys`` that meet ``conditions``."""
    return Scoped(
        select(analitic_data.c.id).select_from(SOURCE).where(*conditions, analitic_data.c.id.in_(_KEYS))
    )


def page_query(conditions: Sequence[ColumnElement[bool]]) -> tuple[Scoped, Scoped]:
    """A page (``:offset``/``:limit``, by key) of the rows meeting ``conditions``, and their count."""
    rows = (
        select(analitic_data.c.id, analitic_data.c.task_id, analitic_data.c.action_id)
        .select_from(SOURCE)
        .where(*conditions)
        .order_by(analitic_data.c.id)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )
    count = select(func.count()).select_from(SOURCE).where(*conditions)
    return Scoped(rows), Scoped(count)


def value_between(index: int) -> ColumnElement[bool]:
    """Filter ``index``: the row's field ``:f<index>`` holds a value from ``:lo<index>`` to ``:hi<index>``."""
    return exists().where(
        analitic_values.c.account_id == TENANT,
        analitic_values.c.data_id == analitic_data.c.id,
        analitic_values.c.field_id == bindparam(f"f{index}"),
        analitic_values.c.value >= bindparam(f"lo{index}"),
        analitic_values.c.value <= bindparam(f"hi{index}"),
    )


def refers_to(index: int) -> ColumnElement[bool]:
    """Filter ``index``: the row's field ``:f<index>`` refers to the object ``:u<index>``."""
    return exists().where(
        analitic_value_refs.c.account_id == TENANT,
        analitic_value_refs.c.data_id == analitic_data.c.id,
        analitic_value_refs.c.field_id == bindparam(f"f{index}"),
        analitic_value_refs.c.ref_id == bindparam(f"u{index}"),
    )


class DataRepository(Repository):
    def add_row(
        self, key: int, analitic_id: int, action_id: int, task_id: int | None, at: dt.datetime
    ) -> None:
        self.insert(
            analitic_data,
            id=key,
            analitic_id=analitic_id,
            action_id=action_id,
            task_id=task_id,
            created_at=at,
        )

    def set_values(self, key: int, values: Mapping[int, Parsed | None]) -> None:
        """Replace the values of the fields in ``values`` (None: the field becomes unset)."""
        fields = sorted(values)
        if not fields:
            return
        self.execute(_DROP_REFS, key=key, fields=fields)
        self.execute(_DROP_VALUES, key=key, fields=fields)
        stored = [(field_id, value) for field_id, value in values.items() if value is not None]
        self.insert_many(
            analitic_values,
            [{"data_id": key, "field_id": field_id, "value": value.value} for field_id, value in stored],
        )
        self.insert_many(
            analitic_value_refs,
            [
                {"data_id": key, "field_id": field_id, "ref_id": ref, "position": position}
                for field_id, value in stored
                for position, ref in enumerate(value.refs)
            ],
        )

    def drop_rows(self, keys: Sequence[int]) -> None:
        if keys:
            self.execute(_DROP_ROWS, keys=list(keys))

    def rows_by_keys(self, keys: Sequence[int]) -> dict[int, Any]:
        if not keys:
            return {}
        return {int(row.id): row for row in self.rows(_ROWS_BY_KEYS, keys=list(keys))}

    def rows_of_actions(self, action_ids: Sequence[int]) -> Sequence[Any]:
        if not action_ids:
            return []
        return self.rows(_ROWS_OF_ACTIONS, ids=list(action_ids))

    def values(self, keys: Sequence[int]) -> dict[int, dict[int, str]]:
        found: dict[int, dict[int, str]] = {}
        if keys:
            for row in self.rows(_VALUES, keys=list(keys)):
                found.setdefault(int(row.data_id), {})[int(row.field_id)] = row.value
        return found
