from __future__ import annotations

from planfix_server.app import Server
from tests.domain.analitics.helpers import handbook
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, provision


def test_every_record_flat_in_the_attribute_form(api: Api, server: Server) -> None:
    made = handbook(
        server,
        api.tenant,
        "Kinds of work",
        [
            ("Name", "STRING", True),
            ("Description", "TEXT", False),
            ("Billable", "CHECKBOX", False),
            ("Since", "DATE", False),
        ],
        [
            ("Programming & co", None, True, {}),
            (
                "Minute",
                "Programming & co",
                False,
                {"Name": 'Programmer "minute"', "Billable": "1", "Since": "2018-02-19"},
            ),
            ("Nested", "Programming & co", True, {}),
        ],
    )
    reply = api.call("analitic.getHandbook", f"<handbook><id>{made.id}</id></handbook>")
    assert reply.ok, reply.raw
    records = reply.root.findall("records/record")
    assert [r.findtext("key") for r in records] == [
        str(made.records[label]) for label in ("Programming & co", "Minute", "Nested")
    ]
    group, minute, nested = records
    assert [child.tag for child in group] == ["parentKey", "isGroup", "key", "value"]
    assert (group.findtext("parentKey"), group.findtext("isGroup")) == ("0", "1")
    assert group.find("value").attrib == {"value": "Programming & co", "name": "", "isDisplayed": "0"}  # type: ignore[union-attr]
    assert (minute.findtext("parentKey"), minute.findtext("isGroup")) == (
        str(made.records["Programming & co"]),
        "0",
    )
    assert [dict(v.attrib) for v in minute.iterfind("value")] == [
        {"value": 'Programmer "minute"', "name": "Name", "isDisplayed": "1"},
        {"value": "", "name": "Description", "isDisplayed": "0"},
        {"value": "1", "name": "Billable", "isDisplayed": "0"},
        {"value": "19-02-2018", "name": "Since", "isDisplayed": "0"},
    ]
    assert b'value="Programmer &quot;minute&quot;"' in reply.raw
    assert nested.findtext("parentKey") == str(made.records["Programming & co"])


def test_an_empty_handbook(api: Api, server: Server) -> None:
    made = handbook(server, api.tenant, "Empty", [("Name", "STRING", True)], [])
    assert b"<records/>" in api.call("analitic.getHandbook", f"<handbook><id>{made.id}</id></handbook>").raw


def test_errors(api: Api, server: Server) -> None:
    theirs = handbook(server, provision(server, "other"), "Theirs", [], [])
    assert api.call("analitic.getHandbook", f"<handbook><id>{theirs.id}</id></handbook>").code == "10004"
    assert api.call("analitic.getHandbook", "<handbook><id>999</id></handbook>").code == "10004"
    assert api.call("analitic.getHandbook").code == "0009"
    assert api.call("analitic.getHandbook", "<handbook><id>-1</id></handbook>").code == "0015"
    mine = handbook(server, api.tenant, "Mine", [], [])
    _, as_contact = signed_in_contact(server, api, "Client")
    assert as_contact.call("analitic.getHandbook", f"<handbook><id>{mine.id}</id></handbook>").code == "10001"
