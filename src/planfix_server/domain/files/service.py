"""Storing files into a place, deleting them, and letting their contents go.

What other areas call::

    attach_to_record(uow, call, record_id, field_id, files, keep_ids)   # a handbook FILES field
    blob_keys_of_contact(uow, contact_id) / release_blobs(uow, call, keys)  # around contact.delete

A content (blob) is deleted only after the transaction that removed the last version naming it has
committed (``call.after_commit``); blobs written by a request that then fails are deleted at once.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.files import rights
from planfix_server.domain.files.repository import FileRepository, NewVersion, Place
from planfix_server.domain.files.requests import FILESYSTEM, INTERNET, PROJECT, FileIn
from planfix_server.domain.files.shapes import Uploaded
from planfix_server.store.blobs import BlobStoreError, BlobTooLarge, blob_store
from planfix_server.store.uow import AccountUnitOfWork

NAME_LENGTH = 255
# Characters no file name may hold (those Windows forbids) and every control character.
_ILLEGAL = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')


def check_name(name: str | None, path: str) -> str:
    """The file name, or 9005 for an empty one, an illegal character, ``.``/``..`` or > 255 characters."""
    if name is None or not name.strip():
        raise errors.FileNameInvalid(f"{path}: empty")
    if _ILLEGAL.search(name) is not None:
        raise errors.FileNameInvalid(f"{path}: illegal character in {name[:60]!r}")
    if name.strip(".") == "" or len(name) > NAME_LENGTH:
        raise errors.FileNameInvalid(f"{path}: {name[:60]!r}")
    return name


def content_type_of(name: str) -> str:
    return mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"


def name_taken(file_id: int, name: str) -> errors.ApiError:
    """9006, naming the file already there (its ``id`` and ``name`` go into the answer)."""
    exc = errors.FileNameNotUnique(f"file {file_id} is called {name!r}")
    exc.extra = (("id", str(file_id)), ("name", name))
    return exc


@dataclass
class Batch:
    """Blobs written by one request: deleted again when the request fails."""

    call: Call
    keys: list[str] = field(default_factory=list)

    def discard(self) -> None:
        store = blob_store(self.call.settings)
        for key in self.keys:
            with contextlib.suppress(BlobStoreError):  # else left for `planfix-server files gc`
                store.delete(key)


def _blob(batch: Batch, given: FileIn, name: str, path: str) -> NewVersion:
    settings = batch.call.settings
    try:
        stored = blob_store(settings).put_base64(given.body or "", max_bytes=settings.max_file_bytes)
    except ValueError as exc:
        raise errors.FileUploadFailed(f"{path}/body: {exc}") from None
    except BlobTooLarge:
        raise errors.FileUploadFailed(f"{path}/body: larger than {settings.max_file_bytes} bytes") from None
    except BlobStoreError as exc:
        raise errors.FileSystemError(str(exc)) from None
    batch.keys.append(stored.key)
    return NewVersion(stored.size, content_type_of(name), stored.sha256, storage_key=stored.key)


def _link(given: FileIn, name: str, path: str) -> NewVersion:
    url = (given.url or "").strip()
    if not url:
        raise errors.MissingParameter(f"{path}/otherFile/url")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in "\r\n"):
        raise errors.InvalidParameterValue(f"{path}/otherFile/url: not an http(s) URL")
    return NewVersion(0, content_type_of(name), url=url)


@dataclass(frozen=True, slots=True)
class Target:
    """Where an upload goes: the place, the project its PROJECT files may come from, the action."""

    place: Place
    project_id: int | None = None  # the task's project (PROJECT files); None: no project
    action_id: int | None = None
    projects_allowed: bool = True


def _from_project(
    uow: AccountUnitOfWork, call: Call, target: Target, given: FileIn, path: str
) -> tuple[str, NewVersion]:
    """The name and content of the project file a PROJECT entry names (shared, not copied)."""
    if not target.projects_allowed:
        raise errors.ValueNotAllowedHere(f"{path}/sourceType: PROJECT")
    if target.place.kind == "project":
        raise errors.ProjectFileToProject(path)
    if given.other_id is None:
        raise errors.MissingParameter(f"{path}/otherFile/id")
    row = uow.get(FileRepository).latest(given.other_id)
    if row is None or row.own_project_id is None:
        raise errors.FileNotFound(f"{path}/otherFile/id: no project file {given.other_id}")
    if target.project_id is None or int(row.own_project_id) != target.project_id:
        raise errors.FileOfOtherProject(f"{path}/otherFile/id: file {given.other_id}")
    rights.require_readable(uow, call, row)
    content = NewVersion(
        int(row.size_bytes), row.content_type, row.sha256, storage_key=row.storage_key, url=row.url
    )
    return row.name, content


def _store_one(
    uow: AccountUnitOfWork, call: Call, batch: Batch, target: Target, given: FileIn, owner_id: int, path: str
) -> Uploaded:
    repo = uow.get(FileRepository)
    description = given.description
    shared: NewVersion | None = None
    if given.source_type == PROJECT:
        name, shared = _from_project(uow, call, target, given, path)
        description = ""
    else:
        name = check_name(given.name, f"{path}/name")
    existing = repo.same_name(target.place, name)
    if existing is not None and not given.new_version:
        raise name_taken(existing, name)
    if shared is not None:
        content = shared
    elif given.source_type == FILESYSTEM:
        content = _blob(batch, given, name, path)
    else:
        content = _link(given, name, path)
    unique_id = uow.next_id("file_versions")
    if existing is None:
        file_id = uow.next_id("files")
        source = INTERNET if content.url is not None else FILESYSTEM
        repo.insert_file(file_id, target.place, name, source, owner_id, call.now, target.action_id)
    else:
        file_id = existing
        if target.action_id is not None:  # the file now shows with the action that brought this version
            repo.set_action(file_id, target.action_id)
    repo.insert_version(unique_id, file_id, content, description, owner_id, call.now)
    return Uploaded(file_id, unique_id, name)


def store(
    uow: AccountUnitOfWork,
    call: Call,
    target: Target,
    given: Sequence[FileIn],
    owner_id: int,
    path: str = "files/file",
) -> list[Uploaded]:
    """Store ``given`` into ``target.place``, in order; on any error no blob of them stays behind."""
    batch = Batch(call)
    try:
        return [_store_one(uow, call, batch, target, one, owner_id, path) for one in given]
    except BaseException:
        batch.discard()
        raise


def attach_to_record(
    uow: AccountUnitOfWork,
    call: Call,
    record_id: int,
    field_id: int,
    files: Sequence[FileIn] | None,
    keep_ids: Iterable[int] | None = None,
) -> list[int]:
    """Store ``files`` into a handbook record's FILES field; the ids of the field's files after it.

    For handbook.addRecord / handbook.updateRecord (22-handbooks-analitics.md §9-§10). ``files``
    are the ``<file>`` entries of ``customValue/files`` (decode them with ``FileIn``); PROJECT is
    not allowed there (0016). ``keep_ids``: None keeps every file the field has; a list (the ids in
    ``customValue/value`` of an update) deletes the field's other files, their blobs after commit.
    Raises 9003 / 9005 / 9006 / 9007 as file.upload does; the caller has checked the record and its
    rights. The uploader is the caller.
    """
    repo = uow.get(FileRepository)
    if keep_ids is not None:
        keep = set(keep_ids)
        dropped = [one for one in repo.ids_of_record(record_id, field_id) if one not in keep]
        delete_files(uow, call, dropped)
    target = Target(Place("record", record_id, field_id), projects_allowed=False)
    store(uow, call, target, files or (), call.user.id, "customValue/files/file")
    return repo.ids_of_record(record_id, field_id)


# -- deleting


def release_blobs(uow: AccountUnitOfWork, call: Call, keys: Iterable[str]) -> None:
    """Delete, after commit, the blobs of ``keys`` no version names anymore (call it after the rows went)."""
    candidates = sorted(set(keys))
    unused = set(candidates) - uow.get(FileRepository).keys_in_use(candidates)
    if not unused:
        return
    store_ = blob_store(call.settings)

    def drop() -> None:
        for key in sorted(unused):
            store_.delete(key)

    call.after_commit(drop)


def delete_files(uow: AccountUnitOfWork, call: Call, file_ids: Sequence[int]) -> int:
    """Delete whole files (every version); the number deleted. No rights are checked here."""
    repo = uow.get(FileRepository)
    if not file_ids:
        return 0
    keys = repo.keys_of_files(file_ids)
    gone = repo.delete_files(file_ids)
    release_blobs(uow, call, keys)
    return gone


def delete_versions(uow: AccountUnitOfWork, call: Call, unique_ids: Sequence[int]) -> int:
    """Delete versions (a file left with none goes too); the number of versions deleted."""
    repo = uow.get(FileRepository)
    if not unique_ids:
        return 0
    keys = repo.keys_of_versions(unique_ids)
    gone = repo.delete_versions(unique_ids)
    release_blobs(uow, call, keys)
    return gone


def blob_keys_of_contact(uow: AccountUnitOfWork, contact_id: int) -> set[str]:
    """The blob keys of a contact's files, read before contact.delete takes the rows along."""
    return uow.get(FileRepository).keys_of_contact(contact_id)


def readable_row(uow: AccountUnitOfWork, call: Call, file_id: int | None, unique_id: int | None) -> Any:
    """The file named (``id`` wins: its latest version; else the version ``uniqueId``): 0009 / 9002 / 9001."""
    repo = uow.get(FileRepository)
    if file_id is not None:
        row = repo.latest(file_id)
    elif unique_id is not None:
        row = repo.version(unique_id)
    else:
        raise errors.MissingParameter("file/id")
    if row is None:
        raise errors.FileNotFound(f"file {file_id or unique_id}")
    rights.require_readable(uow, call, row)
    return row
