"""The account pages deal with employees only: contacts (their user rows) are neither listed, nor
counted, nor chosen for tokens, nor changed; and no employee gets a login reserved for contacts.

These take the ``server`` fixture, so they run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.domain.access.repository import AccessRepository
from tests.admin.test_pages import notice, sign_in, signed_in
from tests.domain.contacts.access_helpers import contact_with_access, state
from tests.domain.contacts.helpers import make_contact
from tests.support import Api, add_user


def test_contacts_are_not_listed_or_counted(server: Server, client: TestClient, api: Api) -> None:
    add_user(server, api.tenant, "worker")
    make_contact(server, api.tenant, "Quiet")
    contact_with_access(server, api, "Signed", "signed@client.org")
    signed_in(client, api.tenant)
    users = client.get("/account/users").text
    assert "worker" in users
    assert "signed@client.org" not in users and "#contact" not in users
    overview = client.get("/account/").text
    found = re.search(r'<span class="big">(\d+)</span>\s*<span>active users?</span>', overview)
    assert found is not None and found.group(1) == "2"  # the owner and the worker
    tokens = client.get("/account/tokens").text
    assert "signed@client.org" not in tokens and "#contact" not in tokens


def test_a_contact_cannot_get_a_token_on_the_page(server: Server, client: TestClient, api: Api) -> None:
    contact = contact_with_access(server, api, "Signed", "signed@client.org")
    csrf = signed_in(client, api.tenant)
    answer = client.post("/account/tokens", data={"csrf": csrf, "user": str(contact.user_id)})
    assert answer.status_code == 400
    assert "Choose an active user" in html.unescape(answer.text)
    with server.engine.connect() as connection:
        owners = [record.user_id for record in AccessRepository(connection, api.tenant.account_id).tokens()]
    assert contact.user_id not in owners


def test_a_contact_cannot_be_changed_on_the_page(server: Server, client: TestClient, api: Api) -> None:
    contact = contact_with_access(server, api, "Signed", "signed@client.org", "contact-pass")
    csrf = signed_in(client, api.tenant)
    for path in ("deactivate", "password"):
        answer = client.post(f"/account/users/{contact.user_id}/{path}", data={"csrf": csrf})
        assert notice(answer.text) == "No such user.", path
    after = state(server, api.tenant, contact.id)
    assert (after.access, after.status) == ("active", "ACTIVE")
    assert api.login("signed@client.org", "contact-pass")


def test_a_contact_cannot_sign_in_to_the_pages(client: TestClient, api: Api, server: Server) -> None:
    contact_with_access(server, api, "Signed", "signed@client.org", "contact-pass")
    answer = sign_in(client, api.tenant.name, "signed@client.org", "contact-pass")
    assert answer.status_code != 303  # type: ignore[attr-defined]
    assert "Administrators only" in answer.text  # type: ignore[attr-defined]


def test_a_reserved_login_is_refused(server: Server, client: TestClient, api: Api) -> None:
    csrf = signed_in(client, api.tenant)
    answer = client.post(
        "/account/users",
        data={"csrf": csrf, "login": "#contact9", "role": "USER", "password": "long-enough-1"},
    )
    assert answer.status_code == 400
    assert "may not start with #" in html.unescape(answer.text)
    assert "#contact9" not in client.get("/account/users").text
