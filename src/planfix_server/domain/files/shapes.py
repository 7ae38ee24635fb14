"""The file object as the API shows it (23-files-and-other.md §2.4), and the other answers.

``id, uniqueId, name, version, description, date, sourceType, size, task, project, user`` and
``downloadLink`` when asked for. ``size`` is in kilobytes (rounded up); a file outside a task has
``<task><id>0</id><title></title></task>``, one outside a project the same ``project``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planfix_server.wire.encode import Items, Leaf, Node, PageOf, Shape, escape, format_value


@dataclass(frozen=True, slots=True)
class FileView:
    id: int
    unique_id: int
    name: str
    version: int
    description: str
    date: dt.datetime
    source_type: str
    size_kb: int
    task_id: int
    task_title: str
    project_id: int
    project_title: str
    user_id: int
    user_name: str
    download_link: str | None = None


class FileShape(Shape):
    """``<file>…</file>`` from a FileView."""

    tag = "file"

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        view: FileView = obj
        out.append(
            f"<file><id>{view.id}</id><uniqueId>{view.unique_id}</uniqueId><name>{escape(view.name)}</name>"
            f"<version>{view.version}</version><description>{escape(view.description)}</description>"
            f"<date>{format_value(view.date, tz)}</date><sourceType>{view.source_type}</sourceType>"
            f"<size>{view.size_kb}</size>"
            f"<task><id>{view.task_id}</id><title>{escape(view.task_title)}</title></task>"
            f"<project><id>{view.project_id}</id><title>{escape(view.project_title)}</title></project>"
            f"<user><id>{view.user_id}</id><name>{escape(view.user_name)}</name></user>"
        )
        if view.download_link is not None:
            out.append(f"<downloadLink>{escape(view.download_link)}</downloadLink>")
        out.append("</file>")


FILE = FileShape()
FILE_LIST = PageOf("files", FILE)


@dataclass(frozen=True, slots=True)
class Uploaded:
    id: int
    unique_id: int
    name: str


@dataclass(frozen=True, slots=True)
class UploadResult:
    files: list[Uploaded]


UPLOADED = Items("files", Node("file", Leaf("id"), Leaf("uniqueId", "unique_id"), Leaf("name")))


@dataclass(frozen=True, slots=True)
class CountResult:
    count: int


COUNT = Leaf("count")
