"""task.get, task.add and task.getList at 10k, 100k and 1M tasks: server time and throughput.

    python -m bench.tasks [--sizes 10000,100000,1000000] [--samples 300] [--seconds 5]
                          [--connections 16] [--other-accounts 10] [--db postgresql://…] [--json]

For each size a fresh database is seeded (``bench/seed_tasks.py``: one big account of N tasks with
realistic fields, people and custom values, plus small accounts beside it), then:

* **server time**: the server's own time to answer, measured around ``Server.answer`` in this
  process (the whole pipeline: parsing, credentials, limits, the handler, SQL, rendering; no HTTP),
  one request after another, ``--samples`` times per operation after a warm-up; p50 and p99 of the
  wall time, and of the CPU time of the answering thread (steadier on a shared machine; with
  SQLite it holds the database's work too, with PostgreSQL it does not);
* **throughput**: the same app in its own uvicorn process (one worker, ``bench/processes.py``
  options), loaded by ``wrk`` or ``bench/loadgen.py`` with ``--connections`` connections for
  ``--seconds`` per operation; req/s, and every answer checked ``ok`` in the app's ``/metrics``.

Operations: ``task.get`` (a different task each sample), ``task.add`` (title, description, dates,
two assignees, custom values), ``task.getList`` page 1 and page 100 (100 tasks a page, every
field, as the account owner, an administrator) and page 1 as an employee (visibility applies).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if not __package__:
    # Run as ``python bench/tasks.py``: make the ``bench`` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import seed_tasks
from bench.processes import (
    Credentials,
    Target,
    child_env,
    free_port,
    spawn,
    stop,
    terminated_on_sigterm,
    uvicorn_options,
    wait_ready,
)
from bench.user_get import Load, choose_loadgen

ACCOUNT = "bench"
OPERATIONS = ("task.get", "task.add", "task.getList page 1", "task.getList page 100", "task.getList employee")


@dataclass(frozen=True)
class Seeded:
    url: str
    data_dir: str
    api_key: str
    token: str
    tasks: int
    seconds: float
    employee_token: str


# -- databases


@contextmanager
def database(base_url: str | None, size: int, workdir: Path) -> Iterator[tuple[str, str]]:
    """(database URL, data dir) of a fresh, empty database; dropped afterwards."""
    data_dir = workdir / f"data-{size}"
    data_dir.mkdir()
    if base_url is None:
        yield f"sqlite:///{data_dir / 'planfix.sqlite3'}", str(data_dir)
        return
    from sqlalchemy import text

    from planfix_server.store.db import make_engine

    schema = f"bench_tasks_{size}_{os.getpid()}"
    admin = make_engine(base_url)
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        connection.commit()
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}options=-csearch_path%3D{schema}", str(data_dir)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.commit()
        admin.dispose()


def seed(
    url: str,
    data_dir: str,
    tasks: int,
    other_accounts: int,
    other_tasks: int = 1000,
    progress: bool = False,
) -> Seeded:
    """The big account of ``tasks`` tasks (and small ones of ``other_tasks`` each) through
    bench/seed_tasks.py, plus a token of one of its employees."""
    # An account of a million tasks has more than the seed's 50 employees: one per thousand tasks.
    users = max(50, tasks // 1000)
    argv = ["--tasks", str(tasks), "--account", ACCOUNT, "--other-accounts", str(other_accounts)]
    argv += ["--users", str(users), "--other-tasks", str(other_tasks)]
    argv += ["--progress"] if progress else []
    argv += ["--db", url] if not url.startswith("sqlite") else ["--data-dir", data_dir]
    summary = seed_tasks.seed(seed_tasks.parse_args(argv))
    return Seeded(
        url,
        data_dir,
        summary["api_key"],
        summary["token"],
        tasks,
        float(summary["seconds"]),
        employee_token(url),
    )


def employee_token(url: str) -> str:
    """A token of the big account's employee with the most tasks (a non-administrator)."""
    from sqlalchemy import func, select

    from planfix_server.domain.access.service import issue_token
    from planfix_server.store import accounts
    from planfix_server.store.db import WRITE, make_engine
    from planfix_server.store.tables import task_people, users
    from planfix_server.store.uow import AccountUnitOfWork

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.info[WRITE] = True
            account = accounts.find(connection, ACCOUNT)
            assert account is not None
            busiest = connection.execute(
                select(task_people.c.person_id)
                .join(
                    users,
                    (users.c.account_id == task_people.c.account_id)
                    & (users.c.id == task_people.c.person_id),
                )
                .where(
                    task_people.c.account_id == account.id,
                    task_people.c.kind == "user",
                    users.c.role == "USER",
                )
                .group_by(task_people.c.person_id)
                .order_by(func.count().desc())
                .limit(1)
            ).scalar_one()
            token = issue_token(
                AccountUnitOfWork(connection, account.id), dt.datetime.now(dt.UTC), int(busiest)
            )
            connection.commit()
            return token
    finally:
        engine.dispose()


# -- requests


def authorization(api_key: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{api_key}:{token}".encode()).decode()


def body(method: str, inner: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<request method="{method}"><account>{ACCOUNT}</account>'
        f"{inner}</request>"
    ).encode()


def add_body(number: int) -> bytes:
    return body(
        "task.add",
        f"<task><title>Bench task {number}</title><description>&lt;p&gt;Made by the benchmark&lt;/p&gt;"
        "</description><importance>HIGH</importance><startDate>01-03-2030</startDate>"
        "<endDate>05-03-2030</endDate><endTimeIsSet>1</endTimeIsSet><endTime>18:00</endTime>"
        "<workers><users><id>1</id></users></workers></task>",
    )


def requests(seeded: Seeded, operation: str, count: int, rng: random.Random) -> list[tuple[str, bytes]]:
    """``count`` (authorization, body) pairs of one operation."""
    owner = authorization(seeded.api_key, seeded.token)
    page = "<pageSize>100</pageSize><pageCurrent>{}</pageCurrent>"
    if operation == "task.get":
        return [
            (owner, body("task.get", f"<task><general>{rng.randint(1, seeded.tasks)}</general></task>"))
            for _ in range(count)
        ]
    if operation == "task.add":
        return [(owner, add_body(number)) for number in range(count)]
    if operation == "task.getList page 1":
        return [(owner, body("task.getList", page.format(1)))] * count
    if operation == "task.getList page 100":
        return [(owner, body("task.getList", page.format(100)))] * count
    employee = authorization(seeded.api_key, seeded.employee_token)
    return [(employee, body("task.getList", page.format(1)))] * count


# -- server time, in process


def server_settings(url: str, data_dir: str, port: int = 0) -> Any:
    from planfix_server.settings import Settings
    from planfix_server.store.accounts import PLANS

    return Settings(
        data_dir=data_dir,
        db_url="" if url.startswith("sqlite") else url,
        host="127.0.0.1",
        port=port,
        plain_http=True,
        requests_per_second=0,
        plan_quotas={plan: 1_000_000_000 for plan in PLANS},
        auth_failures_per_minute=0,
        create_demo=False,
        log_level="warning",
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def server_times(
    seeded: Seeded, samples: int, warmup: int, operations: Sequence[str] = OPERATIONS
) -> dict[str, dict[str, float]]:
    """p50/p99 milliseconds of ``Server.answer`` per operation, one request at a time."""
    from planfix_server.app import Server
    from planfix_server.pipeline.exchange import Exchange

    server = Server.start(server_settings(seeded.url, seeded.data_dir))
    rng = random.Random(7)
    found: dict[str, dict[str, float]] = {}
    try:
        for operation in operations:
            timings: list[float] = []
            cpu_times: list[float] = []
            failed = 0
            for index, (auth, payload) in enumerate(requests(seeded, operation, warmup + samples, rng)):
                exchange = Exchange(
                    payload, auth, "127.0.0.1", "http://127.0.0.1", "bench", dt.datetime.now(dt.UTC)
                )
                started, cpu = time.perf_counter(), time.thread_time()
                answer = server.answer(exchange)
                elapsed, spent = time.perf_counter() - started, time.thread_time() - cpu
                failed += answer.code != "ok"
                if index >= warmup:
                    timings.append(elapsed * 1000)
                    cpu_times.append(spent * 1000)
            found[operation] = {
                "p50_ms": round(percentile(timings, 0.50), 3),
                "p99_ms": round(percentile(timings, 0.99), 3),
                "mean_ms": round(statistics.fmean(timings), 3),
                "cpu_p50_ms": round(percentile(cpu_times, 0.50), 3),
                "cpu_p99_ms": round(percentile(cpu_times, 0.99), 3),
                "errors": failed,
            }
    finally:
        server.engine.dispose()
    return found


# -- throughput, over a socket


def app_answers(target: Target) -> dict[str, dict[str, int]]:
    """Answers by function and code, from the app's /metrics."""
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=5)
    try:
        connection.request("GET", "/metrics")
        text = connection.getresponse().read().decode()
    finally:
        connection.close()
    answers: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        match = re.match(
            r'planfix_requests_total\{(?=.*code="([^"]*)")(?=.*function="([^"]*)").*\} (\S+)', line
        )
        if match:
            code, function, value = match.groups()
            answers.setdefault(function, {})[code] = int(float(value))
    return answers


def throughput(seeded: Seeded, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    port = free_port()
    settings = server_settings(seeded.url, seeded.data_dir, port)
    loadgen = choose_loadgen(args.loadgen)
    rng = random.Random(11)
    first = requests(seeded, "task.get", 1, rng)[0]
    app = spawn(
        f"app-{seeded.tasks}",
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "planfix_server.app:create_app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *uvicorn_options(),
        ],
        child_env(settings.to_env()),
        port,
        workdir,
    )
    figures: dict[str, Any] = {}
    try:
        wait_ready(app, Credentials(*first))
        for operation in OPERATIONS:
            auth, payload = requests(seeded, operation, 1, rng)[0]
            load = Load(loadgen, args.connections, args.threads, workdir, Credentials(auth, payload))
            if args.warmup > 0:
                load.run(app, args.warmup)
            figure = load.run(app, args.seconds)
            figures[operation] = {"rps": round(figure.rps, 1), "errors": figure.errors}
        answers = app_answers(app)
    finally:
        stop(app.process)
    failed = {
        function: {code: n for code, n in codes.items() if code != "ok"}
        for function, codes in answers.items()
    }
    figures["not_ok"] = {function: codes for function, codes in failed.items() if codes}
    figures["loadgen"] = loadgen
    return figures


# -- report


def markdown(result: dict[str, Any]) -> str:
    config = result["config"]
    lines = [
        f"{config['backend']}, one uvicorn worker ({config['loop']}), load: {config['loadgen']} "
        f"{config['connections']} connections × {config['seconds']} s per operation; server time: "
        f"{config['samples']} sequential calls in process; {config['cpus']} CPUs, "
        f"load average {config['load']}",
        "",
        "| tasks | operation | server p50 ms | server p99 ms | CPU p50 ms | CPU p99 ms | req/s |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size in result["sizes"]:
        for operation in OPERATIONS:
            times = size["server"][operation]
            rate = size["throughput"].get(operation, {}).get("rps", "")
            figures = " | ".join(
                f"{times[key]:.2f}" for key in ("p50_ms", "p99_ms", "cpu_p50_ms", "cpu_p99_ms")
            )
            lines.append(f"| {size['tasks']:,} | {operation} | {figures} | {rate} |")
    for size in result["sizes"]:
        if size["throughput"].get("not_ok"):
            lines.append(f"WARNING ({size['tasks']:,} tasks): answers not ok: {size['throughput']['not_ok']}")
        errors = {op: t["errors"] for op, t in size["server"].items() if t["errors"]}
        if errors:
            lines.append(f"WARNING ({size['tasks']:,} tasks): in-process errors: {errors}")
    return "\n".join(lines)


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    sizes = []
    with tempfile.TemporaryDirectory(prefix="planfix-bench-tasks-") as tmp:
        workdir = Path(tmp)
        for size in args.sizes:
            with database(args.db, size, workdir) as (url, data_dir):
                started = time.perf_counter()
                seeded = seed(url, data_dir, size, args.other_accounts)
                print(f"seeded {size:,} tasks in {time.perf_counter() - started:.1f} s", file=sys.stderr)
                entry: dict[str, Any] = {"tasks": size, "seed_seconds": seeded.seconds}
                entry["server"] = server_times(seeded, args.samples, args.warmup_samples)
                entry["throughput"] = throughput(seeded, args, workdir) if args.seconds > 0 else {}
                sizes.append(entry)
                print(json.dumps(entry), file=sys.stderr)
    return {
        "config": {
            "backend": "PostgreSQL" if args.db else "SQLite",
            "samples": args.samples,
            "seconds": args.seconds,
            "connections": args.connections,
            "other_accounts": args.other_accounts,
            "loadgen": choose_loadgen(args.loadgen),
            "loop": uvicorn_options()[uvicorn_options().index("--loop") + 1],
            "cpus": os.cpu_count(),
            "load": " ".join(f"{value:.1f}" for value in os.getloadavg()),
            "python": platform.python_version(),
        },
        "sizes": sizes,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.tasks", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="task counts, comma-separated")
    parser.add_argument(
        "--samples", type=int, default=300, help="sequential calls per operation (server time)"
    )
    parser.add_argument("--warmup-samples", type=int, default=30, help="calls before timing (default 30)")
    parser.add_argument("--seconds", type=float, default=5.0, help="load per operation; 0 skips throughput")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of load before each measure")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--other-accounts", type=int, default=10, help="small accounts beside the big one")
    parser.add_argument("--db", default=None, help="PostgreSQL URL (a schema per size is made and dropped)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    args.sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    if args.db and not args.db.startswith(("postgresql", "postgres")):
        parser.error("--db takes a PostgreSQL URL (SQLite is the default)")
    if not args.sizes or min(args.sizes) < 1 or args.samples < 1 or args.connections < 1:
        parser.error("sizes, samples and connections must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None and args.loadgen == "wrk":
        raise SystemExit("wrk is not on PATH (apt-get install wrk, or --loadgen python)")
    try:
        with terminated_on_sigterm():
            result = benchmark(args)
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
