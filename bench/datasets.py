"""Seeded databases for the suite, cached under a data directory so reruns reuse them.

A dataset is one big account ``bench`` of N tasks (``bench/seed_tasks.py`` through
``bench.tasks.seed``), small accounts beside it, and optionally a long action history on one task
and contacts. Its key holds every count, the backend, the schema's head revision and a digest of
the seeding code, so a new migration or a changed seed makes a new dataset instead of reusing a
stale one. SQLite: a directory per key with ``planfix.sqlite3``. PostgreSQL: a database per key
(``bench_suite_…``) on the server of ``--pg-url``. A ``meta.json`` written last marks a complete
seed; without it the dataset is seeded again.

Scenarios that write (``task.add``) run on a working copy: a backup of the SQLite file, or a
PostgreSQL database made from the cached one as its template.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from bench import tasks as task_bench

BENCH_DIR = Path(__file__).resolve().parent
# The code whose output is cached: a change to any of these seeds afresh.
SEED_CODE = ("datasets.py", "seed_rows.py", "seed_store.py", "seed_tasks.py", "tasks.py", "actions.py")
CONTACT_SEED_CODE = "contacts.py"


@dataclass(frozen=True)
class Shape:
    """What a dataset holds."""

    tasks: int
    other_accounts: int
    other_tasks: int
    actions: int = 0  # comments on the account's first task
    contacts: int = 0

    def key(self, backend: str) -> str:
        extra = f"-a{self.actions}-c{self.contacts}" if self.actions or self.contacts else ""
        return (
            f"{backend}-t{self.tasks}-o{self.other_accounts}x{self.other_tasks}{extra}"
            f"-r{schema_revision()}-{code_digest()}"
        )


@dataclass(frozen=True)
class Dataset:
    backend: str  # "sqlite" or "postgresql"
    url: str
    data_dir: str
    api_key: str
    token: str
    employee_token: str
    tasks: int
    seed_seconds: float
    history_task: int = 0  # id of the task carrying the action history
    actions: int = 0
    contacts: int = 0

    @property
    def seeded(self) -> task_bench.Seeded:
        """The form ``bench/tasks.py`` takes."""
        return task_bench.Seeded(
            self.url,
            self.data_dir,
            self.api_key,
            self.token,
            self.tasks,
            self.seed_seconds,
            self.employee_token,
        )


@functools.cache
def schema_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from planfix_server.store.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(config).get_current_head())


@functools.cache  # once per run, so an edit during a long run does not split its datasets
def code_digest() -> str:
    digest = hashlib.sha256()
    names = [*SEED_CODE, CONTACT_SEED_CODE]
    for name in names:
        digest.update((BENCH_DIR / name).read_bytes())
    return digest.hexdigest()[:10]


# -- the cache


def prepare(shape: Shape, backend: str, cache_dir: Path, pg_url: str) -> Dataset:
    """The cached dataset of ``shape``, seeded first if it is missing or incomplete."""
    key = shape.key(backend)
    directory = cache_dir / key
    meta = directory / "meta.json"
    database = pg_database(key)
    if meta.is_file() and (backend == "sqlite" or pg_exists(pg_url, database)):
        print(f"dataset {key}: cached", file=sys.stderr)
        return Dataset(**json.loads(meta.read_text()))
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    if backend == "sqlite":
        url = f"sqlite:///{directory / 'planfix.sqlite3'}"
    else:
        pg_create(pg_url, database)
        url = pg_url_of(pg_url, database)
    started = time.perf_counter()
    print(f"dataset {key}: seeding {shape.tasks:,} tasks", file=sys.stderr, flush=True)
    seeded = task_bench.seed(
        url,
        str(directory),
        shape.tasks,
        shape.other_accounts,
        shape.other_tasks,
        progress=shape.tasks >= 100_000,
    )
    history_task = add_history(url, shape.actions) if shape.actions else 0
    if shape.contacts:
        add_contacts(url, shape.contacts)
    dataset = Dataset(
        backend,
        url,
        str(directory),
        seeded.api_key,
        seeded.token,
        seeded.employee_token,
        shape.tasks,
        round(time.perf_counter() - started, 1),
        history_task,
        shape.actions,
        shape.contacts,
    )
    meta.write_text(json.dumps(asdict(dataset), indent=2))
    print(f"dataset {key}: seeded in {dataset.seed_seconds} s", file=sys.stderr, flush=True)
    return dataset


@contextmanager
def working_copy(dataset: Dataset, workdir: Path, pg_url: str) -> Iterator[Dataset]:
    """A copy of ``dataset`` that may be written to; removed afterwards."""
    if dataset.backend == "sqlite":
        data_dir = workdir / f"copy-{Path(dataset.data_dir).name}"
        data_dir.mkdir()
        target = data_dir / "planfix.sqlite3"
        # The backup API copies a consistent database whatever state its WAL file is in.
        source = sqlite3.connect(Path(dataset.data_dir) / "planfix.sqlite3")
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
        yield replace(dataset, url=f"sqlite:///{target}", data_dir=str(data_dir))
        return
    template = make_url_database(dataset.url)
    name = f"{template}_w{os.getpid()}"[:63]
    pg_execute(pg_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield replace(dataset, url=pg_url_of(pg_url, name))
    finally:
        pg_execute(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- PostgreSQL databases


def pg_database(key: str) -> str:
    # Identifiers stop at 63 bytes: a digest of the key, readable prefix first.
    return f"bench_suite_{key.split('-')[1]}_{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def pg_url_of(base: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(base).set(database=database).render_as_string(hide_password=False)


def make_url_database(url: str) -> str:
    from sqlalchemy.engine import make_url

    return str(make_url(url).database)


def pg_execute(base: str, statement: str) -> None:
    from sqlalchemy import text

    from planfix_server.store.db import make_engine

    engine = make_engine(base)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def pg_exists(base: str, database: str) -> bool:
    from sqlalchemy import text

    from planfix_server.store.db import make_engine

    engine = make_engine(base)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
            ).first()
            return found is not None
    finally:
        engine.dispose()


def pg_create(base: str, database: str) -> None:
    pg_execute(base, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    pg_execute(base, f'CREATE DATABASE "{database}"')


# -- what the task seed does not make


def _account(connection: Any) -> tuple[int, int, int, int]:
    """(account id, owner id, an employee's id, id of the account's task number 1)."""
    from sqlalchemy import select

    from planfix_server.store import accounts
    from planfix_server.store.tables import tasks, users

    account = accounts.find(connection, task_bench.ACCOUNT)
    assert account is not None
    owner, employee = (
        connection.execute(
            select(users.c.id)
            .where(users.c.account_id == account.id, users.c.role == role)
            .order_by(users.c.id)
            .limit(1)
        ).scalar_one()
        for role in ("ADMIN", "USER")
    )
    first = connection.execute(
        select(tasks.c.id).where(tasks.c.account_id == account.id, tasks.c.general == 1)
    ).scalar_one()
    return account.id, int(owner), int(employee), int(first)


def add_history(url: str, count: int) -> int:
    """``count`` comments on the big account's task number 1 (``bench/actions.py``); its id."""
    from bench.actions import add_history as write_history
    from planfix_server.store.db import WRITE, make_engine
    from planfix_server.store.uow import AccountUnitOfWork

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.info[WRITE] = True
            account_id, owner, employee, task_id = _account(connection)
            begin = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=count + 1)
            write_history(AccountUnitOfWork(connection, account_id), task_id, count, owner, employee, begin)
            connection.commit()
        return task_id
    finally:
        engine.dispose()


def add_contacts(url: str, count: int, batch_size: int = 20_000) -> None:
    """``count`` contacts in the big account, rows made by ``bench/contacts.py``."""
    from bench.contacts import write_contacts
    from planfix_server.store.db import WRITE, make_engine

    rng = random.Random(3)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.info[WRITE] = True
            account_id = _account(connection)[0]
            write_contacts(connection, account_id, count, batch_size, rng, now)
        if not url.startswith("sqlite"):
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
                autocommit.exec_driver_sql(
                    "VACUUM ANALYZE users, contacts, contact_phones, contact_contractors, actions"
                )
    finally:
        engine.dispose()
