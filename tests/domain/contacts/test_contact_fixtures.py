"""Fixture sections of this area: contact_groups and contacts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.sandbox.fixtures import FixtureError, seed
from tests.domain.contacts.helpers import contact_count, texts
from tests.domain.projects.helpers import custom
from tests.domain.projects.test_fixtures import api_of
from tests.support import Api, now

FIXTURE: dict[str, Any] = {
    "name": "acme",
    "owner": {"login": "owner"},
    "users": [{"login": "alice", "name": "Alice"}],
    "user_groups": [{"name": "Sales"}],
    "custom_fields": [{"object": "contact", "name": "Source", "type": "string"}],
    "contact_groups": ["Clients", {"name": "Partners"}],
    "contacts": [
        {
            "name": "Partner",
            "template": True,
            "group": "Partners",
            "can_be_client": True,
            "responsible": ["alice"],
            "responsible_groups": ["Sales"],
            "custom_data": {"Source": "Fair"},
        },
        {"name": "ACME Ltd", "company": True, "group": "Clients"},
        {
            "name": "Ivan",
            "last_name": "Petrov",
            "from_template": "Partner",
            "email": "ivan@example.com",
            "phones": [{"number": "+7 900", "type": "Work"}, "555"],
            "secondary_emails": ["i2@example.com"],
            "companies": ["ACME Ltd"],
            "birthdate": "13-03-1987",
            "sex": "MALE",
            "telegram_id": 42,
            "created_by": "alice",
            "access": "active",
            "password": "contact-pass",
        },
        {"name": "Invited", "email": "inv@example.com", "access": "invited"},
    ],
}


def load(server: Server, *accounts: dict[str, Any]) -> dict[str, Any]:
    return seed(
        server.engine,
        {"accounts": list(accounts)},
        passwords=server.passwords,
        now=now(),
        data_centre=server.settings.data_centre,
    )


def test_a_full_fixture(server: Server, client: TestClient) -> None:
    loaded = load(server, FIXTURE)
    account = loaded["accounts"][0]
    api = api_of(client, loaded)
    assert list(account["contact_groups"]) == ["Clients", "Partners"]
    groups = api.call("contact.getGroupList")
    assert texts(groups, "contactGroups/group/name") == ["Clients", "Partners"]
    contacts = account["contacts"]
    assert set(contacts) == {"Partner", "ACME Ltd", "Ivan", "Invited"}
    template = api.call("contact.get", f"<contact><id>{contacts['Partner']}</id></contact>")
    ivan = api.call("contact.get", f"<contact><id>{contacts['Ivan']}</id></contact>")
    assert ivan.ok, ivan.raw
    assert ivan.text("contact/template/id") == template.text("contact/general")
    assert ivan.text("contact/group/name") == "Partners"
    assert ivan.text("contact/canBeClient") == "1"
    assert texts(ivan, "contact/responsible/users/user/name") == ["Alice"]
    assert texts(ivan, "contact/responsible/groups/group/name") == ["Sales"]
    assert custom(ivan, "contact") == {"Source": ("Fair", "Fair")}
    assert texts(ivan, "contact/phones/phone/typeName") == ["Work", "Mobile"]
    assert texts(ivan, "contact/secondaryEmails/email") == ["i2@example.com"]
    assert texts(ivan, "contact/contractors/client/name") == ["ACME Ltd"]
    assert ivan.text("contact/birthdate") == "13-03-1987"
    assert ivan.text("contact/telegram/id") == "42"
    assert ivan.text("contact/havePlanfixAccess") == "1"
    assert ivan.text("contact/user/login") == "ivan@example.com"
    assert ivan.text("contact/user/status") == "ACTIVE"
    invited = api.call("contact.get", f"<contact><id>{contacts['Invited']}</id></contact>")
    assert invited.text("contact/user/status") == "UNACTIVE"
    assert invited.text("contact/havePlanfixAccess") == "1"
    # the active contact signs in with its password
    sid = api.login("ivan@example.com", "contact-pass")
    assert api.call_sid(sid, "contact.get", f"<contact><id>{contacts['Ivan']}</id></contact>").ok
    # no history written by the fixture
    assert (
        api.call("contact.get", f"<contact><id>{contacts['ACME Ltd']}</id></contact>").text(
            "contact/isCompany"
        )
        == "1"
    )


@pytest.mark.parametrize(
    ("contacts", "message"),
    [
        ([{"name": "X", "group": "Nope"}], "contacts[0].group"),
        ([{"name": "X", "from_template": "Nope"}], "contacts[0].from_template"),
        ([{"name": "X", "companies": ["Nope"]}], "contacts[0].companies"),
        ([{"name": "X", "email": "bad"}], "8010"),
        ([{"name": "X", "email": "a@example.com"}, {"name": "Y", "email": "A@example.com"}], "8007"),
        ([{"name": "X"}, {"name": "X"}], "twice"),
        ([{"name": "X", "colour": "red"}], "unknown field"),
        ([{"name": "X", "password": "p", "access": "none"}], "contacts[0].password"),
        ([{"name": "X", "access": "active"}], "0017"),
        ([{"name": "X", "responsible": ["nobody"]}], "contacts[0].responsible"),
    ],
)
def test_errors_name_the_place_and_load_nothing(server: Server, contacts: list[Any], message: str) -> None:
    with pytest.raises(FixtureError, match=re.escape(message)):
        load(server, {"name": "acme", "contacts": contacts})
    assert contact_count(server) == 0


def test_a_template_cannot_be_taken_from_a_plain_contact(server: Server) -> None:
    with pytest.raises(FixtureError, match="from_template"):
        load(
            server, {"name": "acme", "contacts": [{"name": "Plain"}, {"name": "X", "from_template": "Plain"}]}
        )


def test_api_of_a_loaded_account(server: Server, client: TestClient) -> None:
    api: Api = api_of(client, load(server, {"name": "acme", "contacts": [{"name": "Solo"}]}))
    assert api.call("contact.get", "<contact><general>1</general></contact>").text("contact/name") == "Solo"
