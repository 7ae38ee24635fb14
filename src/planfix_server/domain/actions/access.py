"""What an action belongs to and whether the caller may reach it (3001 / 4009 / 8002 / 4002 / 4008).

A task's actions are seen by whoever sees the task (domain/tasks/visibility.py), a contact's by
every employee and by the contact itself; a hidden action only by its author and the users it
notifies (administrators included: they are not told of it either).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.actions import views
from planfix_server.domain.actions.repository import ActionRepository
from planfix_server.domain.contacts.lookup import ContactLookup, ContactRef, require_contact
from planfix_server.domain.tasks import access as task_access
from planfix_server.domain.tasks.access import Loaded
from planfix_server.store.uow import AccountUnitOfWork


def task(
    uow: AccountUnitOfWork, call: Call, task_id: int | None, general: int | None, *, lock: bool = False
) -> Loaded:
    """The task as the caller sees it: 3001 when there is none, 4009 when he may not see it."""
    try:
        return task_access.load(uow, call, task_id, general, lock=lock)
    except errors.TaskAccessDenied:
        raise errors.ActionTaskAccessDenied(f"task {general or task_id}") from None


def contact(
    uow: AccountUnitOfWork, call: Call, general: int | None, path: str = "contact/general"
) -> ContactRef:
    """The contact by number: 8002 when there is none; a contact signed in reaches only itself (4001)."""
    found = require_contact(uow.get(ContactLookup), general=general, order=("general",), path=path)
    if call.is_contact and found.user_id != call.user.id:
        raise errors.ActionAccessDenied(f"{path}: another contact")
    return found


@dataclass(frozen=True, slots=True)
class Reached:
    """An action the caller may read: its row, the users it notifies, its task (if any)."""

    row: Any
    notified: list[tuple[int, str | None, str | None]]
    loaded: Loaded | None


def action(uow: AccountUnitOfWork, call: Call, action_id: int, *, lock: bool = False) -> Reached:
    """4002 for no such action, 4009 when its task is out of sight, 4008 for a hidden one not his."""
    repo = uow.get(ActionRepository)
    row = repo.row(action_id, call.user.id)
    if row is None:
        raise errors.ActionNotFound(f"action {action_id}")
    loaded = None
    if row.task_id is not None:
        loaded = task(uow, call, int(row.task_id), None, lock=lock)
    elif row.contact_id is not None and call.is_contact:
        owner = uow.get(ContactLookup).by_id(int(row.contact_id))
        if owner is None or owner.user_id != call.user.id:
            raise errors.CommentAccessDenied(f"action {action_id}: another contact's")
    notified = repo.notified([action_id]).get(action_id, [])
    if not views.may_see(row, notified, call.user.id):
        raise errors.CommentAccessDenied(f"action {action_id}: hidden")
    return Reached(row, notified, loaded)


def may_change(call: Call, row: Any) -> None:
    """Only the author and administrators change or delete an action (4001)."""
    if row.owner_id != call.user.id and not call.is_admin:
        raise errors.ActionAccessDenied(f"action {row.id}: not the author")
