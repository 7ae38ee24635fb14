"""The account pages through the ASGI app (no browser): sessions, CSRF, refusals, the actions' effects.

These take the ``server`` fixture, so they run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from planfix_server.admin.auth import SESSION_COOKIE
from planfix_server.admin.signing import SECRET_FILE
from planfix_server.app import Server, create_app
from planfix_server.domain.access.repository import AccessRepository
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store import accounts
from planfix_server.store.db import WRITE
from tests.support import Api, Tenant, add_user, provision, running

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(page: str) -> str:
    found = CSRF.search(page)
    assert found is not None, page
    return found.group(1)


def sign_in(client: TestClient, account: str, login: str, password: str) -> object:
    form = client.get("/account/sign-in")
    assert form.status_code == 200
    return client.post(
        "/account/sign-in",
        data={"csrf": csrf_of(form.text), "account": account, "login": login, "password": password},
        follow_redirects=False,
    )


def signed_in(client: TestClient, tenant: Tenant) -> str:
    """Sign in as the owner; the CSRF token of the session."""
    answer = sign_in(client, tenant.name, tenant.owner_login, tenant.owner_password)
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    page = client.get("/account/")
    assert page.status_code == 200
    return csrf_of(page.text)


def keys_of(server: Server, tenant: Tenant) -> list[object]:
    with server.engine.connect() as connection:
        return list(AccessRepository(connection, tenant.account_id).keys())


def notice(page: str) -> str:
    found = re.search(r'<div class="alert (?:ok|error)" role="status">(.*?)</div>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def test_sign_in_sets_a_signed_httponly_secure_strict_cookie_with_an_expiry(
    client: TestClient, tenant: Tenant
) -> None:
    answer = sign_in(client, tenant.name, tenant.owner_login, tenant.owner_password)
    assert answer.status_code == 303 and answer.headers["location"] == "/account/"  # type: ignore[attr-defined]
    cookie = next(
        value
        for value in answer.headers.get_list("set-cookie")  # type: ignore[attr-defined]
        if value.startswith(SESSION_COOKIE + "=")
    )
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite", "max-age", "expires", "path"} <= attributes
    assert "samesite=strict" in cookie.lower() and "path=/account" in cookie.lower()
    assert "max-age=28800" in cookie.lower()
    page = client.get("/account/")
    assert page.status_code == 200 and "<h1>acme</h1>" in page.text


def test_pages_without_a_session_go_to_sign_in_and_change_nothing(client: TestClient, tenant: Tenant) -> None:
    for path in ("/account/", "/account/keys", "/account/tokens", "/account/users"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/account/sign-in")
    assert client.get("/account/keys", follow_redirects=False).headers["location"] == (
        "/account/sign-in?next=/account/keys"
    )
    before = len(keys_of(client.app.server, tenant))  # type: ignore[attr-defined]
    assert client.post("/account/keys", data={"csrf": "x"}, follow_redirects=False).status_code == 303
    assert len(keys_of(client.app.server, tenant)) == before  # type: ignore[attr-defined]
    assert client.get("/account", follow_redirects=False).headers["location"] == "/account/"


def test_wrong_password_unknown_login_and_unknown_account_read_the_same(
    client: TestClient, tenant: Tenant
) -> None:
    for account, login, password in (
        (tenant.name, tenant.owner_login, "wrong-password"),
        (tenant.name, "nobody", tenant.owner_password),
        ("no-such-account", tenant.owner_login, tenant.owner_password),
    ):
        answer = sign_in(client, account, login, password)
        assert answer.status_code == 401  # type: ignore[attr-defined]
        assert "The account name, login or password is wrong." in answer.text  # type: ignore[attr-defined]
        assert SESSION_COOKIE not in client.cookies


def test_a_tampered_or_expired_session_cookie_is_refused(
    server: Server, client: TestClient, tenant: Tenant
) -> None:
    signed_in(client, tenant)
    value = client.cookies[SESSION_COOKIE]
    client.cookies.set(
        SESSION_COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"), path="/account"
    )
    assert client.get("/account/", follow_redirects=False).status_code == 303
    client.cookies.set(SESSION_COOKIE, value, path="/account")
    assert client.get("/account/", follow_redirects=False).status_code == 200
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=8, minutes=1)
    server.clock = lambda: later
    assert client.get("/account/", follow_redirects=False).status_code == 303


def test_every_form_needs_the_session_csrf_token(server: Server, client: TestClient, tenant: Tenant) -> None:
    csrf = signed_in(client, tenant)
    before = len(keys_of(server, tenant))
    for data in ({}, {"csrf": ""}, {"csrf": "forged"}, {"csrf": csrf[:-1]}):
        answer = client.post("/account/keys", data=data, follow_redirects=False)
        assert answer.status_code == 403
        assert "Form not accepted" in answer.text
    key_id = keys_of(server, tenant)[0].id  # type: ignore[attr-defined]
    for path in (f"/account/keys/{key_id}/block", "/account/tokens", "/account/users", "/account/sign-out"):
        assert client.post(path, data={"csrf": "forged"}, follow_redirects=False).status_code == 403
    assert len(keys_of(server, tenant)) == before
    made = client.post("/account/keys", data={"csrf": csrf})
    assert made.status_code == 200 and 'id="new-api-key"' in made.text
    assert len(keys_of(server, tenant)) == before + 1


def test_another_sessions_csrf_token_is_not_accepted(server: Server, tenant: Tenant) -> None:
    app = create_app(server=server)
    with (
        TestClient(app, base_url="https://testserver") as first,
        TestClient(app, base_url="https://testserver") as second,
    ):
        csrf = signed_in(first, tenant)
        signed_in(second, tenant)
        assert second.post("/account/keys", data={"csrf": csrf}).status_code == 403


def test_the_sign_in_form_needs_its_own_csrf_token(client: TestClient, tenant: Tenant) -> None:
    client.get("/account/sign-in")
    data = {"account": tenant.name, "login": tenant.owner_login, "password": tenant.owner_password}
    answer = client.post("/account/sign-in", data={**data, "csrf": "forged"}, follow_redirects=False)
    assert answer.status_code == 403 and "expired" in answer.text
    assert SESSION_COOKIE not in client.cookies


def test_a_non_administrator_is_refused_with_403(server: Server, client: TestClient, tenant: Tenant) -> None:
    add_user(server, tenant, "clerk", password="clerk-pass")
    answer = sign_in(client, tenant.name, "clerk", "clerk-pass")
    assert answer.status_code == 403  # type: ignore[attr-defined]
    assert "Administrators only" in answer.text  # type: ignore[attr-defined]
    assert SESSION_COOKIE not in client.cookies


def test_an_administrator_demoted_meanwhile_is_refused(
    server: Server, client: TestClient, tenant: Tenant
) -> None:
    add_user(server, tenant, "boss", role="ADMIN", password="boss-pass-1")
    assert sign_in(client, tenant.name, "boss", "boss-pass-1").status_code == 303  # type: ignore[attr-defined]
    assert client.get("/account/keys").status_code == 200
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        users = UserRepository(connection, tenant.account_id)
        boss = users.by_login("boss")
        assert boss is not None
        users.update_user(boss.id, role="USER")
        connection.commit()
    answer = client.get("/account/keys")
    assert answer.status_code == 403 and "no longer an administrator" in answer.text


def test_wrong_passwords_are_throttled_even_for_the_right_one(client: TestClient, tenant: Tenant) -> None:
    for _ in range(5):
        assert sign_in(client, tenant.name, tenant.owner_login, "guess").status_code == 401  # type: ignore[attr-defined]
    answer = sign_in(client, tenant.name, tenant.owner_login, tenant.owner_password)
    assert answer.status_code == 429  # type: ignore[attr-defined]
    assert "Too many failed sign-ins" in answer.text  # type: ignore[attr-defined]


def test_sign_out_ends_the_session_even_for_a_copied_cookie(client: TestClient, tenant: Tenant) -> None:
    csrf = signed_in(client, tenant)
    copied = client.cookies[SESSION_COOKIE]
    answer = client.post("/account/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/account/sign-in"
    assert SESSION_COOKIE not in client.cookies
    client.cookies.set(SESSION_COOKIE, copied, path="/account")
    assert client.get("/account/", follow_redirects=False).status_code == 303


def test_a_password_reset_ends_that_users_sessions_but_not_ones_own(server: Server, tenant: Tenant) -> None:
    add_user(server, tenant, "boss", role="ADMIN", password="boss-pass-1")
    app = create_app(server=server)
    with (
        TestClient(app, base_url="https://testserver") as owner,
        TestClient(app, base_url="https://testserver") as boss,
    ):
        csrf = signed_in(owner, tenant)
        assert sign_in(boss, tenant.name, "boss", "boss-pass-1").status_code == 303  # type: ignore[attr-defined]
        assert boss.get("/account/", follow_redirects=False).status_code == 200
        with server.engine.connect() as connection:
            boss_id = UserRepository(connection, tenant.account_id).id_with_login("boss")
        answer = owner.post(
            f"/account/users/{boss_id}/password", data={"csrf": csrf, "password": "new-pass-123"}
        )
        assert "Password of boss changed." in notice(answer.text)
        assert boss.get("/account/", follow_redirects=False).status_code == 303
        # Resetting one's own password keeps one signed in (with a new session and CSRF token).
        answer = owner.post(f"/account/users/{tenant.owner_id}/password", data={"csrf": csrf})
        assert answer.status_code == 200 and 'id="new-password"' in answer.text
        assert owner.get("/account/", follow_redirects=False).status_code == 200
        new_password = re.search(r'id="new-password" class="mono" type="text" value="([^"]+)"', answer.text)
        assert new_password is not None
    api = Api(TestClient(create_app(server=server), base_url="https://testserver"), tenant)
    assert api.login(tenant.owner_login, new_password.group(1))
    assert api.login("boss", "new-pass-123")


def test_over_plain_http_the_pages_are_refused(server: Server, tenant: Tenant) -> None:
    with TestClient(create_app(server=server), base_url="http://testserver") as plain:
        answer = plain.get("/account/sign-in")
        assert answer.status_code == 403 and answer.text == "HTTPS required\n"


def test_the_loopback_sandbox_listener_serves_them_without_the_secure_flag(
    server: Server, tenant: Tenant
) -> None:
    settings = server.settings.replace(plain_http=True)
    with running(settings, base_url="http://127.0.0.1", client_host="127.0.0.1") as (_, plain):
        answer = sign_in(plain, tenant.name, tenant.owner_login, tenant.owner_password)
        cookie = answer.headers["set-cookie"]  # type: ignore[attr-defined]
        assert "httponly" in cookie.lower() and "secure" not in cookie.lower()


def test_pages_send_protective_headers(client: TestClient, tenant: Tenant) -> None:
    signed_in(client, tenant)
    for path in ("/account/sign-in", "/account/", "/account/keys"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["cache-control"] == "no-store"
        assert headers["x-frame-options"] == "DENY"


def test_a_key_of_another_account_cannot_be_touched(
    server: Server, client: TestClient, tenant: Tenant
) -> None:
    other = provision(server, "other")
    csrf = signed_in(client, tenant)
    theirs = keys_of(server, other)[0]
    for action in ("block", "delete", "require-signature"):
        answer = client.post(f"/account/keys/{theirs.id}/{action}", data={"csrf": csrf})  # type: ignore[attr-defined]
        assert notice(answer.text) == "No such key."
    assert keys_of(server, other) == [theirs]


def test_key_actions_change_what_the_api_answers(server: Server, client: TestClient, api: Api) -> None:
    csrf = signed_in(client, api.tenant)
    key = keys_of(server, api.tenant)[0]
    key_id = key.id  # type: ignore[attr-defined]
    answer = client.post(f"/account/keys/{key_id}/require-signature", data={"csrf": csrf})
    assert "requires signed requests" in notice(answer.text)
    assert api.call("user.get").code == "0006"
    client.post(f"/account/keys/{key_id}/allow-unsigned", data={"csrf": csrf})
    assert api.call("user.get").ok
    client.post(f"/account/keys/{key_id}/block", data={"csrf": csrf})
    assert api.call("user.get").code == "0002"
    client.post(f"/account/keys/{key_id}/unblock", data={"csrf": csrf})
    assert api.call("user.get").ok
    answer = client.post(f"/account/keys/{key_id}/delete", data={"csrf": csrf})
    assert "deleted" in notice(answer.text)
    assert api.call("user.get").code == "0001"
    assert client.post(f"/account/keys/{key_id}/nonsense", data={"csrf": csrf}).status_code == 200


def test_tokens_made_and_revoked_on_the_page(server: Server, client: TestClient, api: Api) -> None:
    csrf = signed_in(client, api.tenant)
    made = client.post(
        "/account/tokens",
        data={"csrf": csrf, "user": str(api.tenant.owner_id), "scope": "chosen", "methods": ["user.get"]},
    )
    token = re.search(r'id="new-token" class="mono" type="text" value="([0-9a-f]{32})"', made.text)
    assert token is not None
    limited = api.as_user(token.group(1))
    assert limited.call("user.get").ok
    assert limited.call("user.getList").code == "0020"
    with server.engine.connect() as connection:
        record = AccessRepository(connection, api.tenant.account_id).tokens()[-1]
    answer = client.post(f"/account/tokens/{record.id}/revoke", data={"csrf": csrf})
    assert "revoked" in notice(answer.text)
    assert limited.call("user.get").code == "0012"
    again = client.post(f"/account/tokens/{record.id}/revoke", data={"csrf": csrf})
    assert "already revoked" in notice(again.text)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"user": "new-robot", "robot_name": ""}, "Give the new robot user a name."),
        ({"scope": "chosen"}, "Tick at least one function"),
        ({"methods": ["user.get", "task.explode"]}, "Unknown function: task.explode."),
        ({"user": "999999"}, "Choose an active user"),
        ({"user": "x"}, "Choose an active user"),
    ],
)
def test_token_form_problems_are_explained(
    client: TestClient, tenant: Tenant, data: dict[str, object], problem: str
) -> None:
    csrf = signed_in(client, tenant)
    answer = client.post("/account/tokens", data={"csrf": csrf, "user": str(tenant.owner_id), **data})
    assert answer.status_code == 400
    assert problem in html.unescape(answer.text)


def test_a_robot_user_gets_a_free_login(server: Server, client: TestClient, tenant: Tenant) -> None:
    csrf = signed_in(client, tenant)
    for _ in range(2):
        client.post("/account/tokens", data={"csrf": csrf, "user": "new-robot", "robot_name": "CRM sync"})
    with server.engine.connect() as connection:
        users = UserRepository(connection, tenant.account_id)
        first, second = users.by_login("robot.crm-sync"), users.by_login("robot.crm-sync.2")
    assert first is not None and second is not None
    assert first.is_robot and first.role == "ADMIN" and first.password_hash is None
    answer = client.post(f"/account/users/{first.id}/password", data={"csrf": csrf})
    assert "Robot users have no password" in notice(answer.text)


def test_user_rules_apply_on_the_page(server: Server, client: TestClient, tenant: Tenant) -> None:
    csrf = signed_in(client, tenant)
    answer = client.post(f"/account/users/{tenant.owner_id}/deactivate", data={"csrf": csrf})
    assert notice(answer.text) == "You cannot deactivate yourself."
    answer = client.post(
        "/account/users", data={"csrf": csrf, "login": "deputy", "role": "ADMIN", "password": "deputy-pass-1"}
    )
    assert notice(answer.text) == "User deputy created."
    taken = client.post("/account/users", data={"csrf": csrf, "login": "deputy", "role": "USER"})
    assert taken.status_code == 400 and "already taken" in taken.text
    short = client.post(
        "/account/users", data={"csrf": csrf, "login": "x", "role": "USER", "password": "short"}
    )
    assert short.status_code == 400 and "at least 8 characters" in short.text
    with TestClient(create_app(server=server), base_url="https://testserver") as deputy:
        assert sign_in(deputy, tenant.name, "deputy", "deputy-pass-1").status_code == 303  # type: ignore[attr-defined]
        page = deputy.get("/account/users")
        answer = deputy.post(
            f"/account/users/{tenant.owner_id}/deactivate", data={"csrf": csrf_of(page.text)}
        )
        assert notice(answer.text) == "You cannot deactivate the account owner."
    with server.engine.connect() as connection:
        owner = UserRepository(connection, tenant.account_id).by_id(tenant.owner_id)
    assert owner is not None and owner.is_active


def test_free_plan_accounts_cannot_make_keys_or_tokens(server: Server, client: TestClient) -> None:
    free = provision(server, "freebie", plan="free")
    csrf = signed_in(client, free)
    before = len(keys_of(server, free))
    for path in ("/account/keys", "/account/tokens"):
        answer = client.post(path, data={"csrf": csrf, "user": str(free.owner_id)})
        assert "0022" in notice(answer.text)
        assert "0022" in client.get(path).text
    assert len(keys_of(server, free)) == before


def test_the_account_page_shows_todays_live_usage(server: Server, client: TestClient, api: Api) -> None:
    for _ in range(3):
        assert api.call("user.get").ok
    signed_in(client, api.tenant)
    page = client.get("/account/").text
    assert '<span class="big">3</span>' in page
    assert "of 100\u202f000 today (0.0%)" in page
    assert page.count('class="bar"') + page.count('class="bar today"') == 30
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        accounts.set_fields(connection, api.tenant.account_id, status="frozen")
        connection.commit()
    assert "answers 0010" in client.get("/account/").text


def test_the_key_file_is_made_when_the_pages_are_first_used(server: Server) -> None:
    key_file = Path(server.settings.data_dir) / SECRET_FILE
    with TestClient(create_app(server=server), base_url="https://testserver") as fresh:
        assert fresh.post("/xml/", content=b"<request/>").status_code == 200
        assert not key_file.exists()  # an API-only server never writes it
        assert fresh.get("/account/sign-in").status_code == 200
        assert key_file.exists()
