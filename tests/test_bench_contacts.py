"""The contact benchmark runs end to end in a tiny configuration and reports every operation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.contacts import BASELINE, OPERATIONS

ROOT = Path(__file__).resolve().parents[1]


def test_the_contact_benchmark_reports_every_operation() -> None:
    argv = [sys.executable, "bench/contacts.py", "--contacts", "300", "--rounds", "2", "--calls", "2"]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    for operation in OPERATIONS:
        assert f"| {operation} |" in done.stdout, done.stdout
    assert "WARNING" not in done.stdout, done.stdout


def test_the_figures_as_json() -> None:
    argv = [
        sys.executable,
        "-m",
        "bench.contacts",
        "--contacts",
        "250",
        "--rounds",
        "1",
        "--calls",
        "1",
        "--json",
    ]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    figures = result["operations"]
    assert set(figures) == set(OPERATIONS)
    assert figures[BASELINE]["ratio"] == 1.0
    assert all(one["not_ok"] == 0 for one in figures.values()), figures
    assert figures["contact.getList page 1"]["items"] == 100  # a full page of whole cards
    assert figures["contact.getList filter"]["items"] == 25  # the companies: one contact in ten
