"""The action benchmark runs end to end in a tiny configuration and reports every operation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_action_benchmark_reports_every_page() -> None:
    argv = [
        sys.executable,
        "bench/actions.py",
        "--actions",
        "350",
        "--rounds",
        "2",
        "--samples",
        "2",
        "--json",
    ]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    figures = result["operations"]
    assert list(figures) == [
        "baseline page 1",
        "page 1 (newest)",
        "page 1 asc (oldest)",
        "page 2 (middle)",
        "page 4 (last)",
    ]
    assert figures["baseline page 1"]["ratio"] == 1.0
    for name, one in figures.items():
        assert one["errors"] == 0, name
        assert len(one["rounds_ms"]) == 2 and one["median_ms"] > 0, name
