"""Crash durability: writers keep adding objects while the server is killed with SIGKILL at random
moments and started again. Afterwards every write that was answered ``ok`` must be there (read
back by id, tasks also by number), the database must pass its integrity check, and no visible
number (``general``) may repeat.

    python -m stress.crash                 # long: 20 kills per backend, 8 writers
    python -m stress.crash --short         # CI: 3 kills per backend, 4 writers
    python -m stress.crash --backend postgresql --kills 50

Writes: ``task.add`` mostly, ``user.add`` and ``userGroup.add``, and ``action.add`` on a task
written before when this build implements it (asked at run time). Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import http.client
import random
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stress.harness import (
    Checks,
    ServerProcess,
    Store,
    Tenant,
    XmlClient,
    figure,
    implemented,
    make_account,
    store_for,
)

# Every table with visible numbers: an (account, general) pair seen twice.
REPEATED_GENERALS = """
SELECT 'tasks', account_id, general FROM tasks GROUP BY account_id, general HAVING count(*) > 1
UNION ALL
SELECT 'users', account_id, general FROM users GROUP BY account_id, general HAVING count(*) > 1
UNION ALL
SELECT 'projects', account_id, general FROM projects GROUP BY account_id, general HAVING count(*) > 1
UNION ALL
SELECT 'contacts', account_id, general FROM contacts GROUP BY account_id, general HAVING count(*) > 1
"""


@dataclass(frozen=True)
class Written:
    kind: str  # task, user, group, action
    marker: str
    id: int
    general: int = 0


@dataclass
class Ledger:
    """What the writers were told: acknowledged writes, attempts without an answer, error answers."""

    written: list[Written] = field(default_factory=list)
    unanswered: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def task_ids(self) -> list[int]:
        with self.lock:
            return [one.id for one in self.written[-200:] if one.kind == "task"]


def write_once(client: XmlClient, kind: str, marker: str, ledger: Ledger) -> None:
    if kind == "task":
        reply = client.call("task.add", f"<task><title>{marker}</title></task>")
        made = lambda: Written(kind, marker, int(reply.text("task/id")), int(reply.text("task/general")))  # noqa: E731
    elif kind == "user":
        inner = f"<user><name>{marker}</name><email>{marker}@stress.example</email></user>"
        reply = client.call("user.add", inner)
        made = lambda: Written(kind, marker, int(reply.text("user/id")))  # noqa: E731
    elif kind == "group":
        reply = client.call("userGroup.add", f"<userGroup><name>{marker}</name></userGroup>")
        made = lambda: Written(kind, marker, int(reply.text("userGroup/id")))  # noqa: E731
    else:
        tasks = ledger.task_ids()
        if not tasks:
            return
        target = f"<task><id>{random.choice(tasks)}</id></task>"
        inner = f"<action><description>{marker}</description>{target}</action>"
        reply = client.call("action.add", inner)
        made = lambda: Written(kind, marker, int(reply.text("action/id")))  # noqa: E731
    with ledger.lock:
        if reply.ok:
            ledger.written.append(made())
        else:
            ledger.errors[f"{kind}: {reply.code}"] += 1


def writer(
    index: int, port: int, tenant: Tenant, kinds: list[str], stop: threading.Event, ledger: Ledger
) -> None:
    client = XmlClient(port, tenant, timeout=10)
    weights = {"task": 70, "user": 10, "group": 10, "action": 10}
    number = 0
    while not stop.is_set():
        number += 1
        kind = random.choices(kinds, [weights[k] for k in kinds])[0]
        try:
            write_once(client, kind, f"w{index}n{number}", ledger)
        except (OSError, http.client.HTTPException):  # no answer: the server is down or died mid-call
            with ledger.lock:
                ledger.unanswered += 1
            time.sleep(0.02)
    client.close()


def read_back(client: XmlClient, written: list[Written]) -> Counter[str]:
    """How many acknowledged writes of each kind are there, with what was written."""
    found: Counter[str] = Counter()
    for one in written:
        if one.kind == "task":
            by_id = client.call("task.get", f"<task><id>{one.id}</id></task>")
            by_number = client.call("task.get", f"<task><general>{one.general}</general></task>")
            there = (
                by_id.text("task/title") == one.marker
                and by_id.text("task/general") == str(one.general)
                and by_number.text("task/id") == str(one.id)
            )
        elif one.kind == "user":
            there = client.call("user.get", f"<user><id>{one.id}</id></user>").text("user/name") == one.marker
        elif one.kind == "group":
            reply = client.call("userGroup.get", f"<userGroup><id>{one.id}</id></userGroup>")
            there = reply.text("userGroup/name") == one.marker
        else:
            reply = client.call("action.get", f"<action><id>{one.id}</id></action>")
            there = one.marker in reply.text("action/description")
        if there:
            found[one.kind] += 1
        else:
            print(f"    missing: {one}", flush=True)
    return found


def sqlite_integrity(store: Store, checks: Checks) -> None:
    connection = sqlite3.connect(store.sqlite_file)
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        checks.check(result == ["ok"], f"SQLite PRAGMA integrity_check: {', '.join(result[:5])}")
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        checks.check(not broken, f"SQLite PRAGMA foreign_key_check: {len(broken)} row(s) pointing nowhere")
        general_checks(lambda sql: connection.execute(sql).fetchall(), checks)
    finally:
        connection.close()


def postgres_integrity(store: Store, checks: Checks) -> None:
    import psycopg

    with psycopg.connect(
        store.db_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as db:
        try:
            db.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        except psycopg.Error as exc:
            figure("amcheck", f"not available ({exc}); constraint queries only")
        else:
            indexes = db.execute(
                "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.amname = 'btree' AND n.nspname = 'public'"
            ).fetchall()
            bad = []
            for oid, name in indexes:
                try:
                    db.execute("SELECT bt_index_check(%s, true)", (oid,))  # also: every heap row indexed
                except psycopg.Error as exc:
                    bad.append(f"{name}: {exc}")
            checks.check(
                not bad, f"amcheck bt_index_check(heapallindexed) on {len(indexes)} indexes: {bad[:3]}"
            )
            tables = [
                row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ]
            corrupt = []
            for table in tables:
                rows = db.execute("SELECT * FROM verify_heapam(%s)", (table,)).fetchall()
                corrupt += [f"{table}: {row}" for row in rows]
            checks.check(not corrupt, f"amcheck verify_heapam on {len(tables)} tables: {corrupt[:3]}")

        def execute(sql: str) -> Sequence[tuple[object, ...]]:
            return db.execute(sql.encode()).fetchall()

        general_checks(execute, checks)


Query = Callable[[str], Sequence[tuple[object, ...]]]


def general_checks(execute: Query, checks: Checks) -> None:
    """No repeated ``general`` in any table, and no counter behind the numbers it handed out."""
    repeated = len(execute(REPEATED_GENERALS))
    checks.check(repeated == 0, f"repeated general numbers: {repeated}")
    behind = execute(
        "SELECT c.kind, c.value, t.top FROM account_counters c JOIN ("
        " SELECT account_id, 'task' AS kind, max(general) AS top FROM tasks GROUP BY account_id"
        " UNION ALL SELECT account_id, 'user', max(general) FROM users GROUP BY account_id"
        ") t ON t.account_id = c.account_id AND t.kind = c.kind WHERE c.value < t.top"
    )
    checks.check(not behind, f"counters behind the numbers they handed out: {list(behind)[:3]}")


def run_backend(backend: str, args: argparse.Namespace, workdir: Path, checks: Checks) -> None:
    print(f"\n== crash durability on {backend}", flush=True)
    with store_for(backend, workdir) as store:
        store.cli("migrate")
        tenant = make_account(store, "stress")
        functions = implemented(store)
        kinds = ["task", "user", "group"] + (["action"] if {"action.add", "action.get"} <= functions else [])
        figure("writes", ", ".join(kinds))
        server = ServerProcess(store, workdir / f"serve-{backend}.log")
        server.start()
        ledger = Ledger()
        stop = threading.Event()
        threads = [
            threading.Thread(target=writer, args=(i, server.port, tenant, kinds, stop, ledger), daemon=True)
            for i in range(args.writers)
        ]
        started = time.monotonic()
        try:
            for thread in threads:
                thread.start()
            restarts = []
            for _ in range(args.kills):
                time.sleep(random.uniform(args.min_gap, args.max_gap))
                server.kill()
                down = time.monotonic()
                server.start()
                restarts.append(time.monotonic() - down)
            time.sleep(args.min_gap)  # writes after the last restart too
            stop.set()
            for thread in threads:
                thread.join(30)
            elapsed = time.monotonic() - started
            acknowledged = Counter(one.kind for one in ledger.written)
            found = read_back(XmlClient(server.port, tenant), ledger.written)
        finally:
            stop.set()
            server.stop()
        figure("kills (SIGKILL) and restarts", args.kills)
        figure("restart time, median s", f"{sorted(restarts)[len(restarts) // 2]:.2f}" if restarts else "-")
        figure("run time, s", f"{elapsed:.1f}")
        figure("writes acknowledged", f"{len(ledger.written)} ({dict(acknowledged)})")
        figure("writes found", f"{sum(found.values())} ({dict(found)})")
        figure("attempts without an answer", ledger.unanswered)
        figure("error answers", dict(ledger.errors) or 0)
        checks.check(len(ledger.written) > 0, f"{backend}: writes were acknowledged")
        checks.check(found == acknowledged, f"{backend}: every acknowledged write is there")
        checks.check(not ledger.errors, f"{backend}: no error answers")
        if backend == "sqlite":
            sqlite_integrity(store, checks)
        else:
            postgres_integrity(store, checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--short", action="store_true", help="the CI form: few kills, few writers")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--kills", type=int, help="kills per backend (long 20, short 3)")
    parser.add_argument("--writers", type=int, help="writer threads (long 8, short 4)")
    parser.add_argument("--min-gap", type=float, help="least seconds between kills (long 1, short 0.5)")
    parser.add_argument("--max-gap", type=float, help="most seconds between kills (long 4, short 1.5)")
    args = parser.parse_args(argv)
    defaults = {"kills": 3, "writers": 4, "min_gap": 0.5, "max_gap": 1.5} if args.short else {}
    defaults = {"kills": 20, "writers": 8, "min_gap": 1.0, "max_gap": 4.0} | defaults
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="stress-crash-") as workdir:
        for backend in backends:
            run_backend(backend, args, Path(workdir), checks)
    return checks.exit_status()


if __name__ == "__main__":
    sys.exit(main())
