"""This worker's own rate-limit counters: no thread per sweep, expired windows still dropped."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from limits.storage import memory

from planfix_server.pipeline.limits import LocalStorage


def test_counting_starts_no_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []

    class CountedTimer(threading.Timer):
        def start(self) -> None:
            started.append(1)
            super().start()

    storage = LocalStorage()
    monkeypatch.setattr(memory.threading, "Timer", CountedTimer)
    for number in range(20):
        storage.incr("requests", 60)
        storage.acquire_entry("moving", 100, 60)
        if number % 5 == 0:
            time.sleep(0.02)  # the library starts a new timer once the previous one has run
    assert storage.get("requests") == 20
    assert started == []


def test_expired_counters_are_swept(monkeypatch: pytest.MonkeyPatch) -> None:
    storage = LocalStorage()
    storage.incr("short", 0.01)
    time.sleep(0.03)
    assert storage.get("short") == 0  # reads ignore an expired window at once
    storage.incr("again", 0.01)
    time.sleep(0.03)
    swept: dict[str, Any] = storage.storage
    storage._next_sweep = 0.0  # the sweep is due
    storage.incr("fresh", 60)
    assert "again" not in swept and swept["fresh"] == 1
