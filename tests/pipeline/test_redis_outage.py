"""The limits while the shared Redis is away: fail open (counted per worker) or closed (0007), and
shared again once Redis answers. Each test runs a Redis server of its own and stops it."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

import pytest
from stress.harness import OwnRedis

from planfix_server.pipeline import limits
from planfix_server.settings import Settings
from tests.support import Api, provision, running

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")


@pytest.fixture
def own_redis(monkeypatch: pytest.MonkeyPatch) -> Iterator[OwnRedis]:
    monkeypatch.setattr(limits, "REDIS_RETRY_SECONDS", 0.0)  # try Redis again on the next request
    made = OwnRedis()
    made.start()
    yield made
    made.stop()


def codes(*apis: Api) -> list[str]:
    return [api.call("user.get").code or "ok" for api in apis]


def test_fail_open_counts_per_worker_then_shares_again(settings: Settings, own_redis: OwnRedis) -> None:
    shared = settings.replace(plan_quotas={"standard": 2}, redis_url=own_redis.url, redis_failure="open")
    with running(shared) as (server_a, client_a), running(shared) as (server_b, client_b):
        tenant = provision(server_a, "acme", plan="standard")
        a, b = Api(client_a, tenant), Api(client_b, tenant)
        assert codes(a, b, a, b) == ["ok", "ok", "0007", "0007"]  # one quota for both workers

        own_redis.stop()
        # Still answering; each worker now counts on its own, so each has the quota again.
        assert codes(a, a, a) == ["ok", "ok", "0007"]
        assert codes(b, b, b) == ["ok", "ok", "0007"]
        assert server_a.limiter.shared_down and server_b.limiter.shared_down

        own_redis.start()  # empty: the day's counts start again
        assert codes(a, b, a, b) == ["ok", "ok", "0007", "0007"]
        assert not server_a.limiter.shared_down and not server_b.limiter.shared_down


def test_fail_closed_refuses_until_redis_returns(settings: Settings, own_redis: OwnRedis) -> None:
    shared = settings.replace(plan_quotas={"standard": 2}, redis_url=own_redis.url, redis_failure="closed")
    with running(shared) as (server, client):
        api = Api(client, provision(server, "acme", plan="standard"))
        assert codes(api) == ["ok"]
        own_redis.stop()
        assert codes(api, api, api) == ["0007", "0007", "0007"]
        own_redis.start()
        assert codes(api, api, api) == ["ok", "ok", "0007"]


def test_an_unreachable_redis_costs_little(settings: Settings, own_redis: OwnRedis) -> None:
    own_redis.stop()
    with running(settings.replace(requests_per_second=1, redis_url=own_redis.url)) as (server, client):
        api = Api(client, provision(server, "acme"))
        started = time.perf_counter()
        # The per-second limit still holds, in this worker's memory.
        assert codes(api, api) == ["ok", "0007"]
        assert time.perf_counter() - started < 2 * limits.REDIS_TIMEOUT_SECONDS + 1
