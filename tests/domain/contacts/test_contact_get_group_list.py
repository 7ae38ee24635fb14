from __future__ import annotations

from planfix_server.app import Server
from tests.domain.contacts.helpers import make_contact_group
from tests.support import Api, add_user, provision


def test_lists_every_group_in_order(api: Api, server: Server) -> None:
    clients = make_contact_group(server, api.tenant, "Clients")
    partners = make_contact_group(server, api.tenant, "Partners & Co")
    make_contact_group(server, provision(server, "other"), "Theirs")
    reply = api.call("contact.getGroupList")
    assert reply.ok, reply.raw
    root = reply.root.find("contactGroups")
    assert root is not None
    assert list(root.attrib.items()) == [("totalCount", "2"), ("count", "2")]
    assert [(int(g.findtext("id") or 0), g.findtext("name")) for g in root.iterfind("group")] == [
        (clients, "Clients"),
        (partners, "Partners & Co"),
    ]
    assert [child.tag for child in root[0]] == ["id", "name"]


def test_empty_list_self_closes(api: Api) -> None:
    reply = api.call("contact.getGroupList")
    assert b'<contactGroups totalCount="0" count="0"/>' in reply.raw


def test_every_employee_may_list(api: Api, server: Server) -> None:
    make_contact_group(server, api.tenant, "Clients")
    _, token = add_user(server, api.tenant, "plain")
    assert api.as_user(token).call("contact.getGroupList").text("contactGroups/group/name") == "Clients"
