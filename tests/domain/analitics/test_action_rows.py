"""Data rows written by action.add / action.update, shown by action.get, removed by action.delete."""

from __future__ import annotations

from sqlalchemy import func, select

from planfix_server.app import Server
from planfix_server.store.tables import actions, analitic_data, analitic_value_refs, analitic_values
from tests.domain.actions.helpers import get
from tests.domain.analitics.helpers import (
    add_with_rows,
    analitic,
    get_data,
    item,
    items_of,
    keys_of,
    row,
    work_log,
)
from tests.domain.tasks.helpers import employee, new_task, signed_in_contact
from tests.support import Api, provision


def count(server: Server, table: object) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_the_captured_toggl_request_stores_a_row(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    task_id = new_task(api, title="Integration")
    general = api.call("task.get", f"<task><id>{task_id}</id></task>").text("task/general")
    f = log.fields
    reply = api.call(
        "action.add",
        "<action><description>Действие, добавленное через api!</description>"
        f"<task><general>{general}</general></task><contact></contact><notifiedList></notifiedList>"
        "<isHidden>0</isHidden><owner></owner><analitics><analitic>"
        f"<id>{log.id}</id><analiticData>"
        f"<itemData><fieldId>{f['Kind of work']}</fieldId>"
        f"<value>{log.kinds.records['Programmer minute']}</value></itemData>"
        f"<itemData><fieldId>{f['Quantity']}</fieldId><value>5</value></itemData>"
        f"<itemData><fieldId>{f['Comment']}</fieldId><value></value></itemData>"
        f"<itemData><fieldId>{f['Date']}</fieldId><value>2018-02-19</value></itemData>"
        f"<itemData><fieldId>{f['Employee']}</fieldId>"
        f"<value>\n  <id>{api.tenant.owner_id}</id>\n</value></itemData>"
        "</analiticData></analitic></analitics></action>",
    )
    assert reply.ok, reply.raw
    action_id = int(reply.text("action/id"))
    [(analitic_id, key, name)] = keys_of(api, action_id)
    assert (analitic_id, name) == (log.id, "Work log")
    card = get(api, action_id)
    assert [child.tag for child in card.root.find("action")][-2:] == ["analitics", "notifiedList"]  # type: ignore[union-attr]
    assert [child.tag for child in card.root.find("action/analitics/analitic")] == ["id", "key", "name"]  # type: ignore[union-attr]
    data = get_data(api, key)
    assert data.ok, data.raw
    element = data.root.find("analiticDatas/analiticData")
    assert element is not None
    assert element.findtext("key") == str(key)
    assert items_of(element) == {
        f["Kind of work"]: ("Kind of work", "Programmer minute", str(log.kinds.records["Programmer minute"])),
        f["Date"]: ("Date", "19-02-2018", ""),
        f["Time period"]: ("Time period", "", ""),
        f["Quantity"]: ("Quantity", "5", ""),
        f["Comment"]: ("Comment", "", ""),
        f["Employee"]: ("Employee", "owner@acme", str(api.tenant.owner_id)),
    }


def test_several_rows_and_value_forms(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    worker, _ = employee(server, api, "worker")
    task_id = new_task(api)
    f = log.fields
    reply = add_with_rows(
        api,
        task_id,
        row(
            log.id,
            item(f["Date"], "01-03-2018"),
            item(f["Time period"], "<begin>9:05</begin><end>10:30</end>"),
            item(f["Quantity"], "1,50"),
            item(f["Employee"], f"<id>{worker}</id><id>{api.tenant.owner_id}</id>"),
        ),
        row(log.id, item(f["Comment"], "second &lt;row&gt;")),
    )
    assert reply.ok, reply.raw
    listed = keys_of(api, int(reply.text("action/id")))
    assert [one[0] for one in listed] == [log.id, log.id]
    first, second = (one[1] for one in listed)
    assert first < second
    data = get_data(api, second, first)
    elements = data.root.findall("analiticDatas/analiticData")
    assert [one.findtext("key") for one in elements] == [str(second), str(first)]
    values = items_of(elements[1])
    assert values[f["Date"]][1:] == ("01-03-2018", "")
    assert values[f["Time period"]][1:] == ("09:05-10:30", "")
    assert values[f["Quantity"]][1:] == ("1.5", "")
    assert values[f["Employee"]][1:] == ("worker, owner@acme", f"{worker},{api.tenant.owner_id}")
    assert items_of(elements[0])[f["Comment"]][1] == "second <row>"
    with server.engine.connect() as connection:
        refs = connection.execute(
            select(analitic_value_refs.c.ref_id).where(analitic_value_refs.c.data_id == first)
        ).all()
    assert sorted(one.ref_id for one in refs) == sorted([worker, api.tenant.owner_id])


def test_update_changes_a_row_adds_one_and_deletes_one(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    task_id = new_task(api)
    f = log.fields
    reply = add_with_rows(
        api,
        task_id,
        row(log.id, item(f["Quantity"], "5"), item(f["Comment"], "keep")),
        row(log.id, item(f["Quantity"], "7")),
    )
    action_id = int(reply.text("action/id"))
    (_, changed, _), (_, dropped, _) = keys_of(api, action_id)
    update = api.call(
        "action.update",
        f"<action><id>{action_id}</id><analitics>"
        + row(log.id, item(f["Quantity"], "30"), key=changed)
        + row(log.id, item(f["Quantity"], "2"))
        + f"</analitics><deletedAnalitics><key>{dropped}</key></deletedAnalitics></action>",
    )
    assert update.ok, update.raw
    keys = [one[1] for one in keys_of(api, action_id)]
    assert keys[0] == changed and dropped not in keys and len(keys) == 2
    values = items_of(get_data(api, changed).root.find("analiticDatas/analiticData"))  # type: ignore[arg-type]
    assert values[f["Quantity"]][1] == "30"
    assert values[f["Comment"]][1] == "keep"  # fields not given keep their values
    assert items_of(get_data(api, keys[1]).root.find("analiticDatas/analiticData"))[f["Quantity"]][1] == "2"  # type: ignore[arg-type]
    cleared = api.call(
        "action.update",
        f"<action><id>{action_id}</id><analitics>"
        + row(log.id, item(f["Comment"], ""), key=changed)
        + "</analitics></action>",
    )
    assert cleared.ok, cleared.raw
    assert items_of(get_data(api, changed).root.find("analiticDatas/analiticData"))[f["Comment"]][1] == ""  # type: ignore[arg-type]


def test_delete_removes_the_rows(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    task_id = new_task(api)
    reply = add_with_rows(
        api, task_id, row(log.id, item(log.fields["Employee"], f"<id>{api.tenant.owner_id}</id>"))
    )
    action_id = int(reply.text("action/id"))
    assert count(server, analitic_data) == 1 and count(server, analitic_value_refs) == 1
    assert api.call("action.delete", f"<action><id>{action_id}</id></action>").ok
    assert count(server, analitic_data) == 0
    assert count(server, analitic_values) == 0
    assert count(server, analitic_value_refs) == 0


def test_refusals_write_nothing(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    other_id, other_fields = analitic(server, api.tenant, "Other", [("Sum", "NUMBER")])
    theirs, _ = analitic(server, provision(server, "other"), "Theirs", [])
    task_id = new_task(api)
    f = log.fields
    kinds = log.kinds.records
    actions_before = count(server, actions)

    def code(*rows: str) -> str:
        return add_with_rows(api, task_id, *rows).code

    assert code(row(999, item(f["Quantity"], "1"))) == "4010"
    assert code(row(theirs, item(f["Quantity"], "1"))) == "4010"
    assert code(row(log.id)) == "4011"
    assert code(row(log.id, item(other_fields["Sum"], "1"))) == "4012"
    assert code(row(log.id, item(f["Quantity"], "many"))) == "4013"
    assert code(row(log.id, item(f["Date"], "31-02-2018"))) == "4013"
    assert code(row(log.id, item(f["Time period"], "<begin>25:00</begin><end>10:00</end>"))) == "4013"
    assert code(row(log.id, item(f["Employee"], "<id>999</id>"))) == "4013"
    assert code(row(log.id, item(f["Kind of work"], str(kinds["Programming"])))) == "4014"
    assert code(row(log.id, item(f["Kind of work"], "999"))) == "4015"
    assert code(row(log.id, item(f["Quantity"], "1"), key=1)) == "4016"
    # a good row beside a bad one: nothing is stored, not even the action
    assert code(row(log.id, item(f["Quantity"], "1")), row(other_id, item(f["Quantity"], "1"))) == "4012"
    assert count(server, analitic_data) == 0
    assert count(server, actions) == actions_before
    missing_field = add_with_rows(api, task_id, row(log.id, "<itemData><value>1</value></itemData>"))
    assert missing_field.code == "0009"


def test_update_keys_must_be_the_actions_own(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    other_id, other_fields = analitic(server, api.tenant, "Other", [("Sum", "NUMBER")])
    task_id = new_task(api)
    f = log.fields
    first = int(add_with_rows(api, task_id, row(log.id, item(f["Quantity"], "1"))).text("action/id"))
    second = int(add_with_rows(api, task_id, row(log.id, item(f["Quantity"], "2"))).text("action/id"))
    [(_, key_of_first, _)] = keys_of(api, first)

    def update(inner: str) -> str:
        return api.call("action.update", f"<action><id>{second}</id>{inner}</action>").code

    assert update(f"<deletedAnalitics><key>{key_of_first}</key></deletedAnalitics>") == "4016"
    assert (
        update(f"<analitics>{row(log.id, item(f['Quantity'], '3'), key=key_of_first)}</analitics>") == "4016"
    )
    [(_, own, _)] = keys_of(api, second)
    assert (
        update(f"<analitics>{row(other_id, item(other_fields['Sum'], '3'), key=own)}</analitics>") == "4016"
    )
    assert update(f"<analitics>{row(999, item(f['Quantity'], '3'))}</analitics>") == "4010"
    assert keys_of(api, first) == [(log.id, key_of_first, "Work log")]


def test_a_contact_writes_no_analitics(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    contact, as_contact = signed_in_contact(server, api, "Client")
    task_id = new_task(api, f"<workers><users><id>{contact.user_id}</id></users></workers>")
    assert as_contact.call("task.get", f"<task><id>{task_id}</id></task>").ok
    reply = add_with_rows(as_contact, task_id, row(log.id, item(log.fields["Quantity"], "1")))
    assert reply.code == "4001"
