"""Both clients over a real loopback socket (uvicorn in a thread, plain HTTP on loopback)."""

from __future__ import annotations

import asyncio

import pytest

from planfix_server.api import errors
from planfix_server.client import AsyncClient, Client, HttpStatusError, Retry, TransportError
from tests.client.conftest import Live
from tests.support import Tenant


def test_sync_client_over_a_socket(live: Live, tenant: Tenant) -> None:
    with Client(live.url, tenant.name, tenant.api_key, token=tenant.token, requests_per_second=0) as client:
        assert client.user.get().id == tenant.owner_id
        assert client.remaining is not None
    with Client(
        live.url.removesuffix("/xml/"),  # no path: /xml/ is added
        tenant.name,
        tenant.api_key,
        login=tenant.owner_login,
        password=tenant.owner_password,
        signature_key=tenant.signature_key,
        requests_per_second=0,
    ) as client:
        assert client.user.get().login == tenant.owner_login
        with pytest.raises(errors.UserNotFound):
            client.user.get(31337)


def test_async_client_over_a_socket(live: Live, tenant: Tenant) -> None:
    async def scenario() -> None:
        async with AsyncClient(
            live.url, tenant.name, tenant.api_key, token=tenant.token, requests_per_second=0
        ) as client:
            found = await asyncio.gather(*(client.user.get() for _ in range(5)))
            assert {me.id for me in found} == {tenant.owner_id}

    asyncio.run(scenario())


def test_an_http_error_is_not_an_api_answer(live: Live, tenant: Tenant) -> None:
    with Client(
        live.url.replace("/xml/", "/nothing/"), tenant.name, tenant.api_key, token=tenant.token
    ) as client:
        with pytest.raises(HttpStatusError) as caught:
            client.user.get()
    assert caught.value.status_code == 404


def test_nobody_listening() -> None:
    client = Client(
        "http://127.0.0.1:9/xml/", "acme", "k", token="t", requests_per_second=0, retry=Retry(first=0.01)
    )
    with pytest.raises(TransportError, match="ConnectError"):
        client.call("user.get")
    assert client.stats.requests == 4  # three retries: the request never reached a server


def test_tls_with_the_servers_certificate(live_tls: Live, tenant: Tenant) -> None:
    assert live_tls.url.startswith("https://") and live_tls.cert_file is not None
    options = {"token": tenant.token, "requests_per_second": 0}
    with Client(
        live_tls.url, tenant.name, tenant.api_key, verify=str(live_tls.cert_file), **options
    ) as client:
        assert client.user.get().id == tenant.owner_id
    with Client(live_tls.url, tenant.name, tenant.api_key, verify=False, **options) as client:
        assert client.user.get().id == tenant.owner_id
    with Client(live_tls.url, tenant.name, tenant.api_key, retry=Retry(attempts=0), **options) as client:
        with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
            client.user.get()  # a self-signed certificate is not trusted by default
