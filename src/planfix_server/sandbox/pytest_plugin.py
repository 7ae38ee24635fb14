"""pytest fixtures for testing code against the PlanFix sandbox.

Registered through the ``pytest11`` entry point, so installing planfix-server is enough::

    def test_user_get(planfix_account, planfix_url):
        reply = httpx.post(planfix_url, auth=(planfix_account.api_key, planfix_account.token),
                           content=f'<request method="user.get"><account>{planfix_account.name}'
                                   '</account></request>')
        assert b'status="ok"' in reply.content

Fixtures (all named ``planfix_*``, so they never shadow a project's own):

- ``planfix_sandbox``: a fresh sandbox server per test (SQLite in the test's tmp dir);
  ``planfix_sandbox_session``: one server for the session, its data reset before each test.
- ``planfix_account``: an account with its credentials (``SandboxAccount``).
- ``planfix_client``: a ready ``planfix_server.client.Client`` for that account.
- ``planfix_url``: the XML API URL, for clients in other languages.
- ``planfix_clock``, ``planfix_faults``, ``planfix_requests``, ``planfix_seed``: the control plane.
- ``planfix_sandbox_options`` (session) and ``planfix_account_options``: override them in a
  ``conftest.py`` to change the server's settings (``{"tls": True, "requests_per_second": 1}``)
  or the account (``{"name": "shop", "plan": "standard", "users": [...]}``).

The account, client, URL and control-plane fixtures use the session server when the test asks
for ``planfix_sandbox_session``, and a fresh one otherwise. Heavy imports wait for first use,
so the plugin costs nothing in test runs that do not use it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from planfix_server.sandbox.clock import SandboxClock
    from planfix_server.sandbox.faults import FaultInjector
    from planfix_server.sandbox.inprocess import SandboxAccount, SandboxServer
    from planfix_server.sandbox.request_log import RequestLog

SESSION = "planfix_sandbox_session"


def _start(options: dict[str, Any], data_dir: Path) -> SandboxServer:
    from planfix_server.sandbox.inprocess import SandboxServer

    settings = dict(options)
    tls = bool(settings.pop("tls", False))
    made = SandboxServer(tls=tls, data_dir=data_dir, **settings)
    made.start()
    return made


@pytest.fixture(scope="session")
def planfix_sandbox_options() -> dict[str, Any]:
    """Settings of the sandbox servers (``tls`` plus any server setting); override to change them."""
    return {}


@pytest.fixture
def planfix_account_options() -> dict[str, Any]:
    """Arguments of ``SandboxServer.account`` for ``planfix_account``; override to change them."""
    return {}


@pytest.fixture
def planfix_sandbox(planfix_sandbox_options: dict[str, Any], tmp_path: Path) -> Iterator[SandboxServer]:
    """A sandbox server of its own for this test, stopped afterwards."""
    made = _start(planfix_sandbox_options, tmp_path / "planfix-sandbox")
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture(scope="session")
def _planfix_session_server(
    planfix_sandbox_options: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SandboxServer]:
    made = _start(planfix_sandbox_options, tmp_path_factory.mktemp("planfix-sandbox"))
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture
def planfix_sandbox_session(_planfix_session_server: SandboxServer) -> SandboxServer:
    """The session's sandbox server, reset (data, clock, faults, request log) for this test."""
    _planfix_session_server.reset()
    return _planfix_session_server


def _active(request: pytest.FixtureRequest) -> SandboxServer:
    """The session server if the test uses it, else the test's own."""
    name = SESSION if SESSION in request.fixturenames else "planfix_sandbox"
    found: SandboxServer = request.getfixturevalue(name)
    return found


@pytest.fixture
def planfix_account(
    request: pytest.FixtureRequest, planfix_account_options: dict[str, Any]
) -> SandboxAccount:
    """An account (default ``acme``, plan premium) with an API key, a token and the owner's password."""
    return _active(request).account(**planfix_account_options)


@pytest.fixture
def planfix_url(request: pytest.FixtureRequest) -> str:
    """The XML API URL of the sandbox (``http://127.0.0.1:PORT/xml/``)."""
    return _active(request).url


@pytest.fixture
def planfix_clock(request: pytest.FixtureRequest) -> SandboxClock:
    """The sandbox server's clock: ``freeze()``, ``advance(seconds)``, ``set(moment)``, ``reset()``."""
    return _active(request).clock


@pytest.fixture
def planfix_faults(request: pytest.FixtureRequest) -> FaultInjector:
    """Fault injection: ``error(function, code, times)``, ``latency(function, ms)``, ``clear()``."""
    return _active(request).faults


@pytest.fixture
def planfix_requests(request: pytest.FixtureRequest) -> RequestLog:
    """The request log: ``entries(account=, function=, code=)``, ``functions()``, ``clear()``."""
    return _active(request).requests


@pytest.fixture
def planfix_seed(request: pytest.FixtureRequest) -> Callable[[Any], dict[str, Any]]:
    """Load a fixture (mapping, JSON/YAML text or a file ``Path``); returns the created secrets."""
    return _active(request).seed


@pytest.fixture
def planfix_client(request: pytest.FixtureRequest, planfix_account: SandboxAccount) -> Iterator[Any]:
    """A ``planfix_server.client.Client`` for ``planfix_account`` (token mode), closed afterwards.

    It paces itself at the sandbox's per-second limit: not at all with the sandbox defaults.
    """
    try:
        from planfix_server.client import Client
    except ImportError as exc:
        pytest.skip(f"the SDK planfix_server.client is not available: {exc}")
    sandbox = _active(request)
    made = Client(
        planfix_account.url,
        planfix_account.name,
        planfix_account.api_key,
        **client_options(Client, planfix_account, sandbox),
    )
    try:
        yield made
    finally:
        close = getattr(made, "close", None)
        if callable(close):
            close()


def client_options(client_class: Any, account: SandboxAccount, sandbox: SandboxServer) -> dict[str, Any]:
    """The SDK's keyword arguments for a sandbox account, those its constructor declares."""
    wanted: dict[str, Any] = {
        "token": account.token,
        "requests_per_second": sandbox.server.settings.requests_per_second,
        "verify": sandbox.verify,
    }
    accepted = inspect.signature(client_class).parameters
    return {name: value for name, value in wanted.items() if name in accepted}
