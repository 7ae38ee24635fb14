"""The account, key, token or session, and their user of a request, fetched in one statement."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from planfix_server import security
from planfix_server.app import Server
from planfix_server.pipeline import credentials
from tests.support import Api, Tenant, add_user, now, provision


def _fetch(
    server: Server, account: str, api_key: str | None, token: str | None, sid: str | None = None
) -> Any:
    with server.engine.connect() as connection:
        return credentials.fetch(
            connection,
            account,
            security.digest(api_key) if api_key else None,
            security.digest(token) if token else None,
            security.digest(sid) if sid else None,
        )


def test_own_key_token_and_user(server: Server, tenant: Tenant) -> None:
    found = _fetch(server, tenant.name, tenant.api_key, tenant.token)
    assert found.account.id == tenant.account_id and found.account.name == tenant.name
    assert found.key is not None and found.key.account_id == tenant.account_id
    assert found.token is not None and found.token.user_id == tenant.owner_id
    assert found.user is not None and found.user.id == tenant.owner_id
    assert found.user.login == tenant.owner_login


def test_token_of_another_user_of_the_account(server: Server, tenant: Tenant) -> None:
    user_id, token = add_user(server, tenant, "ivan")
    found = _fetch(server, tenant.name, tenant.api_key, token)
    assert found.token.user_id == user_id and found.user.id == user_id


def test_unknown_account(server: Server, tenant: Tenant) -> None:
    assert _fetch(server, tenant.name + "x", tenant.api_key, tenant.token) is None


def test_nothing_asked_nothing_found(server: Server, tenant: Tenant) -> None:
    found = _fetch(server, tenant.name, None, None)
    assert found.account.id == tenant.account_id
    assert found.key is None and found.token is None and found.session is None and found.user is None


def test_own_session_and_its_user(api: Api, server: Server) -> None:
    tenant = api.tenant
    user_id, _ = add_user(server, tenant, "ivan")
    sid = api.login("ivan", "user-pass")
    found = _fetch(server, tenant.name, tenant.api_key, None, sid)
    assert found.key is not None and found.token is None
    assert found.session is not None and found.session.user_id == user_id
    assert found.session.expires_at > now()
    assert found.user is not None and found.user.id == user_id and found.user.login == "ivan"


def test_another_accounts_session_never_matches(api: Api, server: Server) -> None:
    other = provision(server, "other")
    sid = Api(api.client, other).login(other.owner_login, "owner-pass")
    found = _fetch(server, api.tenant.name, api.tenant.api_key, None, sid)
    assert found.account.id == api.tenant.account_id
    assert found.session is None and found.user is None


def test_another_accounts_key_and_token_never_match(server: Server, tenant: Tenant) -> None:
    other = provision(server, "other")
    found = _fetch(server, tenant.name, other.api_key, other.token)
    assert found.account.id == tenant.account_id
    assert found.key is None and found.token is None and found.user is None
    assert _fetch(server, other.name, tenant.api_key, tenant.token).user is None


@pytest.mark.parametrize("mode", ["token", "sid"])
def test_a_call_reads_its_credentials_in_one_statement(api: Api, server: Server, mode: str) -> None:
    sid = api.login(api.tenant.owner_login, api.tenant.owner_password) if mode == "sid" else ""
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(server.engine, "before_cursor_execute", seen)
    try:
        reply = api.call_sid(sid, "user.get") if sid else api.call("user.get")
        assert reply.ok and reply.text("user/id") == str(api.tenant.owner_id)
    finally:
        event.remove(server.engine, "before_cursor_execute", seen)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    tables = ("accounts", "api_keys", "tokens", "sessions", "FROM users")
    credential_reads = [s for s in selects if any(t in s for t in tables)]
    assert len(credential_reads) == 1, credential_reads
