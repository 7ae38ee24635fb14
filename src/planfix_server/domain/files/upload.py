"""``file.upload`` (23-files-and-other.md §3.1): where the files go, then storing them.

Checks come first, in this order, so a refused request writes nothing: the place (0009 / 0019),
an empty list (9004), the owner (9001 / 6004) and the notified users (6004), the place itself
(3001 / 3008 / 3009, 2001 / 9001, 8002 / 9001) and the action (0009 / 4002 / 9001); then each file
in turn (9005, 9006, 9008 / 9009 / 9002, 9003 / 9007, 0009 / 0015), the whole call failing with
the first refused file.

Targets in a task: none = a new action of type FILE carrying the files; ``action`` = an existing
action of that task (its author or an administrator); ``task`` = the task itself, no action (the
assigner side may do that: 3009). A contact's files work the same way with the contact's actions.
A project has no actions: its files are attached to the project, whatever ``target`` says.
"""

from __future__ import annotations

from collections.abc import Sequence

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.actions.repository import ActionRepository
from planfix_server.domain.actions.views import may_see
from planfix_server.domain.actions.writer import NewAction, record
from planfix_server.domain.contacts.lookup import ContactLookup
from planfix_server.domain.files import service
from planfix_server.domain.files.repository import Place
from planfix_server.domain.files.requests import FileUpload
from planfix_server.domain.files.service import Target
from planfix_server.domain.files.shapes import Uploaded
from planfix_server.domain.projects import service as projects
from planfix_server.domain.tasks import access as task_access
from planfix_server.domain.tasks import people
from planfix_server.store.uow import AccountUnitOfWork

FILE_ACTION = "FILE"


def _owner(uow: AccountUnitOfWork, call: Call, given: int | None) -> int:
    """``owner/id``: the caller by default; another user only for an administrator (9001)."""
    if given is None or given == call.user.id:
        return call.user.id
    if not call.is_admin:
        raise errors.FileAccessDenied("owner/id: only administrators upload for others")
    people.check_ids(uow, [given], [], "owner/id")
    return given


def _existing_action(
    uow: AccountUnitOfWork, call: Call, action_id: int | None, *, task_id: int | None, contact_id: int | None
) -> int:
    """``target=action``: an action of this task (or contact) the caller wrote (or any, for an admin)."""
    if action_id is None:
        raise errors.MissingParameter("action/id")
    repo = uow.get(ActionRepository)
    row = repo.row(action_id, call.user.id)
    if row is None or row.task_id != task_id or row.contact_id != contact_id:
        raise errors.ActionNotFound(f"action/id: {action_id} is no action of this place")
    notified = repo.notified([action_id]).get(action_id, [])
    if not may_see(row, notified, call.user.id):
        raise errors.FileAccessDenied(f"action {action_id}: hidden")
    if row.owner_id != call.user.id and not call.is_admin:
        raise errors.FileAccessDenied(f"action {action_id}: not the author")
    return action_id


def _new_action(
    uow: AccountUnitOfWork,
    call: Call,
    owner_id: int,
    notified: Sequence[int],
    *,
    task_id: int | None = None,
    contact_id: int | None = None,
) -> int:
    action = NewAction(
        type=FILE_ACTION,
        owner_id=owner_id,
        created_at=call.now,
        task_id=task_id,
        contact_id=contact_id,
        notified=notified,
        notify=not call.silent,
    )
    action_id = record(uow, action)
    repo = uow.get(ActionRepository)
    if task_id is not None:
        repo.touch_task(task_id, call.now)
    elif contact_id is not None:
        repo.touch_contact(contact_id, call.now)
    return action_id


def _in_task(
    uow: AccountUnitOfWork, call: Call, request: FileUpload, owner_id: int, notified: Sequence[int]
) -> Target:
    loaded = task_access.load(uow, call, request.task_id, request.task_general)
    task_id = loaded.task.id
    place = Place("task", task_id)
    if request.target == "task":
        loaded.require_edit()
        action_id = None
    elif request.target == "action":
        action_id = _existing_action(uow, call, request.action_id, task_id=task_id, contact_id=None)
    else:
        action_id = _new_action(uow, call, owner_id, notified, task_id=task_id)
    return Target(place, loaded.task.project_id, action_id)


def _in_project(uow: AccountUnitOfWork, call: Call, project_id: int) -> Target:
    if call.is_contact:
        raise errors.FileAccessDenied("project/id: contacts upload into tasks only")
    project = projects.find(uow, project_id)
    if project is None:
        raise errors.ProjectNotFound(f"project/id: {project_id}")
    if not projects.is_visible(uow, call, project):
        raise errors.FileAccessDenied(f"project {project_id} is not visible to the caller")
    return Target(Place("project", project.id))


def _in_contact(
    uow: AccountUnitOfWork, call: Call, request: FileUpload, owner_id: int, notified: Sequence[int]
) -> Target:
    assert request.contact_id is not None
    if call.is_contact:
        raise errors.FileAccessDenied("contact/id: contacts upload into tasks only")
    contact = uow.get(ContactLookup).by_id(request.contact_id)
    if contact is None:
        raise errors.ContactNotFound(f"contact/id: {request.contact_id}")
    if request.target == "task":
        action_id = None
    elif request.target == "action":
        action_id = _existing_action(uow, call, request.action_id, task_id=None, contact_id=contact.id)
    else:
        action_id = _new_action(uow, call, owner_id, notified, contact_id=contact.id)
    return Target(Place("contact", contact.id), None, action_id)


def upload(uow: AccountUnitOfWork, call: Call, request: FileUpload) -> list[Uploaded]:
    on_task = request.task_id is not None or request.task_general is not None
    given = [on_task, request.project_id is not None, request.contact_id is not None]
    if not any(given):
        raise errors.MissingParameter("task/id or project/id")
    if sum(given) > 1:
        raise errors.ConflictingParameters("task, project and contact: one of them")
    files = list(request.files or ())
    if not files:
        raise errors.FileListEmpty("files/file")
    owner_id = _owner(uow, call, request.owner)
    notified = list(request.notified or ())
    people.check_ids(uow, notified, [], "notifiedList/users/id")
    if on_task:
        target = _in_task(uow, call, request, owner_id, notified)
    elif request.project_id is not None:
        target = _in_project(uow, call, request.project_id)
    else:
        target = _in_contact(uow, call, request, owner_id, notified)
    return service.store(uow, call, target, files, owner_id)
