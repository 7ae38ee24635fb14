"""The daily usage history behind the account pages."""

from __future__ import annotations

import datetime as dt

import time_machine

from planfix_server.app import Server
from planfix_server.pipeline.usage import UsageRepository
from planfix_server.settings import Settings
from tests.support import Api, provision, running


def _history(server: Server, account_id: int) -> dict[dt.date, int]:
    with server.engine.connect() as connection:
        return UsageRepository(connection, account_id).history(dt.date(2026, 1, 1))


def test_counted_calls_are_written_per_day(server: Server, api: Api) -> None:
    start = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(3):
            assert api.call("user.get").ok
        traveller.shift(dt.timedelta(days=1))
        assert api.call("user.get").ok
        assert api.call("no.such").code == "0008"  # counted: it passed the limits
        traveller.shift(dt.timedelta(seconds=11))
        assert api.call("user.get").ok
    assert _history(server, api.tenant.account_id) == {dt.date(2026, 3, 2): 3, dt.date(2026, 3, 3): 3}


def test_calls_refused_before_the_limits_are_not_counted(server: Server, api: Api) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False) as traveller:
        refused = api.as_user("f" * 32).call("user.get")
        assert refused.code == "0012"
        traveller.shift(11)
        assert api.call("user.get").ok
        traveller.shift(11)
        assert api.call("user.get").ok
    assert _history(server, api.tenant.account_id) == {dt.date(2026, 3, 2): 2}


def test_pending_counts_are_written_when_the_worker_stops(settings: Settings) -> None:
    with running(settings) as (server, client):
        tenant = provision(server, "acme")
        assert Api(client, tenant).call("user.get").ok
        assert Api(client, tenant).call("user.get").ok
        # Two calls within the flush interval: the second is still pending here.
    with running(settings) as (server, _client):
        assert sum(_history(server, tenant.account_id).values()) == 2
