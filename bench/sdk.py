"""The SDK's own figures: 1,000 ``user.get`` calls with limits off, and 200 calls at the real limit.

    python -m bench.sdk [--calls 1000] [--rounds 5] [--ways async-asgi,sync-process] [--json]
    python -m bench.sdk --real-limit [--calls 200] [--json]

Default: the time for ``--calls`` typed ``client.user.get()`` calls (request built, sent, answer
parsed into a ``User``) against a server with no per-second limit, ``--rounds`` times per way of
reaching it; the median is the figure. ``--real-limit``: one sequence of ``--calls`` calls with
the client's default pacing (1 request/second) against a server in its own process enforcing
1 request/second; reports the wall time against ``calls`` seconds and every ``0007`` answer, as
counted by the client and by the server's ``/metrics``. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if not __package__:
    # Run as ``python bench/sdk.py``: make the ``bench`` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.ceiling_app import BODY as CEILING_BODY
from bench.processes import (
    Target,
    child_env,
    free_port,
    spawn,
    stop,
    terminated_on_sigterm,
    uvicorn_options,
    wait_ready,
)
from bench.user_get import ACCOUNT, app_answers, prepare_database, server_settings
from planfix_server.client import AsyncClient, Client

WARMUP_CALLS = 50
LABELS = {
    "sdk-only": "SDK alone: canned answer, no server (MockTransport)",
    "raw-asgi": "no SDK: httpx.AsyncClient posting a fixed body in-process (the baseline)",
    "async-asgi": "AsyncClient → server in-process (httpx.ASGITransport, no socket)",
    "sync-thread": "Client → uvicorn in a thread of this process (loopback socket)",
    "sync-process": "Client → uvicorn in its own process (loopback socket)",
}


class Setup:
    """A fresh SQLite database with one premium account; its API key and token."""

    def __init__(self, workdir: Path, rate: float = 0.0) -> None:
        self.settings = server_settings(workdir / "data", free_port()).replace(requests_per_second=rate)
        credentials = prepare_database(self.settings)
        self.request = credentials
        secret = base64.b64decode(credentials.authorization.split()[1]).decode()
        self.api_key, self.token = secret.split(":", 1)

    def client(self, url: str, **options: Any) -> Client:
        return Client(url, ACCOUNT, self.api_key, token=self.token, **options)


# -- ways of reaching a server
@contextmanager
def in_thread(setup: Setup) -> Iterator[str]:
    import uvicorn

    from planfix_server.app import create_app

    config = uvicorn.Config(
        create_app(setup.settings), host="127.0.0.1", port=setup.settings.port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start in its thread")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{setup.settings.port}/xml/"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def in_process(setup: Setup, workdir: Path, name: str = "app") -> Iterator[Target]:
    uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "planfix_server.app:create_app_from_env"]
    port = setup.settings.port
    argv = [*uvicorn, "--host", "127.0.0.1", "--port", str(port), *uvicorn_options()]
    target = spawn(name, argv, child_env(setup.settings.to_env()), port, workdir)
    try:
        wait_ready(target, setup.request)
        yield target
    finally:
        stop(target.process)


# -- throughput with limits off
@dataclass
class Timings:
    """Wall and CPU seconds of each round. CPU time is this process's: for the in-process ways it
    is the whole work (client and server), and it moves much less than wall time on a busy machine."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @contextmanager
    def round(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)


def timed_rounds(run: Callable[[int], None], calls: int, rounds: int) -> Timings:
    run(WARMUP_CALLS)
    timings = Timings()
    for _ in range(rounds):
        with timings.round():
            run(calls)
    return timings


async def timed_rounds_async(run: Callable[[int], Awaitable[None]], calls: int, rounds: int) -> Timings:
    await run(WARMUP_CALLS)
    timings = Timings()
    for _ in range(rounds):
        with timings.round():
            await run(calls)
    return timings


def sync_runner(client: Client) -> Callable[[int], None]:
    def run(calls: int) -> None:
        for _ in range(calls):
            client.user.get()

    return run


def measure_sdk_only(calls: int, rounds: int) -> Timings:
    # The ceiling's fixed user.get answer: what the server would send, without the server.
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=CEILING_BODY))
    with Client(
        "http://canned/xml/", ACCOUNT, "k", token="t", requests_per_second=0, transport=transport
    ) as client:
        return timed_rounds(sync_runner(client), calls, rounds)


def measure_raw_asgi(setup: Setup, calls: int, rounds: int) -> Timings:
    """The same request without the SDK: what the server and the ASGI transport cost alone."""
    from planfix_server.app import create_app

    app = create_app(setup.settings)
    headers = {"Authorization": setup.request.authorization, "Content-Type": "application/xml"}

    async def scenario() -> Timings:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://bench") as client:

            async def run(calls: int) -> None:
                for _ in range(calls):
                    answer = await client.post("/xml/", content=setup.request.body, headers=headers)
                    assert b'status="ok"' in answer.content

            return await timed_rounds_async(run, calls, rounds)

    return asyncio.run(scenario())


def measure_async_asgi(setup: Setup, calls: int, rounds: int) -> Timings:
    from planfix_server.app import create_app

    app = create_app(setup.settings)

    async def scenario() -> Timings:
        transport = httpx.ASGITransport(app=app)
        async with AsyncClient(
            "https://bench/xml/",
            ACCOUNT,
            setup.api_key,
            token=setup.token,
            requests_per_second=0,
            transport=transport,
        ) as client:

            async def run(calls: int) -> None:
                for _ in range(calls):
                    await client.user.get()

            return await timed_rounds_async(run, calls, rounds)

    return asyncio.run(scenario())


IN_PROCESS = ("sdk-only", "raw-asgi", "async-asgi", "sync-thread")


def throughput(workdir: Path, calls: int, rounds: int, ways: list[str]) -> dict[str, Any]:
    setup = Setup(workdir)
    results: dict[str, Timings] = {}
    answers: dict[str, int] = {}
    if "sdk-only" in ways:
        results["sdk-only"] = measure_sdk_only(calls, rounds)
    if "raw-asgi" in ways:
        results["raw-asgi"] = measure_raw_asgi(setup, calls, rounds)
    if "async-asgi" in ways:
        results["async-asgi"] = measure_async_asgi(setup, calls, rounds)
    if "sync-thread" in ways:
        with in_thread(setup) as url, setup.client(url, requests_per_second=0) as client:
            results["sync-thread"] = timed_rounds(sync_runner(client), calls, rounds)
    if "sync-process" in ways:
        with in_process(setup, workdir) as target, setup.client(target.url, requests_per_second=0) as client:
            results["sync-process"] = timed_rounds(sync_runner(client), calls, rounds)
            answers = app_answers(target)
    variants = {}
    for name, timings in results.items():
        wall = statistics.median(timings.wall)
        variants[name] = {
            "label": LABELS[name],
            "seconds": [round(t, 3) for t in timings.wall],
            "median_seconds": round(wall, 3),
            "median_us_per_call": round(wall / calls * 1e6),
            # The server's own CPU is in another process for sync-process: no CPU figure there.
            "median_cpu_seconds": round(statistics.median(timings.cpu), 3) if name in IN_PROCESS else None,
        }
    return {"calls": calls, "rounds": rounds, "variants": variants, "server_answers": answers}


# -- the real limit
def real_limit(workdir: Path, calls: int) -> dict[str, Any]:
    setup = Setup(workdir, rate=1.0)
    with in_process(setup, workdir, "limited") as target:
        time.sleep(1.5)  # the readiness probe took this second's slot
        with setup.client(target.url) as client:  # default pacing: 1 request/second
            started = time.perf_counter()
            for n in range(1, calls + 1):
                client.user.get()
                if n % 20 == 0:
                    print(f"  {n}/{calls} calls, {time.perf_counter() - started:.1f} s", file=sys.stderr)
            wall = time.perf_counter() - started
            stats = client.stats
        answers = app_answers(target)
    return {
        "calls": calls,
        "wall_seconds": round(wall, 2),
        "vs_calls_seconds_percent": round((wall / calls - 1) * 100, 2),
        "client_0007": stats.limited,
        "server_0007": answers.get("0007", 0),
        "retries": stats.retries,
        "requests_sent": stats.requests,
        "server_answers": answers,
    }


def report(result: dict[str, Any]) -> str:
    lines = [f"Python {result['python']}, {result['cpus']} CPUs"]
    if "throughput" in result:
        t = result["throughput"]
        lines += [
            f"{t['calls']} typed user.get calls, limits off, median of {t['rounds']} rounds:",
            "",
            "| Way | Median s | µs/call | Median CPU s | Seconds per round |",
            "|---|---:|---:|---:|---|",
        ]
        for v in t["variants"].values():
            rounds = ", ".join(f"{s:.2f}" for s in v["seconds"])
            cpu = "-" if v["median_cpu_seconds"] is None else f"{v['median_cpu_seconds']:.2f}"
            lines.append(
                f"| {v['label']} | {v['median_seconds']:.2f} | {v['median_us_per_call']} | {cpu} | {rounds} |"
            )
        if t["server_answers"]:
            lines.append(f"\nServer answers (own process): {t['server_answers']}")
    if "real_limit" in result:
        r = result["real_limit"]
        calls, wall, off = r["calls"], r["wall_seconds"], r["vs_calls_seconds_percent"]
        lines += [
            f"{calls} user.get calls paced at 1/s against a server enforcing 1/s:",
            f"  wall time {wall} s ({off:+.2f} % against {calls} s)",
            f"  0007 answers: {r['client_0007']} seen by the client, {r['server_0007']} by the server",
            f"  requests sent {r['requests_sent']}, retries {r['retries']}; answers {r['server_answers']}",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--real-limit", action="store_true", help="the paced sequence at 1 request/second")
    parser.add_argument(
        "--calls", type=int, default=None, help="calls per round (1000), or in the sequence (200)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds per way (throughput only)")
    parser.add_argument(
        "--ways", default=",".join(LABELS), help=f"comma-separated, of: {', '.join(LABELS)} (throughput only)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    with terminated_on_sigterm(), tempfile.TemporaryDirectory(prefix="planfix-bench-sdk-") as tmp:
        if args.real_limit:
            result["real_limit"] = real_limit(Path(tmp), args.calls or 200)
        else:
            ways = [way.strip() for way in args.ways.split(",") if way.strip()]
            unknown = sorted(set(ways) - set(LABELS))
            if unknown:
                parser.error(f"unknown ways: {', '.join(unknown)}")
            result["throughput"] = throughput(Path(tmp), args.calls or 1000, args.rounds, ways)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
