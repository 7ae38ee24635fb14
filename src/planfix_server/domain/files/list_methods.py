"""The file lists: getListForTask, getListForProject, getListForClient, getListForUser.

Each file shows as its latest version. Paging as every list (``pageCurrent`` from 1, below 1 the
count only; ``pageSize`` up to 100). A file that came with a hidden action the caller may not see
is left out, of the count too.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from typing import Any

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.paging import window
from planfix_server.api.registry import method
from planfix_server.domain.contacts.lookup import ContactLookup, require_contact
from planfix_server.domain.files.repository import FileRepository
from planfix_server.domain.files.requests import (
    ListForClient,
    ListForProject,
    ListForTask,
    ListForUser,
    Paging,
)
from planfix_server.domain.files.shapes import FILE_LIST, FileView
from planfix_server.domain.files.views import link_of, view_of
from planfix_server.domain.projects import service as projects
from planfix_server.domain.tasks import access as task_access
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page

_PAGING = ("0009", "0015", "0021")


def _extension(row: Any) -> str:
    return posixpath.splitext(str(row.name))[1].lower()


# Sort keys of file.getListForTask (§2.3); ties go by number, the way the sort asks.
_KEYS: dict[str, Callable[[Any], Any]] = {
    "NUMBER": lambda row: int(row.id),
    "NAME": lambda row: (str(row.name).lower(), int(row.id)),
    "DATE": lambda row: (row.created_at, int(row.id)),
    "EXT": lambda row: (_extension(row), int(row.id)),
}


def _view(call: Call, request: Paging, row: Any) -> FileView:
    return view_of(row, download_link=link_of(call, row) if request.links else None)


def _page_of_rows(call: Call, request: Paging, rows: Sequence[Any]) -> Page:
    page = window(request.page_current, request.page_size, call.settings.page_size_over_limit)
    if page.count_only:
        return Page([], len(rows))
    shown = rows[page.offset : page.offset + page.limit]
    return Page([_view(call, request, row) for row in shown], len(rows))


def _paged(uow: AccountUnitOfWork, call: Call, request: Paging, place: str, key: int) -> Page:
    page = window(request.page_current, request.page_size, call.settings.page_size_over_limit)
    repo = uow.get(FileRepository)
    total = repo.count(place, key, call.user.id)
    if page.count_only or page.offset >= total:
        return Page([], total)
    ids = repo.page_ids(place, key, call.user.id, page.offset, page.limit)
    return Page([_view(call, request, row) for row in repo.latest_of(ids)], total)


@method("file.getListForTask", request=ListForTask, response=[FILE_LIST], errors=(*_PAGING, "3001", "3008"))
def file_get_list_for_task(request: ListForTask, uow: AccountUnitOfWork, call: Call) -> Page:
    """The files of one task (``id`` or ``general``), by ``sort`` (default NUMBER_ASC)."""
    loaded = task_access.load(uow, call, request.task_id, request.task_general)
    rows = list(uow.get(FileRepository).of_task(loaded.task.id, call.user.id))
    key, way = request.sort.split("_")
    rows.sort(key=_KEYS[key], reverse=way == "DESC")
    return _page_of_rows(call, request, rows)


@method(
    "file.getListForProject",
    request=ListForProject,
    response=[FILE_LIST],
    errors=(*_PAGING, "2001", "2002", "9001"),
)
def file_get_list_for_project(request: ListForProject, uow: AccountUnitOfWork, call: Call) -> Page:
    """The project's own files (not those of its tasks), by number."""
    if call.is_contact:
        raise errors.FileAccessDenied("contacts read the files of their tasks only")
    project = projects.require_visible(uow, call, request.project_id, path="project")
    return _paged(uow, call, request, "project", project.id)


@method(
    "file.getListForClient", request=ListForClient, response=[FILE_LIST], errors=(*_PAGING, "8002", "9001")
)
def file_get_list_for_client(request: ListForClient, uow: AccountUnitOfWork, call: Call) -> Page:
    """The files of a contact (``client/id``: the contact's id; or ``client/userid``), by number."""
    if call.is_contact:
        raise errors.FileAccessDenied("contacts read the files of their tasks only")
    contact = require_contact(
        uow.get(ContactLookup),
        contact_id=request.client_id,
        userid=request.client_userid,
        order=("id", "userid"),
        path="client",
    )
    return _paged(uow, call, request, "contact", contact.id)


@method("file.getListForUser", request=ListForUser, response=[FILE_LIST], errors=(*_PAGING, "6004", "9001"))
def file_get_list_for_user(request: ListForUser, uow: AccountUnitOfWork, call: Call) -> Page:
    """The files a user uploaded (the caller's without ``user/id``); others' for administrators."""
    user_id = request.user_id or call.user.id
    if user_id != call.user.id:
        if not call.is_admin:
            raise errors.FileAccessDenied("user/id: other users' files are for administrators")
        if uow.get(UserRepository).by_id(user_id) is None:
            raise errors.UserNotFound(f"user/id: {user_id}")
    return _paged(uow, call, request, "owner", user_id)
