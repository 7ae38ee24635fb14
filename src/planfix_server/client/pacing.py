"""Pacing and backoff: how often a client may send, and how long it waits after a refusal.

The real service allows one request per second per account (``00-protocol.md`` §5) and answers
``0007`` above it. ``Scheduler`` gives every thread (or task) of one client send slots by two
rules, under one lock (callers sleep outside it, so they queue in order and never burst):

* slots are ``1/rate + margin`` seconds apart;
* no slot starts before ``1/rate`` (plus a millisecond) after the last answer arrived. The server
  counted that request at the latest when it answered, so the next one can never land inside its
  window, however late the server got to the first (a slow or busy server, a jittery network).
  Sequential calls therefore take ``1/rate + max(margin, round trip)`` each.

A slot taken before an answer moved that floor is exchanged for a later one when its turn comes
(``take`` again with the old slot). After a ``0007``, ``defer`` raises the floor for everybody.

The clock is injectable (any monotonic ``() -> float`` in seconds) so tests measure pacing with
a fake clock instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]

# Strictly more than the server's window between two counted requests.
_AFTER_ANSWER = 0.001
_EPSILON = 1e-9


class Scheduler:
    """Send slots for at most ``rate`` requests per second, shared by all callers of one client.

    ``rate`` 0 turns pacing off (``defer`` still holds callers back after a refusal).
    """

    def __init__(self, rate: float = 1.0, *, margin: float = 0.01, clock: Clock = time.monotonic) -> None:
        if rate < 0 or margin < 0:
            raise ValueError("rate and margin must not be negative")
        self.rate = rate
        self.interval = (1.0 / rate + margin) if rate > 0 else 0.0
        self._after_answer = (1.0 / rate + _AFTER_ANSWER) if rate > 0 else 0.0
        self.clock = clock
        self._next = -math.inf  # the next free slot by spacing
        self._floor = -math.inf  # no slot before this (last answer + 1/rate, or a deferral)
        self._lock = threading.Lock()

    def take(self, slot: float | None = None) -> tuple[float, float]:
        """``(slot, seconds to wait)``. Call with None first, then with the slot after waiting,
        until the wait is 0: a slot overtaken by the floor meanwhile is replaced by a later one."""
        with self._lock:
            now = self.clock()
            if slot is not None and slot < self._floor and self._next == slot + self.interval:
                slot = max(now, self._floor)  # the last slot given out: move it, leave no hole
                self._next = slot + self.interval
            elif slot is None or slot < self._floor:
                slot = max(now, self._next, self._floor)
                self._next = slot + self.interval
        wait = slot - now
        return slot, wait if wait > _EPSILON else 0.0

    def answered(self) -> None:
        """An answer (or an error) came back: the next slot is a full ``1/rate`` from now."""
        if self.rate > 0:
            with self._lock:
                self._floor = max(self._floor, self.clock() + self._after_answer)

    def defer(self, seconds: float) -> None:
        """No slot before ``seconds`` from now (after a ``0007``: everybody waits, not just one)."""
        with self._lock:
            self._floor = max(self._floor, self.clock() + seconds)


@dataclass(frozen=True, slots=True)
class Retry:
    """Retries for transport failures and ``3014`` ("being modified, repeat a little later").

    Attempt ``n`` (1-based) waits ``min(cap, first * factor ** (n - 1))`` seconds first.
    """

    attempts: int = 3
    first: float = 0.5
    factor: float = 2.0
    cap: float = 30.0

    def delay(self, attempt: int) -> float:
        return float(min(self.cap, self.first * self.factor ** (attempt - 1)))


@dataclass(frozen=True, slots=True)
class LimitBackoff:
    """Waiting out ``0007``: at most ``budget`` seconds in all for one call, then the error is raised.

    Waits start at ``first`` seconds (one per-second window) and double up to ``cap``.
    """

    budget: float = 30.0
    first: float = 1.0
    cap: float = 60.0

    def delay(self, attempt: int) -> float:
        return float(min(self.cap, self.first * 2 ** (attempt - 1)))
