"""The sandbox inside a test process: a real server on a free port, or no socket at all.

``SandboxServer`` runs the real server (uvicorn, in a background thread) on ``127.0.0.1`` with
plain HTTP or real TLS (a self-signed certificate made for it), so any client, in any language,
can call ``.url``::

    with SandboxServer() as sandbox:
        account = sandbox.account("acme")
        httpx.post(sandbox.url, auth=(account.api_key, account.token), content=b"<request …>")

``asgi_transport(app_or_server)`` gives an httpx transport that calls the ASGI app directly,
for ``httpx.Client`` and ``httpx.AsyncClient`` alike; use any ``https://`` base URL with it.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import tempfile
import threading
import time
import weakref
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx

from planfix_server.app import Server, create_app
from planfix_server.sandbox.clock import SandboxClock
from planfix_server.sandbox.control import Sandbox, attach
from planfix_server.sandbox.defaults import sandbox_settings
from planfix_server.sandbox.faults import FaultInjector
from planfix_server.sandbox.fixtures import Fixture
from planfix_server.sandbox.request_log import RequestLog
from planfix_server.settings import Settings
from planfix_server.store.migrate import upgrade
from planfix_server.tls import ensure_certificate

HOST = "127.0.0.1"
# The address the ASGI transport reports as the client: loopback, as a local test client is.
LOOPBACK_CLIENT = ("127.0.0.1", 50000)
ASGI_BASE_URL = "https://sandbox.planfix.test"

T = TypeVar("T")


@dataclass(frozen=True)
class SandboxAccount:
    """An account of a sandbox and everything needed to call it."""

    name: str
    id: int
    api_key: str
    signature_key: str
    token: str
    owner_id: int
    owner_login: str
    owner_password: str
    url: str

    @classmethod
    def from_seed(cls, loaded: Mapping[str, Any], url: str) -> SandboxAccount:
        """The account from one entry of what the fixture loader returns."""
        key = loaded["api_keys"][0] if loaded.get("api_keys") else {"api_key": "", "signature_key": ""}
        tokens = loaded.get("tokens") or [{"token": ""}]
        owner = loaded["owner"]
        return cls(
            loaded["name"],
            loaded["id"],
            key["api_key"],
            key["signature_key"],
            tokens[0]["token"],
            owner["id"],
            owner["login"],
            owner["password"],
            url,
        )


class SandboxServer:
    """The real server on a free port of 127.0.0.1, in this process; a context manager.

    ``settings``: the full settings to run with (sandbox mode forced on, ``overrides`` applied, no
    sandbox defaults). Otherwise settings are the sandbox defaults plus ``overrides``
    (``requests_per_second=1``, ``plan_quotas={"premium": 5}``, ``db_url=…``). Without
    ``data_dir`` (nor ``settings``) a temporary directory holds the SQLite file (and certificate)
    and is removed on exit. The listener is always 127.0.0.1, one worker.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        tls: bool = False,
        data_dir: str | Path | None = None,
        start_timeout: float = 30.0,
        **overrides: Any,
    ) -> None:
        self._given = settings
        self._tls = tls
        self._data_dir = Path(data_dir) if data_dir is not None else None
        self._temporary: Path | None = None
        self._overrides = overrides
        self._start_timeout = start_timeout
        self._uvicorn: Any = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._server: Server | None = None
        self._sandbox: Sandbox | None = None
        self.port = 0
        self.cert_file: Path | None = None

    # -- lifecycle
    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        import uvicorn

        if self._server is not None:
            raise RuntimeError("the sandbox server is running already")
        if self._data_dir is not None:
            data_dir = self._data_dir
        elif self._given is not None:
            data_dir = Path(self._given.data_dir)
        else:
            data_dir = self._temporary = Path(tempfile.mkdtemp(prefix="planfix-sandbox-"))
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = self._settings(data_dir)
        server = self._server = Server.start(settings)
        listener: socket.socket | None = None
        try:
            upgrade(server.engine)
            self._sandbox = attach(server)
            ssl_options: dict[str, Any] = {}
            if self._tls:
                pair = ensure_certificate(data_dir / "tls", HOST)
                self.cert_file = pair.cert_file
                ssl_options = {"ssl_certfile": str(pair.cert_file), "ssl_keyfile": str(pair.key_file)}
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((HOST, 0))
            self.port = int(listener.getsockname()[1])
            config = uvicorn.Config(
                create_app(server=server),
                host=HOST,
                port=self.port,
                log_config=None,
                log_level="warning",
                access_log=False,
                lifespan="on",
                timeout_graceful_shutdown=5,
                **ssl_options,
            )
            self._uvicorn = uvicorn.Server(config)
            self._thread = threading.Thread(
                target=self._serve, args=(listener,), name=f"planfix-sandbox-{self.port}", daemon=True
            )
            self._thread.start()
            self._wait_started()
        except BaseException:
            if listener is not None and self._thread is None:
                listener.close()  # the serving thread closes it once started
            self.stop()
            raise

    def _settings(self, data_dir: Path) -> Settings:
        listener = {"data_dir": str(data_dir), "host": HOST, "plain_http": not self._tls, "workers": 1}
        if self._given is not None:
            return self._given.replace(sandbox=True, **{**self._overrides, **listener})
        base = Settings(create_demo=False).replace(**{**self._overrides, **listener})
        return sandbox_settings(base, explicit={*self._overrides, *listener})

    def _serve(self, listener: socket.socket) -> None:
        try:
            self._uvicorn.run(sockets=[listener])
        except BaseException as exc:  # reported by start(); uvicorn may even raise SystemExit
            self._failure = exc
        finally:
            listener.close()

    def _wait_started(self) -> None:
        deadline = time.monotonic() + self._start_timeout
        assert self._thread is not None
        while not self._uvicorn.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox server did not start: {self._failure or 'timed out'}")
            time.sleep(0.005)

    def stop(self) -> None:
        """Stop the listener (finishing requests in flight), close the database, remove temp files."""
        if self._thread is not None:
            self._uvicorn.should_exit = True
            self._thread.join(timeout=10)
            if self._thread.is_alive():
                self._uvicorn.force_exit = True
                self._thread.join(timeout=5)
            self._thread = None
        if self._server is not None:
            self._server.engine.dispose()
            self._server = None
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None

    # -- where and how to call it
    @property
    def scheme(self) -> str:
        return "https" if self._tls else "http"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (or https): the control plane is under ``/_sandbox/``."""
        return f"{self.scheme}://{HOST}:{self.port}"

    @property
    def url(self) -> str:
        """The XML API endpoint: ``…/xml/``."""
        return f"{self.base_url}/xml/"

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """What to pass as ``verify=`` to httpx: a context trusting the sandbox's certificate."""
        if self.cert_file is None:
            return True
        return ssl.create_default_context(cafile=str(self.cert_file))

    @property
    def server(self) -> Server:
        if self._server is None:
            raise RuntimeError("the sandbox server is not running")
        return self._server

    # -- the control plane, in process
    @property
    def sandbox(self) -> Sandbox:
        if self._sandbox is None:
            raise RuntimeError("the sandbox server is not running")
        return self._sandbox

    @property
    def clock(self) -> SandboxClock:
        return self.sandbox.clock

    @property
    def faults(self) -> FaultInjector:
        return self.sandbox.faults

    @property
    def requests(self) -> RequestLog:
        return self.sandbox.requests

    def reset(self, account: str | None = None) -> None:
        self.sandbox.reset(account)

    def seed(self, fixture: Fixture | Mapping[str, Any] | str | bytes | Path) -> dict[str, Any]:
        return self.sandbox.seed(fixture)

    def account(
        self,
        name: str = "acme",
        *,
        plan: str = "premium",
        owner_login: str = "owner",
        owner_password: str = "owner-pass",  # noqa: S107 (a sandbox account's known test password)
        **sections: Any,
    ) -> SandboxAccount:
        """Seed one account (owner, one API key, one owner's token; more with fixture ``sections``)."""
        entry = {"name": name, "plan": plan, "owner": {"login": owner_login, "password": owner_password}}
        loaded = self.seed({"accounts": [{**entry, **sections}]})
        return SandboxAccount.from_seed(loaded["accounts"][0], self.url)


# -- no socket at all


class _LoopThread:
    """An event loop in a daemon thread: a forgotten ``close()`` can never hang interpreter exit."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="planfix-asgi-transport", daemon=True
        )
        self.thread.start()

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def close(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        if not self.thread.is_alive():
            self.loop.close()


class ASGITransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Calls an ASGI app in process: for ``httpx.AsyncClient`` directly, for ``httpx.Client``
    through an event loop in a background thread (one per transport, started on first use)."""

    def __init__(self, app: Any, *, client: tuple[str, int] = LOOPBACK_CLIENT) -> None:
        self.app = app
        self._async = httpx.ASGITransport(app=app, client=client)
        self._loop: _LoopThread | None = None
        self._finalizer: weakref.finalize[[], ASGITransport] | None = None
        self._lock = threading.Lock()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._async.handle_async_request(request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # The body is read here, in the caller's thread: a sync stream cannot be read from the loop.
        body = request.read()
        copy = httpx.Request(
            request.method, request.url, headers=request.headers, content=body, extensions=request.extensions
        )
        status, headers, raw = self._loop_thread().call(self._round_trip(copy))
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(raw))

    async def _round_trip(self, request: httpx.Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        response = await self._async.handle_async_request(request)
        try:
            raw = b"".join([chunk async for chunk in response.aiter_raw()])
        finally:
            await response.aclose()
        return response.status_code, response.headers.raw, raw

    def _loop_thread(self) -> _LoopThread:
        with self._lock:
            if self._loop is None:
                self._loop = _LoopThread()
                # A transport dropped without close() still stops its loop when collected.
                self._finalizer = weakref.finalize(self, self._loop.close)
            return self._loop

    def close(self) -> None:
        with self._lock:
            if self._finalizer is not None:
                self._finalizer()  # closes the loop, once
            self._loop = self._finalizer = None

    async def aclose(self) -> None:
        await self._async.aclose()


def asgi_transport(app_or_server: Any, *, client: tuple[str, int] = LOOPBACK_CLIENT) -> ASGITransport:
    """An httpx transport into ``app_or_server`` (an ASGI app, or a ``Server`` to build one for).

    Works for ``httpx.Client`` and ``httpx.AsyncClient``. The request's URL sets the scheme the
    server sees, so use an ``https://`` base URL (``ASGI_BASE_URL``) unless plain HTTP is allowed.
    The app's lifespan is not run (the server needs none to answer).
    """
    app = create_app(server=app_or_server) if isinstance(app_or_server, Server) else app_or_server
    return ASGITransport(app, client=client)
