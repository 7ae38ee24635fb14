"""The benchmark runs end to end (tiny configuration) and reads wrk's report correctly."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bench.user_get import parse_wrk

ROOT = Path(__file__).resolve().parents[1]

WRK_OUTPUT = """\
Running 3s test @ http://127.0.0.1:40000/xml/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.61ms    4.27ms  43.20ms   77.84%
    Req/Sec     1.10k   102.33     1.27k    70.00%
  Latency Distribution
     50%   13.97ms
     75%   16.52ms
     90%   19.61ms
     99%    1.02s
  3290 requests in 3.00s, 2.01MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   1096.41
Transfer/sec:    685.76KB
"""


def test_parse_wrk() -> None:
    figures = parse_wrk(WRK_OUTPUT)
    assert figures.rps == pytest.approx(1096.41)
    assert figures.p50_ms == pytest.approx(13.97)
    assert figures.p99_ms == pytest.approx(1020.0)
    assert figures.requests == 3290
    assert figures.errors == 7


@pytest.mark.slow
def test_benchmark_prints_a_ratio() -> None:
    argv = [
        sys.executable,
        "bench/user_get.py",
        "--rounds",
        "1",
        "--seconds",
        "1",
        "--warmup",
        "0",
        "--loadgen",
        "python",
        "--connections",
        "4",
    ]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    match = re.search(r"ratio app/ceiling \(median req/s\): (\d+\.\d+)", done.stdout)
    assert match is not None, done.stdout
    assert float(match.group(1)) > 0
    assert "WARNING" not in done.stdout, done.stdout
