"""The rules of adding, changing and deleting actions (20-actions.md §2, §3, §8).

Checks come first, in this order, so a refused request changes nothing: the target (0009 / 0019,
3001 / 4009 / 8002, 4002 / 4008), the caller's rights (4001), the people (6004), analitics
(4010-4016), and last the status change, which goes through the rules of task.changeStatus
(any refusal there is 4006 here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.actions import access, analitics
from planfix_server.domain.actions.repository import ActionRepository
from planfix_server.domain.actions.requests import ActionAdd, ActionUpdate
from planfix_server.domain.actions.writer import ActionWriter, NewAction, record
from planfix_server.domain.files.repository import FileRepository
from planfix_server.domain.tasks import people, status_rules
from planfix_server.domain.tasks.access import Loaded
from planfix_server.domain.tasks.status_rules import Move
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.fields import Moment

# The only types action.update may change (others answer 4004) and action.delete may remove (4001).
USER_TYPES = ("ACTION", "COMMENT")
# What task.changeStatus may answer for a status it refuses: all of it is 4006 for an action.
_STATUS_REFUSALS = (
    errors.InvalidParameterValue,
    errors.ValueNotAllowedHere,
    errors.DependentParameterMissing,
    errors.TaskEditDenied,
    errors.TaskNotAccepted,
)


def move_status(uow: AccountUnitOfWork, call: Call, loaded: Loaded, given: str, path: str) -> Move | None:
    """The task's status change asked by an action; None when the task already stands there."""
    try:
        return status_rules.change(uow, call, loaded, given, None, path, quiet=True)
    except _STATUS_REFUSALS as exc:
        raise errors.StatusNotAllowed(exc.detail) from None


def _when(call: Call, given: Moment | None, path: str) -> dt.datetime | None:
    """``dateTime``: administrators only (4001)."""
    if given is None:
        return None
    if not call.is_admin:
        raise errors.ActionAccessDenied(f"{path}: only administrators set the time")
    return call.to_utc(given.local())


def _owner(uow: AccountUnitOfWork, call: Call, given: int | None) -> int:
    """``owner/id``: a user's id or a contact's userid; another than the caller takes an administrator."""
    if given is None or given == call.user.id:
        return call.user.id
    if not call.is_admin:
        raise errors.ActionAccessDenied("action/owner/id: only administrators write for others")
    people.check_ids(uow, [given], [], "action/owner/id")
    return given


def _notified(uow: AccountUnitOfWork, given: Sequence[int] | None) -> list[int]:
    found = list(given or ())
    people.check_ids(uow, found, [], "action/notifiedList/user/id")
    return found


def add(uow: AccountUnitOfWork, call: Call, request: ActionAdd) -> int:
    """action.add: a comment on a task (by ``general`` or ``id``) or on a contact (by ``general``)."""
    on_task = request.task_id is not None or request.task_general is not None
    on_contact = request.contact_general is not None
    if not (on_task or on_contact):
        raise errors.MissingParameter("action/task or action/contact")
    if on_task and on_contact:
        raise errors.ConflictingParameters("action/task and action/contact")
    loaded = contact = None
    if on_task:
        changing = request.task_new_status is not None
        loaded = access.task(uow, call, request.task_id, request.task_general, lock=changing)
    else:
        contact = access.contact(uow, call, request.contact_general, "action/contact/general")
    owner_id = _owner(uow, call, request.owner)
    created_at = _when(call, request.date_time, "action/dateTime") or call.now
    notified = _notified(uow, request.notified)
    planned = analitics.check_rows(uow, call, request.analitics, "action/analitics/analitic")
    moved = None
    if request.task_new_status is not None:
        if loaded is None:
            raise errors.StatusNotAllowed("action/taskNewStatus: a contact has no status")
        moved = move_status(uow, call, loaded, request.task_new_status, "action/taskNewStatus")
    action = NewAction(
        type="ACTION",
        owner_id=owner_id,
        created_at=created_at,
        task_id=loaded.task.id if loaded else None,
        contact_id=contact.id if contact else None,
        description=request.description,
        is_hidden=request.is_hidden,
        old_status=moved.old if moved else None,
        new_status=moved.new if moved else None,
        notified=notified,
        notify=not call.silent,
    )
    action_id = record(uow, action)
    analitics.write_rows(uow, call, action_id, action.task_id, planned)
    repo = uow.get(ActionRepository)
    if loaded is not None:
        repo.touch_task(loaded.task.id, call.now)
    elif contact is not None:
        repo.touch_contact(contact.id, call.now)
    return action_id


def update(uow: AccountUnitOfWork, call: Call, request: ActionUpdate) -> int:
    """action.update: what is given changes, what is absent stays (``isHidden`` too)."""
    reached = access.action(uow, call, request.id, lock=request.task_new_status is not None)
    row = reached.row
    access.may_change(call, row)
    if row.type not in USER_TYPES:
        raise errors.ActionUpdateFailed(f"action {row.id}: a {row.type} entry is not changed")
    created_at = _when(call, request.date_time, "action/dateTime")
    notified = None if request.notified is None else _notified(uow, request.notified)
    planned = analitics.check_rows(uow, call, request.analitics, "action/analitics/analitic", row.id)
    analitics.check_deleted(uow, row.id, request.deleted_analitics)
    values: dict[str, object] = {"modified_at": call.now}
    if request.task_new_status is not None:
        if reached.loaded is None:
            raise errors.StatusNotAllowed("action/taskNewStatus: a contact has no status")
        if uow.get(ActionRepository).latest_of_task(reached.loaded.task.id) != row.id:
            raise errors.StatusChangeForbidden(f"action {row.id} is not the task's latest")
        moved = move_status(uow, call, reached.loaded, request.task_new_status, "action/taskNewStatus")
        if moved is not None:
            values["old_status"] = row.old_status if row.old_status is not None else moved.old
            values["new_status"] = moved.new
    if request.description is not None:
        values["description"] = request.description
    if request.is_hidden is not None:
        values["is_hidden"] = request.is_hidden
    if created_at is not None:
        values["created_at"] = created_at
    writer = uow.get(ActionWriter)
    writer.update_action(row.id, **values)
    task_id = None if row.task_id is None else int(row.task_id)
    analitics.write_rows(uow, call, int(row.id), task_id, planned, request.deleted_analitics)
    if notified is not None:
        before = {user_id for user_id, _, _ in reached.notified}
        fresh = [one for one in notified if one not in before and one != row.owner_id]
        dropped = sorted(before - set(notified))
        writer.replace_notified(row.id, notified, fresh if not call.silent else [], dropped)
    return int(row.id)


def delete(uow: AccountUnitOfWork, call: Call, action_id: int) -> int:
    """action.delete: the author's or an administrator's comment, unless it changed a status (4007)."""
    row = access.action(uow, call, action_id).row
    access.may_change(call, row)
    if row.old_status is not None or row.new_status is not None:
        raise errors.StatusChangeForbidden(f"action {row.id} changed the task's status")
    if row.type not in USER_TYPES:
        raise errors.ActionAccessDenied(f"action {row.id}: a {row.type} entry stays in the history")
    uow.get(FileRepository).detach_action(row.id)  # its files stay in the task (docs/files.md)
    uow.get(ActionWriter).delete_action(row.id)
    return int(row.id)
