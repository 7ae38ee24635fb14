"""The account, key, token and token's user of a request, fetched in one statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from planfix_server import security
from planfix_server.app import Server
from planfix_server.pipeline import credentials
from tests.support import Api, Tenant, add_user, provision


def _fetch(server: Server, account: str, api_key: str | None, token: str | None) -> Any:
    with server.engine.connect() as connection:
        return credentials.fetch(
            connection,
            account,
            security.digest(api_key) if api_key else None,
            security.digest(token) if token else None,
        )


def test_own_key_token_and_user(server: Server, tenant: Tenant) -> None:
    found = _fetch(server, tenant.name, tenant.api_key, tenant.token)
    assert found.account.id == tenant.account_id and found.account.name == tenant.name
    assert found.key is not None and found.key.account_id == tenant.account_id
    assert found.token is not None and found.token.user_id == tenant.owner_id
    assert found.token_user is not None and found.token_user.id == tenant.owner_id
    assert found.token_user.login == tenant.owner_login


def test_token_of_another_user_of_the_account(server: Server, tenant: Tenant) -> None:
    user_id, token = add_user(server, tenant, "ivan")
    found = _fetch(server, tenant.name, tenant.api_key, token)
    assert found.token.user_id == user_id and found.token_user.id == user_id


def test_unknown_account(server: Server, tenant: Tenant) -> None:
    assert _fetch(server, tenant.name + "x", tenant.api_key, tenant.token) is None


def test_nothing_asked_nothing_found(server: Server, tenant: Tenant) -> None:
    found = _fetch(server, tenant.name, None, None)
    assert found.account.id == tenant.account_id
    assert found.key is None and found.token is None and found.token_user is None


def test_another_accounts_key_and_token_never_match(server: Server, tenant: Tenant) -> None:
    other = provision(server, "other")
    found = _fetch(server, tenant.name, other.api_key, other.token)
    assert found.account.id == tenant.account_id
    assert found.key is None and found.token is None and found.token_user is None


def test_a_token_call_reads_its_credentials_in_one_statement(api: Api, server: Server) -> None:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(server.engine, "before_cursor_execute", seen)
    try:
        assert api.call("user.get").ok
    finally:
        event.remove(server.engine, "before_cursor_execute", seen)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    credential_reads = [s for s in selects if any(t in s for t in ("accounts", "api_keys", "tokens"))]
    assert len(credential_reads) == 1, credential_reads
