"""Child processes of a benchmark: servers on free ports and bounded load runs, always stopped.

Every child gets its own process group, so stopping the group also stops whatever it started
(uvicorn's worker processes, if any); every wait has a deadline.
"""

from __future__ import annotations

import http.client
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

BENCH_DIR = Path(__file__).resolve().parent
STARTUP_SECONDS = 30.0
STOP_SECONDS = 5.0


@dataclass(frozen=True)
class Credentials:
    authorization: str
    body: bytes


@dataclass
class Round:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


@dataclass
class Target:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    rounds: list[Round] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xml/"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def uvicorn_options() -> list[str]:
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return ["--no-access-log", "--log-level", "warning", "--loop", loop, "--http", http, "--lifespan", "on"]


def app_command(port: int) -> list[str]:
    """uvicorn serving the app built from ``PLANFIX_*`` variables, with the benchmark options (one
    worker; several run through ``serve_command``)."""
    argv = [sys.executable, "-m", "uvicorn", "--factory", "planfix_server.app:create_app_from_env"]
    return [*argv, "--host", "127.0.0.1", "--port", str(port), *uvicorn_options()]


def serve_command(workers: int) -> list[str]:
    """``planfix-server serve`` as an operator runs it (settings, host and port from ``PLANFIX_*``)."""
    code = "from planfix_server.cli import main; main()"
    return [sys.executable, "-c", code, "serve", "--workers", str(workers), "--no-demo"]


def ceiling_command(port: int) -> list[str]:
    """uvicorn serving ``bench/ceiling_app.py`` with the same options as the app."""
    argv = [sys.executable, "-m", "uvicorn", "--app-dir", str(BENCH_DIR), "ceiling_app:app"]
    return [*argv, "--host", "127.0.0.1", "--port", str(port), *uvicorn_options()]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANFIX_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(extra or {})
    return env


def spawn(name: str, argv: list[str], env: dict[str, str], port: int, workdir: Path) -> Target:
    log = workdir / f"{name}.log"
    with open(log, "wb") as out:
        # Own session: stopping the group also stops anything the child starts.
        process = subprocess.Popen(
            argv,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return Target(name, port, process, log)


def post_once(target: Target, credentials: Credentials, timeout: float = 5.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=timeout)
    try:
        connection.request(
            "POST",
            "/xml/",
            credentials.body,
            {"Authorization": credentials.authorization, "Content-Type": "application/xml"},
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_ready(target: Target, credentials: Credentials) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    last = ""
    while time.monotonic() < deadline:
        if target.process.poll() is not None:
            raise RuntimeError(f"{target.name} exited with {target.process.returncode}:\n{tail(target.log)}")
        try:
            status, body = post_once(target, credentials, timeout=2.0)
        except OSError as exc:
            last = str(exc)
            time.sleep(0.1)
            continue
        if status == 200 and b'status="ok"' in body:
            return
        raise RuntimeError(f"{target.name} answered {status}: {body[:300]!r}")
    raise RuntimeError(f"{target.name} not ready after {STARTUP_SECONDS:.0f} s ({last}):\n{tail(target.log)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, STOP_SECONDS), (signal.SIGKILL, STOP_SECONDS)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_bounded(argv: list[str], seconds: float) -> str:
    """Run a load generator in its own process group; kill it if it overstays."""
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True
    )
    try:
        out, err = process.communicate(timeout=seconds + 20)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"load generator still running {seconds + 20:.0f} s in: {argv[:2]}") from exc
    finally:
        stop(process)
    if process.returncode != 0:
        raise RuntimeError(f"load generator failed ({process.returncode}): {err.decode(errors='replace')}")
    return out.decode(errors="replace")


@contextmanager
def terminated_on_sigterm() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so the ``finally`` that stops the children runs."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
