from __future__ import annotations

from planfix_server.app import Server
from tests.domain.handbooks.helpers import (
    add_record,
    get_record,
    make_field,
    make_handbook,
    values_of,
    values_xml,
)
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, Reply, add_user, provision


def update(api: Api, handbook: int, key: int, inner: str = "") -> Reply:
    return api.call(
        "handbook.updateRecord", f"<handbook><id>{handbook}</id></handbook><key>{key}</key>{inner}"
    )


def test_changes_only_what_is_given(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Kinds")
    name = make_field(server, api.tenant, hb, "Name")
    norm = make_field(server, api.tenant, hb, "Norm", "NUMBER")
    key = add_record(api, hb, {name: "Walls", norm: "3"})
    reply = update(api, hb, key, values_xml({norm: "4"}))
    assert reply.ok, reply.raw
    assert [child.tag for child in reply.root] == ["key"] and reply.text("key") == str(key)
    assert values_of(get_record(api, hb, key)) == {name: ("Walls", "Walls"), norm: ("4", "4")}
    assert update(api, hb, key, values_xml({name: ""})).ok
    assert values_of(get_record(api, hb, key))[name] == ("", "")
    assert update(api, hb, key).ok
    assert values_of(get_record(api, hb, key))[norm] == ("4", "4")


def test_archive_and_unarchive(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Kinds")
    key = add_record(api, hb)
    assert update(api, hb, key, "<archived>1</archived>").ok
    assert get_record(api, hb, key).text("record/archived") == "1"
    assert update(api, hb, key).ok
    assert get_record(api, hb, key).text("record/archived") == "1"
    assert update(api, hb, key, "<archived></archived>").ok  # PHP's false
    assert get_record(api, hb, key).text("record/archived") == "0"


def test_move_and_rename(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Tree")
    roofs = add_record(api, hb, group="Roofs")
    walls = add_record(api, hb, group="Walls")
    inner = add_record(api, hb, group="Inner", parent=roofs)
    tile = add_record(api, hb, parent=roofs)
    assert update(api, hb, tile, f"<parentKey>{walls}</parentKey>").ok
    assert get_record(api, hb, tile).text("record/parentKey") == str(walls)
    assert update(api, hb, tile, "<parentKey>0</parentKey>").ok
    assert get_record(api, hb, tile).text("record/parentKey") == "0"
    assert update(api, hb, roofs, "<name>Roof work</name><isGroup>0</isGroup>").ok
    got = get_record(api, hb, roofs)
    assert (got.text("record/name"), got.text("record/isGroup")) == (
        "Roof work",
        "1",
    )  # isGroup cannot change
    assert update(api, hb, roofs, f"<parentKey>{inner}</parentKey>").code == "0015"  # into its own subtree
    assert update(api, hb, roofs, f"<parentKey>{roofs}</parentKey>").code == "0015"
    assert update(api, hb, inner, f"<parentKey>{walls}</parentKey>").ok


def test_errors(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Kinds")
    other = make_handbook(server, api.tenant, "Other")
    name = make_field(server, api.tenant, hb, "Name", "NUMBER")
    key = add_record(api, hb, {name: "1"})
    plain = add_record(api, hb)
    foreign = add_record(api, other)
    assert api.call("handbook.updateRecord", f"<handbook><id>{hb}</id></handbook>").code == "0009"
    assert api.call("handbook.updateRecord", f"<key>{key}</key>").code == "0009"
    assert update(api, 88, key).code == "0101"
    assert update(api, hb, 999).code == "0101"
    assert update(api, hb, foreign).code == "0101"
    assert update(api, hb, key, f"<parentKey>{plain}</parentKey>").code == "0015"
    assert update(api, hb, key, values_xml({name: "x"})).code == "0015"
    assert update(api, hb, key, f"<archived>1</archived>{values_xml({name: 'x'})}").code == "0015"
    got = get_record(api, hb, key)
    assert got.text("record/archived") == "0" and values_of(got)[name] == ("1", "1")  # nothing changed


def test_another_account_and_rights(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Kinds")
    key = add_record(api, hb)
    other = Api(api.client, provision(server, "other"))
    assert update(other, hb, key, "<archived>1</archived>").code == "0101"
    _, token = add_user(server, api.tenant, "plain")
    assert update(api.as_user(token), hb, key, "<archived>1</archived>").ok
    _, as_contact = signed_in_contact(server, api, "Client")
    assert update(as_contact, hb, key, "<archived>0</archived>").code == "0105"
    assert get_record(api, hb, key).text("record/archived") == "1"
