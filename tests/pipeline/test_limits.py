"""Per-second and daily limits (0007), X-RateLimit-Remaining, the failed-authentication throttle."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
import redis
import time_machine

from planfix_server.pipeline.limits import per_second_item
from planfix_server.settings import Settings
from tests.support import Api, basic, provision, request_xml, running

# One Redis database per xdist worker (gw0 -> 15, gw1 -> 14, …): the tests flush it.
REDIS_URL = f"redis://127.0.0.1:6379/{15 - int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:] or 0)}"


def test_per_second_limit_answers_0007_then_recovers(settings: Settings) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False) as traveller:
        with running(settings.replace(requests_per_second=1)) as (server, client):
            api = Api(client, provision(server, "acme"))
            assert api.call("user.get").ok
            second = api.call("user.get")
            assert second.code == "0007"
            traveller.shift(1.1)
            assert api.call("user.get").ok


def test_burst_allows_extra_requests_in_one_second(settings: Settings) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        with running(settings.replace(requests_per_second=1, rate_burst=2)) as (server, client):
            api = Api(client, provision(server, "acme"))
            codes = [api.call("user.get").code or "ok" for _ in range(4)]
    assert codes == ["ok", "ok", "ok", "0007"]


def test_limits_are_per_account(settings: Settings) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        with running(settings.replace(requests_per_second=1)) as (server, client):
            first = Api(client, provision(server, "acme"))
            second = Api(client, provision(server, "other"))
            assert first.call("user.get").ok
            assert second.call("user.get").ok
            assert first.call("user.get").code == "0007"


def test_fractional_rate_means_one_request_per_several_seconds() -> None:
    item = per_second_item(0.5, 0)
    assert item is not None
    assert (item.amount, item.get_expiry()) == (1, 2)
    assert per_second_item(0, 5) is None


def test_daily_quota_by_plan_then_a_new_day(settings: Settings) -> None:
    start = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        with running(settings.replace(plan_quotas={"standard": 3, "premium": 100})) as (server, client):
            api = Api(client, provision(server, "acme", plan="standard"))
            rich = Api(client, provision(server, "rich", plan="premium"))
            codes = [api.call("user.get").code or "ok" for _ in range(4)]
            assert codes == ["ok", "ok", "ok", "0007"]
            assert rich.call("user.get").ok
            traveller.shift(dt.timedelta(hours=5))  # past midnight in the account's zone (UTC)
            assert api.call("user.get").ok


def test_remaining_header_is_a_snapshot_refreshed_periodically(settings: Settings) -> None:
    tuned = settings.replace(plan_quotas={"premium": 100}, remaining_refresh_seconds=600)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        with running(tuned) as (server, client):
            api = Api(client, provision(server, "acme"))
            first = api.call("user.get")
            assert first.headers["x-ratelimit-remaining"] == "99"
            for _ in range(3):
                reply = api.call("user.get")
                assert reply.headers["x-ratelimit-remaining"] == "99"
            traveller.shift(601)
            assert api.call("user.get").headers["x-ratelimit-remaining"] == "95"
            error = api.call("no.suchFunction")
            assert error.code == "0008"
            assert error.headers["x-ratelimit-remaining"] == "95"


def test_plan_without_quota_sends_no_remaining_header(settings: Settings) -> None:
    with running(settings.replace(plan_quotas={"premium": 100})) as (server, client):
        api = Api(client, provision(server, "acme", plan="standard"))
        reply = api.call("user.get")
        assert reply.ok
        assert "x-ratelimit-remaining" not in reply.headers


def test_failed_authentication_is_throttled_per_address(settings: Settings) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        with running(settings.replace(auth_failures_per_minute=3)) as (server, client):
            tenant = provision(server, "acme")
            api = Api(client, tenant)
            wrong = basic(tenant.api_key, "0" * 32)
            codes = [api.post(request_xml("user.get", "acme"), authorization=wrong).code for _ in range(3)]
            assert codes == ["0012", "0012", "0012"]
            # Now even good credentials from that address wait for the minute to pass.
            assert api.call("user.get").code == "0007"
            traveller.shift(61)
            assert api.call("user.get").ok


@pytest.fixture
def redis_db() -> Iterator[None]:
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield
    connection.flushdb()
    connection.close()


@pytest.mark.usefixtures("redis_db")
def test_redis_counters_are_shared_by_two_workers(settings: Settings) -> None:
    shared = settings.replace(requests_per_second=1, redis_url=REDIS_URL)
    with running(shared) as (server_a, client_a), running(shared) as (_server_b, client_b):
        tenant = provision(server_a, "acme")
        assert Api(client_a, tenant).call("user.get").ok
        # The second worker sees the first worker's request in the same second.
        assert Api(client_b, tenant).call("user.get").code == "0007"


@pytest.mark.usefixtures("redis_db")
def test_redis_daily_quota_is_shared(settings: Settings) -> None:
    shared = settings.replace(plan_quotas={"standard": 2}, redis_url=REDIS_URL)
    with running(shared) as (server_a, client_a), running(shared) as (_server_b, client_b):
        tenant = provision(server_a, "acme", plan="standard")
        assert Api(client_a, tenant).call("user.get").ok
        assert Api(client_b, tenant).call("user.get").ok
        assert Api(client_a, tenant).call("user.get").code == "0007"
        assert Api(client_b, tenant).call("user.get").code == "0007"
