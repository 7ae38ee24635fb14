"""The XML API pipeline's own cost per request, in process: ``user.get`` and ``task.get``.

``user.get`` signs in with a token, ``user.get/sid`` with a session of ``auth.login``.

    python -m bench.pipeline_profile [--requests 500] [--rounds 5] [--db postgresql://…] [--json]
    python -m bench.pipeline_profile --profile task.get [--top 40]

A fresh database (SQLite in a temporary directory, or a schema made and dropped on a PostgreSQL
server) gets one premium account and one task made through ``task.add``. A ``Server`` in this
process then answers the same fixed request body again and again through ``Server.answer`` (the
whole pipeline: envelope, account and key, identity, signature, limits, handler, SQL, rendering;
no HTTP), as the account owner. Each round times ``--requests`` calls of each operation, the
operations take turns and the order flips every round; an operation's figure is the median over
the rounds of each round's median microseconds, of the wall time and of the answering thread's CPU
time (steadier on a shared machine; on SQLite it holds the database's work, on PostgreSQL not the
server's). Every answer must be ``ok``.

``--profile OPERATION`` runs that operation ``--requests`` times under cProfile instead and prints
the functions with the most time of their own and the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if not __package__:
    # Run as ``python bench/pipeline_profile.py``: make the ``bench`` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.tasks import ACCOUNT, authorization, body, database, server_settings

OPERATIONS = ("user.get", "task.get", "user.get/sid")
OWNER_PASSWORD = "bench-owner-pass"

# (Authorization header, request body) of each operation.
Requests = dict[str, tuple[str, bytes]]


def prepare(url: str, data_dir: str) -> tuple[Any, Requests]:
    """(server, the request of each operation), as the account owner."""
    from planfix_server.app import Server
    from planfix_server.domain.access.service import provision_account
    from planfix_server.security import Passwords
    from planfix_server.store.db import WRITE, make_engine
    from planfix_server.store.migrate import upgrade

    settings = server_settings(url, data_dir)
    passwords = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            connection.info[WRITE] = True
            made = provision_account(
                connection,
                dt.datetime.now(dt.UTC),
                name=ACCOUNT,
                plan="premium",
                owner_login=f"owner@{ACCOUNT}",
                owner_password_hash=passwords.hash(OWNER_PASSWORD),
                data_centre=settings.data_centre,
            )
            connection.commit()
    finally:
        engine.dispose()
    server = Server.start(settings)
    owner = authorization(made.key.api_key, made.token)
    added = call(server, owner, body("task.add", "<task><title>Profiled task</title></task>"))
    found = re.search(rb"<id>(\d+)</id>", added)
    if found is None:
        raise RuntimeError(f"task.add did not answer a task id: {added!r}")
    key_only = authorization(made.key.api_key, "")
    login = f"<login>owner@{ACCOUNT}</login><password>{OWNER_PASSWORD}</password>"
    signed_in = re.search(rb"<sid>(\w+)</sid>", call(server, key_only, body("auth.login", login)))
    if signed_in is None:
        raise RuntimeError("auth.login did not answer a sid")
    sid = signed_in.group(1).decode()
    requests = {
        "user.get": (owner, body("user.get", "<user></user>")),
        "task.get": (owner, body("task.get", f"<task><id>{int(found.group(1))}</id></task>")),
        "user.get/sid": (key_only, body("user.get", f"<sid>{sid}</sid><user></user>")),
    }
    return server, requests


def exchange(server: Any, owner: str, request: bytes) -> Any:
    from planfix_server.pipeline.exchange import Exchange

    return Exchange(request, owner, "127.0.0.1", "http://127.0.0.1", "bench", server.clock())


def call(server: Any, owner: str, request: bytes) -> bytes:
    answer = server.answer(exchange(server, owner, request))
    if answer.code != "ok":
        raise RuntimeError(f"answer {answer.code}: {answer.body!r}")
    return bytes(answer.body)


def measure(server: Any, operations: Requests, rounds: int, requests: int) -> dict[str, Any]:
    """Per operation: median over rounds of each round's median µs per request; answers not ok."""
    per_round: dict[str, list[float]] = {operation: [] for operation in OPERATIONS}
    cpu_per_round: dict[str, list[float]] = {operation: [] for operation in OPERATIONS}
    not_ok = dict.fromkeys(OPERATIONS, 0)
    for number in range(rounds + 1):  # round 0 warms caches and is not counted
        order = OPERATIONS if number % 2 == 0 else tuple(reversed(OPERATIONS))
        for operation in order:
            timings, cpu = [], []
            header, request = operations[operation]
            for _ in range(requests):
                pending = exchange(server, header, request)
                started, started_cpu = time.perf_counter(), time.thread_time()
                answer = server.answer(pending)
                timings.append((time.perf_counter() - started) * 1e6)
                cpu.append((time.thread_time() - started_cpu) * 1e6)
                not_ok[operation] += answer.code != "ok"
            if number:
                per_round[operation].append(statistics.median(timings))
                cpu_per_round[operation].append(statistics.median(cpu))
    return {
        operation: {
            "median_us": round(statistics.median(values), 1),
            "rounds_us": [round(value, 1) for value in values],
            "cpu_median_us": round(statistics.median(cpu_per_round[operation]), 1),
            "not_ok": not_ok[operation],
        }
        for operation, values in per_round.items()
    }


def profile(server: Any, header: str, request: bytes, requests: int, top: int) -> str:
    for _ in range(min(requests, 50)):  # warm caches first
        call(server, header, request)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        server.answer(exchange(server, header, request))
    profiler.disable()
    lines = []
    for key in ("tottime", "cumulative"):
        stream = _Text()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(key).print_stats(top)
        lines.append(f"== sorted by {key} ({requests} requests) ==\n{stream.text}")
    return "\n".join(lines)


class _Text:
    def __init__(self) -> None:
        self.text = ""

    def write(self, chunk: str) -> int:
        self.text += chunk
        return len(chunk)


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    load_before = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="planfix-bench-pipeline-") as tmp,
        database(args.db, 1, Path(tmp)) as (url, data_dir),
    ):
        server, requests = prepare(url, data_dir)
        try:
            if args.profile:
                header, request = requests[args.profile]
                return {"profile": profile(server, header, request, args.requests, args.top)}
            operations = measure(server, requests, args.rounds, args.requests)
        finally:
            server.engine.dispose()
    return {
        "config": {
            "backend": "PostgreSQL" if args.db else "SQLite",
            "rounds": args.rounds,
            "requests": args.requests,
            "cpus": os.cpu_count(),
            "load": [round(value, 2) for value in (*load_before, *os.getloadavg())],
            "python": platform.python_version(),
        },
        "operations": operations,
    }


def markdown(result: dict[str, Any]) -> str:
    if "profile" in result:
        return str(result["profile"])
    config = result["config"]
    load = config["load"]
    lines = [
        f"{config['backend']}, {config['rounds']} rounds × {config['requests']} requests, "
        f"load average {load[0]:.2f} at start, {load[3]:.2f} at the end",
        "",
        "| operation | median µs | CPU µs | µs per round |",
        "|---|---:|---:|---|",
    ]
    for operation, figures in result["operations"].items():
        rounds = ", ".join(f"{value:.0f}" for value in figures["rounds_us"])
        lines.append(
            f"| {operation} | {figures['median_us']:.0f} | {figures['cpu_median_us']:.0f} | {rounds} |"
        )
        if figures["not_ok"]:
            lines.append(f"WARNING: {operation}: {figures['not_ok']} answers not ok")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pipeline_profile", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--requests", type=int, default=500, help="requests per operation and round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (after one warm-up round)")
    parser.add_argument("--db", default=None, help="PostgreSQL URL (a schema is made there and dropped)")
    parser.add_argument("--profile", choices=OPERATIONS, help="profile one operation with cProfile instead")
    parser.add_argument("--top", type=int, default=35, help="functions listed per profile table")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.db and not args.db.startswith(("postgresql", "postgres")):
        parser.error("--db takes a PostgreSQL URL (SQLite is the default)")
    if args.requests < 1 or args.rounds < 1:
        parser.error("requests and rounds must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = benchmark(args)
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
