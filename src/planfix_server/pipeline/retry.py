"""Running a request's transaction again when the database aborts it for a conflict.

PostgreSQL may abort one of two transactions that met (serialization failure, deadlock) and SQLite
may find the database busy; neither is the client's fault, and another attempt usually succeeds.
The attempt is rolled back and run again a few times with a short, growing, jittered pause. Only
the handler's transaction is repeated: authentication and limits ran before it, so a retry is never
counted twice against the limits.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

T = TypeVar("T")

# serialization_failure, deadlock_detected
RETRY_SQLSTATES = frozenset({"40001", "40P01"})
# SQLITE_BUSY, SQLITE_LOCKED (the low byte of an extended result code)
RETRY_SQLITE_CODES = frozenset({5, 6})
FIRST_PAUSE_SECONDS = 0.005


def is_transient(exc: BaseException) -> bool:
    """Whether the database aborted the transaction for a conflict that another attempt may not meet."""
    if not isinstance(exc, DBAPIError) or exc.connection_invalidated:
        return False
    original = exc.orig
    if getattr(original, "sqlstate", None) in RETRY_SQLSTATES:
        return True
    code = getattr(original, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in RETRY_SQLITE_CODES


def pause(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: doubling, with jitter so rivals spread out."""
    return float(FIRST_PAUSE_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))


def committed(
    connection: Connection,
    work: Callable[[], T],
    *,
    retries: int,
    on_retry: Callable[[int, BaseException], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``work`` and commit; on a transient conflict roll back and run it again, at most
    ``retries`` more times. Anything else, and the last conflict, propagates."""
    attempt = 1
    while True:
        try:
            result = work()
            connection.commit()
            return result
        except DBAPIError as exc:
            if attempt > retries or not is_transient(exc):
                raise
            connection.rollback()
            if on_retry is not None:
                on_retry(attempt, exc)
            sleep(pause(attempt))
            attempt += 1
