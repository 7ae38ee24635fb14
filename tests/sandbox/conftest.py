"""Sandbox test helpers: a server in sandbox mode, driven through its real ASGI app.

The control plane answers loopback clients only, so the test client here reports 127.0.0.1
(Starlette's default, "testclient", is what the 403 tests use). ``pytester`` is enabled for the
whole suite in pyproject.toml (``-p pytester``): ``pytest_plugins`` in a conftest below the root
is refused by pytest.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.sandbox.control import Sandbox, attach
from planfix_server.settings import Settings
from tests.support import Api, Tenant

LOOPBACK = ("127.0.0.1", 50000)
API_KEY = "0123456789abcdef0123456789abcdef"
SIGNATURE_KEY = "fedcba9876543210fedcba9876543210"
TOKEN = "aaaabbbbccccddddeeeeffff00001111"

# One account with fixed secrets, as a user of the sandbox would write it.
ACME: dict[str, Any] = {
    "name": "acme",
    "plan": "premium",
    "owner": {"login": "owner", "password": "owner-pass"},
    "api_keys": [{"api_key": API_KEY, "signature_key": SIGNATURE_KEY}],
    "tokens": [{"token": TOKEN}],
}


@dataclass
class Sandboxed:
    """A sandbox-mode server, a loopback test client for it, and its sandbox object."""

    server: Server
    client: TestClient
    sandbox: Sandbox

    def control(self, method: str, path: str, **kw: Any) -> httpx.Response:
        response: httpx.Response = self.client.request(method, f"/_sandbox/{path}", **kw)
        return response

    def seed(self, *accounts: dict[str, Any]) -> dict[str, Any]:
        response = self.control("POST", "seed", json={"accounts": list(accounts)})
        assert response.status_code == 200, response.text
        loaded: dict[str, Any] = response.json()
        return loaded

    def api(self, loaded: dict[str, Any], token: str | None = None) -> Api:
        """An XML API caller for one account of a seed answer."""
        return Api(self.client, tenant_of(loaded), token)


def tenant_of(loaded: dict[str, Any]) -> Tenant:
    key = loaded["api_keys"][0]
    return Tenant(
        loaded["name"],
        loaded["id"],
        key["api_key"],
        key["signature_key"],
        loaded["tokens"][0]["token"] if loaded.get("tokens") else "",
        loaded["owner"]["id"],
        loaded["owner"]["login"],
        loaded["owner"]["password"],
    )


@contextmanager
def sandboxed(settings: Settings, **changes: Any) -> Iterator[Sandboxed]:
    made = Server.start(settings.replace(sandbox=True, **changes))
    try:
        app = create_app(server=made)
        with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
            yield Sandboxed(made, client, attach(made))
    finally:
        made.engine.dispose()


@pytest.fixture
def sbx(settings: Settings) -> Iterator[Sandboxed]:
    """A sandbox-mode server over the test's database (SQLite and PostgreSQL)."""
    with sandboxed(settings) as made:
        yield made
