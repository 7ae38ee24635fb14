"""In process: SandboxServer over plain HTTP and TLS, and the socket-less ASGI transport (sync, async)."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from planfix_server.app import Server, create_app
from planfix_server.sandbox.control import attach
from planfix_server.sandbox.inprocess import ASGI_BASE_URL, SandboxAccount, SandboxServer, asgi_transport
from planfix_server.settings import Settings
from tests.sandbox.conftest import ACME, API_KEY, TOKEN
from tests.support import basic, request_xml

USER_GET = request_xml("user.get", "acme")
AUTH = {"Authorization": basic(API_KEY, TOKEN)}


def refused(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


# -- SandboxServer


def test_plain_http_server_account_control_plane_and_clean_stop() -> None:
    with SandboxServer() as sandbox:
        assert sandbox.url == f"http://127.0.0.1:{sandbox.port}/xml/"
        assert sandbox.server.settings.sandbox and sandbox.server.settings.requests_per_second == 0
        account = sandbox.account("acme", users=[{"login": "ivan"}])
        assert (account.owner_login, account.owner_password, account.url) == (
            "owner",
            "owner-pass",
            sandbox.url,
        )
        body = request_xml("user.get", account.name)
        with httpx.Client() as http:
            for _ in range(3):
                answer = http.post(sandbox.url, content=body, auth=(account.api_key, account.token))
                assert answer.status_code == 200 and b"<login>owner</login>" in answer.content
            assert (
                http.get(f"{sandbox.base_url}/_sandbox/requests").json()["requests"][0]["account"] == "acme"
            )
            assert (
                http.post(f"{sandbox.base_url}/_sandbox/clock", json={"advance": 60}).json()["offset_seconds"]
                > 59
            )
        assert sandbox.requests.functions() == ["user.get"] * 3
        sandbox.reset()
        assert sandbox.requests.functions() == []
        data_dir = Path(sandbox.server.settings.data_dir)
        thread = sandbox._thread
        port = sandbox.port
    assert thread is not None and not thread.is_alive()
    assert refused(port)
    assert not data_dir.exists()  # the temporary directory is removed
    with pytest.raises(RuntimeError, match="not running"):
        _ = sandbox.server


def test_tls_server_with_its_own_certificate(tmp_path: Path) -> None:
    with SandboxServer(tls=True, data_dir=tmp_path) as sandbox:
        assert sandbox.url.startswith("https://127.0.0.1:") and sandbox.cert_file is not None
        assert not sandbox.server.settings.plain_http
        account = sandbox.account()
        verify = sandbox.verify
        assert isinstance(verify, ssl.SSLContext)
        with httpx.Client(verify=verify) as http:
            answer = http.post(
                sandbox.url, content=request_xml("user.get", "acme"), headers=basic_of(account)
            )
            assert b'status="ok"' in answer.content
        with pytest.raises(httpx.ConnectError), httpx.Client() as http:  # self-signed: not trusted by default
            http.post(sandbox.url, content=b"")
        with pytest.raises(httpx.HTTPError), httpx.Client() as http:  # no plain HTTP on a TLS port
            http.post(sandbox.url.replace("https://", "http://"), content=b"")
    assert (tmp_path / "planfix.sqlite3").exists()  # a given data dir is kept


def basic_of(account: SandboxAccount) -> dict[str, str]:
    return {"Authorization": basic(account.api_key, account.token)}


def test_overrides_turn_limits_back_on(tmp_path: Path) -> None:
    with SandboxServer(data_dir=tmp_path, requests_per_second=1, plan_quotas={"premium": 100}) as sandbox:
        account = sandbox.account()
        with httpx.Client() as http:
            first = http.post(sandbox.url, content=request_xml("user.get", "acme"), headers=basic_of(account))
            second = http.post(
                sandbox.url, content=request_xml("user.get", "acme"), headers=basic_of(account)
            )
        assert b'status="ok"' in first.content and b"<code>0007</code>" in second.content
        assert first.headers["x-ratelimit-remaining"] == "99"
        assert sandbox.server.settings.auth_failures_per_minute == 0  # still the sandbox default


def test_full_settings_are_used_as_given(tmp_path: Path) -> None:
    given = Settings(
        data_dir=str(tmp_path / "given"), session_ttl_seconds=5, argon2_memory_kib=64, argon2_time_cost=1
    )
    with SandboxServer(given) as sandbox:
        settings = sandbox.server.settings
        assert settings.sandbox and settings.plain_http and settings.session_ttl_seconds == 5
        assert settings.requests_per_second == 1.0  # no sandbox defaults over full settings
        assert Path(settings.data_dir) == tmp_path / "given"


def test_a_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    broken = SandboxServer(data_dir=tmp_path, db_url="postgresql://nobody@127.0.0.1:1/nothing")
    with pytest.raises(Exception, match=r"127\.0\.0\.1"):
        broken.start()
    assert broken._thread is None


# -- the ASGI transport


@pytest.fixture
def sandbox_server(settings: Settings) -> Iterator[Server]:
    """A sandbox-mode Server over the test's database (SQLite and PostgreSQL)."""
    made = Server.start(settings.replace(sandbox=True))
    yield made
    made.engine.dispose()


def test_sync_transport_calls_the_app_without_a_socket(sandbox_server: Server) -> None:
    transport = asgi_transport(sandbox_server)
    with httpx.Client(transport=transport, base_url=ASGI_BASE_URL) as http:
        seeded = http.post("/_sandbox/seed", json={"accounts": [ACME]})
        assert seeded.status_code == 200, seeded.text
        answer = http.post("/xml/", content=USER_GET, headers=AUTH)
        assert answer.status_code == 200 and b"<login>owner</login>" in answer.content
        assert answer.headers["content-type"].startswith("application/xml")

        def chunks() -> Iterator[bytes]:  # a streamed body is read in the caller's thread
            yield USER_GET[:20]
            yield USER_GET[20:]

        assert b'status="ok"' in http.post("/xml/", content=chunks(), headers=AUTH).content
        assert [entry.client for entry in attach(sandbox_server).requests.entries()] == ["127.0.0.1"] * 2
    loop = transport._loop
    assert loop is None  # closed with the client
    with httpx.Client(transport=transport, base_url=ASGI_BASE_URL) as http:  # usable again
        assert b'status="ok"' in http.post("/xml/", content=USER_GET, headers=AUTH).content


def test_sync_transport_from_many_threads(sandbox_server: Server) -> None:
    with httpx.Client(transport=asgi_transport(sandbox_server), base_url=ASGI_BASE_URL) as http:
        http.post("/_sandbox/seed", json={"accounts": [ACME]})
        codes: list[bool] = []

        def work() -> None:
            for _ in range(10):
                codes.append(b'status="ok"' in http.post("/xml/", content=USER_GET, headers=AUTH).content)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert codes == [True] * 80


def test_sync_transport_inside_a_running_event_loop(sandbox_server: Server) -> None:
    async def inside() -> bytes:
        # A sync client called from async code must not deadlock: the app runs on another loop.
        with httpx.Client(transport=asgi_transport(sandbox_server), base_url=ASGI_BASE_URL) as http:
            http.post("/_sandbox/seed", json={"accounts": [ACME]})
            return http.post("/xml/", content=USER_GET, headers=AUTH).content

    assert b'status="ok"' in asyncio.run(inside())


def test_async_transport(sandbox_server: Server) -> None:
    app = create_app(server=sandbox_server)

    async def run() -> list[bytes]:
        async with httpx.AsyncClient(transport=asgi_transport(app), base_url=ASGI_BASE_URL) as http:
            assert (await http.post("/_sandbox/seed", json={"accounts": [ACME]})).status_code == 200
            answers = await asyncio.gather(
                *(http.post("/xml/", content=USER_GET, headers=AUTH) for _ in range(20))
            )
            return [answer.content for answer in answers]

    assert all(b'status="ok"' in body for body in asyncio.run(run()))


def test_transport_passes_the_scheme_through(server: Server) -> None:
    # Outside sandbox mode the API answers HTTPS only: the URL's scheme decides what the app sees.
    with httpx.Client(transport=asgi_transport(server), base_url="http://plain.test") as http:
        answer = http.post("/xml/", content=USER_GET)
    assert answer.status_code == 403 and answer.text == "HTTPS required\n"
