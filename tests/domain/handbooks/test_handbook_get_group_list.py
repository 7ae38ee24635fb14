from __future__ import annotations

from starlette.testclient import TestClient

from planfix_server.app import Server
from tests.domain.handbooks.helpers import make_group
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, add_user, provision


def test_lists_every_group_in_order(api: Api, server: Server, client: TestClient) -> None:
    products = make_group(server, api.tenant, "Products")
    work = make_group(server, api.tenant, "Work types & <kinds>")
    make_group(server, provision(server, "other"), "Theirs")
    reply = api.call("handbook.getGroupList")
    assert reply.ok, reply.raw
    root = reply.root.find("handbookGroups")
    assert root is not None
    assert list(root.attrib.items()) == [("totalCount", "2"), ("count", "2")]
    assert [(int(g.findtext("id") or 0), g.findtext("name")) for g in root.iterfind("group")] == [
        (products, "Products"),
        (work, "Work types & <kinds>"),
    ]
    assert [child.tag for child in root[0]] == ["id", "name"]


def test_empty_list_self_closes(api: Api) -> None:
    assert b'<handbookGroups totalCount="0" count="0"/>' in api.call("handbook.getGroupList").raw


def test_every_employee_reads_a_contact_does_not(api: Api, server: Server) -> None:
    make_group(server, api.tenant, "Products")
    _, token = add_user(server, api.tenant, "plain")
    assert api.as_user(token).call("handbook.getGroupList").text("handbookGroups/group/name") == "Products"
    _, as_contact = signed_in_contact(server, api, "Client")
    assert as_contact.call("handbook.getGroupList").code == "0104"
