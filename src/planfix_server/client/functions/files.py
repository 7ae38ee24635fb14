"""``file.*`` (``planfix-xml-api/23-files-and-other.md`` §3) as typed calls, but ``file.download``
(``file_download.py``: its answer is the file, not XML).

A file has an ``id`` shared by its versions and a ``unique_id`` per version; ``size`` is in
kilobytes.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.client.calls import PAGE_SIZE, Listing, Prepared
from planfix_server.client.element import Element
from planfix_server.client.functions.common import EMPTY, Ref, drop_none, ident, need_id, ref_of
from planfix_server.client.response import Page, Response


@dataclass(frozen=True, slots=True)
class FileInfo:
    """One file (its latest version) or one version of it (23-files-and-other.md §2.4)."""

    id: int
    unique_id: int | None
    name: str
    version: int | None
    description: str
    date: dt.date | None
    source_type: str  # FILESYSTEM or INTERNET
    size_kb: int | None
    task: Ref | None  # id and title; None outside a task
    project: Ref | None  # id and title
    user: Ref | None  # the uploader
    download_link: str
    element: Element = field(default=EMPTY, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Uploaded:
    """A file stored by ``file.upload``."""

    id: int | None
    unique_id: int | None
    name: str


@dataclass(frozen=True, slots=True)
class NewFile:
    """One file to upload: its ``content``, or a link (``url``), or a project file
    (``project_file_id``) shared into a task of that project. ``new_version``: store it as the
    next version of a file of the same name instead of failing with 9006."""

    name: str = ""
    content: bytes | None = None
    url: str | None = None
    project_file_id: int | None = None
    description: str | None = None
    new_version: bool | None = None

    def params(self) -> dict[str, Any]:
        given = [self.content is not None, self.url is not None, self.project_file_id is not None]
        if sum(given) != 1:
            raise ValueError("give exactly one of content, url or project_file_id")
        other: dict[str, Any] | None = None
        body: str | None = None
        if self.content is not None:
            source, body = "FILESYSTEM", base64.b64encode(self.content).decode("ascii")
        elif self.url is not None:
            source, other = "INTERNET", {"url": self.url}
        else:
            source, other = "PROJECT", {"id": self.project_file_id}
        return drop_none(
            {
                "name": self.name or None,
                "sourceType": source,
                "otherFile": other,
                "body": body,
                "description": self.description,
                "newversion": self.new_version,
            }
        )


def read_file(el: Element) -> FileInfo:
    return FileInfo(
        id=need_id(el),
        unique_id=ident(el, "uniqueId"),
        name=el.text_of("name"),
        version=el.int_of("version"),
        description=el.text_of("description"),
        date=el.date_of("date"),
        source_type=el.text_of("sourceType"),
        size_kb=el.int_of("size"),
        task=ref_of(el, "task", "title"),
        project=ref_of(el, "project", "title"),
        user=ref_of(el, "user"),
        download_link=el.text_of("downloadLink"),
        element=el,
    )


def _uploaded(response: Response) -> list[Uploaded]:
    return [
        Uploaded(ident(node, "id"), ident(node, "uniqueId"), node.text_of("name"))
        for node in response.findall("files/file")
    ]


def upload(
    files: Sequence[NewFile],
    *,
    task_id: int | None = None,
    task_general: int | None = None,
    project_id: int | None = None,
    contact_id: int | None = None,
    target: str | None = None,
    action_id: int | None = None,
    owner_id: int | None = None,
    notified: Sequence[int] | None = None,
) -> Prepared[list[Uploaded]]:
    """``file.upload`` into a task (``task_id`` / ``task_general``), a project or a contact
    (``contact_id``: an extension of this server). In a task ``target`` None makes a new action
    carrying the files, ``"action"`` attaches them to ``action_id``, ``"task"`` to the task alone."""
    params: dict[str, Any] = {
        "task": drop_none({"id": task_id, "general": task_general}) or None,
        "project": None if project_id is None else {"id": project_id},
        "contact": None if contact_id is None else {"id": contact_id},
        "owner": None if owner_id is None else {"id": owner_id},
        "target": target,
        "action": None if action_id is None else {"id": action_id},
        "files": {"file": [one.params() for one in files]},
        "notifiedList": None if notified is None else {"users": {"id": list(notified)}},
    }
    return Prepared("file.upload", params, _uploaded)


def _ref(id: int | None, unique_id: int | None) -> dict[str, Any]:
    if id is None and unique_id is None:
        raise ValueError("give id or unique_id")
    return {"file": drop_none({"id": id, "uniqueId": unique_id})}


def get(
    id: int | None = None, *, unique_id: int | None = None, download_links: bool | None = None
) -> Prepared[FileInfo]:
    """``file.get``: a file by ``id`` (its latest version) or one version by ``unique_id``."""
    params = {**_ref(id, unique_id), "returnDownloadLinks": download_links}
    return Prepared("file.get", params, lambda r: read_file(r.one("file")))


def get_history(id: int) -> Prepared[list[FileInfo]]:
    """``file.getHistory``: every version of a file, oldest first."""
    return Prepared(
        "file.getHistory",
        {"file": {"id": id}},
        lambda r: [read_file(node) for node in r.findall("files/file")],
    )


def delete(ids: Sequence[int] | None = None, *, unique_ids: Sequence[int] | None = None) -> Prepared[int]:
    """``file.delete`` of whole files (``ids``) or of versions (``unique_ids``); how many went."""
    if (ids is None) == (unique_ids is None):
        raise ValueError("give ids or unique_ids")
    files = {"id": list(ids)} if ids is not None else {"uniqueId": list(unique_ids or ())}
    return Prepared("file.delete", {"files": files}, lambda r: r.int_of("count") or 0)


def iterate_for_task(
    *,
    task_id: int | None = None,
    task_general: int | None = None,
    sort: str | None = None,
    download_links: bool | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing[FileInfo]:
    """``file.getListForTask``, every page (``sort``: NUMBER_ASC … EXT_DESC)."""
    if task_id is None and task_general is None:
        raise ValueError("give task_id or task_general")
    params = {
        "task": drop_none({"id": task_id, "general": task_general}),
        "sort": sort,
        "returnDownloadLinks": download_links,
    }
    return Listing("file.getListForTask", params, "file", read_file, page_size)


def get_list_for_task(
    *,
    task_id: int | None = None,
    task_general: int | None = None,
    sort: str | None = None,
    download_links: bool | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Prepared[Page[FileInfo]]:
    """``file.getListForTask``, one page."""
    listing = iterate_for_task(
        task_id=task_id, task_general=task_general, sort=sort, download_links=download_links
    )
    return listing.page(page, page_size)


def iterate_for_project(
    project_id: int, *, download_links: bool | None = None, page_size: int = PAGE_SIZE
) -> Listing[FileInfo]:
    """``file.getListForProject``, every page: the project's own files."""
    params = {"project": {"id": project_id}, "returnDownloadLinks": download_links}
    return Listing("file.getListForProject", params, "file", read_file, page_size)


def get_list_for_project(
    project_id: int, *, download_links: bool | None = None, page: int = 1, page_size: int = PAGE_SIZE
) -> Prepared[Page[FileInfo]]:
    return iterate_for_project(project_id, download_links=download_links).page(page, page_size)


def iterate_for_client(client_id: int, *, page_size: int = PAGE_SIZE) -> Listing[FileInfo]:
    """``file.getListForClient``, every page: the files of a contact (its ``id``)."""
    return Listing("file.getListForClient", {"client": {"id": client_id}}, "file", read_file, page_size)


def get_list_for_client(
    client_id: int, *, page: int = 1, page_size: int = PAGE_SIZE
) -> Prepared[Page[FileInfo]]:
    return iterate_for_client(client_id).page(page, page_size)


def iterate_for_user(user_id: int | None = None, *, page_size: int = PAGE_SIZE) -> Listing[FileInfo]:
    """``file.getListForUser``, every page: the files a user uploaded (the caller without ``user_id``)."""
    params = {"user": None if user_id is None else {"id": user_id}}
    return Listing("file.getListForUser", params, "file", read_file, page_size)


def get_list_for_user(
    user_id: int | None = None, *, page: int = 1, page_size: int = PAGE_SIZE
) -> Prepared[Page[FileInfo]]:
    return iterate_for_user(user_id).page(page, page_size)
