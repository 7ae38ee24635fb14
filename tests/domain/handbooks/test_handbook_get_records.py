from __future__ import annotations

from planfix_server.app import Server
from tests.domain.handbooks.helpers import add_record, keys_of, make_field, make_handbook, values_of
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, Reply, provision


def _records(api: Api, handbook: int, extra: str = "") -> Reply:
    reply = api.call("handbook.getRecords", f"<handbook><id>{handbook}</id></handbook>{extra}")
    assert reply.ok, reply.raw
    return reply


def test_top_level_by_key_with_archived(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds")
    name = make_field(server, api.tenant, handbook, "Name")
    first = add_record(api, handbook, {name: "Walls"})
    group = add_record(api, handbook, group="Roofs")
    add_record(api, handbook, {name: "Tiles"}, parent=group)
    old = add_record(api, handbook, {name: "Old"}, archived=True)
    reply = _records(api, handbook)
    root = reply.root.find("records")
    assert root is not None
    assert list(root.attrib.items()) == [("totalCount", "3"), ("count", "3")]
    assert keys_of(reply) == [first, group, old]
    assert [r.findtext("archived") for r in reply.root.iterfind("records/record")] == ["0", "0", "1"]
    assert values_of(reply, "records/record") == {name: ("Walls", "Walls")}


def test_children_of_a_group(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds")
    group = add_record(api, handbook, group="Roofs")
    inner = add_record(api, handbook, group="Inner", parent=group)
    tiles = add_record(api, handbook, parent=group)
    deep = add_record(api, handbook, parent=inner)
    assert keys_of(_records(api, handbook, f"<parentKey>{group}</parentKey>")) == [inner, tiles]
    assert keys_of(_records(api, handbook, f"<parentKey>{inner}</parentKey>")) == [deep]
    assert [
        r.findtext("parentKey")
        for r in _records(api, handbook, f"<parentKey>{group}</parentKey>").root.iterfind("records/record")
    ] == [str(group)] * 2
    assert (
        b'<records totalCount="0" count="0"/>'
        in _records(api, handbook, f"<parentKey>{tiles}</parentKey>").raw
    )
    assert keys_of(_records(api, handbook, "<parentKey>0</parentKey>")) == [group]


def test_pages(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds")
    keys = [add_record(api, handbook) for _ in range(5)]
    reply = _records(api, handbook, "<pageCurrent>2</pageCurrent><pageSize>2</pageSize>")
    assert keys_of(reply) == keys[2:4]
    assert reply.root.find("records").attrib == {"totalCount": "5", "count": "2"}  # type: ignore[union-attr]
    assert keys_of(_records(api, handbook, "<pageCurrent>3</pageCurrent><pageSize>2</pageSize>")) == keys[4:]
    assert (
        b'<records totalCount="5" count="0"/>'
        in _records(api, handbook, "<pageCurrent>4</pageCurrent><pageSize>2</pageSize>").raw
    )
    assert (
        b'<records totalCount="5" count="0"/>' in _records(api, handbook, "<pageCurrent>0</pageCurrent>").raw
    )
    assert keys_of(_records(api, handbook, "<pageSize>500</pageSize>")) == keys  # clamped to 100


def test_default_page_is_100(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Many")
    for _ in range(101):
        add_record(api, handbook)
    reply = _records(api, handbook)
    assert reply.root.find("records").attrib == {"totalCount": "101", "count": "100"}  # type: ignore[union-attr]


def test_errors(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds")
    other = make_handbook(server, api.tenant, "Other")
    foreign = add_record(api, other, group="G")
    assert api.call("handbook.getRecords").code == "0009"
    assert api.call("handbook.getRecords", "<handbook><id>99</id></handbook>").code == "0101"
    bad_parent = f"<handbook><id>{handbook}</id></handbook><parentKey>{foreign}</parentKey>"
    assert api.call("handbook.getRecords", bad_parent).code == "0101"
    bad_page = f"<handbook><id>{handbook}</id></handbook><pageSize>x</pageSize>"
    assert api.call("handbook.getRecords", bad_page).code == "0015"
    theirs = make_handbook(server, provision(server, "other"), "Theirs")
    assert api.call("handbook.getRecords", f"<handbook><id>{theirs}</id></handbook>").code == "0101"
    _, as_contact = signed_in_contact(server, api, "Client")
    assert as_contact.call("handbook.getRecords", f"<handbook><id>{handbook}</id></handbook>").code == "0104"
