"""Running one stress script in its short form and reporting its figures when it fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = [b.strip() for b in os.environ.get("PLANFIX_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def backend_args() -> list[str]:
    """``--backend`` for scripts that run on both databases, following PLANFIX_TEST_BACKENDS."""
    wanted = [b for b in ("sqlite", "postgresql") if b in BACKENDS]
    return ["--backend", wanted[0] if len(wanted) == 1 else "both"]


def run_short(module: str, *extra: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-m", module, "--short", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{module} failed:\n{done.stdout}\n{done.stderr}"
    assert done.stdout.rstrip().endswith("PASSED"), done.stdout
    return done.stdout
