from __future__ import annotations

from starlette.testclient import TestClient

from planfix_server.app import Server
from tests.domain.handbooks.helpers import add_record, get_record, make_field, make_handbook, values_of
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, provision


def test_documented_elements_in_order(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds of work")
    name = make_field(server, api.tenant, handbook, "Name")
    norm = make_field(server, api.tenant, handbook, "Norm", "NUMBER")
    group = add_record(api, handbook, group="Programming")
    key = add_record(api, handbook, {name: "Programmer minute", norm: "0.50"}, parent=group)
    reply = get_record(api, handbook, key)
    record = reply.root.find("record")
    assert record is not None
    assert [child.tag for child in record] == [
        "parentKey",
        "isGroup",
        "key",
        "name",
        "archived",
        "customData",
    ]
    assert record.findtext("parentKey") == str(group)
    assert record.findtext("isGroup") == "0"
    assert record.findtext("key") == str(key)
    assert record.findtext("archived") == "0"
    value = record.find("customData/customValue")
    assert value is not None
    assert [child.tag for child in value] == ["field", "value", "text"]
    assert [child.tag for child in value.find("field")] == ["id"]  # type: ignore[union-attr]
    assert values_of(reply) == {name: ("Programmer minute", "Programmer minute"), norm: ("0.5", "0.5")}


def test_group_record(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds of work")
    make_field(server, api.tenant, handbook, "Name")
    group = add_record(api, handbook, group="Programming")
    reply = get_record(api, handbook, group)
    assert reply.text("record/isGroup") == "1"
    assert reply.text("record/name") == "Programming"
    assert reply.text("record/parentKey") == "0"
    assert b"<customData/>" in reply.raw


def test_unset_fields_are_listed_empty(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "H")
    text = make_field(server, api.tenant, handbook, "Text")
    check = make_field(server, api.tenant, handbook, "Done", "CHECKBOX")
    user = make_field(server, api.tenant, handbook, "Who", "USER")
    key = add_record(api, handbook)
    assert values_of(get_record(api, handbook, key)) == {text: ("", ""), check: ("0", "No"), user: ("0", "")}


def test_unknown_key_or_handbook_is_0101(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "H")
    other = make_handbook(server, api.tenant, "Other")
    key = add_record(api, other)
    for inner in (
        f"<handbook><id>{handbook}</id></handbook><key>{key}</key>",
        f"<handbook><id>{handbook}</id></handbook><key>999</key>",
        f"<handbook><id>999</id></handbook><key>{key}</key>",
    ):
        assert api.call("handbook.getRecord", inner).code == "0101"


def test_missing_parameters_are_0009(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "H")
    assert api.call("handbook.getRecord", f"<handbook><id>{handbook}</id></handbook>").code == "0009"
    assert api.call("handbook.getRecord", "<key>1</key>").code == "0009"
    assert (
        api.call("handbook.getRecord", f"<handbook><id>{handbook}</id></handbook><key>x</key>").code == "0015"
    )


def test_another_accounts_record_is_0101(api: Api, server: Server, client: TestClient) -> None:
    handbook = make_handbook(server, api.tenant, "H")
    key = add_record(api, handbook)
    other = Api(client, provision(server, "other"))
    assert (
        other.call("handbook.getRecord", f"<handbook><id>{handbook}</id></handbook><key>{key}</key>").code
        == "0101"
    )


def test_contact_is_denied_0104(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "H")
    key = add_record(api, handbook)
    _, as_contact = signed_in_contact(server, api, "Client")
    reply = as_contact.call("handbook.getRecord", f"<handbook><id>{handbook}</id></handbook><key>{key}</key>")
    assert reply.code == "0104"
