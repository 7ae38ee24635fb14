"""Set-up helpers of the user and user-group tests: things no API function does (posts, heads,
actions, visibility flags, "last seen"), done through the repositories and services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from lxml import etree
from sqlalchemy.exc import IntegrityError
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import set_group_head
from planfix_server.settings import Settings
from planfix_server.store.db import WRITE
from planfix_server.store.records import UserRecord
from planfix_server.store.tables import actions
from planfix_server.store.uow import AccountUnitOfWork
from tests.support import Api, Reply, Tenant, now

# The smallest valid images of each kind the server accepts (by magic bytes).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"


@contextmanager
def strict_paging_api(settings: Settings, tenant: Tenant) -> Iterator[Api]:
    """An API client of a second server on the same database whose pageSize above 100 is 0021."""
    strict = Server.start(replace(settings, page_size_over_limit="error"))
    with TestClient(create_app(server=strict), base_url="https://testserver") as client:
        yield Api(client, tenant)
    strict.engine.dispose()


def integrity_error(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for a write that loses a race on a unique key."""
    raise IntegrityError("INSERT …", {}, Exception("duplicate key"))


@contextmanager
def unit_of_work(server: Server, tenant: Tenant) -> Iterator[AccountUnitOfWork]:
    """A write transaction in ``tenant``'s account, committed at the end."""
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        yield AccountUnitOfWork(connection, tenant.account_id)
        connection.commit()


def add_post(server: Server, tenant: Tenant, name: str) -> int:
    with unit_of_work(server, tenant) as uow:
        post_id = uow.next_id("posts")
        uow.get(UserRepository).add_post(post_id, name)
    return post_id


def add_group(server: Server, tenant: Tenant, name: str, members: tuple[int, ...] = ()) -> int:
    with unit_of_work(server, tenant) as uow:
        repo = uow.get(UserRepository)
        group_id = uow.next_id("user_groups")
        repo.add_group(group_id, name, now())
        for user_id in members:
            repo.add_memberships(user_id, [group_id])
    return group_id


def make_head(server: Server, tenant: Tenant, group_id: int, user_id: int) -> None:
    with unit_of_work(server, tenant) as uow:
        set_group_head(uow, group_id, user_id)


def set_user(server: Server, tenant: Tenant, user_id: int, **values: Any) -> None:
    """Write columns of a user directly (flags, timezone, last_seen_at …)."""
    with unit_of_work(server, tenant) as uow:
        uow.get(UserRepository).update_user(user_id, **values)


def user_record(server: Server, tenant: Tenant, user_id: int) -> UserRecord:
    with unit_of_work(server, tenant) as uow:
        found = uow.get(UserRepository).by_id(user_id)
    assert found is not None
    return found


def add_action(server: Server, tenant: Tenant, owner_id: int, created_at: dt.datetime, kind: str) -> None:
    with unit_of_work(server, tenant) as uow:
        uow.get(UserRepository).insert(
            actions, id=uow.next_id("actions"), type=kind, owner_id=owner_id, created_at=created_at
        )


def api_add_user(api: Api, email: str, extra: str = "") -> int:
    reply = api.call(
        "user.add", f"<user><name>{email.split('@')[0]}</name><email>{email}</email>{extra}</user>"
    )
    assert reply.ok, reply.raw
    return int(reply.text("user/id"))


def api_add_group(api: Api, name: str) -> int:
    reply = api.call("userGroup.add", f"<userGroup><name>{name}</name></userGroup>")
    assert reply.ok, reply.raw
    return int(reply.text("userGroup/id"))


def body(reply: Reply) -> str:
    """The inside of ``<response …>`` as the server wrote it."""
    text = reply.raw.decode()
    start = text.index(">", text.index("<response")) + 1
    return text[start : text.rindex("</response>")]


def ids(reply: Reply, path: str = "users/user") -> list[int]:
    return [int(element.findtext("id") or 0) for element in reply.root.iterfind(path)]


def counts(reply: Reply, tag: str = "users") -> tuple[int, int]:
    """(totalCount, count) of a list container."""
    container = reply.root.find(tag)
    assert container is not None, reply.raw
    return int(container.get("totalCount", "-1")), int(container.get("count", "-1"))


def texts(element: etree._Element, path: str) -> list[str]:
    return [found.text or "" for found in element.iterfind(path)]
