"""``AsyncClient`` against the real server through ``httpx.ASGITransport`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.client import AsyncClient
from planfix_server.settings import Settings
from tests.client.conftest import FakeTime
from tests.support import Tenant, add_user

MakeClient = Callable[..., AsyncClient]


def test_token_mode(async_client: MakeClient, tenant: Tenant) -> None:
    async def scenario() -> None:
        async with async_client() as client:
            me = await client.user.get()
            assert (me.id, me.login) == (tenant.owner_id, tenant.owner_login)
            response = await client.call("user.get", {"user": {"id": tenant.owner_id}})
            assert response.one("user").text_of("login") == tenant.owner_login
            assert client.remaining is not None
            with pytest.raises(errors.UserNotFound):
                await client.user.get(424242)

    asyncio.run(scenario())


def test_login_mode_with_concurrent_tasks(async_client: MakeClient, tenant: Tenant) -> None:
    async def scenario() -> None:
        async with async_client(login=tenant.owner_login, password=tenant.owner_password) as client:
            found = await asyncio.gather(*(client.user.get() for _ in range(10)))
            assert {me.id for me in found} == {tenant.owner_id}
            assert client.stats.logins == 1  # the tasks waited for one login
            sid = client.sid
            assert await client.login() != sid

    asyncio.run(scenario())


def test_relogin_after_the_session_expires(
    async_client: MakeClient, settings: Settings, tenant: Tenant, fake_time: FakeTime
) -> None:
    async def scenario() -> None:
        client = async_client(
            login=tenant.owner_login, password=tenant.owner_password, sleep=fake_time.asleep
        )
        await client.user.get()
        fake_time.advance(settings.session_ttl_seconds + 1)
        assert (await client.user.get()).id == tenant.owner_id
        assert (client.stats.logins, client.stats.relogins) == (2, 1)
        await client.aclose()

    asyncio.run(scenario())


def test_paging_and_typed_lists(async_client: MakeClient, server: Server, tenant: Tenant) -> None:
    for n in range(5):
        add_user(server, tenant, f"user{n}")

    async def scenario() -> None:
        async with async_client() as client:
            pages = [page async for page in client.iter_pages("user.getList", item="user", page_size=2)]
            assert [len(page) for page in pages] == [2, 2, 2]
            assert [page.total for page in pages] == [6, 6, 6]
            logins = [user.login async for user in client.user.iterate(page_size=4, sort="NAME_ASC")]
            assert len(logins) == 6 and len(set(logins)) == 6
            items = [element.text_of("id") async for element in client.iterate("user.getList", item="user")]
            assert len(items) == 6
            page = await client.user.get_list(page=2, page_size=4)
            assert (page.number, page.count, page.total) == (2, 2, 6)

    asyncio.run(scenario())
