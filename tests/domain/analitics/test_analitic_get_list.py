from __future__ import annotations

from planfix_server.app import Server
from tests.domain.analitics.helpers import analitic, group
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, add_user, provision


def test_lists_analitics_with_their_groups(api: Api, server: Server) -> None:
    sales = group(server, api.tenant, "Sales & marketing")
    sale, _ = analitic(server, api.tenant, "Sale", [("Sum", "NUMBER")], sales)
    loose, _ = analitic(server, api.tenant, "Loose <one>", [])
    analitic(server, provision(server, "other"), "Theirs", [])
    reply = api.call("analitic.getList")
    assert reply.ok, reply.raw
    root = reply.root.find("analitics")
    assert root is not None
    assert list(root.attrib.items()) == [("totalCount", "2"), ("count", "2")]
    found = list(root.iterfind("analitic"))
    assert [child.tag for child in found[0]] == ["id", "name", "group"]
    assert [(int(one.findtext("id") or 0), one.findtext("name")) for one in found] == [
        (sale, "Sale"),
        (loose, "Loose <one>"),
    ]
    assert found[0].findtext("group/id") == str(sales)
    assert found[0].findtext("group/name") == "Sales & marketing"
    assert b"<group><id>0</id><name></name></group>" in reply.raw


def test_a_group_parameter_is_ignored(api: Api, server: Server) -> None:
    sales = group(server, api.tenant, "Sales")
    analitic(server, api.tenant, "Sale", [], sales)
    analitic(server, api.tenant, "Other", [])
    reply = api.call("analitic.getList", f"<analiticGroupId>{sales}</analiticGroupId>")
    assert reply.ok, reply.raw
    assert len(reply.root.findall("analitics/analitic")) == 2


def test_empty_and_rights(api: Api, server: Server) -> None:
    assert b'<analitics totalCount="0" count="0"/>' in api.call("analitic.getList").raw
    analitic(server, api.tenant, "Sale", [])
    _, token = add_user(server, api.tenant, "plain")
    assert api.as_user(token).call("analitic.getList").text("analitics/analitic/name") == "Sale"
    _, as_contact = signed_in_contact(server, api, "Client")
    assert as_contact.call("analitic.getList").code == "10001"
