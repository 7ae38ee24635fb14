from __future__ import annotations

from starlette.testclient import TestClient

from planfix_server.app import Server
from tests.domain.handbooks.helpers import make_field, make_group, make_handbook
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, provision


def test_fields_in_order_with_lists_and_targets(api: Api, server: Server) -> None:
    work = make_group(server, api.tenant, "Work types")
    units = make_handbook(server, api.tenant, "Units")
    kinds = make_handbook(server, api.tenant, "Kinds of work", work)
    name = make_field(server, api.tenant, kinds, "Name", displayed=True)
    unit = make_field(server, api.tenant, kinds, "Unit", "HANDBOOK", target=units)
    size = make_field(server, api.tenant, kinds, "Size", "LIST", options=["S", "M & L"])
    period = make_field(server, api.tenant, kinds, "Period", "TIMEPERIOD")
    reply = api.call("handbook.getStructure", f"<handbook><id>{kinds}</id></handbook>")
    assert reply.ok, reply.raw
    handbook = reply.root.find("handbook")
    assert handbook is not None
    assert [child.tag for child in handbook] == ["id", "name", "group", "fields"]
    assert handbook.findtext("id") == str(kinds)
    assert handbook.findtext("name") == "Kinds of work"
    assert [child.tag for child in handbook.find("group")] == ["id"]  # type: ignore[union-attr]
    assert handbook.findtext("group/id") == str(work)
    fields = handbook.findall("fields/field")
    assert [
        (f.findtext("id"), f.findtext("num"), f.findtext("name"), f.findtext("type")) for f in fields
    ] == [
        (str(name), "0", "Name", "STRING"),
        (str(unit), "1", "Unit", "HANDBOOK"),
        (str(size), "2", "Size", "LIST"),
        (str(period), "3", "Period", "TIMEPERIOD"),
    ]
    assert [child.tag for child in fields[0]] == ["id", "num", "name", "type"]
    assert [child.tag for child in fields[1]] == ["id", "num", "name", "type", "handbook"]
    assert fields[1].findtext("handbook/id") == str(units)
    assert [child.tag for child in fields[2]] == ["id", "num", "name", "type", "list"]
    assert [value.text for value in fields[2].iterfind("list/value")] == ["S", "M & L"]


def test_handbook_without_group_or_fields(api: Api, server: Server) -> None:
    loose = make_handbook(server, api.tenant, "Loose")
    reply = api.call("handbook.getStructure", f"<handbook><id>{loose}</id></handbook>")
    assert reply.text("handbook/group/id") == "0"
    assert b"<fields/>" in reply.raw


def test_errors(api: Api, server: Server, client: TestClient) -> None:
    assert api.call("handbook.getStructure").code == "0009"
    assert api.call("handbook.getStructure", "<handbook><id>0</id></handbook>").code == "0009"
    assert api.call("handbook.getStructure", "<handbook><id>77</id></handbook>").code == "0101"
    assert api.call("handbook.getStructure", "<handbook><id>x</id></handbook>").code == "0015"
    theirs = make_handbook(server, provision(server, "other"), "Theirs")
    assert api.call("handbook.getStructure", f"<handbook><id>{theirs}</id></handbook>").code == "0101"
    mine = make_handbook(server, api.tenant, "Mine")
    _, as_contact = signed_in_contact(server, api, "Client")
    assert as_contact.call("handbook.getStructure", f"<handbook><id>{mine}</id></handbook>").code == "0104"
