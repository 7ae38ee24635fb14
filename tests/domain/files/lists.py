"""What the file list tests share."""

from __future__ import annotations

from tests.support import Api, Reply


def listed(api: Api, method: str, inner: str) -> Reply:
    reply = api.call(method, inner)
    assert reply.ok, reply.raw
    return reply


def file_ids(reply: Reply) -> list[int]:
    return [int(one.findtext("id") or 0) for one in reply.root.iterfind("files/file")]


def counts(reply: Reply) -> tuple[int, int]:
    container = reply.root.find("files")
    assert container is not None, reply.raw
    return int(container.get("totalCount", "-1")), int(container.get("count", "-1"))
