"""Fault injection: answer a function with an error code for its next K calls, or slow it down.

A ``before_dispatch`` hook of the server: it runs once the request is authenticated, counted
against the limits and allowed, just before the handler. So an injected code answers exactly
like the real one would (an error envelope, HTTP 200), and unknown functions or failed
authentication are never masked by a fault.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from planfix_server.api.catalogue import ALL_FUNCTIONS
from planfix_server.api.errors import error_for_code
from planfix_server.pipeline.exchange import Exchange

ANY_FUNCTION = "*"
_CODE = re.compile(r"\d{4,5}")


class FaultError(ValueError):
    """A fault that cannot be set (unknown function, malformed code, nothing to do)."""


@dataclass
class Fault:
    """One injected fault. ``times`` None: until cleared."""

    id: int
    function: str
    code: str | None = None
    latency_ms: int = 0
    times: int | None = 1
    account: str | None = None

    def matches(self, function: str, account: str) -> bool:
        if self.function not in (ANY_FUNCTION, function):
            return False
        return self.account is None or self.account == account

    def describe(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    """The faults in force; callable as the server's ``before_dispatch`` hook."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._sleep = sleep

    def add(
        self,
        function: str,
        *,
        code: str | None = None,
        times: int | None = None,
        latency_ms: int = 0,
        account: str | None = None,
    ) -> Fault:
        """Answer ``function`` (``"*"``: any) with ``code`` and/or delay it by ``latency_ms``.

        ``times`` defaults to 1 for an error code and to "until cleared" for latency alone.
        """
        function = function.strip()
        if function != ANY_FUNCTION and function not in ALL_FUNCTIONS:
            raise FaultError(f"unknown function {function!r} (use a function of XML API v1, or '*')")
        if code is not None and not _CODE.fullmatch(code):
            raise FaultError(f"an error code has 4 or 5 digits, not {code!r}")
        if latency_ms < 0:
            raise FaultError("latency_ms must not be negative")
        if code is None and latency_ms == 0:
            raise FaultError("a fault needs a code, a latency, or both")
        if times is None:
            times = 1 if code is not None else None
        elif times < 1:
            raise FaultError("times must be at least 1")
        with self._lock:
            fault = Fault(next(self._ids), function, code, latency_ms, times, account)
            self._faults.append(fault)
        return fault

    def error(self, function: str, code: str, times: int = 1, *, account: str | None = None) -> Fault:
        """Shorthand: the next ``times`` calls of ``function`` answer ``code``."""
        return self.add(function, code=code, times=times, account=account)

    def latency(
        self, function: str, ms: int, times: int | None = None, *, account: str | None = None
    ) -> Fault:
        """Shorthand: calls of ``function`` take ``ms`` milliseconds longer."""
        return self.add(function, latency_ms=ms, times=times, account=account)

    def active(self) -> list[Fault]:
        with self._lock:
            return [Fault(**asdict(fault)) for fault in self._faults]

    def clear(self, *, account: str | None = None) -> int:
        """Remove every fault (or those scoped to ``account``); how many were removed."""
        with self._lock:
            kept = [f for f in self._faults if account is not None and f.account != account]
            removed = len(self._faults) - len(kept)
            self._faults = kept
        return removed

    def _take(self, function: str, account: str) -> tuple[int, str | None]:
        """The latency and the error code for one call; consumes what it applies."""
        latency, code = 0, None
        with self._lock:
            for fault in list(self._faults):
                if not fault.matches(function, account):
                    continue
                if fault.code is not None and code is not None:
                    continue  # one error per call; later error faults wait their turn
                latency += fault.latency_ms
                if fault.code is not None:
                    code = fault.code
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
        return latency, code

    def __call__(self, exchange: Exchange) -> None:
        if not self._faults:
            return
        account = exchange.account.name if exchange.account is not None else ""
        latency, code = self._take(exchange.method, account)
        if latency:
            # The pipeline runs on the worker's event loop: the whole worker waits, as a slow server would.
            self._sleep(latency / 1000)
        if code is not None:
            raise error_for_code(code)("injected by the sandbox", function=exchange.method)
