"""contact.managePlanfixAccess: the access state machine, the login e-mail, rights and errors."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planfix_server.app import Server
from planfix_server.settings import Settings
from tests.domain.contacts.access_helpers import activate, contact_with_access, manage, state
from tests.domain.contacts.helpers import make_contact
from tests.support import Api, Tenant, add_user, provision, running


def test_opening_access_invites_the_contact_under_its_email(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ann", last_name="Lee", email="ann@client.org")
    reply = manage(api, contact.id, 1)
    assert reply.ok, reply.raw
    assert [child.tag for child in reply.root.find("contact")] == ["id", "status"]  # type: ignore[union-attr]
    assert reply.text("contact/id") == str(contact.id)
    assert reply.text("contact/status") == "NOTICE_SEND"
    found = state(server, api.tenant, contact.id)
    assert (found.access, found.login, found.email, found.status) == (
        "invited",
        "ann@client.org",
        "ann@client.org",
        "UNACTIVE",
    )
    assert not found.has_password


def test_the_given_email_wins_and_is_used_only_the_first_time(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    assert manage(api, contact.id, 1, "login@client.org").text("contact/status") == "NOTICE_SEND"
    assert state(server, api.tenant, contact.id).login == "login@client.org"
    again = manage(api, contact.id, 1, "other@client.org")
    assert again.text("contact/status") == "NOTICE_RESEND"
    assert state(server, api.tenant, contact.id).login == "login@client.org"
    activate(server, api.tenant, contact.id, "pw")
    assert manage(api, contact.id, 1, "third@client.org").text("contact/status") == "ACTIVE"
    assert state(server, api.tenant, contact.id).login == "login@client.org"


def test_cancelling_an_invitation_frees_the_email(api: Api, server: Server) -> None:
    first = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    second = make_contact(server, api.tenant, "Bob")
    manage(api, first.id, 1)
    assert manage(api, second.id, 1, "ann@client.org").code == "8007"
    reply = manage(api, first.id, 0)
    assert reply.ok and reply.text("contact/status") == "ACCESS_CANCELED"
    found = state(server, api.tenant, first.id)
    assert (found.access, found.login, found.email, found.status) == (
        "none",
        f"#contact{first.user_id}",
        None,
        "UNACTIVE",
    )
    assert manage(api, second.id, 1, "ann@client.org").text("contact/status") == "NOTICE_SEND"
    # Cancelled, the next opening is a first time again: a new e-mail is taken.
    assert manage(api, first.id, 1, "ann.lee@client.org").text("contact/status") == "NOTICE_SEND"
    assert state(server, api.tenant, first.id).login == "ann.lee@client.org"


def test_closing_and_reopening_activated_access(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org")
    assert state(server, api.tenant, contact.id).status == "ACTIVE"
    assert manage(api, contact.id, 1).text("contact/status") == "ACTIVE"
    closed = manage(api, contact.id, 0)
    assert closed.ok and closed.text("contact/status") == "UNACTIVE"
    found = state(server, api.tenant, contact.id)
    assert (found.access, found.login, found.status, found.has_password) == (
        "inactive",
        "ann@client.org",
        "UNACTIVE",
        True,
    )
    assert manage(api, contact.id, 0).text("contact/status") == "UNACTIVE"
    assert state(server, api.tenant, contact.id).access == "inactive"
    assert manage(api, contact.id, 1).text("contact/status") == "ACTIVE"
    found = state(server, api.tenant, contact.id)
    assert (found.access, found.status) == ("active", "ACTIVE")


def test_closing_access_that_was_never_opened_changes_nothing(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    before = state(server, api.tenant, contact.id)
    reply = manage(api, contact.id, 0)
    assert reply.ok and reply.text("contact/status") == "UNACTIVE"
    assert state(server, api.tenant, contact.id) == before


def test_immediate_activation_setting(settings: Settings, tenant: Tenant, server: Server) -> None:
    contact = make_contact(server, tenant, "Bob", email="bob@client.org")
    with running(replace(settings, contact_access_activation="immediate")) as (_, client):
        assert manage(Api(client, tenant), contact.id, 1).text("contact/status") == "ACTIVE"
    found = state(server, tenant, contact.id)
    assert (found.access, found.login, found.status) == ("active", "bob@client.org", "ACTIVE")


def test_immediate_activation_also_activates_a_pending_invitation(
    settings: Settings, api: Api, server: Server
) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    assert manage(api, contact.id, 1).text("contact/status") == "NOTICE_SEND"
    with running(replace(settings, contact_access_activation="immediate")) as (_, client):
        assert manage(Api(client, api.tenant), contact.id, 1).text("contact/status") == "ACTIVE"
    assert state(server, api.tenant, contact.id).access == "active"


@pytest.mark.parametrize("by", ["id", "userid", "general"])
def test_every_number_of_the_contact_names_it(api: Api, server: Server, by: str) -> None:
    make_contact(server, api.tenant, "Decoy", email="decoy@client.org")
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    number = {"id": contact.id, "userid": contact.user_id, "general": contact.general}[by]
    reply = manage(api, number, 1, by=by)
    assert reply.ok and reply.text("contact/id") == str(contact.id)
    assert state(server, api.tenant, contact.id).access == "invited"


def test_id_comes_before_userid_and_general(api: Api, server: Server) -> None:
    chosen = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    other = make_contact(server, api.tenant, "Bob", email="bob@client.org")
    reply = api.call(
        "contact.managePlanfixAccess",
        f"<contact><id>{chosen.id}</id><userid>{other.user_id}</userid><general>{other.general}</general>"
        "<havePlanfixAccess>1</havePlanfixAccess></contact>",
    )
    assert reply.text("contact/id") == str(chosen.id)
    assert state(server, api.tenant, other.id).access == "none"


def test_only_administrators_manage_access(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    _, token = add_user(server, api.tenant, "plain")
    assert manage(api.as_user(token), contact.id, 1).code == "8001"
    assert manage(api.as_user(token), 999999, 1).code == "8001"  # no hint whether the contact exists
    assert state(server, api.tenant, contact.id).access == "none"
    _, admin_token = add_user(server, api.tenant, "deputy", role="ADMIN")
    assert manage(api.as_user(admin_token), contact.id, 1).ok


def test_unknown_and_foreign_contacts_are_8002(api: Api, server: Server) -> None:
    other = provision(server, "other")
    foreign = make_contact(server, other, "Foreign", email="foreign@client.org")
    mine = make_contact(server, api.tenant, "Mine")  # its numbers differ from the foreign ones
    assert mine.id != foreign.id
    assert manage(api, 999999, 1).code == "8002"
    assert manage(api, foreign.id, 1).code == "8002"
    assert manage(api, foreign.user_id, 1, by="userid").code == "8002"
    assert state(server, other, foreign.id).access == "none"


@pytest.mark.parametrize(
    "inner",
    [
        "<contact><id>{id}</id></contact>",
        "<contact><id>{id}</id><havePlanfixAccess></havePlanfixAccess></contact>",
        "<contact><havePlanfixAccess>1</havePlanfixAccess></contact>",
        "<contact><id>0</id><havePlanfixAccess>1</havePlanfixAccess></contact>",
        "",
    ],
)
def test_missing_parameters_are_0009(api: Api, server: Server, inner: str) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    assert api.call("contact.managePlanfixAccess", inner.format(id=contact.id)).code == "0009"
    assert state(server, api.tenant, contact.id).access == "none"


def test_a_malformed_flag_is_0015(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    assert manage(api, contact.id, "yes").code == "0015"  # type: ignore[arg-type]


def test_no_email_anywhere_is_0017(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ann")
    assert manage(api, contact.id, 1).code == "0017"
    assert manage(api, contact.id, 1, "   ").code == "0017"
    assert state(server, api.tenant, contact.id).access == "none"


@pytest.mark.parametrize("email", ["not-an-email", "ann@client", "ann smith@client.org", "#ann@client.org"])
def test_an_invalid_email_is_8010(api: Api, server: Server, email: str) -> None:
    contact = make_contact(server, api.tenant, "Ann")
    assert manage(api, contact.id, 1, email).code == "8010"
    assert state(server, api.tenant, contact.id).login == f"#contact{contact.user_id}"


def test_a_login_taken_by_anybody_is_8007(api: Api, server: Server) -> None:
    add_user(server, api.tenant, "boss@client.org")  # an employee's login (its e-mail differs)
    add_user(server, api.tenant, "clerk", email="Clerk@Client.org")  # an employee's e-mail
    contact_with_access(server, api, "Carl", "carl@client.org")  # another contact's login
    contact = make_contact(server, api.tenant, "Ann")
    for taken in ("boss@client.org", "BOSS@client.org", "clerk@client.org", "Carl@Client.ORG"):
        assert manage(api, contact.id, 1, taken).code == "8007", taken
    assert state(server, api.tenant, contact.id).access == "none"
    assert manage(api, contact.id, 1, "ann@client.org").ok


def test_the_same_email_is_free_in_another_account(api: Api, server: Server) -> None:
    other = provision(server, "other")
    add_user(server, other, "ann@client.org")
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    assert manage(api, contact.id, 1).text("contact/status") == "NOTICE_SEND"


def test_a_contact_signed_in_may_not_manage_access(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    other = make_contact(server, api.tenant, "Bob", email="bob@client.org")
    sid = api.login("ann@client.org", "ann-pass")
    body = f"<contact><id>{other.id}</id><havePlanfixAccess>1</havePlanfixAccess></contact>"
    assert api.call_sid(sid, "contact.managePlanfixAccess", body).code == "8001"
    own = f"<contact><id>{contact.id}</id><havePlanfixAccess>0</havePlanfixAccess></contact>"
    assert api.call_sid(sid, "contact.managePlanfixAccess", own).code == "8001"
    assert state(server, api.tenant, other.id).access == "none"
    assert state(server, api.tenant, contact.id).access == "active"
