"""Who may read and delete a file (9001), by the place it lives in.

* a task's file: whoever sees the task (domain/tasks/visibility.py); a file that came with a hidden
  action only its author and the users it notifies, as the action itself;
* a project's file: whoever sees the project;
* a contact's file and a handbook record's file: every employee;
* a contact signed in with PlanFix access reaches the files of the tasks it takes part in, no others.

Deleting takes more: an administrator, the file's first uploader (a version: its uploader too), or
who may change the place (the task's assigner side, a project's editors, a contact's editors).
"""

from __future__ import annotations

from typing import Any

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.contacts import rights as contact_rights
from planfix_server.domain.contacts.lookup import ContactLookup
from planfix_server.domain.files.repository import FileRepository
from planfix_server.domain.projects import service as projects
from planfix_server.domain.projects.repository import ProjectRepository
from planfix_server.domain.tasks import access as task_access
from planfix_server.domain.tasks.access import Loaded
from planfix_server.store.uow import AccountUnitOfWork


def _task(uow: AccountUnitOfWork, call: Call, task_id: int) -> Loaded | None:
    try:
        return task_access.load(uow, call, task_id, None)
    except (errors.TaskAccessDenied, errors.TaskNotFound):
        return None


def _readable(uow: AccountUnitOfWork, call: Call, row: Any) -> bool:
    if row.action_id is not None and uow.get(FileRepository).hidden_from(int(row.id), call.user.id):
        return False
    if row.task_id is not None:
        return _task(uow, call, int(row.task_id)) is not None
    if call.is_contact:
        return False
    if row.own_project_id is not None:
        project = uow.get(ProjectRepository).by_id(int(row.own_project_id))
        return project is not None and projects.is_visible(uow, call, project)
    return True  # a contact's or a handbook record's file: every employee


def require_readable(uow: AccountUnitOfWork, call: Call, row: Any) -> None:
    """9001 unless the caller may read the file of ``row`` (a row of queries._ROW)."""
    if not _readable(uow, call, row):
        raise errors.FileAccessDenied(f"file {row.id}")


def _may_change_place(uow: AccountUnitOfWork, call: Call, row: Any) -> bool:
    if call.is_contact:
        return False
    if row.task_id is not None:
        loaded = _task(uow, call, int(row.task_id))
        return loaded is not None and loaded.roles.owner_side
    if row.own_project_id is not None:
        project = uow.get(ProjectRepository).by_id(int(row.own_project_id))
        return project is not None and projects.may_edit(uow, call, project)
    if row.contact_id is not None:
        contact = uow.get(ContactLookup).by_id(int(row.contact_id))
        return contact is not None and contact_rights.may_edit(uow, call, contact)
    return False


def require_deletable(uow: AccountUnitOfWork, call: Call, row: Any, *, whole: bool) -> None:
    """9001 unless the caller may read the file and delete it (``whole``: every version of it; else
    the version of ``row``, which its own uploader may delete too)."""
    require_readable(uow, call, row)
    if call.is_admin or int(row.file_owner_id) == call.user.id:
        return
    if not whole and int(row.owner_id) == call.user.id:
        return
    if not _may_change_place(uow, call, row):
        raise errors.FileAccessDenied(f"file {row.id}: not the uploader nor an editor of its place")
