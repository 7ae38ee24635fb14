"""Contacts have user rows (their userid), but the user and user-group functions do not know them;
and no employee may get a login reserved for contacts."""

from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from tests.domain.contacts.access_helpers import contact_with_access
from tests.domain.contacts.helpers import make_contact
from tests.domain.users.helpers import add_action, add_group, api_add_group, ids, make_head, user_record
from tests.support import Api, add_user


def test_user_get_list_leaves_contacts_out(api: Api, server: Server) -> None:
    worker, _ = add_user(server, api.tenant, "worker")
    make_contact(server, api.tenant, "Plain contact")
    contact_with_access(server, api, "Signed", "signed@client.org")  # ACTIVE user row, role CONTACT
    for inner in (
        "",
        "<status>ACTIVE</status>",
        "<status>UNACTIVE</status>",
        "<sortType>ROLE_DESC</sortType>",
    ):
        reply = api.call("user.getList", inner)
        assert reply.ok, reply.raw
        listed = ids(reply)
        expected = [] if "UNACTIVE" in inner else [api.tenant.owner_id, worker]
        assert sorted(listed) == sorted(expected), inner
        assert reply.root.find("users").get("totalCount") == str(len(expected))  # type: ignore[union-attr]
    found = api.call(
        "user.getList",
        "<filters><filter><type>9003</type><operator>equal</operator><value>client.org</value>"
        "</filter></filters>",
    )
    assert ids(found) == []


@pytest.mark.parametrize("by", ["id", "general"])
def test_user_get_of_a_contact_is_6004(api: Api, server: Server, by: str) -> None:
    contact = contact_with_access(server, api, "Signed", "signed@client.org")
    number = contact.user_id if by == "id" else user_record(server, api.tenant, contact.user_id).general
    assert api.call("user.get", f"<user><{by}>{number}</{by}></user>").code == "6004"


def test_user_writes_on_a_contact_are_6004(api: Api, server: Server) -> None:
    contact = contact_with_access(server, api, "Signed", "signed@client.org")
    group = api_add_group(api, "Sales")
    calls = {
        "user.update": f"<user><id>{contact.user_id}</id><name>Renamed</name></user>",
        "user.changeStatus": f"<user><id>{contact.user_id}</id><status>UNACTIVE</status></user>",
        "user.updateGroupMembership": f"<user><id>{contact.user_id}</id>"
        f"<addUserGroup><id>{group}</id></addUserGroup></user>",
    }
    for method, inner in calls.items():
        assert api.call(method, inner).code == "6004", method
    record = user_record(server, api.tenant, contact.user_id)
    assert (record.name, record.status) == ("Signed", "ACTIVE")
    members = api.call("userGroup.get", f"<userGroup><id>{group}</id></userGroup>")
    assert members.text("userGroup/userCount") == "0"


def test_user_actions_added_of_a_contact_is_6004(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Writer")
    add_action(server, api.tenant, contact.user_id, dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC), "COMMENT")
    inner = (
        f"<user><id>{contact.user_id}</id></user>"
        "<period><begin>01-01-2030</begin><end>02-01-2030</end></period>"
    )
    assert api.call("user.actionsAdded", inner).code == "6004"


def test_a_contact_is_never_a_group_head_in_lists(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Contact")
    group = add_group(server, api.tenant, "Sales")
    with pytest.raises(errors.UserNotFound):
        make_head(server, api.tenant, group, contact.user_id)
    make_head(server, api.tenant, group, api.tenant.owner_id)
    heads = api.call("userGroup.getHeads", f"<userGroup><id>{group}</id></userGroup>")
    assert ids(heads) == [api.tenant.owner_id]


@pytest.mark.parametrize("email", ["#robot@example.org", "#contact5@example.org"])
def test_an_employee_login_may_not_start_with_the_reserved_prefix(api: Api, email: str) -> None:
    reply = api.call("user.add", f"<user><name>X</name><email>{email}</email></user>")
    assert reply.code == "0015"
    assert api.call("user.getList").root.find("users").get("totalCount") == "1"  # type: ignore[union-attr]


def test_an_email_login_may_not_become_reserved(api: Api, server: Server) -> None:
    added = api.call("user.add", "<user><name>Eve</name><email>eve@example.org</email></user>")
    user_id = int(added.text("user/id"))
    reply = api.call("user.update", f"<user><id>{user_id}</id><email>#eve@example.org</email></user>")
    assert reply.code == "0015"
    assert user_record(server, api.tenant, user_id).login == "eve@example.org"


def test_the_login_of_a_contact_is_taken_for_employees(api: Api, server: Server) -> None:
    contact_with_access(server, api, "Signed", "signed@client.org")
    reply = api.call("user.add", "<user><name>X</name><email>Signed@client.org</email></user>")
    assert reply.code == "6002"
