"""action.getList over one task with a long history: server time per page, against a short history.

    python -m bench.actions [--actions 100000] [--rounds 5] [--samples 50] [--db postgresql://…] [--json]

A fresh database gets one account with two tasks: one with ``--actions`` actions (bulk-inserted
through the action writer: comments a minute apart, every 100th hidden, every 10th notifying an
employee) and a baseline task with 100 such actions. A ``Server`` in this process then answers
``action.getList`` (100 actions a page, every field) through ``Server.answer``, the whole pipeline
without HTTP. Each round times ``--samples`` calls of every operation, the operations taking turns;
the figure of an operation is the median over the rounds of each round's median, and its ratio to
the baseline (page 1 of the short history) measured in the same rounds. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planfix_server.store.uow import AccountUnitOfWork

if not __package__:
    # Run as ``python bench/actions.py``: make the ``bench`` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.tasks import authorization, database, server_settings

ACCOUNT = "bench"
BASELINE = "baseline page 1"
BATCH = 5000


def body(inner: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<request method="action.getList"><account>{ACCOUNT}</account>'
        f"{inner}<pageSize>100</pageSize></request>"
    ).encode()


def operations(long_task: int, short_task: int, actions: int) -> dict[str, bytes]:
    last = max(1, -(-actions // 100))
    middle = max(1, last // 2)
    long_inner = f"<task><id>{long_task}</id></task>"
    return {
        BASELINE: body(f"<task><id>{short_task}</id></task><pageCurrent>1</pageCurrent>"),
        "page 1 (newest)": body(f"{long_inner}<pageCurrent>1</pageCurrent>"),
        "page 1 asc (oldest)": body(f"{long_inner}<pageCurrent>1</pageCurrent><sort>asc</sort>"),
        f"page {middle} (middle)": body(f"{long_inner}<pageCurrent>{middle}</pageCurrent>"),
        f"page {last} (last)": body(f"{long_inner}<pageCurrent>{last}</pageCurrent>"),
    }


def add_history(
    uow: AccountUnitOfWork, task_id: int, count: int, owner_id: int, employee_id: int, begin: dt.datetime
) -> None:
    """``count`` comments on a task a minute apart from ``begin``, bulk-inserted through the action
    writer: every 100th hidden, every 10th notifying (and unread by) the employee."""
    from planfix_server.domain.actions.writer import ActionWriter
    from planfix_server.store.tables import action_notified, action_unread
    from planfix_server.store.tables import actions as action_table

    writer = uow.get(ActionWriter)
    for first in range(0, count, BATCH):
        rows, notified = [], []
        for number in range(first, min(count, first + BATCH)):
            action_id = uow.next_id("actions")
            rows.append(
                {
                    "id": action_id,
                    "type": "ACTION",
                    "owner_id": owner_id,
                    "description": f"<p>Comment {number}: work in progress</p>",
                    "created_at": begin + dt.timedelta(minutes=number),
                    "task_id": task_id,
                    "is_hidden": number % 100 == 99,
                }
            )
            if number % 10 == 0:
                notified.append({"action_id": action_id, "user_id": employee_id})
        writer.insert_many(action_table, rows)
        writer.insert_many(action_notified, notified)
        writer.insert_many(action_unread, notified)


def seed(url: str, actions: int) -> dict[str, Any]:
    """The account, an employee, the two tasks and their histories; ids, token and seconds."""
    from planfix_server.domain.access.service import provision_account
    from planfix_server.domain.statuses.service import default_process_id
    from planfix_server.domain.tasks.repository import Person, TaskRepository
    from planfix_server.domain.users.service import create_user
    from planfix_server.security import Passwords
    from planfix_server.store.db import WRITE, is_sqlite, make_engine
    from planfix_server.store.migrate import upgrade
    from planfix_server.store.uow import AccountUnitOfWork

    started = time.perf_counter()
    engine = make_engine(url)
    upgrade(engine)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        with engine.connect() as connection:
            connection.info[WRITE] = True
            if is_sqlite(connection):
                raw = connection.connection.dbapi_connection
                assert raw is not None
                raw.execute("PRAGMA synchronous=OFF")
            made = provision_account(
                connection,
                now,
                name=ACCOUNT,
                plan="premium",
                owner_login=f"owner@{ACCOUNT}",
                owner_password_hash=Passwords(1, 64).hash("bench-password"),
                data_centre="local",
                owner_name="Owner",
            )
            uow = AccountUnitOfWork(connection, made.account.id)
            employee = create_user(uow, now, login=f"worker@{ACCOUNT}", name="Worker", role="USER").id
            tasks = uow.get(TaskRepository)
            process = default_process_id(uow)
            task_ids = []
            for title in ("Long history", "Short history"):
                task_id = uow.next_id("tasks")
                tasks.insert_task(
                    id=task_id,
                    general=uow.next_general("task"),
                    type="task",
                    title=title,
                    status_set_id=process,
                    status=1,
                    owner_id=made.owner.id,
                    created_at=now,
                    modified_at=now,
                    last_activity_at=now,
                )
                tasks.add_people([Person(task_id, "worker", "user", employee)])
                task_ids.append(task_id)
            begin = now - dt.timedelta(minutes=actions + 1)
            for task_id, count in zip(task_ids, (actions, 100), strict=True):
                add_history(uow, task_id, count, made.owner.id, employee, begin)
            connection.commit()
    finally:
        engine.dispose()
    return {
        "api_key": made.key.api_key,
        "token": made.token,
        "tasks": task_ids,
        "seconds": round(time.perf_counter() - started, 1),
    }


def measure(url: str, data_dir: str, seeded: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Median milliseconds per operation over the rounds, and the ratio to the baseline."""
    from planfix_server.app import Server
    from planfix_server.pipeline.exchange import Exchange

    server = Server.start(server_settings(url, data_dir))
    auth = authorization(seeded["api_key"], seeded["token"])
    bodies = operations(seeded["tasks"][0], seeded["tasks"][1], args.actions)
    per_round: dict[str, list[float]] = {name: [] for name in bodies}
    errors: dict[str, int] = dict.fromkeys(bodies, 0)
    try:
        for round_number in range(args.warmup_rounds + args.rounds):
            for name, payload in bodies.items():
                timings = []
                for _ in range(args.samples):
                    exchange = Exchange(
                        payload, auth, "127.0.0.1", "http://127.0.0.1", "bench", dt.datetime.now(dt.UTC)
                    )
                    started = time.perf_counter()
                    answer = server.answer(exchange)
                    timings.append((time.perf_counter() - started) * 1000)
                    errors[name] += answer.code != "ok"
                if round_number >= args.warmup_rounds:
                    per_round[name].append(statistics.median(timings))
    finally:
        server.engine.dispose()
    baseline = statistics.median(per_round[BASELINE])
    return {
        name: {
            "median_ms": round(statistics.median(rounds), 3),
            "rounds_ms": [round(one, 3) for one in rounds],
            "ratio": round(statistics.median(rounds) / baseline, 2),
            "errors": errors[name],
        }
        for name, rounds in per_round.items()
    }


def markdown(result: dict[str, Any]) -> str:
    config = result["config"]
    lines = [
        f"{config['backend']}, {config['actions']:,} actions on one task "
        f"(seeded in {config['seed_seconds']} s); "
        f"{config['rounds']} rounds × {config['samples']} calls per operation in process; "
        f"{config['cpus']} CPUs, load average {config['load']}",
        "",
        "| operation | median ms | ratio to baseline | round medians ms |",
        "|---|---:|---:|---|",
    ]
    for name, figures in result["operations"].items():
        rounds = ", ".join(f"{one:.2f}" for one in figures["rounds_ms"])
        lines.append(f"| {name} | {figures['median_ms']:.2f} | {figures['ratio']:.2f} | {rounds} |")
    failed = {name: figures["errors"] for name, figures in result["operations"].items() if figures["errors"]}
    if failed:
        lines.append(f"WARNING: answers not ok: {failed}")
    return "\n".join(lines)


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="planfix-bench-actions-") as tmp,
        database(args.db, args.actions, Path(tmp)) as (url, data_dir),
    ):
        seeded = seed(url, args.actions)
        print(f"seeded {args.actions:,} actions in {seeded['seconds']} s", file=sys.stderr)
        figures = measure(url, data_dir, seeded, args)
    return {
        "config": {
            "backend": "PostgreSQL" if args.db else "SQLite",
            "actions": args.actions,
            "seed_seconds": seeded["seconds"],
            "rounds": args.rounds,
            "samples": args.samples,
            "cpus": os.cpu_count(),
            "load": " ".join(f"{value:.1f}" for value in os.getloadavg()),
            "python": platform.python_version(),
        },
        "operations": figures,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.actions", description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100_000, help="actions on the long task")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup-rounds", type=int, default=1, help="rounds run before timing (default 1)")
    parser.add_argument("--samples", type=int, default=50, help="calls per operation and round")
    parser.add_argument("--db", default=None, help="PostgreSQL URL (a schema is made and dropped)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.actions < 1 or args.rounds < 1 or args.samples < 1 or args.warmup_rounds < 0:
        parser.error("actions, rounds and samples must be positive")
    if args.db and not args.db.startswith(("postgresql", "postgres")):
        parser.error("--db takes a PostgreSQL URL (SQLite is the default)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = benchmark(args)
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
