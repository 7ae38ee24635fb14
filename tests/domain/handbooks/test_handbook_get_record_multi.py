from __future__ import annotations

from planfix_server.app import Server
from tests.domain.handbooks.helpers import add_record, keys_of, make_field, make_handbook, values_of
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, provision


def _keys(*keys: int) -> str:
    return "<records>" + "".join(f"<key>{key}</key>" for key in keys) + "</records>"


def test_records_by_key_unknown_skipped(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds")
    other = make_handbook(server, api.tenant, "Other")
    name = make_field(server, api.tenant, handbook, "Name")
    first = add_record(api, handbook, {name: "A"})
    second = add_record(api, handbook, {name: "B"})
    foreign = add_record(api, other)
    reply = api.call(
        "handbook.getRecordMulti",
        f"<handbook><id>{handbook}</id></handbook>{_keys(second, 999, foreign, first, second)}",
    )
    assert reply.ok, reply.raw
    assert keys_of(reply) == [first, second]
    assert reply.root.find("records").attrib == {"totalCount": "2", "count": "2"}  # type: ignore[union-attr]
    assert values_of(reply, "records/record") == {name: ("A", "A")}
    none = api.call("handbook.getRecordMulti", f"<handbook><id>{handbook}</id></handbook>{_keys(999)}")
    assert b'<records totalCount="0" count="0"/>' in none.raw


def test_at_most_100_keys(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds")
    hundred = f"<handbook><id>{handbook}</id></handbook>{_keys(*range(1, 101))}"
    assert api.call("handbook.getRecordMulti", hundred).ok
    too_many = f"<handbook><id>{handbook}</id></handbook>{_keys(*range(1, 102))}"
    assert api.call("handbook.getRecordMulti", too_many).code == "0021"


def test_errors(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds")
    key = add_record(api, handbook)
    assert api.call("handbook.getRecordMulti", f"<handbook><id>{handbook}</id></handbook>").code == "0009"
    assert (
        api.call("handbook.getRecordMulti", f"<handbook><id>{handbook}</id></handbook><records/>").code
        == "0009"
    )
    assert api.call("handbook.getRecordMulti", _keys(key)).code == "0009"
    assert api.call("handbook.getRecordMulti", f"<handbook><id>98</id></handbook>{_keys(key)}").code == "0101"
    assert (
        api.call(
            "handbook.getRecordMulti",
            f"<handbook><id>{handbook}</id></handbook><records><key>y</key></records>",
        ).code
        == "0015"
    )
    theirs = make_handbook(server, provision(server, "other"), "Theirs")
    assert (
        api.call("handbook.getRecordMulti", f"<handbook><id>{theirs}</id></handbook>{_keys(key)}").code
        == "0101"
    )
    _, as_contact = signed_in_contact(server, api, "Client")
    assert (
        as_contact.call(
            "handbook.getRecordMulti", f"<handbook><id>{handbook}</id></handbook>{_keys(key)}"
        ).code
        == "0104"
    )
