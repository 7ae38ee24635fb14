"""Pacing and 0007 against a server that enforces its per-second limit (SQLite and PostgreSQL).

Time is moved by the client's own sleeps through time_machine (``FakeTime``): the server's limiter
reads the same clock, so a burst is measured in fake seconds and nobody really waits. The tests
with several threads or tasks use real time (a fake clock cannot order concurrent sleepers), at
5 requests per second so they stay short.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from planfix_server.api import errors
from planfix_server.app import Answer, Server, create_app
from planfix_server.client import AsyncClient, Client
from planfix_server.pipeline.exchange import Exchange
from planfix_server.settings import Settings
from tests.client.conftest import URL, FakeTime, StarletteTransport
from tests.support import Tenant


class Limited:
    """A server over the test database with a per-second limit, and every code it answered."""

    def __init__(self, settings: Settings, rate: float) -> None:
        self.server = Server.start(settings.replace(requests_per_second=rate, rate_burst=0))
        self.codes: list[str] = []
        self.server.after_answer.append(self._record)
        self.app = create_app(server=self.server)

    def _record(self, exchange: Exchange, answer: Answer) -> None:
        self.codes.append(answer.code)

    @property
    def refusals(self) -> int:
        return self.codes.count("0007")


@pytest.fixture
def limited(settings: Settings, tenant: Tenant) -> Iterator[Any]:
    made: list[Limited] = []

    def start(rate: float = 1.0) -> Limited:
        made.append(Limited(settings, rate))
        return made[-1]

    yield start
    for one in made:
        one.server.engine.dispose()


def sync_client(app: Any, tenant: Tenant, test_client: TestClient, **options: Any) -> Client:
    options.setdefault("token", tenant.token)
    return Client(URL, tenant.name, tenant.api_key, transport=StarletteTransport(test_client), **options)


def test_a_paced_burst_never_trips_the_limit(limited: Any, tenant: Tenant, fake_time: FakeTime) -> None:
    target = limited(1.0)
    with TestClient(target.app, base_url="https://testserver") as test_client:
        client = sync_client(target.app, tenant, test_client, clock=fake_time.clock, sleep=fake_time.sleep)
        started = fake_time.clock()
        for _ in range(30):
            client.user.get()
        elapsed = fake_time.clock() - started
    assert target.codes == ["ok"] * 30
    assert client.stats.limited == 0
    # 29 gaps of 1/rate + margin (0.01), measured on the clock the server saw too.
    assert elapsed == pytest.approx(29 * 1.01)
    assert fake_time.sleeps == pytest.approx([1.01] * 29)


def test_login_mode_paces_auth_login_too(limited: Any, tenant: Tenant, fake_time: FakeTime) -> None:
    target = limited(1.0)
    with TestClient(target.app, base_url="https://testserver") as test_client:
        client = sync_client(
            target.app,
            tenant,
            test_client,
            token=None,
            login=tenant.owner_login,
            password=tenant.owner_password,
            clock=fake_time.clock,
            sleep=fake_time.sleep,
        )
        for _ in range(5):
            client.user.get()
    assert target.codes == ["ok"] * 6  # auth.login + 5 calls, one slot each
    assert client.stats.limited == 0


def test_unpaced_calls_back_off_on_0007(limited: Any, tenant: Tenant, fake_time: FakeTime) -> None:
    target = limited(1.0)
    with TestClient(target.app, base_url="https://testserver") as test_client:
        client = sync_client(
            target.app,
            tenant,
            test_client,
            requests_per_second=0,
            clock=fake_time.clock,
            sleep=fake_time.sleep,
        )
        ids = [client.user.get().id for _ in range(4)]
    assert ids == [tenant.owner_id] * 4
    assert target.codes.count("ok") == 4
    assert target.refusals == client.stats.limited > 0
    # The limiter refuses anything within a second of the last hit: waits of 1 s, then 2 s.
    assert set(fake_time.sleeps) <= {1.0, 2.0}


def test_the_limit_budget_ends_the_waiting(limited: Any, tenant: Tenant, fake_time: FakeTime) -> None:
    target = limited(1.0)
    with TestClient(target.app, base_url="https://testserver") as test_client:
        client = sync_client(
            target.app,
            tenant,
            test_client,
            requests_per_second=0,
            limit_budget=0.5,
            clock=fake_time.clock,
            sleep=fake_time.sleep,
        )
        client.user.get()
        with pytest.raises(errors.RequestLimitExceeded) as caught:
            client.user.get()
    assert caught.value.function == "user.get"
    assert fake_time.sleeps == [0.5]
    assert target.codes == ["ok", "0007", "0007"]


def test_threads_share_the_pace(limited: Any, tenant: Tenant) -> None:
    target = limited(5.0)
    with TestClient(target.app, base_url="https://testserver") as test_client:
        client = sync_client(target.app, tenant, test_client, requests_per_second=5, pacing_margin=0.1)
        threads = [threading.Thread(target=client.user.get) for _ in range(6)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    assert target.codes == ["ok"] * 6
    assert client.stats.limited == 0
    assert elapsed >= 5 * 0.3  # six sends, never closer than 1/rate + margin


def test_async_tasks_share_the_pace(limited: Any, tenant: Tenant) -> None:
    target = limited(5.0)

    async def scenario() -> AsyncClient:
        transport = httpx.ASGITransport(app=target.app)
        async with AsyncClient(
            URL,
            tenant.name,
            tenant.api_key,
            token=tenant.token,
            requests_per_second=5,
            pacing_margin=0.1,
            transport=transport,
        ) as client:
            await asyncio.gather(*(client.user.get() for _ in range(6)))
            return client

    client = asyncio.run(scenario())
    assert target.codes == ["ok"] * 6
    assert client.stats.limited == 0


def test_async_paced_burst_on_fake_time(limited: Any, tenant: Tenant, fake_time: FakeTime) -> None:
    target = limited(1.0)

    async def scenario() -> AsyncClient:
        async with AsyncClient(
            URL,
            tenant.name,
            tenant.api_key,
            token=tenant.token,
            transport=httpx.ASGITransport(app=target.app),
            clock=fake_time.clock,
            sleep=fake_time.asleep,
        ) as client:
            for _ in range(10):
                await client.user.get()
            return client

    client = asyncio.run(scenario())
    assert target.codes == ["ok"] * 10
    assert client.stats.limited == 0
    assert sum(fake_time.sleeps) == pytest.approx(9 * 1.01)
