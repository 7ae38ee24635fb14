"""Seed a database with many tasks, fast: one big account and, optionally, many small ones.

    python -m bench.seed_tasks --tasks 100000 [--other-accounts 100 --other-tasks 1000]
                               [--data-dir DIR | --db URL] [--account bench] [--json]

Accounts, users, groups, projects and custom fields are made through the domain services (so they
are exactly what the API makes); tasks, their people and their custom values are written as
prepared rows in big batches (``bench/seed_store.py``: one ``executemany`` of tuples on SQLite,
COPY on PostgreSQL), with ids and task numbers reserved once per batch. Run it with the server
stopped. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

if not __package__:
    # Run as ``python bench/seed_tasks.py``: make the ``bench`` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.seed_rows import STAGES, AccountShape, make_batch
from bench.seed_store import reserve, reserve_generals, write
from planfix_server.domain.access.service import provision_account
from planfix_server.domain.customfields.service import define_field
from planfix_server.domain.projects.group_methods import add_group as add_project_group
from planfix_server.domain.projects.repository import Person
from planfix_server.domain.projects.service import insert_project
from planfix_server.domain.statuses.service import default_process_id
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import create_user
from planfix_server.security import Passwords
from planfix_server.store.db import WRITE, is_sqlite, make_engine
from planfix_server.store.migrate import upgrade
from planfix_server.store.tables import custom_values, task_people, tasks
from planfix_server.store.uow import AccountUnitOfWork

FIRST_NAMES = [
    "Anna",
    "Boris",
    "Chen",
    "Dana",
    "Emil",
    "Fatima",
    "Georg",
    "Hana",
    "Ivan",
    "Julia",
    "Karim",
    "Lena",
]
LAST_NAMES = ["Ivanova", "Smith", "Novak", "Garcia", "Müller", "Kowalski", "Sato", "Petrov", "Rossi", "Berg"]
GROUP_NAMES = ("Sales", "Developers", "Support", "Marketing", "Accounting", "Management")
PASSWORD = "bench-pass"


# -- one account


@dataclass
class Seeded:
    account: str
    api_key: str
    token: str
    tasks: int
    rows: int
    seconds: float
    users: list[int] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _setup(
    connection: Connection,
    name: str,
    users: int,
    projects: int,
    rng: random.Random,
    passwords: Passwords,
    now: dt.datetime,
) -> tuple[AccountShape, Any]:
    """The account, its people, projects and task custom fields, through the domain services."""
    made = provision_account(
        connection,
        now,
        name=name,
        plan="premium",
        owner_login=f"owner@{name}",
        owner_password_hash=passwords.hash(PASSWORD),
        data_centre="local",
        owner_name="Owner",
    )
    uow = AccountUnitOfWork(connection, made.account.id)
    user_ids = [made.owner.id]
    for number in range(1, users):
        user = create_user(
            uow,
            now,
            login=f"user{number}@{name}",
            name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"user{number}@{name}.example",
            role="ADMIN" if number % 25 == 0 else "USER",
        )
        user_ids.append(user.id)
    repo = uow.get(UserRepository)
    group_ids = []
    for group_name in GROUP_NAMES[: max(1, users // 10)]:
        group_id = uow.next_id("user_groups")
        repo.add_group(group_id, group_name, now)
        for user_id in rng.sample(user_ids, max(1, len(user_ids) // 5)):
            repo.add_memberships(user_id, [group_id])
        group_ids.append(group_id)
    project_groups = [add_project_group(uow, label, now) for label in ("Clients", "Internal", "Archive")]
    project_ids = []
    for number in range(projects):
        team = rng.sample(user_ids, min(3, len(user_ids)))
        project_ids.append(
            insert_project(
                uow,
                now - dt.timedelta(days=rng.randrange(0, 900)),
                title=f"Project {number + 1:04d}",
                owner_id=rng.choice(user_ids),
                description="Seeded project",
                status=rng.choice(("ACTIVE", "ACTIVE", "ACTIVE", "COMPLETED")),
                hidden=rng.random() < 0.1,
                end_date=(now + dt.timedelta(days=rng.randrange(-200, 400))).date()
                if rng.random() < 0.6
                else None,
                group_id=rng.choice(project_groups),
                people=[
                    Person("worker", "user", team[0]),
                    *(Person("member", "user", one) for one in team[1:]),
                ],
            )
        )
    definitions: dict[str, tuple[str, str, dict[str, Any]]] = {
        "hours": ("Time spent", "number", {"unit": "h"}),
        "stage": ("Stage", "list", {"options": STAGES}),
        "urgent": ("Urgent", "checkbox", {}),
        "reviewer": ("Reviewer", "employee", {}),
        "review_date": ("Review date", "date", {}),
        "notes": ("Notes", "string", {}),
    }
    fields = {
        role: define_field(uow, now, object_kind="task", name=label, field_type=kind, **extra)
        for role, (label, kind, extra) in definitions.items()
    }
    shape = AccountShape(made.account.id, default_process_id(uow), user_ids, group_ids, project_ids, fields)
    return shape, made


def seed_account(
    connection: Connection,
    name: str,
    *,
    tasks_count: int,
    users: int,
    projects: int,
    batch_size: int,
    rng: random.Random,
    passwords: Passwords,
    now: dt.datetime,
    progress: bool = False,
) -> Seeded:
    started = time.perf_counter()
    shape, made = _setup(connection, name, users, projects, rng, passwords, now)
    connection.commit()
    rows = 0
    earlier: list[int] = []
    done = 0
    while done < tasks_count:
        count = min(batch_size, tasks_count - done)
        first_id = reserve(connection, "tasks", count)
        first_general = reserve_generals(connection, shape.account_id, "task", count)
        batch = make_batch(rng, shape, first_id, first_general, count, now, earlier)
        write(connection, tasks, batch.tasks)
        write(connection, task_people, batch.people)
        write(connection, custom_values, batch.values)
        connection.commit()
        earlier = [first_id + offset for offset in range(0, count, max(1, count // 200))]
        rows += batch.rows
        done += count
        if progress:
            elapsed = time.perf_counter() - started
            print(f"  {name}: {done:>9,} tasks, {rows / elapsed:,.0f} rows/s", file=sys.stderr, flush=True)
    return Seeded(
        name, made.key.api_key, made.token, tasks_count, rows, time.perf_counter() - started, shape.users
    )


# -- the command


def seed(args: argparse.Namespace) -> dict[str, Any]:
    url = args.db or f"sqlite:///{Path(args.data_dir).resolve() / 'planfix.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(args.seed)
    passwords = Passwords(1, 64)  # cheap hashes: these are throwaway accounts
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.perf_counter()
    try:
        with engine.connect() as connection:
            connection.info[WRITE] = True
            if is_sqlite(connection):
                # A crash mid-seed means seeding again, so the file need not survive one.
                raw = connection.connection.dbapi_connection
                assert raw is not None
                raw.execute("PRAGMA synchronous=OFF")
                raw.execute("PRAGMA cache_size=-200000")
            main = seed_account(
                connection,
                args.account,
                tasks_count=args.tasks,
                users=args.users,
                projects=args.projects
                if args.projects is not None
                else max(10, min(2000, args.tasks // 500)),
                batch_size=args.batch,
                rng=rng,
                passwords=passwords,
                now=now,
                progress=args.progress,
            )
            others = [
                seed_account(
                    connection,
                    f"{args.account}-{number:03d}",
                    tasks_count=args.other_tasks,
                    users=10,
                    projects=5,
                    batch_size=args.batch,
                    rng=rng,
                    passwords=passwords,
                    now=now,
                )
                for number in range(1, args.other_accounts + 1)
            ]
            analyze = time.perf_counter()
            if is_sqlite(connection):
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
        if engine.dialect.name != "sqlite":
            # VACUUM also fills the visibility map, so counts read the indexes alone (index-only scans);
            # every table, so no plan is made without statistics (users, groups … matter to the page).
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
                autocommit.exec_driver_sql("VACUUM ANALYZE")
        analyze_seconds = time.perf_counter() - analyze
    finally:
        engine.dispose()
    total = time.perf_counter() - started
    rows = main.rows + sum(other.rows for other in others)
    return {
        "database": url if args.db is None else "(--db)",
        "account": main.account,
        "api_key": main.api_key,
        "token": main.token,
        "owner_password": PASSWORD,
        "tasks": main.tasks,
        "other_accounts": len(others),
        "other_tasks": sum(other.tasks for other in others),
        "rows": rows,
        "seconds": round(total, 2),
        "main_account_seconds": round(main.seconds, 2),
        "vacuum_analyze_seconds": round(analyze_seconds, 2),
        "rows_per_second": round(rows / total),
        "tasks_per_second": round((main.tasks + sum(other.tasks for other in others)) / total),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--data-dir", default="bench-data", help="SQLite file planfix.sqlite3 in this directory."
    )
    target.add_argument("--db", default=None, help="Database URL instead (postgresql://user@host/db).")
    parser.add_argument("--account", default="bench", help="Name of the big account (must not exist yet).")
    parser.add_argument("--tasks", type=int, default=10_000, help="Tasks of the big account.")
    parser.add_argument("--users", type=int, default=50, help="Employees of the big account.")
    parser.add_argument(
        "--projects", type=int, default=None, help="Projects of the big account (default: tasks/500)."
    )
    parser.add_argument("--other-accounts", type=int, default=0, help="Small accounts besides the big one.")
    parser.add_argument("--other-tasks", type=int, default=1000, help="Tasks of each small account.")
    parser.add_argument("--batch", type=int, default=20_000, help="Tasks written per executemany batch.")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (the same seed, the same data).")
    parser.add_argument("--progress", action="store_true", help="Print progress to stderr.")
    parser.add_argument("--json", action="store_true", help="Print the summary as one JSON object.")
    args = parser.parse_args(argv)
    if args.tasks < 0 or args.other_tasks < 0 or args.other_accounts < 0 or args.batch < 1 or args.users < 1:
        parser.error("counts must not be negative; --batch and --users at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    summary = seed(args)
    if args.json:
        print(json.dumps(summary))
    else:
        width = max(len(key) for key in summary)
        for key, value in summary.items():
            print(f"{key.replace('_', ' '):<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
