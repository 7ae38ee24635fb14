"""Overload: far more simultaneous connections than one worker serves, and oversized bodies from
many connections at once. The worker must answer every request it admits, refuse the rest cleanly
(HTTP 503 with Retry-After once its waiting line is full, before reading the body), keep the body
cap (0003) under load, stay alive, and keep its memory bounded (resident size sampled throughout).

    python -m stress.overload              # long: 2,000 connections × 5 requests, 400 oversized bodies
    python -m stress.overload --short      # CI: 800 connections × 2 requests, 100 oversized bodies

Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import threading
import time
from collections import Counter
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
    make_account,
    percentile,
    rss_kib,
)

BODY_CAP = 1_048_576  # the default max_body_bytes
# Memory the worker may gain under a load it refuses or caps; more means something is buffered.
RSS_GROWTH_LIMIT_MIB = 150


@dataclass
class Results:
    codes: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    retry_after: Counter[str] = field(default_factory=Counter)


class MemoryWatch:
    """Samples the resident size of the worker processes until stopped; keeps the peak."""

    def __init__(self, server: ServerProcess) -> None:
        self.pids = server.worker_pids()
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def total_kib(self) -> int:
        total = 0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                total += rss_kib(pid)
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, self.total_kib())
            time.sleep(0.05)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def http_request(body: bytes, authorization: str) -> bytes:
    head = (
        "POST /xml/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\n"
        f"Authorization: {authorization}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def one_connection(
    port: int, request: bytes, repeats: int, results: Results, start: asyncio.Event, timeout: float
) -> None:
    await start.wait()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    except (OSError, TimeoutError) as exc:
        results.codes[f"no connection: {type(exc).__name__}"] += 1
        return
    try:
        for _ in range(repeats):
            started = time.monotonic()
            writer.write(request)
            await writer.drain()
            status, headers, body = await asyncio.wait_for(read_answer(reader), timeout)
            results.latencies.append(time.monotonic() - started)
            if status == 503:
                results.codes["HTTP 503"] += 1
                results.retry_after[headers.get("retry-after", "none")] += 1
                break
            if status != 200:
                results.codes[f"HTTP {status}"] += 1
                break
            code = b"ok" if b'status="ok"' in body else body.split(b"<code>")[-1][:4]
            results.codes[code.decode(errors="replace")] += 1
            if headers.get("connection") == "close":
                break
    except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
        results.codes[f"no answer: {type(exc).__name__}"] += 1
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    status_line = await reader.readuntil(b"\r\n")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readuntil(b"\r\n")
        if line == b"\r\n":
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


async def flood(port: int, request: bytes, connections: int, repeats: int, timeout: float) -> Results:
    results = Results()
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(one_connection(port, request, repeats, results, start, timeout))
        for _ in range(connections)
    ]
    start.set()
    await asyncio.gather(*tasks)
    return results


def measure(
    server: ServerProcess, request: bytes, connections: int, repeats: int
) -> tuple[Results, int, int, float]:
    """The flood's results, resident size before and at its peak (KiB), and its wall time."""
    with MemoryWatch(server) as watch:
        before = watch.total_kib()
        started = time.monotonic()
        results = asyncio.run(flood(server.port, request, connections, repeats, timeout=120))
        seconds = time.monotonic() - started
    return results, before, watch.peak_kib, seconds


def warm_up(server: ServerProcess, tenant: Tenant) -> None:
    client = XmlClient(server.port, tenant)
    for _ in range(200):
        client.call("user.get")
    client.close()


def report_memory(before: int, peak: int, after: int) -> int:
    growth = (max(peak, after) - before) // 1024
    figure("worker RSS before / peak / after, MiB", f"{before // 1024} / {peak // 1024} / {after // 1024}")
    return growth


def many_connections(
    server: ServerProcess, tenant: Tenant, args: argparse.Namespace, checks: Checks, label: str
) -> None:
    client = XmlClient(server.port, tenant)
    request = http_request(client.body("user.get"), client.authorization)
    results, before, peak, seconds = measure(server, request, args.connections, args.repeats)
    after = MemoryWatch(server).total_kib()
    sent = sum(results.codes.values())
    figure("connections × requests", f"{args.connections} × {args.repeats}")
    figure("answers", dict(results.codes))
    figure("wall time, s", f"{seconds:.1f} ({results.codes['ok'] / seconds:.0f} ok/s)")
    figure(
        "latency p50 / p99 / max, ms",
        f"{percentile(results.latencies, 0.5) * 1000:.0f} / {percentile(results.latencies, 0.99) * 1000:.0f}"
        f" / {max(results.latencies, default=0) * 1000:.0f}",
    )
    growth = report_memory(before, peak, after)
    checks.check(sent > 0 and set(results.codes) <= {"ok", "HTTP 503"}, f"{label}: every request ok or 503")
    checks.check(results.codes["ok"] > 0, f"{label}: requests were served")
    if results.codes["HTTP 503"]:
        checks.check(set(results.retry_after) == {"1"}, f"{label}: every 503 carries Retry-After: 1")
    checks.check(growth < RSS_GROWTH_LIMIT_MIB, f"{label}: RSS grew {growth} MiB (< {RSS_GROWTH_LIMIT_MIB})")
    checks.check(
        server.healthy() and server.process is not None and server.process.poll() is None, f"{label}: alive"
    )


def oversized_bodies(server: ServerProcess, tenant: Tenant, args: argparse.Namespace, checks: Checks) -> None:
    client = XmlClient(server.port, tenant)
    padding = b"<!--" + b"x" * (2 * BODY_CAP) + b"-->"
    request = http_request(
        client.body("user.get").replace(b"</request>", padding + b"</request>"), client.authorization
    )
    results, before, peak, seconds = measure(server, request, args.bodies, 1)
    after = MemoryWatch(server).total_kib()
    figure("oversized bodies at once", f"{args.bodies} × {len(request) // 1024 // 1024} MiB")
    figure("answers", dict(results.codes))
    figure("wall time, s", f"{seconds:.1f}")
    growth = report_memory(before, peak, after)
    # The server answers 0003 without reading the rest; a client still sending may see a reset instead.
    refused = results.codes["0003"] + sum(
        n for code, n in results.codes.items() if code.startswith("no answer")
    )
    checks.check(results.codes["ok"] == 0, "oversized: none executed")
    checks.check(results.codes["0003"] > 0, "oversized: answered 0003")
    checks.check(
        refused + results.codes["HTTP 503"] == args.bodies,
        "oversized: every one refused (0003, reset or 503)",
    )
    checks.check(
        growth < RSS_GROWTH_LIMIT_MIB, f"oversized: RSS grew {growth} MiB (< {RSS_GROWTH_LIMIT_MIB})"
    )
    checks.check(server.healthy(), "oversized: alive")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--short", action="store_true", help="the CI form")
    parser.add_argument("--connections", type=int, help="simultaneous connections (long 2000, short 800)")
    parser.add_argument("--repeats", type=int, help="requests per connection (long 5, short 2)")
    parser.add_argument("--bodies", type=int, help="simultaneous oversized bodies (long 400, short 100)")
    args = parser.parse_args(argv)
    args.connections = args.connections or (800 if args.short else 2000)
    args.repeats = args.repeats or (2 if args.short else 5)
    args.bodies = args.bodies or (100 if args.short else 400)
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="stress-overload-") as workdir:
        store = Store(Path(workdir) / "data")
        store.cli("migrate")
        tenant = make_account(store, "overload")
        # A short line, so that refusals happen; then no refusals at all: slower answers instead.
        for at_once, waiting, label in (
            ("16", "32", "16 at once, line of 32"),
            ("64", "0", "unbounded line"),
        ):
            print(f"\n== overload, 1 worker, {label}", flush=True)
            settings = {"max_concurrent_requests": at_once, "max_waiting_requests": waiting}
            server = ServerProcess(store, Path(workdir) / f"serve-{waiting}.log", settings=settings)
            server.start()
            try:
                warm_up(server, tenant)
                many_connections(server, tenant, args, checks, label)
                if waiting != "0":
                    print("\n== oversized bodies under load", flush=True)
                    oversized_bodies(server, tenant, args, checks)
                refused = server.metric("planfix_refused_busy_total")
                figure("refused with 503 (server's count)", f"{refused:.0f}")
                if waiting != "0":
                    checks.check(refused > 0, f"{label}: the full line was refused with 503")
            finally:
                server.stop()
            crashed = server.log_count("Traceback") + server.log_count("unexpected failure")
            checks.check(crashed == 0, f"{label}: no tracebacks or unexpected failures in the log")
    return checks.exit_status()


if __name__ == "__main__":
    sys.exit(main())
