"""A request's transaction runs again when the database aborts it for a conflict, a bounded number
of times; other errors are not retried, and a failed attempt leaves nothing behind."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from planfix_server.api import errors
from planfix_server.api.registry import REGISTRY
from planfix_server.app import Server
from planfix_server.pipeline import metrics, retry
from planfix_server.settings import Settings
from planfix_server.store.db import WRITE, make_engine
from planfix_server.store.tables import id_counters
from tests.support import Api, provision, running


def real_conflict(db_url: str) -> DBAPIError:
    """A conflict produced by the database itself: SQLite busy, PostgreSQL serialization failure."""
    engine = make_engine(db_url)
    try:
        if engine.dialect.name == "sqlite":
            return _sqlite_busy(engine.url.database or "")
        return _serialization_failure(engine)
    finally:
        engine.dispose()


def _sqlite_busy(path: str) -> DBAPIError:
    holder = make_engine(f"sqlite:///{path}")
    # A plain engine that does not wait for the lock at all.
    rival = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with holder.connect() as first, rival.connect() as second:
            first.info[WRITE] = True
            first.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: holds the write lock
            with pytest.raises(DBAPIError) as caught:
                second.exec_driver_sql("BEGIN IMMEDIATE")
            first.rollback()
        return caught.value
    finally:
        holder.dispose()
        rival.dispose()


def _serialization_failure(engine: Any) -> DBAPIError:
    with engine.connect() as setup:
        setup.execute(id_counters.insert().values(name="probe", value=1))
        setup.commit()
    bump = text("UPDATE id_counters SET value = value + 1 WHERE name = 'probe'")
    with engine.connect() as first, engine.connect() as second:
        first = first.execution_options(isolation_level="REPEATABLE READ")
        first.execute(text("SELECT value FROM id_counters WHERE name = 'probe'"))
        second.execute(bump)
        second.commit()
        with pytest.raises(DBAPIError) as caught:
            first.execute(bump)
        first.rollback()
    return caught.value


def duplicate_key(server: Server) -> DBAPIError:
    with server.engine.connect() as connection:
        connection.execute(id_counters.insert().values(name="twice", value=1))
        with pytest.raises(IntegrityError) as caught:
            connection.execute(id_counters.insert().values(name="twice", value=1))
    return caught.value


def failing_task_add(failures: int, error: DBAPIError, attempts: list[int]) -> Any:
    """task.add that does its work and then meets ``error``, the first ``failures`` times."""
    real = REGISTRY["task.add"]
    assert real.handler is not None
    handler: Callable[..., Any] = real.handler

    def handler_then_conflict(request: Any, uow: Any, call: Any) -> Any:
        result = handler(request, uow, call)
        attempts.append(len(attempts) + 1)
        if len(attempts) <= failures:
            raise error
        return result

    return dataclasses.replace(real, handler=handler_then_conflict)


def task_count(server: Server, account_id: int) -> int:
    with server.engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM tasks WHERE account_id = :a"), {"a": account_id}
            ).scalar_one()
        )


def retries_counted() -> float:
    value = metrics.REGISTRY_METRICS.get_sample_value(
        "planfix_transaction_retries_total", {"function": "task.add"}
    )
    return value or 0.0


def test_the_database_conflicts_are_transient(db_url: str) -> None:
    assert retry.is_transient(real_conflict(db_url))


def test_other_database_errors_are_not(api: Api, server: Server) -> None:
    assert not retry.is_transient(duplicate_key(server))
    assert not retry.is_transient(RuntimeError("database is locked"))


def test_a_conflict_runs_the_transaction_again(
    api: Api, server: Server, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []
    monkeypatch.setitem(REGISTRY, "task.add", failing_task_add(2, real_conflict(db_url), attempts))
    before = retries_counted()
    reply = api.call("task.add", "<task><title>Once</title></task>")
    assert reply.ok, reply.raw
    assert attempts == [1, 2, 3]
    # The failed attempts were rolled back: one task, and it has the first number.
    assert reply.text("task/general") == "1"
    assert task_count(server, api.tenant.account_id) == 1
    assert retries_counted() == before + 2


def test_retries_are_bounded(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[int] = []
    monkeypatch.setitem(REGISTRY, "task.add", failing_task_add(100, real_conflict(db_url), attempts))
    with running(settings.replace(transaction_retries=3)) as (server, client):
        tenant = provision(server, "acme")
        reply = Api(client, tenant).call("task.add", "<task><title>Never</title></task>")
        assert reply.root.get("status") == "error"
        assert reply.code == errors.ObjectUpdateFailed.code  # the generic answer of an unexpected failure
        assert attempts == [1, 2, 3, 4]
        assert task_count(server, tenant.account_id) == 0


def test_no_retries_when_turned_off(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[int] = []
    monkeypatch.setitem(REGISTRY, "task.add", failing_task_add(1, real_conflict(db_url), attempts))
    with running(settings.replace(transaction_retries=0)) as (server, client):
        tenant = provision(server, "acme")
        reply = Api(client, tenant).call("task.add", "<task><title>Never</title></task>")
        assert reply.root.get("status") == "error"
        assert attempts == [1]
        assert task_count(server, tenant.account_id) == 0


def test_other_errors_are_not_retried(api: Api, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[int] = []
    monkeypatch.setitem(REGISTRY, "task.add", failing_task_add(1, duplicate_key(server), attempts))
    reply = api.call("task.add", "<task><title>Never</title></task>")
    assert reply.root.get("status") == "error"
    assert attempts == [1]
    assert task_count(server, api.tenant.account_id) == 0


def test_pauses_grow_and_stay_short() -> None:
    pauses = [retry.pause(attempt) for attempt in range(1, 5)]
    assert all(retry.FIRST_PAUSE_SECONDS * 2 ** (n - 1) * 0.5 <= p for n, p in enumerate(pauses, 1))
    assert all(p <= retry.FIRST_PAUSE_SECONDS * 2 ** (n - 1) * 1.5 for n, p in enumerate(pauses, 1))
