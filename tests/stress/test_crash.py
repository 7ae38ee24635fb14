from __future__ import annotations

import pytest

from tests.stress.support import backend_args, run_short

pytestmark = [pytest.mark.slow, pytest.mark.stress, pytest.mark.xdist_group("stress")]


def test_acknowledged_writes_survive_sigkill() -> None:
    out = run_short("stress.crash", *backend_args())
    assert "every acknowledged write is there" in out
