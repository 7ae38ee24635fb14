"""Processes (status sets), task statuses and transitions of one account."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.sql.elements import BindParameter

from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import status_set_members, status_sets, status_transitions, task_statuses

_ACCOUNT: BindParameter[int] = bindparam("tenant")

_SETS = Scoped(select(status_sets).where(status_sets.c.account_id == _ACCOUNT).order_by(status_sets.c.id))
_SET = Scoped(
    select(status_sets).where(status_sets.c.account_id == _ACCOUNT, status_sets.c.id == bindparam("set_id"))
)
_DEFAULT_SET_ID = Scoped(
    select(status_sets.c.id)
    .where(status_sets.c.account_id == _ACCOUNT, status_sets.c.is_default)
    .order_by(status_sets.c.id)
    .limit(1)
)
_CLEAR_DEFAULT = Scoped(
    update(status_sets)
    .where(status_sets.c.account_id == _ACCOUNT, status_sets.c.id != bindparam("b_keep"))
    .values(is_default=False)
)
_STATUSES = Scoped(
    select(task_statuses).where(task_statuses.c.account_id == _ACCOUNT).order_by(task_statuses.c.id)
)
_MAX_STATUS_ID = Scoped(select(func.max(task_statuses.c.id)).where(task_statuses.c.account_id == _ACCOUNT))
_MEMBERS = Scoped(
    select(status_set_members.c.status_id)
    .where(status_set_members.c.account_id == _ACCOUNT, status_set_members.c.set_id == bindparam("set_id"))
    .order_by(status_set_members.c.position, status_set_members.c.status_id)
)
_TRANSITIONS = Scoped(
    select(
        status_transitions.c.from_status, status_transitions.c.to_status, status_transitions.c.actor
    ).where(status_transitions.c.account_id == _ACCOUNT, status_transitions.c.set_id == bindparam("set_id"))
)


class StatusRepository(Repository):
    # What service.py has read in this unit of work (statuses never change mid-request).
    status_cache: Any = None

    def sets(self) -> Sequence[Row[Any]]:
        return self.rows(_SETS)

    def set(self, set_id: int) -> Row[Any] | None:
        return self.first(_SET, set_id=set_id)

    def default_set_id(self) -> int | None:
        found = self.scalar(_DEFAULT_SET_ID)
        return None if found is None else int(found)

    def statuses(self) -> Sequence[Row[Any]]:
        return self.rows(_STATUSES)

    def max_status_id(self) -> int:
        return int(self.scalar(_MAX_STATUS_ID) or 0)

    def member_ids(self, set_id: int) -> list[int]:
        return [int(row.status_id) for row in self.rows(_MEMBERS, set_id=set_id)]

    def transitions(self, set_id: int) -> list[tuple[int, int, str]]:
        return [
            (int(row.from_status), int(row.to_status), row.actor)
            for row in self.rows(_TRANSITIONS, set_id=set_id)
        ]

    def add_set(
        self, set_id: int, name: str, *, is_default: bool, accept_status_id: int, auto_accept: bool
    ) -> None:
        self.insert(
            status_sets,
            id=set_id,
            name=name,
            is_default=is_default,
            accept_status_id=accept_status_id,
            auto_accept=auto_accept,
        )
        if is_default:
            self.execute(_CLEAR_DEFAULT, b_keep=set_id)

    def add_statuses(self, rows: Sequence[dict[str, Any]]) -> None:
        self.insert_many(task_statuses, rows)

    def add_members(self, set_id: int, status_ids: Sequence[int]) -> None:
        self.insert_many(
            status_set_members,
            [
                {"set_id": set_id, "status_id": status_id, "position": position}
                for position, status_id in enumerate(status_ids)
            ],
        )

    def add_transitions(self, set_id: int, transitions: Sequence[tuple[int, int, str]]) -> None:
        self.insert_many(
            status_transitions,
            [
                {"set_id": set_id, "from_status": source, "to_status": target, "actor": side}
                for source, target, side in dict.fromkeys(transitions)
            ],
        )
