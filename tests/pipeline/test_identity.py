"""The identity step: auth.login, a <sid>, or a token in the Basic password.

0005 unknown/expired sid, 0009 auth.login without login or password, 0012 no credentials or an
unknown/revoked token, 0013 undefined user, 0014 inactive user, 1001 wrong login or password.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Any

import pytest
import time_machine

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.pipeline import credentials as fetched_credentials
from planfix_server.pipeline import identity
from tests.pipeline.state import new_token, revoke_token, session_count, set_user_status
from tests.support import Api, Reply, add_user, basic, provision, request_xml


def login(api: Api, inner: str, secret: str = "") -> Reply:
    return api.post(
        request_xml("auth.login", api.tenant.name, inner), authorization=basic(api.tenant.api_key, secret)
    )


def credentials(login_name: str, password: str) -> str:
    return f"<login>{login_name}</login><password>{password}</password>"


# -- auth.login ------------------------------------------------------------------------------------


def test_login_issues_a_32_hex_sid(api: Api, server: Server) -> None:
    reply = login(api, credentials(api.tenant.owner_login, api.tenant.owner_password))
    assert reply.ok, reply.raw
    sid = reply.text("sid")
    assert len(sid) == 32 and int(sid, 16) >= 0 and sid == sid.lower()
    assert session_count(server) == 1
    assert api.call_sid(sid, "user.get").text("user/id") == str(api.tenant.owner_id)


@pytest.mark.parametrize(
    "inner",
    [
        pytest.param("<password>owner-pass</password>", id="no-login"),
        pytest.param("<login>owner@acme</login>", id="no-password"),
        pytest.param("<login></login><password>owner-pass</password>", id="empty-login"),
        pytest.param("<login>  </login><password>owner-pass</password>", id="blank-login"),
        pytest.param("<login>owner@acme</login><password></password>", id="empty-password"),
        pytest.param("", id="neither"),
    ],
)
def test_0009_login_without_login_or_password(api: Api, server: Server, inner: str) -> None:
    assert login(api, inner).code == "0009"
    assert session_count(server) == 0


def test_0009_no_account(api: Api) -> None:
    body = b'<request method="auth.login"><login>owner@acme</login><password>owner-pass</password></request>'
    assert api.post(body, authorization=basic(api.tenant.api_key)).code == "0009"


@pytest.mark.parametrize(
    ("login_name", "password"),
    [
        pytest.param("owner@acme", "wrong-pass", id="wrong-password"),
        pytest.param("owner@acme", "owner-pass ", id="password-with-extra-space"),
        pytest.param("owner@acme", "OWNER-PASS", id="password-case"),
        pytest.param("nobody@acme", "owner-pass", id="unknown-login"),
    ],
)
def test_1001_wrong_login_or_password(api: Api, server: Server, login_name: str, password: str) -> None:
    assert login(api, credentials(login_name, password)).code == "1001"
    assert session_count(server) == 0


def test_1001_login_of_another_account(api: Api, server: Server) -> None:
    other = provision(server, "other")
    assert login(api, credentials(other.owner_login, other.owner_password)).code == "1001"


def test_login_ignores_the_basic_password(api: Api) -> None:
    # boo1ean/planfix-api sends "APIKey:x" on every call, auth.login included.
    assert login(api, credentials(api.tenant.owner_login, api.tenant.owner_password), secret="x").ok
    assert login(api, credentials(api.tenant.owner_login, api.tenant.owner_password), secret=api.token).ok


def test_0014_inactive_user_at_login(api: Api, server: Server) -> None:
    add_user(server, api.tenant, "ivan", password="ivan-pass", status="UNACTIVE")
    assert login(api, credentials("ivan", "ivan-pass")).code == "0014"
    assert session_count(server) == 0
    # a wrong password says nothing about the user's status
    assert login(api, credentials("ivan", "wrong")).code == "1001"


# -- sessions --------------------------------------------------------------------------------------


def test_sid_mode_ignores_the_basic_password(api: Api) -> None:
    sid = api.login(api.tenant.owner_login, api.tenant.owner_password)
    for secret in ("x", "", secrets.token_hex(16)):
        body = request_xml("user.get", api.tenant.name, sid=sid)
        reply = api.post(body, authorization=basic(api.tenant.api_key, secret))
        assert reply.ok, (secret, reply.raw)


def test_0005_unknown_sid(api: Api) -> None:
    assert api.call_sid(secrets.token_hex(16), "user.get").code == "0005"
    # even when a valid token is in the Basic password: a sid, when sent, decides
    body = request_xml("user.get", api.tenant.name, sid=secrets.token_hex(16))
    assert api.post(body, authorization=basic(api.tenant.api_key, api.token)).code == "0005"


def test_0005_sid_of_another_account(api: Api, server: Server) -> None:
    other = provision(server, "other")
    other_sid = Api(api.client, other).login(other.owner_login, other.owner_password)
    assert api.call_sid(other_sid, "user.get").code == "0005"


def test_0005_expired_sid(api: Api, server: Server) -> None:
    ttl = dt.timedelta(seconds=server.settings.session_ttl_seconds)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        sid = api.login(api.tenant.owner_login, api.tenant.owner_password)
    with time_machine.travel(start + ttl - dt.timedelta(seconds=1), tick=False):
        assert api.call_sid(sid, "user.get").ok
    with time_machine.travel(start + ttl, tick=False):
        assert api.call_sid(sid, "user.get").code == "0005"
    with time_machine.travel(start + ttl + dt.timedelta(days=3), tick=False):
        assert api.call_sid(sid, "user.get").code == "0005"


def test_0014_inactive_user_by_sid(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan", password="ivan-pass")
    sid = api.login("ivan", "ivan-pass")
    assert api.call_sid(sid, "user.get").ok
    set_user_status(server, api.tenant, user_id, "UNACTIVE")
    assert api.call_sid(sid, "user.get").code == "0014"


# -- tokens ----------------------------------------------------------------------------------------


def test_0012_no_sid_and_no_token(api: Api) -> None:
    body = request_xml("user.get", api.tenant.name, "<sid></sid>")
    assert api.post(body, authorization=basic(api.tenant.api_key)).code == "0012"
    assert api.post(body, authorization=basic(api.tenant.api_key, "   ")).code == "0012"


def test_0012_unknown_token(api: Api) -> None:
    assert api.as_user(secrets.token_hex(16)).call("user.get").code == "0012"
    assert api.as_user("x").call("user.get").code == "0012"


def test_0012_token_of_another_account(api: Api, server: Server) -> None:
    other = provision(server, "other")
    assert api.as_user(other.token).call("user.get").code == "0012"


def test_0012_revoked_token(api: Api, server: Server) -> None:
    _, token = add_user(server, api.tenant, "ivan")
    assert api.as_user(token).call("user.get").ok
    revoke_token(server, api.tenant, token)
    assert api.as_user(token).call("user.get").code == "0012"
    # the owner's token is untouched
    assert api.call("user.get").ok


def test_token_acts_as_its_user(api: Api, server: Server) -> None:
    user_id, token = add_user(server, api.tenant, "ivan")
    assert api.as_user(token).call("user.get").text("user/id") == str(user_id)


def test_0014_inactive_user_by_token(api: Api, server: Server) -> None:
    _, token = add_user(server, api.tenant, "ivan", status="UNACTIVE")
    assert api.as_user(token).call("user.get").code == "0014"


def test_0014_user_deactivated_after_the_token_was_issued(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    token = new_token(server, api.tenant, user_id)
    assert api.as_user(token).call("user.get").ok
    set_user_status(server, api.tenant, user_id, "UNACTIVE")
    assert api.as_user(token).call("user.get").code == "0014"


# -- 0013 ------------------------------------------------------------------------------------------
# A token or a session whose user row is gone cannot be made in the store: tokens.user_id and
# sessions.user_id are foreign keys to users with ON DELETE CASCADE, so deleting the user deletes its
# tokens and sessions (and the answer becomes 0012 or 0005). The lookup is therefore made to miss,
# once through the real app and once on the function that decides.


@pytest.mark.parametrize("mode", ["token", "sid"])
def test_0013_user_behind_the_credentials_cannot_be_resolved(
    api: Api, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    sid = api.login(api.tenant.owner_login, api.tenant.owner_password) if mode == "sid" else ""

    fetch = fetched_credentials.fetch

    def fetched_without_user(*args: Any) -> fetched_credentials.Credentials | None:
        found = fetch(*args)
        return None if found is None else dataclasses.replace(found, user=None)

    # The token's or the session's user, read with the account and key.
    monkeypatch.setattr(fetched_credentials, "fetch", fetched_without_user)
    reply = api.call_sid(sid, "user.get") if sid else api.call("user.get")
    assert reply.code == "0013"


def test_0013_decided_by_active() -> None:
    with pytest.raises(errors.UndefinedUser):
        identity._active(None)
