"""Engines: SQLite (WAL, foreign keys, explicit write transactions) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import PoolProxiedConnection

WRITE = "write"
# When a pooled connection was last given back (in its pool record's info).
IDLE_SINCE = "idle_since"
# SQLite's lower() folds only ASCII; queries compare text case-insensitively through this function.
SQLITE_LOWER = "pf_lower"


class SQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, with BEGIN sent by the dialect instead of a "begin" event listener.

    Writers take the write lock at BEGIN (``BEGIN IMMEDIATE``): a writer that starts as a reader may
    fail to upgrade under concurrency (SQLITE_BUSY), and this makes it wait its turn instead. Any
    connection event listener makes SQLAlchemy dispatch its events around every statement, commit
    and rollback; without one, each statement skips that work.
    """

    supports_statement_cache = True

    def do_begin(self, dbapi_connection: PoolProxiedConnection) -> None:
        driver = dbapi_connection.driver_connection
        assert driver is not None
        # ``info`` is the same dictionary as the Connection's (Connection.info).
        driver.execute("BEGIN IMMEDIATE" if dbapi_connection.info.get(WRITE) else "BEGIN")


_SQLITE_DRIVER = "sqlite+planfix"
registry.register("sqlite.planfix", __name__, "SQLiteDialect")


def _fold(value: object) -> str | None:
    return None if value is None else str(value).lower()


def normalize_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, *, pool_size: int = 5, ping_idle_seconds: float = 0.0) -> Engine:
    """``ping_idle_seconds`` (PostgreSQL): test a pooled connection before use only when it has been
    idle that long; 0 tests it before every use."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed.set(drivername=_SQLITE_DRIVER), connect_args={"timeout": 30, "check_same_thread": False}
        )
        _configure_sqlite(engine)
        return engine
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        pool_pre_ping=ping_idle_seconds <= 0,
        connect_args={"connect_timeout": 10},
    )
    if ping_idle_seconds > 0:
        _ping_when_idle(engine, ping_idle_seconds)
    return engine


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """The pool's pre-ping, for connections idle at least ``idle_seconds``: a connection in steady
    use was just seen working, and the test would cost a round trip on every request."""

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(IDLE_SINCE)
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool drops this connection and checks out another (a new one if need be).
            raise DisconnectionError(f"pooled connection failed its test: {exc}") from exc


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver sends no BEGIN of its own: SQLiteDialect.do_begin does, so writers can take the
        # lock up front.
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function(SQLITE_LOWER, 1, _fold, deterministic=True)
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=30000",
        ):
            cursor.execute(pragma)
        cursor.close()


def is_sqlite(connection: Connection | Engine) -> bool:
    return connection.dialect.name == "sqlite"
