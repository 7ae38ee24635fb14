"""Step: per-account request limits (0007), the ``X-RateLimit-Remaining`` snapshot, and the
per-address throttle of failed authentication.

Counters live in the ``limits`` library's storage: process memory for one worker, Redis when
several workers (or hosts) share the load. While Redis does not answer, the ``redis_failure``
setting decides: ``open`` counts in this worker's memory (as if there were no Redis) and tries
Redis again after ``REDIS_RETRY_SECONDS``; ``closed`` answers 0007 meanwhile.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter
from redis.exceptions import RedisError

from planfix_server.api import errors
from planfix_server.api.context import zone
from planfix_server.pipeline.exchange import Exchange
from planfix_server.pipeline.usage import UsageRecorder
from planfix_server.settings import Settings
from planfix_server.store.records import AccountRecord

log = logging.getLogger("planfix_server.limits")

T = TypeVar("T")

# A Redis that does not answer within this costs each request at most this long, once per retry period.
REDIS_TIMEOUT_SECONDS = 0.5
REDIS_RETRY_SECONDS = 1.0


def per_second_item(rate: float, burst: int) -> RateLimitItem | None:
    """The per-second window for ``rate`` requests/second (plus burst); None when off."""
    if rate <= 0:
        return None
    if rate >= 1:
        return RateLimitItemPerSecond(int(rate) + burst, namespace="PFRATE")
    # Slower than one a second: one request (plus burst) per ceil(1/rate) seconds.
    return RateLimitItemPerSecond(1 + burst, multiples=math.ceil(1 / rate), namespace="PFRATE")


# How often this worker's memory counters drop expired windows (reads ignore them already).
SWEEP_SECONDS = 1.0


class LocalStorage(MemoryStorage):
    """The library's memory storage, without a thread per expiry sweep.

    The library starts a new timer thread whenever its previous sweep has run, that is every
    10 ms under load: a thread start every few requests. Expired counters are already ignored when
    read, so the sweep only frees memory; here it runs in the calling thread, at most once per
    ``SWEEP_SECONDS``.
    """

    def __init__(self) -> None:
        super().__init__()
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (the library's private scheduler)
        moment = time.monotonic()
        if moment >= self._next_sweep:
            self._next_sweep = moment + SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


class Counters:
    """The two window strategies over one storage."""

    def __init__(self, storage: Storage) -> None:
        self.moving = MovingWindowRateLimiter(storage)
        self.fixed = FixedWindowRateLimiter(storage)


class Limiter:
    """Per-second and daily limits of every account, and the failed-authentication throttle."""

    def __init__(self, settings: Settings) -> None:
        # This worker's own counters: the only ones without Redis, the fallback while it is away.
        self._local_storage = LocalStorage()
        self._local = Counters(self._local_storage)
        self._shared: Counters | None = None
        self.storage: Storage = self._local_storage
        if settings.redis_url:
            shared = storage_from_string(
                settings.redis_url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            assert isinstance(shared, Storage)
            self.storage = shared
            self._shared = Counters(shared)
        self._fail_closed = settings.redis_failure == "closed"
        self._down_until: float | None = None
        self._per_second = per_second_item(settings.requests_per_second, settings.rate_burst)
        self._quotas = {
            plan: RateLimitItemPerDay(n, namespace="PFDAY") for plan, n in settings.plan_quotas.items()
        }
        self._auth_failures = (
            RateLimitItemPerMinute(settings.auth_failures_per_minute, namespace="PFAUTH")
            if settings.auth_failures_per_minute > 0
            else None
        )
        self._refresh = settings.remaining_refresh_seconds
        self._snapshots: dict[int, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def _counted(self, work: Callable[[Counters], T], *, refuse: bool = False) -> T:
        """``work`` on the shared counters, or on this worker's while Redis does not answer.
        ``refuse``: a request being admitted, which fail-closed answers with 0007 meanwhile."""
        if self._shared is not None:
            moment = time.monotonic()
            if self._down_until is None or moment >= self._down_until:
                try:
                    result = work(self._shared)
                except RedisError as exc:
                    if self._down_until is None:
                        log.warning("Redis does not answer (%s); limits fail %s", exc, self._mode)
                    self._down_until = moment + REDIS_RETRY_SECONDS
                else:
                    if self._down_until is not None:
                        log.warning("Redis answers again; limits are shared again")
                        self._down_until = None
                    return result
            if self._fail_closed and refuse:
                raise errors.RequestLimitExceeded("rate-limit storage unavailable")
        return work(self._local)

    @property
    def _mode(self) -> str:
        return "closed (0007)" if self._fail_closed else "open (counted per worker)"

    @property
    def shared_down(self) -> bool:
        """Whether the last attempt to reach Redis failed."""
        return self._down_until is not None

    # -- per account
    def _day_key(self, account: AccountRecord, now: dt.datetime) -> str:
        return now.astimezone(zone(account.timezone)).date().isoformat()

    def check(self, account: AccountRecord, now: dt.datetime) -> int | None:
        """Count one request of ``account``; 0007 over a limit. Returns the remaining-quota snapshot."""
        ident = str(account.id)
        per_second = self._per_second
        if per_second is not None and not self._counted(
            lambda counters: counters.moving.hit(per_second, ident), refuse=True
        ):
            raise errors.RequestLimitExceeded("per-second limit")
        quota = self._quotas.get(account.plan)
        if quota is None:
            return None
        day = self._day_key(account, now)
        if not self._counted(lambda counters: counters.fixed.hit(quota, ident, day), refuse=True):
            self._snapshots[account.id] = (0, now.timestamp())
            raise errors.RequestLimitExceeded("daily quota")
        return self.remaining(account, now)

    def remaining(self, account: AccountRecord, now: dt.datetime) -> int | None:
        """The daily quota left, as of the last snapshot (refreshed every few minutes)."""
        quota = self._quotas.get(account.plan)
        if quota is None:
            return None
        taken = self._snapshots.get(account.id)
        moment = now.timestamp()
        if taken is not None and moment - taken[1] < self._refresh:
            return taken[0]
        day = self._day_key(account, now)
        stats = self._counted(lambda counters: counters.fixed.get_window_stats(quota, str(account.id), day))
        with self._lock:
            self._snapshots[account.id] = (int(stats.remaining), moment)
        return int(stats.remaining)

    def used_today(self, account: AccountRecord, now: dt.datetime) -> int:
        quota = self._quotas.get(account.plan)
        if quota is None:
            return 0
        day = self._day_key(account, now)
        stats = self._counted(lambda counters: counters.fixed.get_window_stats(quota, str(account.id), day))
        return int(quota.amount - stats.remaining)

    # -- per client address
    def check_address(self, address: str) -> None:
        """0007 while ``address`` is over its allowance of failed authentications."""
        failures = self._auth_failures
        if failures is not None and not self._counted(lambda c: c.moving.test(failures, address)):
            raise errors.RequestLimitExceeded("too many failed authentications from this address")

    def record_failure(self, address: str) -> None:
        failures = self._auth_failures
        if failures is not None:
            self._counted(lambda c: c.moving.hit(failures, address))

    def reset(self) -> None:
        self.storage.reset()
        self._local_storage.reset()
        self._snapshots.clear()


def check_limits(exchange: Exchange, limiter: Limiter, usage: UsageRecorder) -> None:
    assert exchange.account is not None
    exchange.remaining = limiter.check(exchange.account, exchange.now)
    usage.count(exchange.account, exchange.now)
