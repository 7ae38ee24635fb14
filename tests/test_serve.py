"""``planfix-server serve`` as a real process: TLS, demo credentials, workers, PostgreSQL, Redis."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import ssl
import stat
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from cryptography import x509
from lxml import etree
from sqlalchemy.engine import make_url
from stress.harness import spawned_children

from planfix_server.cli import cli
from planfix_server.tls import ensure_certificate
from tests.support import basic, installed_script, request_xml

BACKENDS = os.environ.get("PLANFIX_TEST_BACKENDS", "sqlite,postgresql")
PG_URL = os.environ.get("PLANFIX_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = "redis://127.0.0.1:6379/12"  # not one the limit tests flush
START_TIMEOUT = 30.0
BANNER = re.compile(r"^\s+(account|API key|signature key|token|owner login|owner password)\s{2,}(\S+)\s*$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANFIX_", "PROMETHEUS_"))}
    # Back-to-back calls must not meet the per-second limit; cheap argon2 keeps logins fast.
    env.update(
        PLANFIX_REQUESTS_PER_SECOND="0",
        PLANFIX_ARGON2_TIME_COST="1",
        PLANFIX_ARGON2_MEMORY_KIB="64",
        PLANFIX_LOG_LEVEL="info",
    )
    return env


@dataclass
class Running:
    """One ``planfix-server serve`` process and what it printed."""

    process: subprocess.Popen[str]
    port: int
    log_file: Path
    scheme: str = "https"
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")

    def stdout_until(self, done: Callable[[list[str]], bool], timeout: float = 10.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while not done(self.seen):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"stdout so far: {self.seen}\nlog:\n{self.log()}")
            try:
                self.seen.append(self.lines.get(timeout=min(left, 0.2)))
            except queue.Empty:
                continue
        return self.seen

    def wait_healthy(self, verify: Callable[[], ssl.SSLContext | bool]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited with {self.process.returncode}:\n{self.log()}")
            try:
                answer = httpx.get(f"{self.base}/healthz", verify=verify(), timeout=2)
                if answer.status_code == 200:
                    return
            except (httpx.HTTPError, OSError, ssl.SSLError):
                pass
            time.sleep(0.1)
        raise AssertionError(f"no /healthz within {START_TIMEOUT}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                # The server and its workers share the session the test started them in.
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Running]]:
    started: list[Running] = []

    def start(*args: str, scheme: str = "https") -> Running:
        port = free_port()
        log_file = tmp_path / f"serve-{port}.log"
        with log_file.open("w") as log:
            process = subprocess.Popen(
                [installed_script(), "serve", "--port", str(port), *args],
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                env=server_env(),
                start_new_session=True,
            )
        running = Running(process, port, log_file, scheme)
        started.append(running)

        def pump() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                running.lines.put(line.rstrip("\n"))

        threading.Thread(target=pump, daemon=True).start()
        return running

    yield start
    for running in started:
        running.stop()


def trusting(cert: Path) -> Callable[[], ssl.SSLContext]:
    """Verification that trusts only the server's own certificate (read when it exists)."""
    return lambda: ssl.create_default_context(cafile=str(cert))


def xml_call(client: httpx.Client, base: str, body: bytes, authorization: str) -> etree._Element:
    answer = client.post(f"{base}/xml/", content=body, headers={"Authorization": authorization})
    assert answer.status_code == 200, answer.text
    return etree.fromstring(answer.content)


def check_token_and_sid_calls(client: httpx.Client, base: str, demo: dict[str, str]) -> None:
    account = demo["account"]
    reply = xml_call(client, base, request_xml("user.get", account), basic(demo["api_key"], demo["token"]))
    assert reply.get("status") == "ok", etree.tostring(reply)
    assert reply.findtext("user/login") == demo["owner_login"]
    login = f"<login>{demo['owner_login']}</login><password>{demo['owner_password']}</password>"
    logged = xml_call(client, base, request_xml("auth.login", account, login), basic(demo["api_key"]))
    assert logged.get("status") == "ok", etree.tostring(logged)
    sid = logged.findtext("sid") or ""
    by_sid = xml_call(client, base, request_xml("user.get", account, sid=sid), basic(demo["api_key"]))
    assert by_sid.get("status") == "ok", etree.tostring(by_sid)


@pytest.mark.slow
def test_serve_tls_demo_and_restart(start_server: Callable[..., Running], tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    cert = data_dir / "tls" / "cert.pem"
    first = start_server("--data-dir", str(data_dir))
    first.wait_healthy(trusting(cert))
    lines = first.stdout_until(lambda seen: any(line.strip().startswith("curl ") for line in seen))
    printed = {m.group(1): m.group(2) for m in map(BANNER.match, lines) if m}
    demo = {key.replace(" ", "_").lower(): value for key, value in printed.items()}
    assert set(demo) == {"account", "api_key", "signature_key", "token", "owner_login", "owner_password"}
    assert demo["account"] == "demo" and demo["owner_login"] == "owner"
    assert f"the XML API is at {first.base}/xml/" in lines[0]

    with httpx.Client(verify=trusting(cert)()) as client:
        check_token_and_sid_calls(client, first.base, demo)

    curl_line = next(line.strip() for line in lines if line.strip().startswith("curl "))
    assert "-k" not in shlex.split(curl_line)
    if shutil.which("curl"):
        answer = subprocess.run(shlex.split(curl_line), capture_output=True, text=True, timeout=20)
        assert 'status="ok"' in answer.stdout, (answer.stdout, answer.stderr)

    assert stat.S_IMODE((data_dir / "tls" / "key.pem").stat().st_mode) == 0o600
    cert_bytes = cert.read_bytes()
    first.stop()

    again = start_server("--data-dir", str(data_dir))
    again.wait_healthy(trusting(cert))
    later = again.stdout_until(lambda seen: any("exists" in line for line in seen))
    assert any("Demo account 'demo' exists" in line for line in later)
    assert cert.read_bytes() == cert_bytes  # reused, not remade
    with httpx.Client(verify=trusting(cert)()) as client:
        check_token_and_sid_calls(client, again.base, demo)


@pytest.mark.slow
def test_serve_plain_http_on_loopback(start_server: Callable[..., Running], tmp_path: Path) -> None:
    running = start_server("--data-dir", str(tmp_path / "data"), "--plain-http", "--json", scheme="http")
    running.wait_healthy(lambda: False)
    summary = json.loads(running.stdout_until(lambda seen: bool(seen))[0])
    assert summary["plain_http"] is True and summary["url"] == f"{running.base}/xml/"
    assert not (tmp_path / "data" / "tls").exists()
    demo = {**summary["demo"], **{f"owner_{k}": v for k, v in summary["demo"]["owner"].items()}}
    with httpx.Client() as client:
        check_token_and_sid_calls(client, running.base, demo)
    assert "PLAIN HTTP" in running.log() and "WARNING" in running.log()


def test_plain_http_refused_off_loopback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--data-dir", str(tmp_path), "--host", "0.0.0.0", "--plain-http"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --plain-http is allowed only on a loopback address")
    assert not list(tmp_path.iterdir())  # refused before touching anything


@pytest.fixture
def fresh_pg_database() -> Iterator[str]:
    """A database of its own on the test PostgreSQL server, dropped afterwards."""
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL is not among PLANFIX_TEST_BACKENDS")
    import psycopg

    name = f"pfserve_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(PG_URL).set(drivername="postgresql")
    admin = admin_url.render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_serve_two_workers_postgresql_redis(
    start_server: Callable[..., Running], fresh_pg_database: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    running = start_server(
        "--data-dir",
        str(data_dir),
        "--db",
        fresh_pg_database,
        "--redis",
        REDIS_URL,
        "--workers",
        "2",
        "--json",
    )
    cert = data_dir / "tls" / "cert.pem"
    running.wait_healthy(trusting(cert))
    summary = json.loads(running.stdout_until(lambda seen: bool(seen))[0])
    assert summary["workers"] == 2 and summary["cert_file"] == str(cert)
    demo: dict[str, Any] = summary["demo"]
    credentials = {**demo, "owner_login": demo["owner"]["login"], "owner_password": demo["owner"]["password"]}
    calls = 6
    for _ in range(calls):
        # A new connection each time, so the kernel may hand it to either worker.
        with httpx.Client(verify=trusting(cert)()) as client:
            reply = xml_call(
                client, running.base, request_xml("user.get", "demo"), basic(demo["api_key"], demo["token"])
            )
            assert reply.get("status") == "ok", etree.tostring(reply)
    with httpx.Client(verify=trusting(cert)()) as client:
        check_token_and_sid_calls(client, running.base, credentials)
        metrics = client.get(f"{running.base}/metrics").text
    # Both workers write to the shared metrics directory; /metrics sums them.
    assert (data_dir / "metrics").is_dir()
    total = sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith('planfix_requests_total{code="ok",function="user.get"}')
    )
    assert total == calls + 2


def worker_of(port: int, connections: int) -> list[str]:
    """Open ``connections`` connections at once, then send one request on each: the worker that
    answered each (its request ids start with a prefix of its own)."""
    opened = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(connections)]
    try:
        for connection in opened:
            connection.connect()  # all queued before any request: an idle worker may take them all
        body = request_xml("user.get", "nobody")
        for connection in opened:
            connection.request("POST", "/xml/", body, {"Content-Type": "application/xml"})
        prefixes = []
        for connection in opened:
            answer = connection.getresponse()
            answer.read()
            prefixes.append((answer.getheader("x-request-id") or "").split("-")[0])
        return prefixes
    finally:
        for connection in opened:
            connection.close()


def wait_for_workers(running: Running, count: int) -> list[int]:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        found = spawned_children(running.process.pid)
        if len(found) == count and len(set(worker_of(running.port, 16))) == count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not {count} workers answering:\n{running.log()}")


@pytest.mark.slow
def test_serve_spreads_connections_opened_at_once_over_the_workers(
    start_server: Callable[..., Running], tmp_path: Path
) -> None:
    running = start_server(
        "--data-dir", str(tmp_path / "data"), "--plain-http", "--workers", "2", "--no-demo", scheme="http"
    )
    running.wait_healthy(lambda: False)
    first = wait_for_workers(running, 2)
    # A socket per worker: the kernel spreads a burst of connections; with one shared socket the
    # first worker to wake accepts the whole burst.
    for _ in range(5):
        assert len(set(worker_of(running.port, 16))) == 2
    os.kill(first[0], signal.SIGKILL)
    replaced = wait_for_workers(running, 2)
    assert first[0] not in replaced and first[1] in replaced
    assert "starting another" in running.log()
    running.process.send_signal(signal.SIGHUP)  # every worker replaced, one after the other
    deadline = time.monotonic() + START_TIMEOUT
    while set(spawned_children(running.process.pid)) & set(replaced) and time.monotonic() < deadline:
        time.sleep(0.2)
    renewed = wait_for_workers(running, 2)
    assert not set(renewed) & set(replaced)
    log = running.log()
    # Each new worker serves before the old one it replaces is let go.
    first_started = min(log.index(f"Started server process [{pid}]") for pid in renewed)
    first_finished = min(log.index(f"Finished server process [{pid}]") for pid in replaced)
    assert first_started < first_finished
    running.process.terminate()
    assert running.process.wait(timeout=20) == 0
    assert spawned_children(running.process.pid) == []


def test_certificate_names_mode_and_reuse(tmp_path: Path) -> None:
    tls_dir = tmp_path / "tls"
    made = ensure_certificate(tls_dir, "10.1.2.3")
    assert made.created
    assert stat.S_IMODE(made.key_file.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(made.cert_file.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert {str(ip) for ip in names.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1", "10.1.2.3"}

    assert not ensure_certificate(tls_dir, "127.0.0.1").created  # covered already
    assert not ensure_certificate(tls_dir, "10.1.2.3").created
    renamed = ensure_certificate(tls_dir, "api.example")  # a name it does not cover yet
    assert renamed.created
    cert = x509.load_pem_x509_certificate(renamed.cert_file.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "api.example" in names.get_values_for_type(x509.DNSName)
    late = dt.datetime.now(dt.UTC) + dt.timedelta(days=820)
    assert ensure_certificate(tls_dir, "api.example", now=late).created  # renewed near its end
