"""``serve --sandbox``: the defaults, what the user set explicitly, and a real sandbox process."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from planfix_server.cli import cli
from planfix_server.sandbox.defaults import (
    SANDBOX_DEFAULTS,
    SandboxSettingsError,
    explicit_in_env,
    sandbox_settings,
)
from planfix_server.settings import SETTINGS_BY_NAME, Settings
from tests.support import basic, installed_script, request_xml

DOCS = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"


def test_defaults_apply_to_what_was_not_set() -> None:
    made = sandbox_settings(Settings(), explicit=set())
    assert made.sandbox and made.plain_http
    assert (made.requests_per_second, made.plan_quotas, made.auth_failures_per_minute) == (0.0, {}, 0)
    assert (made.argon2_time_cost, made.argon2_memory_kib) == (1, 1024)


def test_explicit_settings_win() -> None:
    given = Settings(requests_per_second=1.0, plan_quotas={"premium": 5}, plain_http=False)
    made = sandbox_settings(given, explicit={"requests_per_second", "plan_quotas", "plain_http"})
    assert (made.requests_per_second, made.plan_quotas, made.plain_http) == (1.0, {"premium": 5}, False)
    assert made.auth_failures_per_minute == 0


def test_explicit_comes_from_the_environment() -> None:
    assert explicit_in_env({"PLANFIX_REQUESTS_PER_SECOND": "2", "PLANFIX_NOPE": "1", "HOME": "/"}) == {
        "requests_per_second"
    }


@pytest.mark.parametrize(
    ("host", "cert", "plain"),
    [
        ("127.0.0.1", "", True),
        ("localhost", "", True),
        ("::1", "", True),
        ("0.0.0.0", "", False),
        ("127.0.0.1", "c", False),
    ],
)
def test_plain_http_only_on_loopback_without_a_certificate(host: str, cert: str, plain: bool) -> None:
    made = sandbox_settings(Settings(host=host, cert_file=cert, key_file=cert), explicit=set())
    assert made.plain_http is plain and made.sandbox


def test_one_worker_only() -> None:
    with pytest.raises(SandboxSettingsError, match="one worker"):
        sandbox_settings(Settings(workers=2), explicit={"workers"})
    result = CliRunner().invoke(
        cli, ["serve", "--sandbox", "--workers", "2", "--data-dir", "unused", "--json"]
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: sandbox mode runs one worker (--workers 1)"


def test_docs_table_lists_every_sandbox_default() -> None:
    text = DOCS.read_text(encoding="utf-8")
    table = text[text.index("<!-- sandbox defaults -->") : text.index("<!-- /sandbox defaults -->")]
    documented = set(re.findall(r"^\| `PLANFIX_([A-Z0-9_]+)`", table, flags=re.MULTILINE))
    assert documented == {name.upper() for name in [*SANDBOX_DEFAULTS, "plain_http"]}
    for name in SANDBOX_DEFAULTS:
        assert name in SETTINGS_BY_NAME


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_serve_sandbox_process(tmp_path: Path) -> None:
    """A real ``serve --sandbox``: plain HTTP, control plane, no per-second limit, settings to workers."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANFIX_", "PROMETHEUS_"))}
    env["PLANFIX_LOG_LEVEL"] = "warning"
    command = [
        installed_script(),
        "serve",
        "--sandbox",
        "--port",
        str(port),
        "--data-dir",
        str(tmp_path),
        "--json",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    try:
        assert process.stdout is not None
        summary = json.loads(process.stdout.readline())
        base = f"http://127.0.0.1:{port}"
        assert summary["url"] == f"{base}/xml/" and summary["plain_http"] is True
        assert summary["sandbox"] == f"{base}/_sandbox/"
        demo = summary["demo"]
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, process.stderr
            time.sleep(0.1)
        with httpx.Client(base_url=base) as client:
            auth = {"Authorization": basic(demo["api_key"], demo["token"])}
            body = request_xml("user.get", demo["account"])
            for _ in range(3):  # back to back: no per-second limit in the sandbox
                assert b'status="ok"' in client.post("/xml/", content=body, headers=auth).content
            frozen = client.post("/_sandbox/clock", json={"freeze": "2030-01-01T00:00:00Z"}).json()
            assert frozen["frozen"] is True
            logged = client.get("/_sandbox/requests").json()["requests"]
            assert [(e["function"], e["time"]) for e in logged][-1][0] == "user.get"
            assert client.post("/_sandbox/reset").json() == {"reset": "all"}
            assert b"<code>0004</code>" in client.post("/xml/", content=body, headers=auth).content
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
