"""A bounded HTTP/1.1 load generator in pure Python, for machines without ``wrk``.

``python bench/loadgen.py --url http://127.0.0.1:PORT/xml/ --body-file F --header 'Name: value'
--connections 16 --seconds 5`` keeps that many keep-alive connections busy, one request in flight
each, for that long, and prints one JSON object: requests, errors, req/s, p50/p99 latency (ms).

It runs in its own process so it does not share an interpreter with the server it measures. One
Python process tops out well below what ``wrk`` can send, so against a very fast target it
understates that target (and flatters a ratio against it); prefer ``wrk`` where it exists.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import urllib.parse
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def build_request(url: str, body: bytes, headers: Sequence[str]) -> tuple[str, int, bytes]:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 80
    lines = [
        f"POST {parts.path or '/'} HTTP/1.1",
        f"Host: {host}:{port}",
        f"Content-Length: {len(body)}",
        *headers,
    ]
    return host, port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _content_length(head: bytes) -> tuple[int, int]:
    """(status, content length) of a response head."""
    status_line, _, rest = head.partition(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    for line in rest.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return status, int(value.strip())
    raise ValueError("response without Content-Length")


async def _connection(host: str, port: int, request: bytes, deadline: float, tally: Tally) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    clock = time.perf_counter
    try:
        while clock() < deadline:
            started = clock()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status, length = _content_length(head)
            await reader.readexactly(length)
            tally.latencies.append(clock() - started)
            if status != 200:
                tally.errors += 1
    finally:
        writer.close()


async def run(url: str, body: bytes, headers: Sequence[str], connections: int, seconds: float) -> Tally:
    host, port, request = build_request(url, body, headers)
    tally = Tally()
    deadline = time.perf_counter() + seconds
    tasks = [_connection(host, port, request, deadline, tally) for _ in range(connections)]
    # A stuck server must not hold the run: give up a few seconds after the deadline.
    results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), seconds + 10)
    tally.errors += sum(isinstance(result, BaseException) for result in results)
    return tally


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def summarise(tally: Tally, seconds: float) -> dict[str, float | int]:
    return {
        "requests": len(tally.latencies),
        "errors": tally.errors,
        "rps": len(tally.latencies) / seconds if seconds > 0 else 0.0,
        "p50_ms": percentile(tally.latencies, 0.50) * 1000,
        "p99_ms": percentile(tally.latencies, 0.99) * 1000,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bounded keep-alive HTTP POST load generator")
    parser.add_argument("--url", required=True)
    parser.add_argument("--body-file", type=Path, required=True)
    parser.add_argument("--header", action="append", default=[], help="'Name: value', repeatable")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    body = args.body_file.read_bytes()
    runner: Callable[[Coroutine[Any, Any, Tally]], Tally] = asyncio.run
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        pass
    started = time.perf_counter()
    tally = runner(run(args.url, body, args.header, args.connections, args.seconds))
    elapsed = time.perf_counter() - started
    print(json.dumps(summarise(tally, elapsed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
