"""Facts about the machine a run happened on, and the memory of a server process."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total_mb() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def git_revision() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    revision = done.stdout.strip() or "unknown"
    return revision + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def facts() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_mb": memory_total_mb(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "revision": git_revision(),
    }


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def worker_memory(pid: int) -> dict[str, float]:
    """Resident set and its peak (MB) of the process that answers: uvicorn with one worker answers
    in its own process; with several, the largest of its worker children."""
    workers = children(pid) or [pid]
    resident = max(_status_kib(worker, "VmRSS") for worker in workers)
    peak = max(_status_kib(worker, "VmHWM") for worker in workers)
    return {"rss_mb": round(resident / 1024, 1), "peak_rss_mb": round(peak / 1024, 1)}
