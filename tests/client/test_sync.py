"""``Client`` against the real server in-process (SQLite and PostgreSQL): both modes, re-login on
expiry (time moved with time_machine), signatures the server accepts, threads, errors."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.client import Client, User
from planfix_server.domain.access.service import issue_key
from planfix_server.settings import Settings
from planfix_server.store.db import WRITE
from planfix_server.store.uow import AccountUnitOfWork
from tests.client.conftest import FakeTime
from tests.support import Tenant, add_user, now

MakeClient = Callable[..., Client]


def signing_key(server: Server, tenant: Tenant) -> tuple[str, str]:
    """A new API key of the tenant that requires every request to be signed."""
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        made = issue_key(AccountUnitOfWork(connection, tenant.account_id), now(), require_signature=True)
        connection.commit()
    return made.api_key, made.signature_key


def test_token_mode(sync_client: MakeClient, tenant: Tenant) -> None:
    client = sync_client()
    me = client.user.get()
    assert isinstance(me, User)
    assert (me.id, me.login, me.role) == (tenant.owner_id, tenant.owner_login, "ADMIN")
    response = client.call("user.get")
    assert response.raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<response status="ok">')
    assert response.one("user").int_of("id") == tenant.owner_id
    assert client.remaining is not None and client.remaining > 0
    assert client.sid is None


def test_login_mode(sync_client: MakeClient, server: Server, tenant: Tenant) -> None:
    user_id, _ = add_user(server, tenant, "ann", password="ann-pass")
    client = sync_client(login="ann", password="ann-pass")
    assert client.user.get().id == user_id
    assert client.user.get(tenant.owner_id).login == tenant.owner_login
    assert client.sid is not None and len(client.sid) == 32
    assert (client.stats.logins, client.stats.relogins, client.stats.requests) == (1, 0, 3)


def test_wrong_password(sync_client: MakeClient, tenant: Tenant) -> None:
    client = sync_client(login=tenant.owner_login, password="wrong")
    with pytest.raises(errors.WrongLoginOrPassword) as caught:
        client.user.get()
    assert caught.value.function == "auth.login"


def test_relogin_after_the_session_expires(
    sync_client: MakeClient, settings: Settings, tenant: Tenant, fake_time: FakeTime
) -> None:
    client = sync_client(login=tenant.owner_login, password=tenant.owner_password)
    client.user.get()
    first_sid = client.sid
    fake_time.advance(settings.session_ttl_seconds - 60)
    client.user.get()
    assert client.sid == first_sid  # still valid: no login
    fake_time.advance(120)
    assert client.user.get().id == tenant.owner_id  # 0005, re-login, repeated once
    assert client.sid != first_sid
    assert (client.stats.logins, client.stats.relogins) == (2, 1)
    # auth.login, get, get, get (0005), auth.login, get
    assert client.stats.requests == 6


def test_signed_requests_are_accepted(sync_client: MakeClient, server: Server, tenant: Tenant) -> None:
    api_key, signature_key = signing_key(server, tenant)
    token_client = sync_client(api_key=api_key, signature_key=signature_key)
    assert token_client.user.get().id == tenant.owner_id
    login_client = sync_client(
        api_key=api_key, signature_key=signature_key, login=tenant.owner_login, password=tenant.owner_password
    )
    groups = login_client.call("userGroup.getList", {"sortType": "NAME_ASC", "pageCurrent": 1})
    assert groups.one("userGroups").all("userGroup") == []
    with pytest.raises(errors.InvalidSignature):
        sync_client(api_key=api_key).user.get()
    with pytest.raises(errors.InvalidSignature):
        sync_client(api_key=api_key, signature_key="0" * 32).user.get()


def test_api_errors_from_the_server(sync_client: MakeClient) -> None:
    client = sync_client()
    with pytest.raises(errors.UserNotFound) as caught:
        client.user.get(999_999)
    assert (caught.value.code, caught.value.function) == ("6004", "user.get")
    with pytest.raises(errors.UnknownFunction):
        client.call("user.fly")
    with pytest.raises(errors.InvalidApiKey):
        sync_client(api_key="0" * 32).user.get()
    with pytest.raises(errors.NotAuthenticated):
        sync_client(token="0" * 32).user.get()


def test_threads_share_one_client(sync_client: MakeClient, server: Server, tenant: Tenant) -> None:
    client = sync_client(login=tenant.owner_login, password=tenant.owner_password)
    found: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(5):
            me = client.user.get()
            with lock:
                found.append(me.id)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [tenant.owner_id] * 20
    assert client.stats.logins == 1  # the threads waited for one login
