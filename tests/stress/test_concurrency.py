from __future__ import annotations

import pytest

from tests.stress.support import backend_args, run_short

pytestmark = [pytest.mark.slow, pytest.mark.stress, pytest.mark.xdist_group("stress")]


def test_fifty_writers_lose_nothing() -> None:
    out = run_short("stress.concurrency", *backend_args())
    assert "lost updates: 0" in out
