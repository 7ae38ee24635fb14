"""Rows of the store (queries._ROW) -> FileView."""

from __future__ import annotations

from typing import Any

from planfix_server.api.context import Call
from planfix_server.domain.files import links
from planfix_server.domain.files.requests import FILESYSTEM, INTERNET
from planfix_server.domain.files.shapes import FileView
from planfix_server.domain.tasks.repository import person_name


def kilobytes(size_bytes: int) -> int:
    """The documented unit of ``size``: kilobytes, a started one counting whole (1 byte -> 1)."""
    return -(-size_bytes // 1024)


def source_type(row: Any) -> str:
    """Of the version: a link is INTERNET, stored content FILESYSTEM (versions may differ)."""
    return INTERNET if row.url is not None else FILESYSTEM


def link_of(call: Call, row: Any) -> str:
    """The permanent ``downloadLink`` of the version of ``row``."""
    return links.download_link(call.settings, call.base_url, call.account.id, int(row.unique_id))


def view_of(row: Any, download_link: str | None = None) -> FileView:
    return FileView(
        id=int(row.id),
        unique_id=int(row.unique_id),
        name=row.name,
        version=int(row.version),
        description=row.description or "",
        date=row.created_at,
        source_type=source_type(row),
        size_kb=kilobytes(int(row.size_bytes)),
        task_id=int(row.task_id or 0),
        task_title=row.task_title or "",
        project_id=int(row.project_id or 0),
        project_title=row.project_title or "",
        user_id=int(row.owner_id),
        user_name=person_name(row.user_name, row.user_last_name),
        download_link=download_link,
    )
