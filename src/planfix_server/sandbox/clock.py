"""The sandbox clock: the server's idea of "now", which a test can freeze, set and advance.

Installed as ``Server.clock``, so everything the pipeline dates follows it: session expiry
(``sid`` lifetime), the day a request counts against the daily quota, stamps on new data.
The per-second limiter and the failed-authentication throttle count in real time (the
``limits`` library reads the system clock), so moving this clock never opens or closes them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any


def _system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def parse_moment(value: str) -> dt.datetime:
    """An ISO 8601 moment; without an offset it is read as UTC. ``Z`` is accepted."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


class SandboxClock:
    """A clock that runs with ``source`` shifted by an offset, or stands still when frozen."""

    def __init__(self, source: Callable[[], dt.datetime] = _system_now) -> None:
        self._source = source
        self._offset = dt.timedelta(0)
        self._frozen_at: dt.datetime | None = None
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        frozen = self._frozen_at
        return frozen if frozen is not None else self._source() + self._offset

    def now(self) -> dt.datetime:
        return self()

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def freeze(self, at: dt.datetime | None = None) -> dt.datetime:
        """Stop the clock at ``at`` (default: where it stands now)."""
        with self._lock:
            self._frozen_at = _aware(at) if at is not None else self()
            return self._frozen_at

    def set(self, at: dt.datetime) -> dt.datetime:
        """Jump to ``at``; a running clock keeps running from there, a frozen one stays frozen."""
        at = _aware(at)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = at
            else:
                self._offset = at - self._source()
            return at

    def advance(self, seconds: float | dt.timedelta) -> dt.datetime:
        """Move the clock forward (or back, with a negative amount)."""
        step = seconds if isinstance(seconds, dt.timedelta) else dt.timedelta(seconds=seconds)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += step
            else:
                self._offset += step
            return self()

    def unfreeze(self) -> dt.datetime:
        """Let a frozen clock run again from the moment it shows (no jump back to real time)."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - self._source()
                self._frozen_at = None
            return self()

    def reset(self) -> dt.datetime:
        """Back to real time, running."""
        with self._lock:
            self._offset = dt.timedelta(0)
            self._frozen_at = None
            return self()

    def state(self) -> dict[str, Any]:
        """What ``GET /_sandbox/clock`` answers."""
        with self._lock:
            frozen = self._frozen_at is not None
            now = self()
            offset = (now - self._source()).total_seconds() if frozen else self._offset.total_seconds()
        return {"now": now.isoformat(), "frozen": frozen, "offset_seconds": round(offset, 6)}
