from __future__ import annotations

from planfix_server.app import Server
from tests.domain.analitics.helpers import group
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, add_user, provision


def test_lists_every_group_in_order(api: Api, server: Server) -> None:
    first = group(server, api.tenant, "Time management")
    second = group(server, api.tenant, "Sales & marketing")
    group(server, provision(server, "other"), "Theirs")
    reply = api.call("analitic.getGroupList")
    assert reply.ok, reply.raw
    root = reply.root.find("analiticGroups")
    assert root is not None
    assert list(root.attrib.items()) == [("totalCount", "2"), ("count", "2")]
    assert [(int(g.findtext("id") or 0), g.findtext("name")) for g in root.iterfind("group")] == [
        (first, "Time management"),
        (second, "Sales & marketing"),
    ]
    assert [child.tag for child in root[0]] == ["id", "name"]


def test_empty_list_self_closes(api: Api) -> None:
    assert b'<analiticGroups totalCount="0" count="0"/>' in api.call("analitic.getGroupList").raw


def test_every_employee_reads_a_contact_gets_10001(api: Api, server: Server) -> None:
    group(server, api.tenant, "Time management")
    _, token = add_user(server, api.tenant, "plain")
    assert (
        api.as_user(token).call("analitic.getGroupList").text("analiticGroups/group/name")
        == "Time management"
    )
    _, as_contact = signed_in_contact(server, api, "Client")
    assert as_contact.call("analitic.getGroupList").code == "10001"
