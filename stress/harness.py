"""What the stress scripts share: a real ``planfix-server serve`` process (killed and restarted at
will), accounts made with the command line, a PostgreSQL database of their own, a Redis server of
their own, a small XML client, and the list of checks that decides the exit status.

Every child runs in its own process group, so killing the group kills uvicorn's workers too; the
scripts stop what they started on the way out, also on Ctrl-C.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

PG_URL = os.environ.get("PLANFIX_STRESS_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
# The shared Redis: databases 9 and 10 belong to these scripts (the test suite uses 12 to 15).
SHARED_REDIS = os.environ.get("PLANFIX_STRESS_REDIS_URL", "redis://127.0.0.1:6379/9")
START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def installed_script() -> str:
    beside = Path(sys.executable).parent / "planfix-server"
    if beside.is_file():
        return str(beside)
    found = shutil.which("planfix-server")
    if found is None:
        raise SystemExit("planfix-server is not installed: pip install . first")
    return found


def child_env(**settings: str) -> dict[str, str]:
    """The environment of a server or command: ours without PLANFIX_*, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANFIX_", "PROMETHEUS_"))}
    env.update(
        PLANFIX_ARGON2_TIME_COST="1",
        PLANFIX_ARGON2_MEMORY_KIB="64",
        PLANFIX_AUTH_FAILURES_PER_MINUTE="0",
        PLANFIX_REQUESTS_PER_SECOND="0",
        PLANFIX_LOG_LEVEL="warning",
    )
    env.update({f"PLANFIX_{name.upper()}": value for name, value in settings.items()})
    return env


# -- checks and figures


@dataclass
class Checks:
    """Named conditions; a script exits non-zero when one failed."""

    failed: list[str] = field(default_factory=list)

    def check(self, condition: bool, what: str) -> bool:
        print(f"  [{'ok' if condition else 'FAIL'}] {what}", flush=True)
        if not condition:
            self.failed.append(what)
        return condition

    def exit_status(self) -> int:
        if self.failed:
            print(f"FAILED: {len(self.failed)} check(s): " + "; ".join(self.failed), flush=True)
            return 1
        print("PASSED", flush=True)
        return 0


def figure(name: str, value: object) -> None:
    print(f"  {name}: {value}", flush=True)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# -- where the data lives


@dataclass
class Store:
    """SQLite in ``data_dir``, or the PostgreSQL database ``db_url``."""

    data_dir: Path
    db_url: str = ""

    @property
    def backend(self) -> str:
        return "postgresql" if self.db_url else "sqlite"

    @property
    def sqlite_file(self) -> Path:
        return self.data_dir / "planfix.sqlite3"

    def args(self) -> list[str]:
        return ["--data-dir", str(self.data_dir), *(["--db", self.db_url] if self.db_url else [])]

    def cli(self, *args: str, env: dict[str, str] | None = None) -> Any:
        """One ``planfix-server`` command with ``--json``; its object."""
        done = subprocess.run(
            [installed_script(), *args, *self.args(), "--json"],
            capture_output=True,
            text=True,
            env=env or child_env(),
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"planfix-server {' '.join(args)}: {done.stderr.strip()}")
        return json.loads(done.stdout)


@contextlib.contextmanager
def pg_database(prefix: str) -> Iterator[str]:
    """A fresh database on the PostgreSQL server, dropped afterwards."""
    import psycopg

    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def store_for(backend: str, workdir: Path) -> Iterator[Store]:
    data_dir = workdir / f"data-{backend}"
    if backend == "sqlite":
        yield Store(data_dir)
        return
    with pg_database("stress") as url:
        yield Store(data_dir, url)


@dataclass
class Tenant:
    name: str
    api_key: str
    token: str


def make_account(store: Store, name: str, plan: str = "premium") -> Tenant:
    made = store.cli("account", "create", name, "--plan", plan)
    return Tenant(name, made["api_key"], made["token"])


# -- the server


@dataclass
class ServerProcess:
    """``planfix-server serve`` on plain HTTP at a free loopback port."""

    store: Store
    log_file: Path
    workers: int = 1
    redis_url: str = ""
    settings: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = [installed_script(), "serve", "--plain-http", "--no-demo", "--port", str(self.port)]
        argv += ["--workers", str(self.workers), *self.store.args()]
        if self.redis_url:
            argv += ["--redis", self.redis_url]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=child_env(**self.settings),
                start_new_session=True,
            )
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}:\n{self.tail()}")
            # With several workers, also wait until each is there (uvicorn starts them one by one).
            if self.healthy() and (self.workers == 1 or len(self.worker_pids()) >= self.workers):
                return
            time.sleep(0.05)
        raise RuntimeError(f"serve not ready after {START_SECONDS:.0f} s:\n{self.tail()}")

    def healthy(self) -> bool:
        try:
            status, _ = get(self.port, "/healthz", timeout=2)
        except OSError:
            return False
        return status == 200

    def kill(self) -> None:
        """SIGKILL to the server and its workers: nothing gets to clean up."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: uvicorn's workers, or the server itself with one."""
        if self.process is None:
            return []
        if self.workers == 1:
            return [self.process.pid]
        return spawned_children(self.process.pid)

    def metric(self, name: str, **labels: str) -> float:
        """The sum of a metric over every worker (``/metrics``)."""
        _, body = get(self.port, "/metrics")
        wanted = [f'{key}="{value}"' for key, value in labels.items()]
        total = 0.0
        for line in body.decode().splitlines():
            if line.startswith(name) and all(part in line for part in wanted):
                head = line.rsplit(" ", 1)[0]
                if head == name or head.startswith(name + "{"):
                    total += float(line.rsplit(" ", 1)[1])
        return total

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_count(self, text: str) -> int:
        try:
            return self.log_file.read_text(errors="replace").count(text)
        except OSError:
            return 0


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


# -- an own Redis server


@dataclass
class OwnRedis:
    """A redis-server of our own (no persistence) that we may stop and start at will."""

    port: int = field(default_factory=free_port)
    db: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/{self.db}"

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if redis.Redis(port=self.port, socket_timeout=0.5).ping():
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# -- the XML client


@dataclass
class Reply:
    status: int
    root: etree._Element | None
    headers: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.root is not None and self.root.get("status") == "ok"

    @property
    def code(self) -> str:
        if self.status != 200:
            return f"HTTP {self.status}"
        if self.root is None:
            return "unparsable"
        return "ok" if self.ok else self.root.findtext("code") or "?"

    def text(self, path: str) -> str:
        return (self.root.findtext(path) if self.root is not None else None) or ""


def basic(api_key: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{api_key}:{token}".encode()).decode()


class XmlClient:
    """One keep-alive connection to the server, reopened after a failure. Not thread-safe."""

    def __init__(self, port: int, tenant: Tenant, timeout: float = 120.0) -> None:
        self.port = port
        self.tenant = tenant
        self.timeout = timeout
        self.authorization = basic(tenant.api_key, tenant.token)
        self._connection: http.client.HTTPConnection | None = None

    def body(self, method: str, inner: str = "") -> bytes:
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<request method="{method}">'
            f"<account>{self.tenant.name}</account>{inner}</request>"
        ).encode()

    def call(self, method: str, inner: str = "") -> Reply:
        """Raises OSError or http.client.HTTPException when no answer arrives."""
        return self.post(self.body(method, inner))

    def post(self, body: bytes) -> Reply:
        if self._connection is None:
            self._connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self._connection.request("POST", "/xml/", body, {"Authorization": self.authorization})
            answer = self._connection.getresponse()
            raw = answer.read()
            headers = {k.lower(): v for k, v in answer.getheaders()}
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        root = etree.fromstring(raw) if raw.startswith(b"<") else None
        return Reply(answer.status, root, headers)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def implemented(store: Store) -> set[str]:
    """The functions this build implements (asked at run time: the set grows)."""
    listed = store.cli("methods")
    return {item["name"] for item in listed["functions"] if item["implemented"]}


def spawned_children(pid: int) -> list[int]:
    """The worker processes of a server process: its children started by multiprocessing's spawn."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = next((line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "")
        if parent == str(pid) and b"spawn_main" in command:
            found.append(int(entry.name))
    return sorted(found)
