"""Engines: SQLite (WAL, foreign keys, explicit write transactions) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError

WRITE = "write"
# When a pooled connection was last given back (in its pool record's info).
IDLE_SINCE = "idle_since"
# SQLite's lower() folds only ASCII; queries compare text case-insensitively through this function.
SQLITE_LOWER = "pf_lower"


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
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
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
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so writers can take the lock up front.
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

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        # A writer that starts as a reader may fail to upgrade under concurrency (SQLITE_BUSY);
        # taking the write lock at BEGIN makes it wait its turn instead.
        # Straight to the driver: one statement without SQLAlchemy's execution machinery, on every request.
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute("BEGIN IMMEDIATE" if connection.info.get(WRITE) else "BEGIN")


def is_sqlite(connection: Connection | Engine) -> bool:
    return connection.dialect.name == "sqlite"
