"""Limits under load, with 2 workers sharing a Redis server of this script's own.

1. Per second: an account held to 1 request/second, hammered from several connections (which the
   kernel spreads over both workers), gets one request a second, not one per worker.
2. Daily quota: a plan with a tiny quota gets exactly that many ``ok`` answers, then 0007.
3. Redis away: Redis is killed under load and started again. Fail-open (the default) keeps
   answering and counts in each worker's memory meanwhile; fail-closed answers 0007 meanwhile.
   Both share the counters again once Redis is back.

    python -m stress.rate_limits              # long: 30 s at 1 request/second, quota 500
    python -m stress.rate_limits --short      # CI: 6 s, quota 40

Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
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
    OwnRedis,
    Reply,
    ServerProcess,
    Store,
    Tenant,
    XmlClient,
    figure,
    make_account,
    percentile,
)

CONNECTIONS = 6
# The limiter tries Redis again this long after a failure (pipeline/limits.py REDIS_RETRY_SECONDS).
REDIS_RETRY_SECONDS = 1.0


@dataclass
class Tally:
    codes: Counter[str] = field(default_factory=Counter)
    ok_times: list[float] = field(default_factory=list)
    workers: set[str] = field(default_factory=set)  # the request id's prefix names the worker
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, reply: Reply, at: float, seconds: float) -> None:
        with self.lock:
            self.codes[reply.code] += 1
            self.latencies.append(seconds)
            self.workers.add(reply.headers.get("x-request-id", "").split("-")[0])
            if reply.ok:
                self.ok_times.append(at)


def hammer(
    port: int, tenant: Tenant, *, seconds: float = 0.0, requests: int = 0, pause: float = 0.01
) -> Tally:
    """``CONNECTIONS`` clients calling user.get for ``seconds``, or until ``requests`` were sent."""
    tally = Tally()
    sent = iter(range(requests)) if requests else None
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def more() -> bool:
        if sent is None:
            return time.monotonic() < deadline
        with lock:
            return next(sent, None) is not None

    def client_loop() -> None:
        while more():
            client = XmlClient(port, tenant, timeout=10)  # a new connection: either worker may take it
            started = time.monotonic()
            try:
                reply = client.call("user.get")
            except (OSError, http.client.HTTPException) as exc:
                with tally.lock:
                    tally.codes[f"no answer: {type(exc).__name__}"] += 1
            else:
                tally.note(reply, started, time.monotonic() - started)
            client.close()
            time.sleep(pause)

    threads = [threading.Thread(target=client_loop, daemon=True) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    return tally


def per_second(store: Store, workdir: Path, redis: OwnRedis, seconds: float, checks: Checks) -> None:
    print(f"\n== 1 request/second for {seconds:.0f} s, 2 workers sharing Redis", flush=True)
    tenant = make_account(store, "persecond")
    server = ServerProcess(
        store,
        workdir / "serve-rate.log",
        workers=2,
        redis_url=redis.url,
        settings={"requests_per_second": "1"},
    )
    server.start()
    try:
        tally = hammer(server.port, tenant, seconds=seconds)
    finally:
        server.stop()
    allowed = tally.codes["ok"]
    times = sorted(tally.ok_times)
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    figure("requests sent", sum(tally.codes.values()))
    figure("answers", dict(tally.codes))
    figure("allowed vs seconds", f"{allowed} in {seconds:.0f} s: {allowed / seconds:.2f}/s")
    figure("shortest gap between allowed requests, s", f"{min(gaps, default=0):.3f}")
    figure("workers that answered", len(tally.workers))
    # The kernel hands each new connection to either worker: the limit must hold over both.
    checks.check(len(tally.workers) == 2, "both workers answered")
    checks.check(abs(allowed - seconds) <= 1, f"allowed {allowed} within 1 of {seconds:.0f} seconds")
    # Client-side times carry the answer's latency, hence the margin below one second.
    checks.check(min(gaps, default=1) >= 0.8, "never two allowed requests within one second")
    checks.check(set(tally.codes) <= {"ok", "0007"}, "every answer is ok or 0007")


def daily_quota(store: Store, workdir: Path, redis: OwnRedis, quota: int, checks: Checks) -> None:
    print(f"\n== daily quota of {quota}, 2 workers sharing Redis", flush=True)
    tenant = make_account(store, "quota", plan="standard")
    settings = {"plan_quotas": f"standard={quota}", "requests_per_second": "0"}
    server = ServerProcess(
        store, workdir / "serve-quota.log", workers=2, redis_url=redis.url, settings=settings
    )
    server.start()
    try:
        tally = hammer(server.port, tenant, requests=quota + max(40, quota // 5), pause=0.002)
    finally:
        server.stop()
    figure("answers", dict(tally.codes))
    figure("workers that answered", len(tally.workers))
    checks.check(tally.codes["ok"] == quota, f"exactly {quota} allowed ({tally.codes['ok']})")
    checks.check(set(tally.codes) == {"ok", "0007"}, "the rest answered 0007")


def outage(store: Store, workdir: Path, redis: OwnRedis, mode: str, checks: Checks) -> None:
    print(f"\n== Redis killed under load and started again, redis_failure={mode}", flush=True)
    quota = 20
    tenant = make_account(store, f"outage{mode}", plan="standard")
    settings = {"plan_quotas": f"standard={quota}", "requests_per_second": "0", "redis_failure": mode}
    server = ServerProcess(
        store, workdir / f"serve-{mode}.log", workers=2, redis_url=redis.url, settings=settings
    )
    server.start()
    try:
        before = hammer(server.port, tenant, requests=quota + 10, pause=0)
        redis.stop()
        killed = time.monotonic()
        during = hammer(server.port, tenant, requests=3 * quota, pause=0.005)
        redis.start()  # empty: the day's counts start again
        time.sleep(REDIS_RETRY_SECONDS + 0.5)
        after = hammer(server.port, tenant, requests=quota + 10, pause=0)
        outage_seconds = time.monotonic() - killed
    finally:
        server.stop()
    for name, tally in (("Redis up", before), ("Redis away", during), ("Redis back", after)):
        figure(
            f"{name}: answers",
            f"{dict(tally.codes)}; p99 {percentile(tally.latencies, 0.99) * 1000:.0f} ms",
        )
    figure("outage, s", f"{outage_seconds:.1f}")
    checks.check(
        before.codes == Counter({"ok": quota, "0007": 10}), f"{mode}: Redis up: {quota} ok, then 0007"
    )
    answered = set(during.codes) <= {"ok", "0007"}
    checks.check(answered, f"{mode}: every request answered ok or 0007 while Redis was away")
    if mode == "open":
        # Each worker counts on its own meanwhile: between one and two quotas.
        checks.check(quota <= during.codes["ok"] <= 2 * quota, f"{mode}: counted per worker while away")
    else:
        checks.check(during.codes == Counter({"0007": 3 * quota}), f"{mode}: refused with 0007 while away")
    checks.check(
        after.codes == Counter({"ok": quota, "0007": 10}), f"{mode}: shared again once Redis is back"
    )
    checks.check(server.log_count("unexpected failure") == 0, f"{mode}: no unexpected failures in the log")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--short", action="store_true", help="the CI form")
    parser.add_argument(
        "--seconds", type=float, help="length of the per-second measurement (long 30, short 6)"
    )
    parser.add_argument("--quota", type=int, help="the tiny daily quota (long 500, short 40)")
    args = parser.parse_args(argv)
    seconds = args.seconds or (6.0 if args.short else 30.0)
    quota = args.quota or (40 if args.short else 500)
    checks = Checks()
    redis = OwnRedis()
    with tempfile.TemporaryDirectory(prefix="stress-limits-") as workdir:
        store = Store(Path(workdir) / "data")
        store.cli("migrate")
        redis.start()
        try:
            per_second(store, Path(workdir), redis, seconds, checks)
            daily_quota(store, Path(workdir), redis, quota, checks)
            outage(store, Path(workdir), redis, "open", checks)
            outage(store, Path(workdir), redis, "closed", checks)
        finally:
            redis.stop()
    return checks.exit_status()


if __name__ == "__main__":
    sys.exit(main())
