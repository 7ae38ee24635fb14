"""``Call.after_commit``: callbacks run once the handler's transaction has committed; never on
rollback, and only those of the attempt that committed when the transaction was run again."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.registry import REGISTRY
from planfix_server.app import Server
from tests.pipeline.test_retry import real_conflict
from tests.support import Api


def tasks_seen_elsewhere(server: Server, account_id: int) -> int:
    """Tasks visible to another connection: only committed rows are."""
    with server.engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM tasks WHERE account_id = :a"), {"a": account_id}
            ).scalar_one()
        )


def task_add_with(
    then: Callable[[Call, int], None],
) -> Any:
    """task.add doing its real work, then ``then(call, attempt)`` (which may register callbacks)."""
    real = REGISTRY["task.add"]
    assert real.handler is not None
    handler: Callable[..., Any] = real.handler
    attempts = [0]

    def wrapped(request: Any, uow: Any, call: Call) -> Any:
        result = handler(request, uow, call)
        attempts[0] += 1
        then(call, attempts[0])
        return result

    return dataclasses.replace(real, handler=wrapped)


def test_callbacks_run_after_the_commit(api: Api, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, int]] = []
    account = api.tenant.account_id

    def register(call: Call, attempt: int) -> None:
        call.after_commit(lambda: seen.append(("first", tasks_seen_elsewhere(server, account))))
        call.after_commit(lambda: seen.append(("second", tasks_seen_elsewhere(server, account))))
        assert seen == []  # registering runs nothing yet

    monkeypatch.setitem(REGISTRY, "task.add", task_add_with(register))
    reply = api.call("task.add", "<task><title>Kept</title></task>")
    assert reply.ok, reply.raw
    # In order, once, and the task was already visible to another connection: committed.
    assert seen == [("first", 1), ("second", 1)]


def test_no_callbacks_when_the_handler_fails(
    api: Api, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def register_then_fail(call: Call, attempt: int) -> None:
        call.after_commit(lambda: seen.append("ran"))
        raise errors.ObjectUpdateFailed("refused after registering")

    monkeypatch.setitem(REGISTRY, "task.add", task_add_with(register_then_fail))
    reply = api.call("task.add", "<task><title>Rolled back</title></task>")
    assert reply.code == errors.ObjectUpdateFailed.code
    assert seen == []
    assert tasks_seen_elsewhere(server, api.tenant.account_id) == 0


def test_only_the_committed_attempt_runs_its_callbacks(
    api: Api, server: Server, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    conflict = real_conflict(db_url)

    def register_then_conflict_once(call: Call, attempt: int) -> None:
        call.after_commit(lambda: seen.append(attempt))
        if attempt == 1:
            raise conflict

    monkeypatch.setitem(REGISTRY, "task.add", task_add_with(register_then_conflict_once))
    reply = api.call("task.add", "<task><title>Second try</title></task>")
    assert reply.ok, reply.raw
    assert seen == [2]
    assert tasks_seen_elsewhere(server, api.tenant.account_id) == 1


def test_a_failing_callback_is_logged_and_the_call_stays_done(
    api: Api, server: Server, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []

    def broken() -> None:
        raise OSError("disk gone")

    def register(call: Call, attempt: int) -> None:
        call.after_commit(broken)
        call.after_commit(lambda: seen.append("next one still runs"))

    monkeypatch.setitem(REGISTRY, "task.add", task_add_with(register))
    with caplog.at_level(logging.WARNING, logger="planfix_server.requests"):
        reply = api.call("task.add", "<task><title>Done anyway</title></task>")
    assert reply.ok, reply.raw
    assert seen == ["next one still runs"]
    assert "after-commit" in caplog.text and "disk gone" in caplog.text
    assert tasks_seen_elsewhere(server, api.tenant.account_id) == 1
