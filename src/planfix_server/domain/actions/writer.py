"""Writing one entry of a task's or a contact's history.

``action.add`` and every change the task and contact functions report (task created, status
changed, assignee added …) end up here, so every action is stored the same way: the row, the
people it notifies, and an unread mark for each of them but the author.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.domain.actions import queries
from planfix_server.store.scoped import Repository
from planfix_server.store.tables import action_notified, action_unread, actions
from planfix_server.store.uow import AccountUnitOfWork


@dataclass(frozen=True, slots=True)
class DateChange:
    """Old and new value of a task date; None where the date was not set."""

    old: dt.datetime | None
    new: dt.datetime | None


@dataclass(frozen=True, slots=True)
class NewAction:
    type: str
    owner_id: int
    created_at: dt.datetime
    task_id: int | None = None
    contact_id: int | None = None
    description: str = ""
    is_hidden: bool = False
    from_email: bool = False
    old_status: int | None = None
    new_status: int | None = None
    end_change: DateChange | None = None
    start_change: DateChange | None = None
    notified: Sequence[int] = field(default_factory=tuple)
    # False for a silent call: the people are listed, but nothing turns up unread for them.
    notify: bool = True


class ActionWriter(Repository):
    def insert_action(self, action_id: int, action: NewAction) -> None:
        end, start = action.end_change, action.start_change
        self.insert(
            actions,
            id=action_id,
            type=action.type,
            owner_id=action.owner_id,
            description=action.description,
            created_at=action.created_at,
            task_id=action.task_id,
            contact_id=action.contact_id,
            is_hidden=action.is_hidden,
            from_email=action.from_email,
            old_status=action.old_status,
            new_status=action.new_status,
            old_end_at=end.old if end else None,
            new_end_at=end.new if end else None,
            end_changed=end is not None,
            old_start_at=start.old if start else None,
            new_start_at=start.new if start else None,
            start_changed=start is not None,
        )

    def insert_notified(self, action_id: int, user_ids: Sequence[int], unread: Sequence[int]) -> None:
        self.insert_many(action_notified, [{"action_id": action_id, "user_id": one} for one in user_ids])
        self.insert_many(action_unread, [{"action_id": action_id, "user_id": one} for one in unread])

    def replace_notified(
        self, action_id: int, user_ids: Sequence[int], unread: Sequence[int], dropped: Sequence[int]
    ) -> None:
        """A new notified list: ``unread`` marks for the newly notified, none left for the ``dropped``."""
        self.execute(queries.DROP_NOTIFIED, id=action_id)
        if dropped:
            self.execute(queries.DROP_UNREAD_OF, id=action_id, users=list(dropped))
        self.insert_many(action_notified, [{"action_id": action_id, "user_id": one} for one in user_ids])
        self.insert_many(action_unread, [{"action_id": action_id, "user_id": one} for one in unread])

    def update_action(self, action_id: int, **values: Any) -> None:
        if values:
            self.connection.execute(
                queries.UPDATE_ACTION.values(**values), {"tenant": self.account_id, "b_id": action_id}
            )

    def delete_action(self, action_id: int) -> None:
        self.execute(queries.DROP_UNREAD, id=action_id)
        self.execute(queries.DROP_NOTIFIED, id=action_id)
        self.execute(queries.DROP_ACTION, id=action_id)


def record(uow: AccountUnitOfWork, action: NewAction) -> int:
    """Store ``action``; its id. The caller has checked the task or contact and the people."""
    if (action.task_id is None) == (action.contact_id is None):
        raise ValueError("an action belongs to exactly one task or one contact")
    action_id = uow.next_id("actions")
    writer = uow.get(ActionWriter)
    writer.insert_action(action_id, action)
    notified = list(dict.fromkeys(action.notified))
    unread = [one for one in notified if one != action.owner_id] if action.notify else []
    writer.insert_notified(action_id, notified, unread)
    return action_id
