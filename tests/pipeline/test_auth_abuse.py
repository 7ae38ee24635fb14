"""Guessing credentials: throttled per address, logged without the secrets, compared in constant time.

Each kind of secret a client sends (password, token, session key, API key, signature) is guessed
until the address is held back with 0007; the same good credentials from another address still
work. The logs name every failure but never carry a secret, whatever the log level.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Callable

import pytest
import time_machine

from planfix_server.settings import Settings
from planfix_server.wire import signature
from tests.support import Api, Reply, Tenant, basic, provision, request_xml, running

ALLOWANCE = 4
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _guess_password(api: Api, tenant: Tenant) -> Reply:
    inner = f"<login>{tenant.owner_login}</login><password>{secrets.token_hex(8)}</password>"
    return api.post(request_xml("auth.login", tenant.name, inner), authorization=basic(tenant.api_key))


def _guess_token(api: Api, tenant: Tenant) -> Reply:
    return api.post(
        request_xml("user.get", tenant.name), authorization=basic(tenant.api_key, secrets.token_hex(16))
    )


def _guess_sid(api: Api, tenant: Tenant) -> Reply:
    body = request_xml("user.get", tenant.name, sid=secrets.token_hex(16))
    return api.post(body, authorization=basic(tenant.api_key))


def _guess_api_key(api: Api, tenant: Tenant) -> Reply:
    return api.post(
        request_xml("user.get", tenant.name), authorization=basic(secrets.token_hex(16), tenant.token)
    )


def _guess_signature(api: Api, tenant: Tenant) -> Reply:
    return api.post(request_xml("user.get", tenant.name, signature=secrets.token_hex(16)))


GUESSES: dict[str, tuple[Callable[[Api, Tenant], Reply], str]] = {
    "password": (_guess_password, "1001"),
    "token": (_guess_token, "0012"),
    "session key": (_guess_sid, "0005"),
    "API key": (_guess_api_key, "0001"),
    "signature": (_guess_signature, "0006"),
}


@pytest.mark.parametrize("secret", sorted(GUESSES))
def test_guessing_is_throttled_per_address_and_logged(
    secret: str, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    guess, code = GUESSES[secret]
    caplog.set_level(logging.INFO)
    with time_machine.travel(START, tick=False) as traveller:
        with running(settings.replace(auth_failures_per_minute=ALLOWANCE), client_host="203.0.113.7") as (
            server,
            attacker_client,
        ):
            tenant = provision(server, "acme")
            attacker = Api(attacker_client, tenant)
            codes = [guess(attacker, tenant).code for _ in range(ALLOWANCE + 3)]
            assert codes == [code] * ALLOWANCE + ["0007"] * 3
            # Even the right credentials wait while that address is held back …
            assert attacker.call("user.get").code == "0007"
            # … while another address is served as usual.
            with running(
                settings.replace(auth_failures_per_minute=ALLOWANCE), client_host="198.51.100.9"
            ) as (
                _other,
                other_client,
            ):
                assert Api(other_client, tenant).call("user.get").ok
            traveller.shift(61)
            assert attacker.call("user.get").ok
    failures = [record.getMessage() for record in caplog.records if f"-> {code}" in record.getMessage()]
    assert len(failures) == ALLOWANCE
    assert all("203.0.113.7" in message for message in failures)


def test_no_secret_reaches_the_log_at_any_level(
    api: Api, server: object, caplog: pytest.LogCaptureFixture
) -> None:
    """A session of good and bad calls with every secret; the log at DEBUG must not carry any of them."""
    caplog.set_level(logging.DEBUG)
    tenant = api.tenant
    sid = api.login(tenant.owner_login, tenant.owner_password)
    wrong_password = "Wrong-" + secrets.token_hex(6)
    api.post(
        request_xml(
            "auth.login",
            tenant.name,
            f"<login>{tenant.owner_login}</login><password>{wrong_password}</password>",
        ),
        authorization=basic(tenant.api_key),
    )
    api.post(request_xml("user.get", tenant.name, sid=sid), authorization=basic(tenant.api_key))
    wrong_token = secrets.token_hex(16)
    api.post(request_xml("user.get", tenant.name), authorization=basic(tenant.api_key, wrong_token))
    wrong_signature = secrets.token_hex(16)
    api.post(request_xml("user.get", tenant.name, signature=wrong_signature))
    api.call("user.add", "<user><email>new@example.com</email><password>Added-Pass-123</password></user>")
    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {getattr(record, 'args', '')}"
        for record in caplog.records
    )
    assert logged, "the calls should have left log lines"
    for secret in (
        tenant.owner_password,
        wrong_password,
        tenant.token,
        wrong_token,
        tenant.api_key,
        tenant.signature_key,
        sid,
        wrong_signature,
        "Added-Pass-123",
    ):
        assert secret not in logged, secret


def test_signatures_are_compared_in_constant_time(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bytes, bytes]] = []
    original = signature.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return original(a, b)

    monkeypatch.setattr(signature.hmac, "compare_digest", spy)
    tenant = api.tenant
    good = hashlib.md5(
        f"user.get{tenant.name}{tenant.owner_id}{tenant.signature_key}".encode(), usedforsecurity=False
    ).hexdigest()
    body = request_xml("user.get", tenant.name, f"<user><id>{tenant.owner_id}</id></user>", signature=good)
    assert api.post(body).ok
    assert seen, "the signature must be checked with hmac.compare_digest"


def test_tokens_and_session_keys_are_stored_only_as_digests(api: Api, server: object) -> None:
    """A token or sid is found by its SHA-256 digest: no stored secret is compared character by character."""
    from sqlalchemy import select

    from planfix_server.app import Server
    from planfix_server.store.tables import api_keys, sessions, tokens

    assert isinstance(server, Server)
    sid = api.login(api.tenant.owner_login, api.tenant.owner_password)
    with server.engine.connect() as connection:
        stored = [
            *connection.execute(select(tokens.c.token_hash)).scalars(),
            *connection.execute(select(sessions.c.sid_hash)).scalars(),
            *connection.execute(select(api_keys.c.key_hash)).scalars(),
        ]
    assert stored
    for secret in (api.tenant.token, sid, api.tenant.api_key):
        assert all(secret not in value for value in stored)
        assert hashlib.sha256(secret.lower().encode()).hexdigest() in stored


def test_a_session_key_expires(api: Api, server: object) -> None:
    from planfix_server.app import Server

    assert isinstance(server, Server)
    with time_machine.travel(START, tick=False) as traveller:
        sid = api.login(api.tenant.owner_login, api.tenant.owner_password)
        body = request_xml("user.get", api.tenant.name, sid=sid)
        assert api.post(body, authorization=basic(api.tenant.api_key)).ok
        traveller.shift(server.settings.session_ttl_seconds + 1)
        assert api.post(body, authorization=basic(api.tenant.api_key)).code == "0005"
