from __future__ import annotations

from planfix_server.app import Server
from tests.domain.handbooks.helpers import make_group, make_handbook
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, provision


def _listed(api: Api, inner: str = "") -> list[tuple[int, str, int, str]]:
    reply = api.call("handbook.getList", inner)
    assert reply.ok, reply.raw
    return [
        (
            int(item.findtext("id") or 0),
            item.findtext("name") or "",
            int(item.findtext("group/id") or 0),
            item.findtext("group/name") or "",
        )
        for item in reply.root.iterfind("handbooks/handbook")
    ]


def test_lists_every_handbook_with_its_group(api: Api, server: Server) -> None:
    work = make_group(server, api.tenant, "Work types")
    kinds = make_handbook(server, api.tenant, "Kinds of work", work)
    loose = make_handbook(server, api.tenant, "Loose")
    make_handbook(server, provision(server, "other"), "Theirs")
    reply = api.call("handbook.getList")
    root = reply.root.find("handbooks")
    assert root is not None
    assert list(root.attrib.items()) == [("totalCount", "2"), ("count", "2")]
    assert [child.tag for child in root[0]] == ["id", "name", "group"]
    assert [child.tag for child in root[0].find("group")] == ["id", "name"]  # type: ignore[union-attr]
    assert _listed(api) == [(kinds, "Kinds of work", work, "Work types"), (loose, "Loose", 0, "")]
    assert b"<group><id>0</id><name></name></group>" in reply.raw


def test_filter_by_group(api: Api, server: Server) -> None:
    work = make_group(server, api.tenant, "Work types")
    products = make_group(server, api.tenant, "Products")
    kinds = make_handbook(server, api.tenant, "Kinds of work", work)
    make_handbook(server, api.tenant, "Goods", products)
    make_handbook(server, api.tenant, "Loose")
    assert [one[0] for one in _listed(api, f"<group><id>{work}</id></group>")] == [kinds]
    assert (
        b'<handbooks totalCount="0" count="0"/>'
        in api.call("handbook.getList", "<group><id>999</id></group>").raw
    )
    assert len(_listed(api, "<group><id>0</id></group>")) == 3  # id 0 is "not given"
    assert api.call("handbook.getList", "<group><id>x</id></group>").code == "0015"


def test_contact_is_denied_0104(api: Api, server: Server) -> None:
    make_handbook(server, api.tenant, "H")
    _, as_contact = signed_in_contact(server, api, "Client")
    assert as_contact.call("handbook.getList").code == "0104"
