"""The file functions on one file: upload, download, get, getHistory, delete."""

from __future__ import annotations

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.download import Download
from planfix_server.api.registry import method
from planfix_server.domain.files import rights, service
from planfix_server.domain.files.content import download_of
from planfix_server.domain.files.repository import FileRepository
from planfix_server.domain.files.requests import FileDelete, FileHistory, FileRef, FileUpload
from planfix_server.domain.files.shapes import (
    COUNT,
    FILE,
    FILE_LIST,
    UPLOADED,
    CountResult,
    FileView,
    UploadResult,
)
from planfix_server.domain.files.upload import upload
from planfix_server.domain.files.views import link_of, view_of
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page


@method(
    "file.upload",
    request=FileUpload,
    response=[UPLOADED],
    writes=True,
    errors=(
        "0009",
        "0015",
        "0019",
        "2001",
        "3001",
        "3008",
        "3009",
        "4002",
        "6004",
        "8002",
        "9001",
        "9002",
        "9003",
        "9004",
        "9005",
        "9006",
        "9007",
        "9008",
        "9009",
    ),
)
def file_upload(request: FileUpload, uow: AccountUnitOfWork, call: Call) -> UploadResult:
    """Store files (base64 content, internet links or project files) in a task, project or contact."""
    return UploadResult(upload(uow, call, request))


@method("file.get", request=FileRef, response=[FILE], errors=("0009", "0015", "9001", "9002"))
def file_get(request: FileRef, uow: AccountUnitOfWork, call: Call) -> FileView:
    """One file by ``id`` (its latest version) or one version by ``uniqueId``."""
    row = service.readable_row(uow, call, request.id, request.unique_id)
    return view_of(row, download_link=link_of(call, row) if request.links else None)


@method("file.download", request=FileRef, response=[], errors=("0009", "0015", "9001", "9002", "9007"))
def file_download(request: FileRef, uow: AccountUnitOfWork, call: Call) -> Download:
    """The content of a file (HTTP 200), or a redirect to an internet file (HTTP 302)."""
    return download_of(call.settings, service.readable_row(uow, call, request.id, request.unique_id))


@method("file.getHistory", request=FileHistory, response=[FILE_LIST], errors=("0009", "0015", "9001", "9002"))
def file_get_history(request: FileHistory, uow: AccountUnitOfWork, call: Call) -> Page:
    """Every version of one file, oldest first."""
    rows = uow.get(FileRepository).history(request.id)
    if not rows:
        raise errors.FileNotFound(f"file {request.id}")
    rights.require_readable(uow, call, rows[0])
    return Page([view_of(row) for row in rows], len(rows))


@method(
    "file.delete", request=FileDelete, response=[COUNT], writes=True, errors=("0009", "0015", "0019", "9001")
)
def file_delete(request: FileDelete, uow: AccountUnitOfWork, call: Call) -> CountResult:
    """Delete files by ``id`` (every version) or versions by ``uniqueId``; unknown ones are not counted."""
    if request.ids and request.unique_ids:
        raise errors.ConflictingParameters("files/id and files/uniqueId")
    repo = uow.get(FileRepository)
    if request.ids:
        ids = list(dict.fromkeys(request.ids))
        for row in repo.latest_of(ids):
            rights.require_deletable(uow, call, row, whole=True)
        return CountResult(service.delete_files(uow, call, ids))
    if request.unique_ids:
        unique_ids = list(dict.fromkeys(request.unique_ids))
        for unique_id in unique_ids:
            row = repo.version(unique_id)
            if row is not None:
                rights.require_deletable(uow, call, row, whole=False)
        return CountResult(service.delete_versions(uow, call, unique_ids))
    raise errors.MissingParameter("files/id or files/uniqueId")
