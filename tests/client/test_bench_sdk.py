"""bench/sdk.py runs end to end in a tiny configuration."""

from __future__ import annotations

import json

import pytest
from bench import sdk


def test_throughput_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert sdk.main(["--calls", "20", "--rounds", "2", "--ways", "sdk-only,async-asgi", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["throughput"]
    assert set(figures["variants"]) == {"sdk-only", "async-asgi"}
    for variant in figures["variants"].values():
        assert len(variant["seconds"]) == 2 and variant["median_seconds"] > 0


@pytest.mark.slow
def test_real_limit_sequence(capsys: pytest.CaptureFixture[str]) -> None:
    assert sdk.main(["--real-limit", "--calls", "3", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["real_limit"]
    assert figures["client_0007"] == figures["server_0007"] == 0
    assert figures["server_answers"] == {"ok": 4}  # three calls and the readiness probe
    assert figures["wall_seconds"] >= 2.0  # three sends, one second apart
