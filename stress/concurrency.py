"""Concurrency: 50 writers at once against 2 workers (PostgreSQL + Redis, and SQLite).

1. Numbers: every writer adds tasks to one account; every answer must be ok and the numbers
   (``general``) must be 1..N without a gap or a repeat.
2. Fields: 10 tasks, five writers on each, every writer owning one field of its task (title,
   description, duration, end date through ``task.update``; status through ``task.changeStatus``)
   and writing it again and again. Afterwards each field must hold the last value its writer was
   answered ``ok`` for: an update that rewrote a field it was not given would lose another writer's.

No answer may be an error: a deadlock or serialization failure must be retried inside the server
(the retries are counted in /metrics and printed). Exit status 1 when a check fails.

    python -m stress.concurrency               # long: 40 tasks and 60 rounds per writer
    python -m stress.concurrency --short       # CI: 4 tasks and 6 rounds per writer
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stress.harness import (
    SHARED_REDIS,
    Checks,
    Reply,
    ServerProcess,
    Tenant,
    XmlClient,
    figure,
    flush_redis,
    make_account,
    percentile,
    store_for,
)

WRITERS = 50
TASKS = 10
FIELDS = ("title", "description", "duration", "endDate", "status")
DELAYED, ACTIVE = 4, 1


@dataclass
class Outcome:
    """What the writers of one phase were answered."""

    latencies: list[float] = field(default_factory=list)
    codes: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, reply: Reply, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.codes[reply.code] += 1


def timed(client: XmlClient, method: str, inner: str, outcome: Outcome) -> Reply:
    started = time.perf_counter()
    try:
        reply = client.call(method, inner)
    except (OSError, http.client.HTTPException) as exc:
        with outcome.lock:
            outcome.codes[f"no answer: {type(exc).__name__}"] += 1
        raise
    outcome.note(reply, time.perf_counter() - started)
    return reply


def together(work: Callable[[int], None], writers: int) -> float:
    """Run ``work(index)`` in ``writers`` threads that start at the same moment; the wall time."""
    barrier = threading.Barrier(writers + 1)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            work(index)
        except BaseException as exc:  # reported below; a dead writer must not pass unnoticed
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join(600)
    if failures:
        raise RuntimeError(f"{len(failures)} writer(s) failed, first: {failures[0]!r}")
    return time.monotonic() - started


def report(name: str, outcome: Outcome, seconds: float) -> None:
    count = len(outcome.latencies)
    figure(f"{name}: requests", f"{count} in {seconds:.1f} s ({count / seconds:.0f}/s)")
    figure(
        f"{name}: latency p50 / p99 / max, ms",
        f"{percentile(outcome.latencies, 0.5) * 1000:.0f} / {percentile(outcome.latencies, 0.99) * 1000:.0f}"
        f" / {max(outcome.latencies, default=0) * 1000:.0f}",
    )
    figure(f"{name}: answers", dict(outcome.codes))


def numbers_phase(port: int, tenant: Tenant, rounds: int, checks: Checks, label: str) -> None:
    outcome = Outcome()
    generals: list[int] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        client = XmlClient(port, tenant)
        for number in range(rounds):
            reply = timed(client, "task.add", f"<task><title>n{index}-{number}</title></task>", outcome)
            if reply.ok:
                with lock:
                    generals.append(int(reply.text("task/general")))
        client.close()

    seconds = together(work, WRITERS)
    report("task.add", outcome, seconds)
    total = WRITERS * rounds
    repeated = sum(1 for count in Counter(generals).values() if count > 1)
    checks.check(outcome.codes == Counter({"ok": total}), f"{label}: all {total} task.add answered ok")
    checks.check(repeated == 0, f"{label}: repeated task numbers: {repeated}")
    checks.check(sorted(generals) == list(range(1, total + 1)), f"{label}: task numbers are 1..{total}")


def value_of(field_name: str, writer: int, round_: int) -> tuple[str, str]:
    """The request part that writes ``field_name``, and what task.get shows afterwards."""
    if field_name == "title":
        return f"<title>title {writer}-{round_}</title>", f"title {writer}-{round_}"
    if field_name == "description":
        return f"<description>text {writer}-{round_}</description>", f"text {writer}-{round_}"
    if field_name == "duration":
        return f"<durationIsSet>1</durationIsSet><duration>{round_ + 1}</duration>", str(round_ + 1)
    day, month = 1 + round_ % 28, 1 + (round_ // 28) % 12
    date = f"{day:02d}-{month:02d}-2031"
    return f"<endDateIsSet>1</endDateIsSet><endDate>{date}</endDate>", date


SHOWN = {"title": "task/title", "description": "task/description", "duration": "task/duration"}


def fields_phase(port: int, tenant: Tenant, rounds: int, checks: Checks, label: str) -> None:
    setup = XmlClient(port, tenant)
    task_ids = [
        int(setup.call("task.add", f"<task><title>shared {n}</title></task>").text("task/id"))
        for n in range(TASKS)
    ]
    setup.close()
    outcome = Outcome()
    expected: dict[tuple[int, str], str] = {}
    lock = threading.Lock()

    def work(index: int) -> None:
        client = XmlClient(port, tenant)
        task_id, field_name = task_ids[index % TASKS], FIELDS[index // TASKS]
        for round_ in range(rounds):
            if field_name == "status":
                status = DELAYED if round_ % 2 == 0 else ACTIVE
                # DELAYED needs the date to which the task is put off.
                inner = (
                    f"<task><id>{task_id}</id></task><status>{status}</status><dateTime>01-06-2031</dateTime>"
                )
                reply, shown = timed(client, "task.changeStatus", inner, outcome), str(status)
            else:
                part, shown = value_of(field_name, index, round_)
                reply = timed(client, "task.update", f"<task><id>{task_id}</id>{part}</task>", outcome)
            if reply.ok:
                with lock:
                    expected[(task_id, field_name)] = shown
        client.close()

    seconds = together(work, WRITERS)
    report("task.update + task.changeStatus", outcome, seconds)
    lost = []
    reader = XmlClient(port, tenant)
    for (task_id, field_name), wanted in sorted(expected.items()):
        card = reader.call("task.get", f"<task><id>{task_id}</id></task>")
        path = SHOWN.get(field_name, "task/endTime" if field_name == "endDate" else "task/status")
        if card.text(path) != wanted:
            lost.append(f"task {task_id} {field_name}: {card.text(path)!r}, expected {wanted!r}")
    reader.close()
    total = WRITERS * rounds
    checks.check(outcome.codes == Counter({"ok": total}), f"{label}: all {total} updates answered ok")
    checks.check(len(expected) == WRITERS, f"{label}: every writer's field was written")
    checks.check(not lost, f"{label}: lost updates: {len(lost)} {lost[:3]}")


def run_backend(backend: str, args: argparse.Namespace, workdir: Path, checks: Checks) -> None:
    print(f"\n== {WRITERS} concurrent writers, 2 workers, {backend} + Redis", flush=True)
    redis_url = SHARED_REDIS.rsplit("/", 1)[0] + ("/9" if backend == "postgresql" else "/10")
    flush_redis(redis_url)
    with store_for(backend, workdir) as store:
        store.cli("migrate")
        numbers, fields = make_account(store, "numbers"), make_account(store, "fields")
        server = ServerProcess(store, workdir / f"serve-{backend}.log", workers=2, redis_url=redis_url)
        server.start()
        try:
            numbers_phase(server.port, numbers, args.tasks, checks, backend)
            fields_phase(server.port, fields, args.rounds, checks, backend)
            retries = server.metric("planfix_transaction_retries_total")
            figure("transactions retried inside the server", f"{retries:.0f}")
            figure("worker processes", len(server.worker_pids()))
        finally:
            server.stop()
        failures = server.log_count("unexpected failure")
        checks.check(failures == 0, f"{backend}: unexpected failures in the server log: {failures}")
    flush_redis(redis_url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--short", action="store_true", help="the CI form: fewer tasks and rounds")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--tasks", type=int, help="task.add per writer (long 40, short 4)")
    parser.add_argument("--rounds", type=int, help="updates per writer (long 60, short 6)")
    args = parser.parse_args(argv)
    args.tasks = args.tasks or (4 if args.short else 40)
    args.rounds = args.rounds or (6 if args.short else 60)
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="stress-concurrency-") as workdir:
        for backend in backends:
            run_backend(backend, args, Path(workdir), checks)
    return checks.exit_status()


if __name__ == "__main__":
    sys.exit(main())
