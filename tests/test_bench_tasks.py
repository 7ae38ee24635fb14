"""The task benchmark runs end to end in a tiny configuration and reports every operation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bench.tasks import OPERATIONS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_task_benchmark_reports_every_operation() -> None:
    argv = [
        sys.executable,
        "bench/tasks.py",
        "--sizes",
        "300",
        "--samples",
        "5",
        "--warmup-samples",
        "2",
        "--seconds",
        "0.5",
        "--warmup",
        "0",
        "--other-accounts",
        "1",
        "--connections",
        "2",
        "--loadgen",
        "python",
    ]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    for operation in OPERATIONS:
        assert f"| 300 | {operation} |" in done.stdout, done.stdout
    assert "WARNING" not in done.stdout, done.stdout
