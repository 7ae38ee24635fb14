"""Request declarations of the file functions (planfix-xml-api/23-files-and-other.md §3).

``FileIn`` (one ``<file>`` of an upload) is shared with the handbook functions, whose FILES
fields carry the same ``<files>`` block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from planfix_server.api import errors
from planfix_server.wire.fields import Bool01, Id, Int, Kind, Str, xml

FILESYSTEM, INTERNET, PROJECT = "FILESYSTEM", "INTERNET", "PROJECT"
SOURCE_TYPES = (FILESYSTEM, INTERNET, PROJECT)
TARGETS = ("action", "task")
SORTS = tuple(f"{key}_{way}" for key in ("NUMBER", "NAME", "DATE", "EXT") for way in ("ASC", "DESC"))


class Choice(Kind):
    """One of ``values``, in any case (``filesystem`` is read as ``FILESYSTEM``)."""

    label = "enum"

    def __init__(self, *values: str) -> None:
        self.values = {value.upper(): value for value in values}

    def parse(self, text: str) -> str:
        value = self.values.get(text.strip().upper())
        if value is None:
            choices = ", ".join(self.values.values())
            raise errors.InvalidParameterValue(f"{text.strip()[:40]!r} is not one of {choices}")
        return value


class Body(Kind):
    """Base64 content: the text as sent; an empty ``<body/>`` is an empty file, not an absent one."""

    label = "base64"

    def from_element(self, element: etree._Element) -> str:
        return element.text or ""


class UserIdList(Kind):
    """``notifiedList``: ``<users><id>…</id></users>`` (documented); ``<user><id>`` as action.add
    has it is read too. ``0`` and empty ids are skipped."""

    label = "user ids"
    _ID = Id()

    def from_element(self, element: etree._Element) -> list[int] | None:
        found: list[int] = []
        for node in element.iterfind("users/id"):
            value = self._ID.from_element(node)
            if value is not None:
                found.append(value)
        for node in element.iterfind("user/id"):
            value = self._ID.from_element(node)
            if value is not None:
                found.append(value)
        return list(dict.fromkeys(found)) or None


@dataclass(frozen=True, slots=True)
class FileIn:
    """One ``<file>`` to store. No ``sourceType`` means FILESYSTEM."""

    name: str | None = xml("name", Str())
    source_type: str = xml("sourceType", Choice(*SOURCE_TYPES), default=FILESYSTEM)
    other_id: int | None = xml("otherFile/id", Id())
    url: str | None = xml("otherFile/url", Str())
    body: str | None = xml("body", Body())
    description: str = xml("description", Str(), default="")
    new_version: bool = xml("newversion", Bool01(), default=False)


@dataclass(frozen=True, slots=True)
class FileUpload:
    task_id: int | None = xml("task/id", Id())
    task_general: int | None = xml("task/general", Id())
    project_id: int | None = xml("project/id", Id())
    contact_id: int | None = xml("contact/id", Id())
    owner: int | None = xml("owner/id", Id())
    target: str | None = xml("target", Choice(*TARGETS))
    action_id: int | None = xml("action/id", Id())
    files: Sequence[FileIn] | None = xml("files", many="file", struct=FileIn)
    notified: Sequence[int] | None = xml("notifiedList", UserIdList())


@dataclass(frozen=True, slots=True)
class FileRef:
    """``file.get`` / ``file.download``: ``id`` wins over ``uniqueId``."""

    id: int | None = xml("file/id", Id())
    unique_id: int | None = xml("file/uniqueId", Id())
    links: bool = xml("returnDownloadLinks", Bool01(), default=False)


@dataclass(frozen=True, slots=True)
class FileHistory:
    id: int = xml("file/id", Id(), required=True)


@dataclass(frozen=True, slots=True)
class FileDelete:
    ids: Sequence[int] | None = xml("files", Id(), many="id")
    unique_ids: Sequence[int] | None = xml("files", Id(), many="uniqueId")


@dataclass(frozen=True, slots=True)
class Paging:
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())
    links: bool = xml("returnDownloadLinks", Bool01(), default=False)


@dataclass(frozen=True, slots=True)
class ListForTask(Paging):
    task_id: int | None = xml("task/id", Id())
    task_general: int | None = xml("task/general", Id())
    sort: str = xml("sort", Choice(*SORTS), default="NUMBER_ASC")


@dataclass(frozen=True, slots=True)
class ListForProject(Paging):
    project_id: int = xml("project/id", Id(), required=True)


@dataclass(frozen=True, slots=True)
class ListForClient(Paging):
    client_id: int | None = xml("client/id", Id())
    client_userid: int | None = xml("client/userid", Id())


@dataclass(frozen=True, slots=True)
class ListForUser(Paging):
    user_id: int | None = xml("user/id", Id())
