from __future__ import annotations

import shutil

import pytest

from tests.stress.support import run_short

pytestmark = [
    pytest.mark.slow,
    pytest.mark.stress,
    pytest.mark.xdist_group("stress"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def test_limits_hold_across_workers_and_redis_outages() -> None:
    out = run_short("stress.rate_limits")
    assert "shared again once Redis is back" in out
