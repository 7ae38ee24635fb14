"""The benchmark suite runs end to end in a tiny form and writes a complete report and its plot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bench.datasets import Shape, prepare
from bench.scenarios import paired_ratio

ROOT = Path(__file__).resolve().parents[1]
TINY = [
    "--db", "sqlite", "--sizes", "300,600", "--other-accounts", "1", "--other-tasks", "20",
    "--mix-tasks", "300", "--mix-actions", "150", "--mix-contacts", "60",
    "--rounds", "1", "--seconds", "1", "--warmup", "0", "--samples", "3", "--warmup-samples", "1",
    "--sdk-calls", "40", "--sdk-rounds", "1", "--connections", "2", "--loadgen", "python",
]  # fmt: skip
SECTIONS = (
    "1. Ceiling",
    "2. Functions on one worker",
    "## 3. Data size",
    "## 4. Scale-out",
    "## 5. Memory",
    "## 6. SDK",
)
TARGETS = (
    "`task.get` throughput ≥ 0.5 × the ceiling in the same run",
    "`task.getList` (100 tasks) server time ≤ 10 ms on SQLite at 1M tasks",
    "`task.getList` p99 growing ≤ 2× from 10k to 1M tasks (SQLite)",
    "`task.getList` p99 growing ≤ 2× from 10k to 1M tasks (PostgreSQL)",
    "2 workers on PostgreSQL ≥ 1.7 × 1 worker",
    "Worker memory ≤ 150 MB after the 1M-task scenarios",
    "1,000 SDK calls against the sandbox ≤ 2 s",
)
MEASURED_ON_SQLITE = {TARGETS[0], TARGETS[1], TARGETS[2], TARGETS[5], TARGETS[6]}
CASES = (
    "ceiling (bare ASGI, fixed body)",
    "task.get",
    "task.add",
    "task.getList page 1",
    "task.getList page 100",
    "action.getList",
    "contact.getList",
    "user.getList",
)


@pytest.mark.slow
def test_the_suite_writes_a_report_with_every_scenario_and_target(tmp_path: Path) -> None:
    out, data = tmp_path / "out", tmp_path / "data"
    argv = [sys.executable, "-m", "bench", *TINY, "--out", str(out), "--data-dir", str(data)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]

    assert (out / "latency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = (out / "report.md").read_text()
    assert "Not the full form: sizes 300, 600 on sqlite" in report
    assert re.search(r"- Machine: \d+ CPUs", report) and "Load average (1, 5, 15 min): " in report
    assert "- Command: `python -m bench --db sqlite --sizes 300,600" in report
    for section in SECTIONS:
        assert section in report, section
    for target in TARGETS:
        row = re.search(rf"^\| {re.escape(target)} \| (.+) \| \*\*(PASS|FAIL|NOT RUN)\*\* \|$", report, re.M)
        assert row is not None, target
        assert (row.group(2) != "NOT RUN") == (target in MEASURED_ON_SQLITE), row.group(0)
    for case in CASES:
        assert re.search(rf"^\| {re.escape(case)} \| [\d,]+ \| ", report, re.M), case
    for size in ("300", "600"):
        assert re.search(rf"^\| SQLite \| {size} \| task.getList page 1 \| [\d.]+ \| ", report, re.M), size
        assert re.search(rf"^\| SQLite \| {size} \| [\d.]+ \| [\d.]+ \|$", report, re.M), size  # memory
    assert "needs PostgreSQL" in report  # scale-out says why it did not run
    assert "WARNING" not in report and "failed" not in report, report
    assert "![latency against data size](latency.png)" in report


def test_seeded_datasets_are_reused(tmp_path: Path) -> None:
    shape = Shape(tasks=120, other_accounts=1, other_tasks=10, actions=30, contacts=20)
    first = prepare(shape, "sqlite", tmp_path, "")
    again = prepare(shape, "sqlite", tmp_path, "")
    assert again == first  # the same credentials: nothing was seeded the second time
    assert (first.tasks, first.actions, first.contacts) == (120, 30, 20) and first.history_task > 0
    other = prepare(Shape(tasks=130, other_accounts=1, other_tasks=10), "sqlite", tmp_path, "")
    assert other.data_dir != first.data_dir and other.api_key != first.api_key
    # A dataset whose seeding did not finish (no meta.json) is seeded again.
    (Path(first.data_dir) / "meta.json").unlink()
    assert prepare(shape, "sqlite", tmp_path, "").api_key != first.api_key


def test_scale_out_ratios_pair_the_servers_round_by_round() -> None:
    # A machine twice as fast in round 2 moves both servers: each round's ratio stays 2.
    ratio, rounds = paired_ratio([100.0, 200.0, 110.0], [200.0, 400.0, 220.0])
    assert ratio == 2.0 and rounds == [2.0, 2.0, 2.0]
    # The median of the rounds, not a ratio of medians taken from different rounds.
    ratio, rounds = paired_ratio([100.0, 300.0, 100.0], [150.0, 360.0, 190.0])
    assert rounds == [1.5, 1.2, 1.9] and ratio == 1.5
    assert paired_ratio([0.0, 100.0], [50.0, 170.0]) == (1.7, [1.7])
    assert paired_ratio([0.0], [10.0]) == (0.0, [])
