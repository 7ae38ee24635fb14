"""contact.updateUserInfo: password, status, login e-mail, picture, notification flags; rights, errors."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import select

from planfix_server.app import Server
from planfix_server.store.tables import contact_notifications, user_pictures
from tests.domain.contacts.access_helpers import activate, contact_with_access, manage, state, update_info
from tests.domain.contacts.helpers import make_contact
from tests.domain.users.helpers import PNG, set_user
from tests.support import Api, add_user, basic, provision, request_xml


def signs_in(api: Api, login: str, password: str) -> str:
    """ "ok", or the code auth.login answers."""
    reply = api.post(
        request_xml(
            "auth.login", api.tenant.name, f"<login>{login}</login><password>{escape(password)}</password>"
        ),
        authorization=basic(api.tenant.api_key),
    )
    return "ok" if reply.ok else reply.code


def picture(server: Server, user_id: int) -> tuple[str, bytes] | None:
    with server.engine.connect() as connection:
        row = connection.execute(
            select(user_pictures.c.content_type, user_pictures.c.data).where(
                user_pictures.c.user_id == user_id
            )
        ).first()
    return None if row is None else (row.content_type, bytes(row.data))


def test_answers_the_contact_id(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org")
    reply = update_info(api, contact.id, "<status>ACTIVE</status>")
    assert reply.ok, reply.raw
    assert [child.tag for child in reply.root.find("contact")] == ["id"]  # type: ignore[union-attr]
    assert reply.text("contact/id") == str(contact.id)


def test_a_new_password_is_the_one_that_signs_in(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "old-pass")
    assert update_info(api, contact.id, "<password>new &amp; secret</password>").ok
    assert signs_in(api, "ann@client.org", "new & secret") == "ok"
    assert signs_in(api, "ann@client.org", "old-pass") == "1001"


def test_a_contact_activated_without_a_password_gets_one(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    manage(api, contact.id, 1)
    activate(server, api.tenant, contact.id, None)
    assert not state(server, api.tenant, contact.id).has_password
    assert signs_in(api, "ann@client.org", "anything") == "1001"
    assert update_info(api, contact.id, "<password>first-pass</password>").ok
    assert signs_in(api, "ann@client.org", "first-pass") == "ok"


def test_status_closes_and_reopens_the_access(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    assert update_info(api, contact.id, "<status>UNACTIVE</status>").ok
    found = state(server, api.tenant, contact.id)
    assert (found.access, found.status) == ("inactive", "UNACTIVE")
    assert signs_in(api, "ann@client.org", "ann-pass") == "1001"
    # Closed access is still activated access: its data may change, and ACTIVE opens it again.
    assert update_info(api, contact.id, "<status>ACTIVE</status><password>back-pass</password>").ok
    found = state(server, api.tenant, contact.id)
    assert (found.access, found.status) == ("active", "ACTIVE")
    assert signs_in(api, "ann@client.org", "back-pass") == "ok"
    assert manage(api, contact.id, 1).text("contact/status") == "ACTIVE"


def test_a_new_email_becomes_the_login(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    assert update_info(api, contact.id, "<email> ann.lee@client.org </email>").ok
    found = state(server, api.tenant, contact.id)
    assert (found.login, found.email) == ("ann.lee@client.org", "ann.lee@client.org")
    assert signs_in(api, "ann.lee@client.org", "ann-pass") == "ok"
    assert signs_in(api, "ann@client.org", "ann-pass") == "1001"
    assert update_info(api, contact.id, "<email>ANN.LEE@client.org</email>").ok  # its own login: no clash


def test_an_email_in_use_is_8007_and_an_invalid_one_8010(api: Api, server: Server) -> None:
    add_user(server, api.tenant, "boss@client.org")
    invited = make_contact(server, api.tenant, "Ivy", email="ivy@client.org")
    manage(api, invited.id, 1)
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    for taken in ("boss@client.org", "Ivy@client.org"):
        assert update_info(api, contact.id, f"<email>{taken}</email>").code == "8007"
    for invalid in ("ann", "ann@client", "#ann@client.org"):
        assert update_info(api, contact.id, f"<email>{invalid}</email>").code == "8010"
    assert state(server, api.tenant, contact.id).login == "ann@client.org"


def test_a_picture_is_kept_under_the_userid(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org")
    encoded = base64.b64encode(PNG).decode()
    assert update_info(api, contact.id, f"<pic>{encoded}</pic>").ok
    assert picture(server, contact.user_id) == ("image/png", PNG)
    first = state(server, api.tenant, contact.id).userpic_version
    assert first
    assert update_info(api, contact.id, f"<pic>{encoded}</pic>").ok
    assert state(server, api.tenant, contact.id).userpic_version not in (None, first)


def test_a_picture_that_is_no_image_is_0015(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    reply = update_info(api, contact.id, "<password>changed</password><pic>not base64!</pic>")
    assert reply.code == "0015"
    assert picture(server, contact.user_id) is None
    assert signs_in(api, "ann@client.org", "ann-pass") == "ok"  # nothing changed


def notifications(server: Server, user_id: int) -> tuple[str, bool, bool, bool] | None:
    with server.engine.connect() as connection:
        row = connection.execute(
            select(
                contact_notifications.c.jabber,
                contact_notifications.c.notify_by_email,
                contact_notifications.c.notify_by_jabber,
                contact_notifications.c.notify_by_planfix,
            ).where(contact_notifications.c.user_id == user_id)
        ).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def test_notification_flags_are_kept(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org")
    assert notifications(server, contact.user_id) is None
    reply = update_info(
        api,
        contact.id,
        "<jabber>ann@jabber.org</jabber><notifyByEmail>1</notifyByEmail>"
        "<notifyByJabber>1</notifyByJabber><notifyByPlanfix>0</notifyByPlanfix>",
    )
    assert reply.ok, reply.raw
    assert notifications(server, contact.user_id) == ("ann@jabber.org", True, True, False)
    # Absent flags stay; the kept Jabber address satisfies a later notifyByJabber.
    assert update_info(
        api, contact.id, "<notifyByPlanfix>1</notifyByPlanfix><notifyByJabber>1</notifyByJabber>"
    ).ok
    assert notifications(server, contact.user_id) == ("ann@jabber.org", True, True, True)


def test_notify_by_jabber_without_a_jabber_is_0017(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    reply = update_info(api, contact.id, "<password>changed</password><notifyByJabber>1</notifyByJabber>")
    assert reply.code == "0017"
    assert signs_in(api, "ann@client.org", "ann-pass") == "ok"
    assert update_info(api, contact.id, "<notifyByJabber>0</notifyByJabber>").ok


def test_notify_by_email_without_an_email_is_0017(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org")
    set_user(server, api.tenant, contact.user_id, email=None, email_key=None)  # a row from older data
    assert update_info(api, contact.id, "<notifyByEmail>1</notifyByEmail>").code == "0017"
    assert update_info(api, contact.id, "<email>ann@client.org</email><notifyByEmail>1</notifyByEmail>").ok


def test_an_invitation_not_yet_activated_is_8005_and_8008_for_a_password(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    manage(api, contact.id, 1)
    assert update_info(api, contact.id, "<status>ACTIVE</status>").code == "8005"
    assert update_info(api, contact.id, "<email>new@client.org</email>").code == "8005"
    assert update_info(api, contact.id, "<password>pw</password>").code == "8008"
    found = state(server, api.tenant, contact.id)
    assert (found.access, found.login, found.has_password) == ("invited", "ann@client.org", False)


@pytest.mark.parametrize("user", ["<status>ACTIVE</status>", "<password>pw</password>"])
def test_a_contact_without_access_is_8006(api: Api, server: Server, user: str) -> None:
    contact = make_contact(server, api.tenant, "Ann", email="ann@client.org")
    assert update_info(api, contact.id, user).code == "8006"
    assert state(server, api.tenant, contact.id).access == "none"


def test_only_administrators_change_sign_in_data(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org", "ann-pass")
    _, token = add_user(server, api.tenant, "plain")
    assert update_info(api.as_user(token), contact.id, "<password>stolen</password>").code == "8001"
    assert update_info(api.as_user(token), 999999, "<password>stolen</password>").code == "8001"
    sid = api.login("ann@client.org", "ann-pass")
    own = f"<contact><id>{contact.id}</id><user><password>mine</password></user></contact>"
    assert api.call_sid(sid, "contact.updateUserInfo", own).code == "8001"
    assert signs_in(api, "ann@client.org", "ann-pass") == "ok"


def test_unknown_and_foreign_contacts_are_8002(api: Api, server: Server) -> None:
    other = provision(server, "other")
    foreign = make_contact(server, other, "Foreign", email="foreign@client.org")
    assert update_info(api, 999999, "<status>ACTIVE</status>").code == "8002"
    assert update_info(api, foreign.id, "<status>ACTIVE</status>").code == "8002"
    by_userid = f"<contact><userid>{foreign.user_id}</userid><user><status>ACTIVE</status></user></contact>"
    assert api.call("contact.updateUserInfo", by_userid).code == "8002"


@pytest.mark.parametrize("by", ["userid", "general"])
def test_userid_and_general_name_the_contact(api: Api, server: Server, by: str) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org")
    number = contact.user_id if by == "userid" else contact.general
    body = f"<contact><{by}>{number}</{by}><user><status>UNACTIVE</status></user></contact>"
    reply = api.call("contact.updateUserInfo", body)
    assert reply.ok and reply.text("contact/id") == str(contact.id)
    assert state(server, api.tenant, contact.id).access == "inactive"


def test_no_contact_number_is_0009(api: Api) -> None:
    assert api.call(
        "contact.updateUserInfo", "<contact><user><status>ACTIVE</status></user></contact>"
    ).code == ("0009")


@pytest.mark.parametrize(
    "user",
    ["<status>BLOCKED</status>", "<notifyByEmail>maybe</notifyByEmail>", f"<email>{'a' * 250}@x.org</email>"],
)
def test_malformed_values_are_0015(api: Api, server: Server, user: str) -> None:
    contact = contact_with_access(server, api, "Ann", "ann@client.org")
    assert update_info(api, contact.id, user).code == "0015"
    assert state(server, api.tenant, contact.id).status == "ACTIVE"
