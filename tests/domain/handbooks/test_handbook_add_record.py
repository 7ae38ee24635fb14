from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planfix_server.app import Server
from planfix_server.store.tables import handbook_records
from tests.domain.contacts.helpers import make_contact
from tests.domain.handbooks.helpers import (
    add_record,
    get_record,
    make_field,
    make_handbook,
    values_of,
    values_xml,
)
from tests.domain.projects.helpers import make_project
from tests.domain.tasks.helpers import new_task, signed_in_contact
from tests.domain.users.helpers import add_group
from tests.support import Api, add_user, provision


def record_count(server: Server) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(handbook_records)).scalar_one())


def test_answers_the_new_key_directly_under_response(api: Api, server: Server) -> None:
    handbook = make_handbook(server, api.tenant, "Kinds")
    reply = api.call("handbook.addRecord", f"<handbook><id>{handbook}</id></handbook>")
    assert reply.ok, reply.raw
    assert [child.tag for child in reply.root] == ["key"]
    key = int(reply.text("key"))
    assert get_record(api, handbook, key).text("record/key") == str(key)
    assert add_record(api, handbook) > key


def test_plain_types_stored_and_rendered(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "All")
    f = {
        kind: make_field(server, api.tenant, hb, kind.title(), kind, options=opts)
        for kind, opts in (
            ("STRING", ()),
            ("NUMBER", ()),
            ("TEXT", ()),
            ("DATE", ()),
            ("DATETIME", ()),
            ("TIME", ()),
            ("TIMEPERIOD", ()),
            ("CHECKBOX", ()),
            ("LIST", ("small", "big")),
            ("SETSTRING", ()),
        )
    }
    written = {
        f["STRING"]: "Walls &amp; roofs",
        f["NUMBER"]: "12,50",
        f["TEXT"]: "line 1\nline 2",
        f["DATE"]: "05-03-2024",
        f["DATETIME"]: "05-03-2024 14:30",
        f["TIME"]: "9:05",
        f["TIMEPERIOD"]: "9:00-18:30",
        f["CHECKBOX"]: "1",
        f["LIST"]: "big",
        f["SETSTRING"]: '["a", "b"]',
    }
    key = add_record(api, hb, written)
    assert values_of(get_record(api, hb, key)) == {
        f["STRING"]: ("Walls & roofs", "Walls & roofs"),
        f["NUMBER"]: ("12.5", "12.5"),
        f["TEXT"]: ("line 1\nline 2", "line 1\nline 2"),
        f["DATE"]: ("05-03-2024", "05-03-2024"),
        f["DATETIME"]: ("05-03-2024 14:30", "05-03-2024 14:30"),
        f["TIME"]: ("09:05", "09:05"),
        f["TIMEPERIOD"]: ("09:00-18:30", "09:00-18:30"),
        f["CHECKBOX"]: ("1", "Yes"),
        f["LIST"]: ("big", "big"),
        f["SETSTRING"]: ('["a", "b"]', "a, b"),
    }


def test_time_period_and_user_list_in_element_forms(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Forms")
    period = make_field(server, api.tenant, hb, "Period", "TIMEPERIOD")
    logins = make_field(server, api.tenant, hb, "People", "LOGINLIST")
    ann, _ = add_user(server, api.tenant, "ann")
    inner = (
        f"<handbook><id>{hb}</id></handbook><customData>"
        f"<customValue><id>{period}</id><value><begin>08:00</begin><end>12:15</end></value></customValue>"
        f"<customValue><id>{logins}</id><value><id>{ann}</id><id>{api.tenant.owner_id}</id></value></customValue>"
        "</customData>"
    )
    reply = api.call("handbook.addRecord", inner)
    assert reply.ok, reply.raw
    got = values_of(get_record(api, hb, int(reply.text("key"))))
    assert got[period] == ("08:00-12:15", "08:00-12:15")
    assert got[logins][0] == f"[{ann},{api.tenant.owner_id}]"
    assert got[logins][1].startswith("ann, ")


def test_references_rendered_with_names(api: Api, server: Server) -> None:
    units = make_handbook(server, api.tenant, "Units")
    unit_name = make_field(server, api.tenant, units, "Name")
    minute = add_record(api, units, {unit_name: "minute"})
    hour = add_record(api, units, {unit_name: "hour"})
    hb = make_handbook(server, api.tenant, "Refs")
    f = {
        kind: make_field(
            server, api.tenant, hb, kind.title(), kind, target=units if "HANDBOOK" in kind else None
        )
        for kind in (
            "TASK",
            "TASKSET",
            "PROJECT",
            "HANDBOOK",
            "HANDBOOKSET",
            "USER",
            "CLIENT",
            "CONTACT",
            "LOGINLIST",
            "GROUPUSERCONTACT",
        )
    }
    ann, _ = add_user(server, api.tenant, "ann")
    task = new_task(api, title="Fix roof")
    project = make_project(server, api.tenant, "Houses")
    contact = make_contact(server, api.tenant, "Ivan", last_name="Petrov")
    key = add_record(
        api,
        hb,
        {
            f["TASK"]: str(task),
            f["TASKSET"]: f"[{task}]",
            f["PROJECT"]: str(project),
            f["HANDBOOK"]: str(minute),
            f["HANDBOOKSET"]: f"[{hour},{minute}]",
            f["USER"]: str(ann),
            f["CLIENT"]: str(contact.user_id),
            f["CONTACT"]: str(contact.user_id),
            f["LOGINLIST"]: f"[{ann},{contact.user_id}]",
            f["GROUPUSERCONTACT"]: str(ann),
        },
    )
    got = values_of(get_record(api, hb, key))
    assert got[f["TASK"]] == (str(task), "Fix roof")
    assert got[f["TASKSET"]] == (f"[{task}]", "Fix roof")
    assert got[f["PROJECT"]] == (str(project), "Houses")
    assert got[f["HANDBOOK"]] == (str(minute), "minute")
    assert got[f["HANDBOOKSET"]] == (f"[{hour},{minute}]", "hour, minute")
    assert got[f["USER"]] == (str(ann), "ann")
    assert got[f["CLIENT"]][0] == str(contact.user_id) and "Petrov" in got[f["CLIENT"]][1]
    assert got[f["CONTACT"]][1] == got[f["CLIENT"]][1]
    assert got[f["LOGINLIST"]][1] == f"ann, {got[f['CLIENT']][1]}"
    assert got[f["GROUPUSERCONTACT"]] == (str(ann), "ann")


def test_group_value_of_a_user_group_field(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "G")
    who = make_field(server, api.tenant, hb, "Who", "GROUPUSERCONTACT")
    team = add_group(server, api.tenant, "Team")
    key = add_record(api, hb, {who: f"group:{team}"})
    assert values_of(get_record(api, hb, key))[who] == (f"group:{team}", "Team")
    bad = api.call(
        "handbook.addRecord", f"<handbook><id>{hb}</id></handbook>{values_xml({who: 'group:999'})}"
    )
    assert bad.code == "0015"


def test_group_record_and_parent(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Tree")
    group = add_record(api, hb, group="Roofs")
    child = add_record(api, hb, parent=group)
    assert get_record(api, hb, child).text("record/parentKey") == str(group)
    top = add_record(api, hb, parent=0)
    assert get_record(api, hb, top).text("record/parentKey") == "0"


def test_php_style_false_flags(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Php")
    name = make_field(server, api.tenant, hb, "Name")
    inner = (
        f"<handbook><id>{hb}</id></handbook><isGroup></isGroup><archived></archived>{values_xml({name: 'x'})}"
    )
    reply = api.call("handbook.addRecord", inner)
    assert reply.ok, reply.raw
    record = get_record(api, hb, int(reply.text("key")))
    assert (record.text("record/isGroup"), record.text("record/archived")) == ("0", "0")
    flags = f"<handbook><id>{hb}</id></handbook><isGroup>false</isGroup><archived>true</archived>"
    assert (
        get_record(api, hb, int(api.call("handbook.addRecord", flags).text("key"))).text("record/archived")
        == "1"
    )


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("NUMBER", "twelve"),
        ("DATE", "2024-03-05"),
        ("TIME", "25:00"),
        ("TIMEPERIOD", "9-18"),
        ("CHECKBOX", "maybe"),
        ("LIST", "huge"),
        ("USER", "999"),
        ("TASK", "999"),
        ("TASKSET", "[1,"),
        ("PROJECT", "999"),
        ("CONTACT", "999"),
        ("LOGINLIST", "[999]"),
        ("GROUPUSERCONTACT", "someone"),
        ("STRING", "x" * 256),
    ],
)
def test_bad_values_are_0015_and_change_nothing(api: Api, server: Server, kind: str, value: str) -> None:
    hb = make_handbook(server, api.tenant, "Bad")
    field = make_field(server, api.tenant, hb, "F", kind, options=("small",) if kind == "LIST" else ())
    before = record_count(server)
    reply = api.call("handbook.addRecord", f"<handbook><id>{hb}</id></handbook>{values_xml({field: value})}")
    assert reply.code == "0015", reply.raw
    assert record_count(server) == before


def test_handbook_values_must_be_ordinary_records_of_the_target(api: Api, server: Server) -> None:
    units = make_handbook(server, api.tenant, "Units")
    other = make_handbook(server, api.tenant, "Other")
    group = add_record(api, units, group="Time")
    foreign = add_record(api, other)
    hb = make_handbook(server, api.tenant, "Refs")
    one = make_field(server, api.tenant, hb, "Unit", "HANDBOOK", target=units)
    many = make_field(server, api.tenant, hb, "Units", "HANDBOOKSET", target=units)
    for field, value in (
        (one, str(group)),
        (one, str(foreign)),
        (one, "999"),
        (many, f"[{foreign}]"),
        (one, "[1,2]"),
    ):
        reply = api.call(
            "handbook.addRecord", f"<handbook><id>{hb}</id></handbook>{values_xml({field: value})}"
        )
        assert reply.code == "0015", (field, value, reply.raw)


def test_parameter_errors(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Kinds")
    other = make_handbook(server, api.tenant, "Other")
    plain = add_record(api, hb)
    foreign_group = add_record(api, other, group="G")
    foreign_field = make_field(server, api.tenant, other, "F")
    head = f"<handbook><id>{hb}</id></handbook>"
    assert api.call("handbook.addRecord").code == "0009"
    assert api.call("handbook.addRecord", "<handbook><id>55</id></handbook>").code == "0101"
    assert api.call("handbook.addRecord", head + "<isGroup>1</isGroup>").code == "0009"
    assert api.call("handbook.addRecord", head + "<isGroup>1</isGroup><name> </name>").code == "0009"
    assert api.call("handbook.addRecord", head + "<isGroup>2</isGroup>").code == "0015"
    assert api.call("handbook.addRecord", head + f"<parentKey>{plain}</parentKey>").code == "0015"
    assert api.call("handbook.addRecord", head + f"<parentKey>{foreign_group}</parentKey>").code == "0015"
    assert api.call("handbook.addRecord", head + "<parentKey>-1</parentKey>").code == "0015"
    assert api.call("handbook.addRecord", head + values_xml({foreign_field: "x"})).code == "0015"
    no_id = head + "<customData><customValue><value>x</value></customValue></customData>"
    assert api.call("handbook.addRecord", no_id).code == "0009"
    blank = head + "<customData><customValue><id></id><value></value></customValue></customData>"
    assert api.call("handbook.addRecord", blank).ok


def test_group_records_take_no_values(api: Api, server: Server) -> None:
    hb = make_handbook(server, api.tenant, "Kinds")
    name = make_field(server, api.tenant, hb, "Name")
    inner = f"<handbook><id>{hb}</id></handbook><isGroup>1</isGroup><name>G</name>"
    assert api.call("handbook.addRecord", inner + values_xml({name: "x"})).code == "0015"
    assert api.call("handbook.addRecord", inner + values_xml({name: ""})).ok


def test_another_account_and_contacts(api: Api, server: Server) -> None:
    theirs = make_handbook(server, provision(server, "other"), "Theirs")
    assert api.call("handbook.addRecord", f"<handbook><id>{theirs}</id></handbook>").code == "0101"
    mine = make_handbook(server, api.tenant, "Mine")
    _, token = add_user(server, api.tenant, "plain")
    assert api.as_user(token).call("handbook.addRecord", f"<handbook><id>{mine}</id></handbook>").ok
    _, as_contact = signed_in_contact(server, api, "Client")
    assert as_contact.call("handbook.addRecord", f"<handbook><id>{mine}</id></handbook>").code == "0105"
