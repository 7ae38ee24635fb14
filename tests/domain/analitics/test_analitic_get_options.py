from __future__ import annotations

from planfix_server.app import Server
from tests.domain.analitics.helpers import analitic, work_log
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, provision


def test_describes_the_fields_as_the_real_answer(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    reply = api.call("analitic.getOptions", f"<analitic><id>{log.id}</id></analitic>")
    assert reply.ok, reply.raw
    card = reply.root.find("analitic")
    assert card is not None
    assert [child.tag for child in card] == ["id", "name", "group", "fields"]
    assert card.findtext("name") == "Work log"
    assert [child.tag for child in card.find("group")] == ["id"]  # type: ignore[union-attr]
    assert card.findtext("group/id") == str(log.group_id)
    fields = card.findall("fields/field")
    assert [
        (f.findtext("id"), f.findtext("num"), f.findtext("name"), f.findtext("type")) for f in fields
    ] == [
        (str(log.fields["Kind of work"]), "0", "Kind of work", "HANDBOOK"),
        (str(log.fields["Date"]), "1", "Date", "DATE"),
        (str(log.fields["Time period"]), "2", "Time period", "TIMEPERIOD"),
        (str(log.fields["Quantity"]), "3", "Quantity", "NUMBER"),
        (str(log.fields["Comment"]), "4", "Comment", "TEXT"),
        (str(log.fields["Employee"]), "5", "Employee", "LOGINLIST"),
    ]
    assert [child.tag for child in fields[0]] == ["id", "num", "name", "type", "handbook"]
    assert fields[0].findtext("handbook/id") == str(log.kinds.id)
    assert [child.tag for child in fields[1]] == ["id", "num", "name", "type"]


def test_a_list_field_shows_its_values(api: Api, server: Server) -> None:
    analitic_id, fields = analitic(
        server, api.tenant, "Deal", [("Stage", "LIST", {"options": ["New", "Won & lost"]})]
    )
    reply = api.call("analitic.getOptions", f"<analitic><id>{analitic_id}</id></analitic>")
    assert reply.ok, reply.raw
    assert (
        "<type>LIST</type><list><value>New</value><value>Won &amp; lost</value></list>" in reply.raw.decode()
    )
    assert reply.text("analitic/group/id") == "0"
    assert reply.text("analitic/fields/field/id") == str(fields["Stage"])


def test_errors(api: Api, server: Server) -> None:
    theirs, _ = analitic(server, provision(server, "other"), "Theirs", [])
    assert api.call("analitic.getOptions", f"<analitic><id>{theirs}</id></analitic>").code == "10002"
    assert api.call("analitic.getOptions", "<analitic><id>999</id></analitic>").code == "10002"
    assert api.call("analitic.getOptions").code == "0009"
    assert api.call("analitic.getOptions", "<analitic><id>x</id></analitic>").code == "0015"
    mine, _ = analitic(server, api.tenant, "Mine", [])
    _, as_contact = signed_in_contact(server, api, "Client")
    assert as_contact.call("analitic.getOptions", f"<analitic><id>{mine}</id></analitic>").code == "10001"
    empty = api.call("analitic.getOptions", f"<analitic><id>{mine}</id></analitic>")
    assert b"<fields/>" in empty.raw
