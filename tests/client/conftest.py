"""SDK test fixtures: clients wired to the real server in-process, a fake clock, canned answers.

* ``sync_client(**options)`` / ``async_client(**options)``: a ``Client`` through starlette's
  TestClient, an ``AsyncClient`` through ``httpx.ASGITransport``; both to the ``server`` fixture
  (so on SQLite and PostgreSQL), as the ``tenant``'s owner (token mode unless told otherwise).
* ``FakeTime``: a clock that moves only when the client sleeps, and moves time_machine's clock
  with it, so the server's limiter and session expiry see the same time (no real sleeping).
* ``canned(...)``: an ``httpx.MockTransport`` answering from a function or fixed XML.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import time_machine
import uvicorn
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.client import AsyncClient, Client
from planfix_server.settings import Settings
from planfix_server.tls import ensure_certificate
from tests.support import Tenant

URL = "https://testserver/xml/"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


class StarletteTransport(httpx.BaseTransport):
    """A sync httpx transport into an ASGI app, through starlette's TestClient (no socket)."""

    def __init__(self, test_client: TestClient) -> None:
        self.test_client = test_client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.test_client.send(request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


class FakeTime:
    """Monotonic seconds that advance only through ``sleep`` (and shift time_machine by as much)."""

    def __init__(self, traveller: Any) -> None:
        self.traveller = traveller
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.traveller.shift(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def advance(self, seconds: float) -> None:
        """Time passing without the client (between calls)."""
        self.now += seconds
        self.traveller.shift(seconds)


@pytest.fixture
def fake_time() -> Iterator[FakeTime]:
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as traveller:
        yield FakeTime(traveller)


@pytest.fixture
def app(server: Server) -> Any:
    return create_app(server=server)


@pytest.fixture
def test_transport(app: Any) -> Iterator[StarletteTransport]:
    with TestClient(app, base_url="https://testserver") as test_client:
        yield StarletteTransport(test_client)


def options_for(tenant: Tenant, options: dict[str, Any]) -> dict[str, Any]:
    made: dict[str, Any] = {"api_key": tenant.api_key, "requests_per_second": 0}
    if "login" not in options:
        made["token"] = tenant.token
    made.update(options)
    return made


@pytest.fixture
def sync_client(test_transport: StarletteTransport, tenant: Tenant) -> Iterator[Callable[..., Client]]:
    made: list[Client] = []

    def make(**options: Any) -> Client:
        client = Client(URL, tenant.name, transport=test_transport, **options_for(tenant, options))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def async_client(app: Any, tenant: Tenant) -> Callable[..., AsyncClient]:
    def make(**options: Any) -> AsyncClient:
        transport = httpx.ASGITransport(app=app)
        return AsyncClient(URL, tenant.name, transport=transport, **options_for(tenant, options))

    return make


def ok(inner: str) -> bytes:
    return f'{DECLARATION}<response status="ok">{inner}</response>\n'.encode()


def error(code: str, message: str = "") -> bytes:
    text = f"<message>{message}</message>" if message else "<message/>"
    return f'{DECLARATION}<response status="error"><code>{code}</code>{text}</response>\n'.encode()


Handler = Callable[[httpx.Request], httpx.Response | bytes]


def canned(answer: Handler | bytes, requests: list[httpx.Request] | None = None) -> httpx.MockTransport:
    """A transport answering every request with ``answer`` (bytes, or a function of the request)."""

    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        if requests is not None:
            requests.append(request)
        made = answer(request) if callable(answer) else answer
        if isinstance(made, bytes):
            return httpx.Response(200, content=made, headers={"X-RateLimit-Remaining": "19999"})
        return made

    return httpx.MockTransport(handle)


def canned_client(
    answer: Handler | bytes, requests: list[httpx.Request] | None = None, **options: Any
) -> Client:
    """A token-mode Client whose every request gets a canned answer (no server, no network)."""
    made: dict[str, Any] = {"token": "t" * 32, "requests_per_second": 0, **options}
    return Client(URL, "acme", "k" * 32, transport=canned(answer, requests), **made)


class Live:
    """The server on a real loopback socket: plain HTTP (allowed only there), or TLS with a
    self-signed certificate (``cert_file``)."""

    def __init__(self, settings: Settings, tls_dir: Path | None = None) -> None:
        self.server = Server.start(settings.replace(plain_http=tls_dir is None))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        tls: dict[str, Any] = {}
        self.cert_file: Path | None = None
        if tls_dir is not None:
            pair = ensure_certificate(tls_dir, "127.0.0.1")
            self.cert_file = pair.cert_file
            tls = {"ssl_certfile": str(pair.cert_file), "ssl_keyfile": str(pair.key_file)}
        config = uvicorn.Config(
            create_app(server=self.server),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            **tls,
        )
        self.uvicorn = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.uvicorn.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.uvicorn.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        self.url = f"{'http' if tls_dir is None else 'https'}://127.0.0.1:{self.port}/xml/"

    def stop(self) -> None:
        self.uvicorn.should_exit = True
        self.thread.join(10)
        self.server.engine.dispose()


@pytest.fixture
def live(settings: Settings, tenant: Tenant) -> Iterator[Live]:
    made = Live(settings)
    yield made
    made.stop()


@pytest.fixture
def live_tls(settings: Settings, tenant: Tenant, tmp_path: Path) -> Iterator[Live]:
    made = Live(settings, tmp_path / "tls")
    yield made
    made.stop()
