"""Step: per-account request limits (0007), the ``X-RateLimit-Remaining`` snapshot, and the
per-address throttle of failed authentication.

Counters live in the ``limits`` library's storage: process memory for one worker, Redis when
several workers (or hosts) share the load.
"""

from __future__ import annotations

import datetime as dt
import math
import threading

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from planfix_server.api import errors
from planfix_server.api.context import zone
from planfix_server.pipeline.exchange import Exchange
from planfix_server.pipeline.usage import UsageRecorder
from planfix_server.settings import Settings
from planfix_server.store.records import AccountRecord


def per_second_item(rate: float, burst: int) -> RateLimitItem | None:
    """The per-second window for ``rate`` requests/second (plus burst); None when off."""
    if rate <= 0:
        return None
    if rate >= 1:
        return RateLimitItemPerSecond(int(rate) + burst, namespace="PFRATE")
    # Slower than one a second: one request (plus burst) per ceil(1/rate) seconds.
    return RateLimitItemPerSecond(1 + burst, multiples=math.ceil(1 / rate), namespace="PFRATE")


class Limiter:
    """Per-second and daily limits of every account, and the failed-authentication throttle."""

    def __init__(self, settings: Settings) -> None:
        self.storage = storage_from_string(settings.redis_url or "memory://")
        self._moving = MovingWindowRateLimiter(self.storage)
        self._fixed = FixedWindowRateLimiter(self.storage)
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

    # -- per account
    def _day_key(self, account: AccountRecord, now: dt.datetime) -> str:
        return now.astimezone(zone(account.timezone)).date().isoformat()

    def check(self, account: AccountRecord, now: dt.datetime) -> int | None:
        """Count one request of ``account``; 0007 over a limit. Returns the remaining-quota snapshot."""
        ident = str(account.id)
        if self._per_second is not None and not self._moving.hit(self._per_second, ident):
            raise errors.RequestLimitExceeded("per-second limit")
        quota = self._quotas.get(account.plan)
        if quota is None:
            return None
        day = self._day_key(account, now)
        if not self._fixed.hit(quota, ident, day):
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
        stats = self._fixed.get_window_stats(quota, str(account.id), self._day_key(account, now))
        with self._lock:
            self._snapshots[account.id] = (int(stats.remaining), moment)
        return int(stats.remaining)

    def used_today(self, account: AccountRecord, now: dt.datetime) -> int:
        quota = self._quotas.get(account.plan)
        if quota is None:
            return 0
        stats = self._fixed.get_window_stats(quota, str(account.id), self._day_key(account, now))
        return int(quota.amount - stats.remaining)

    # -- per client address
    def check_address(self, address: str) -> None:
        """0007 while ``address`` is over its allowance of failed authentications."""
        if self._auth_failures is not None and not self._moving.test(self._auth_failures, address):
            raise errors.RequestLimitExceeded("too many failed authentications from this address")

    def record_failure(self, address: str) -> None:
        if self._auth_failures is not None:
            self._moving.hit(self._auth_failures, address)

    def reset(self) -> None:
        self.storage.reset()
        self._snapshots.clear()


def check_limits(exchange: Exchange, limiter: Limiter, usage: UsageRecorder) -> None:
    assert exchange.account is not None
    exchange.remaining = limiter.check(exchange.account, exchange.now)
    usage.count(exchange.account, exchange.now)
