"""The request log: the last N XML API requests a sandbox answered, oldest first.

An ``after_answer`` hook of the server, so it sees every request that reached the pipeline,
including those answered with an error before any account was known.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from planfix_server.app import Answer
from planfix_server.pipeline.exchange import Exchange

DEFAULT_SIZE = 1000


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One answered request. ``time`` is the server clock's (the sandbox clock's) moment."""

    time: dt.datetime
    account: str
    function: str
    code: str  # "ok", a 4-digit error code, or "error" for an unexpected failure
    ms: float
    request_id: str
    client: str

    def describe(self) -> dict[str, Any]:
        return {
            "time": self.time.isoformat(),
            "account": self.account,
            "function": self.function,
            "code": self.code,
            "ms": round(self.ms, 3),
            "request_id": self.request_id,
            "client": self.client,
        }


class RequestLog:
    """A ring buffer of answered requests; callable as the server's ``after_answer`` hook."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._entries: deque[LoggedRequest] = deque(maxlen=size)
        self._lock = threading.Lock()

    def __call__(self, exchange: Exchange, answer: Answer) -> None:
        if exchange.account is not None:
            account = exchange.account.name
        else:
            account = exchange.envelope.account if exchange.envelope is not None else ""
        entry = LoggedRequest(
            exchange.now,
            account,
            exchange.method,
            answer.code,
            answer.seconds * 1000,
            exchange.request_id,
            exchange.client,
        )
        with self._lock:
            self._entries.append(entry)

    def entries(
        self, *, account: str | None = None, function: str | None = None, code: str | None = None
    ) -> list[LoggedRequest]:
        """The logged requests, oldest first, optionally only those of one account/function/code."""
        with self._lock:
            found = list(self._entries)
        return [
            entry
            for entry in found
            if (account is None or entry.account == account)
            and (function is None or entry.function == function)
            and (code is None or entry.code == code)
        ]

    def functions(self, *, account: str | None = None) -> list[str]:
        """Just the function names, in order: handy for asserting what a client called."""
        return [entry.function for entry in self.entries(account=account)]

    def clear(self, *, account: str | None = None) -> None:
        with self._lock:
            if account is None:
                self._entries.clear()
            else:
                kept = [entry for entry in self._entries if entry.account != account]
                self._entries.clear()
                self._entries.extend(kept)

    def __len__(self) -> int:
        return len(self._entries)
