"""Daily usage history: requests counted against the quota, per account and day.

Counted in memory and written in batches (at most every ``FLUSH_INTERVAL``), so that a read
call does not become a write. A crash loses at most that interval of statistics; the quota
itself is enforced by the limiter, not by these rows.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BindParameter

from planfix_server.api.context import zone
from planfix_server.store.records import AccountRecord
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import api_usage

FLUSH_INTERVAL = dt.timedelta(seconds=10)

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_HISTORY = Scoped(
    select(api_usage.c.day, api_usage.c.count)
    .where(api_usage.c.account_id == _ACCOUNT, api_usage.c.day >= bindparam("since"))
    .order_by(api_usage.c.day)
)


class UsageRepository(Repository):
    def add(self, day: dt.date, count: int) -> None:
        """Add ``count`` requests to ``day`` (insert or increment)."""
        dialect = postgresql if self.connection.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(api_usage).values(account_id=self.account_id, day=day, count=count)
        statement = statement.on_conflict_do_update(
            index_elements=["account_id", "day"], set_={"count": api_usage.c.count + statement.excluded.count}
        )
        self.connection.execute(statement)

    def history(self, since: dt.date) -> dict[dt.date, int]:
        # (``row.count`` would be the tuple method, hence the mapping.)
        return {row.day: int(row._mapping["count"]) for row in self.rows(_HISTORY, since=since)}


class UsageRecorder:
    """Per-worker counts waiting to be written."""

    def __init__(self) -> None:
        self._pending: Counter[tuple[int, dt.date]] = Counter()
        self._flushed_at: dt.datetime | None = None
        self._lock = threading.Lock()

    def count(self, account: AccountRecord, now: dt.datetime) -> None:
        with self._lock:
            self._pending[(account.id, now.astimezone(zone(account.timezone)).date())] += 1

    def due(self, now: dt.datetime) -> bool:
        return bool(self._pending) and (self._flushed_at is None or now - self._flushed_at >= FLUSH_INTERVAL)

    def flush(self, connection: Connection, now: dt.datetime) -> None:
        """Write what is pending; the caller commits. On failure the counts stay pending."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
            self._flushed_at = now
        try:
            for (account_id, day), count in sorted(pending.items()):
                UsageRepository(connection, account_id).add(day, count)
        except Exception:
            with self._lock:
                self._pending.update(pending)
            raise
