"""Fixtures: every test that takes ``server`` runs on SQLite and on PostgreSQL.

``PLANFIX_TEST_BACKENDS`` (default ``sqlite,postgresql``) chooses the backends;
``PLANFIX_TEST_PG_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``) the database.
Each test process (xdist worker) gets its own PostgreSQL schema, migrated once; each test starts from empty
tables (SQLite: a copy of a migrated file; PostgreSQL: rows deleted, sequences restarted).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.settings import Settings
from planfix_server.store.db import make_engine
from planfix_server.store.migrate import upgrade
from planfix_server.store.tables import metadata
from tests.support import Api, Tenant, provision

BACKENDS = [
    b.strip() for b in os.environ.get("PLANFIX_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()
]
PG_URL = os.environ.get("PLANFIX_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def pg_url_for_schema(schema: str) -> str:
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "planfix.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    # The process id keeps simultaneous runs (several developers, one database) out of each other's way.
    schema = f"pftest_{_worker()}_{os.getpid()}"
    admin = make_engine(PG_URL)
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        connection.commit()
    url = pg_url_for_schema(schema)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.commit()
    admin.dispose()


class PostgresReset:
    """Empties one test schema: every table's rows deleted, children first, and every sequence back
    at 1, in one round trip. (TRUNCATE of the ~50 tables costs about 17 times as much: it makes new
    files for each table, while the tables of one test hold a handful of rows.)"""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        with self.engine.connect() as connection:
            sequences = connection.execute(
                text(
                    "SELECT sequence_name FROM information_schema.sequences "
                    "WHERE sequence_schema = current_schema()"
                )
            ).scalars()
            restarts = [f"ALTER SEQUENCE {name} RESTART WITH 1;" for name in sequences]
        deletes = [f"DELETE FROM {table.name};" for table in reversed(metadata.sorted_tables)]
        self.script = "".join(deletes + restarts)

    def __call__(self) -> None:
        with self.engine.connect() as connection:
            connection.exec_driver_sql(self.script)
            connection.commit()


@pytest.fixture(scope="session")
def pg_reset(pg_schema_url: str) -> Iterator[PostgresReset]:
    reset = PostgresReset(pg_schema_url)
    yield reset
    reset.engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "planfix.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_schema_url")
    request.getfixturevalue("pg_reset")()
    return url


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=str(tmp_path / "data"),
        db_url=db_url,
        requests_per_second=0,
        plan_quotas={"standard": 20000, "professional": 50000, "premium": 100000},
        argon2_time_cost=1,
        argon2_memory_kib=64,
        auth_failures_per_minute=0,
    )


@pytest.fixture
def server(settings: Settings) -> Iterator[Server]:
    made = Server.start(settings)
    yield made
    made.engine.dispose()


@pytest.fixture
def client(server: Server) -> Iterator[TestClient]:
    with TestClient(create_app(server=server), base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture
def tenant(server: Server) -> Tenant:
    return provision(server, "acme")


@pytest.fixture
def api(client: TestClient, tenant: Tenant) -> Api:
    return Api(client, tenant)
