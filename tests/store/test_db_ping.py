"""PostgreSQL pooled connections are tested before use only after being idle a while."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from planfix_server.store.db import make_engine
from tests.conftest import BACKENDS, PG_URL

pytestmark = pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL backend not selected")

IDLE = 0.2


@pytest.fixture
def engine() -> Iterator[Engine]:
    made = make_engine(PG_URL, pool_size=1, ping_idle_seconds=IDLE)
    yield made
    made.dispose()


def _pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made: list[int] = []
    real = engine.dialect.do_ping

    def counting(dbapi_connection: Any) -> bool:
        made.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting)
    return made


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_in_steady_use_is_not_tested(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    pings = _pings(engine, monkeypatch)
    first = _backend_pid(engine)
    for _ in range(5):
        assert _backend_pid(engine) == first
    assert pings == []


def test_an_idle_connection_is_tested(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    pings = _pings(engine, monkeypatch)
    first = _backend_pid(engine)
    time.sleep(IDLE * 1.5)
    assert _backend_pid(engine) == first
    assert len(pings) == 1


def _drop(pid: int) -> None:
    admin = make_engine(PG_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            connection.commit()
    finally:
        admin.dispose()


def test_an_idle_connection_the_database_dropped_is_replaced(engine: Engine) -> None:
    dropped = _backend_pid(engine)
    _drop(dropped)
    time.sleep(IDLE * 1.5)
    assert _backend_pid(engine) != dropped


def test_zero_tests_before_every_use() -> None:
    every = make_engine(PG_URL, pool_size=1, ping_idle_seconds=0)
    try:
        dropped = _backend_pid(every)
        _drop(dropped)
        assert _backend_pid(every) != dropped  # no wait: tested at once
    finally:
        every.dispose()
