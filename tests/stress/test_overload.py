from __future__ import annotations

import pytest

from tests.stress.support import run_short

pytestmark = [pytest.mark.slow, pytest.mark.stress, pytest.mark.xdist_group("stress")]


def test_overload_is_refused_cleanly_with_bounded_memory() -> None:
    out = run_short("stress.overload")
    assert "503" in out
