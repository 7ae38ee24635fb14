from __future__ import annotations

from planfix_server.app import Server
from tests.domain.analitics.helpers import (
    WorkLog,
    add_with_rows,
    analitic,
    item,
    items_of,
    keys_of,
    row,
    work_log,
)
from tests.domain.tasks.helpers import employee, new_task, signed_in_contact
from tests.support import Api, Reply


def _add(api: Api, log: WorkLog, task_id: int, date: str, user: int, quantity: str = "1") -> tuple[int, int]:
    """A row (date, employee, quantity) on a new action of the task: (action id, key)."""
    f = log.fields
    reply = add_with_rows(
        api,
        task_id,
        row(
            log.id,
            item(f["Date"], date),
            item(f["Employee"], f"<id>{user}</id>"),
            item(f["Quantity"], quantity),
        ),
    )
    assert reply.ok, reply.raw
    action_id = int(reply.text("action/id"))
    return action_id, keys_of(api, action_id)[0][1]


def _query(api: Api, log: WorkLog, inner: str = "") -> Reply:
    return api.call("analitic.getDataByCondition", f"<analitic><id>{log.id}</id></analitic>{inner}")


def _keys(reply: Reply) -> list[int]:
    assert reply.ok, reply.raw
    return [int(one.findtext("key") or 0) for one in reply.root.iterfind("analiticDatas/analiticData")]


def test_rows_of_the_analitic_with_task_and_action(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    other_id, other_fields = analitic(server, api.tenant, "Other", [("Sum", "NUMBER")])
    task_id = new_task(api)
    action_id, key = _add(api, log, task_id, "01-02-2018", api.tenant.owner_id)
    add_with_rows(api, task_id, row(other_id, item(other_fields["Sum"], "5")))
    reply = _query(api, log)
    assert _keys(reply) == [key]
    root = reply.root.find("analiticDatas")
    assert root is not None and list(root.attrib.items()) == [("totalCount", "1"), ("count", "1")]
    element = root[0]
    assert [child.tag for child in element][:4] == ["key", "task", "action", "itemData"]
    assert element.findtext("task/id") == str(task_id)
    assert element.findtext("action/id") == str(action_id)
    assert items_of(element)[log.fields["Quantity"]][1] == "1"


def test_filters_by_task_dates_and_user(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    worker, _ = employee(server, api, "worker")
    first, second = new_task(api), new_task(api)
    _, jan = _add(api, log, first, "31-01-2018", worker)
    _, feb = _add(api, log, first, "2018-02-01", api.tenant.owner_id)
    _, feb_end = _add(api, log, second, "28-02-2018", worker)
    _, march = _add(api, log, second, "01-03-2018", worker)
    date = log.fields["Date"]
    assert _keys(_query(api, log)) == [jan, feb, feb_end, march]
    assert _keys(_query(api, log, f"<task><id>{second}</id></task>")) == [feb_end, march]
    general = api.call("task.get", f"<task><id>{first}</id></task>").text("task/general")
    assert _keys(_query(api, log, f"<task><id></id><general>{general}</general></task>")) == [jan, feb]
    february = (
        f"<filters><filter><field>{date}</field><fromDate>01-02-2018</fromDate>"
        "<toDate>28-02-2018</toDate><userid></userid></filter></filters>"
    )
    assert _keys(_query(api, log, february)) == [feb, feb_end]
    by_worker = f"<filter><field>{log.fields['Employee']}</field><userid>{worker}</userid></filter>"
    assert _keys(_query(api, log, f"<filters>{by_worker}</filters>")) == [jan, feb_end, march]
    both = february.replace("</filters>", by_worker + "</filters>")
    assert _keys(_query(api, log, both)) == [feb_end]
    from_only = f"<filters><filter><field>{date}</field><fromDate>28-02-2018</fromDate></filter></filters>"
    assert _keys(_query(api, log, from_only)) == [feb_end, march]


def test_pages(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    task_id = new_task(api)
    keys = [_add(api, log, task_id, "01-02-2018", api.tenant.owner_id)[1] for _ in range(3)]
    page = _query(api, log, "<pageSize>2</pageSize><pageCurrent>2</pageCurrent>")
    assert _keys(page) == keys[2:]
    root = page.root.find("analiticDatas")
    assert root is not None and list(root.attrib.items()) == [("totalCount", "3"), ("count", "1")]
    assert (
        b'<analiticDatas totalCount="3" count="0"/>' in _query(api, log, "<pageCurrent>5</pageCurrent>").raw
    )


def test_only_rows_the_caller_sees(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    worker, as_worker = employee(server, api, "worker")
    hidden_task = new_task(api)
    shared = new_task(api, f"<workers><users><id>{worker}</id></users></workers>")
    _add(api, log, hidden_task, "01-02-2018", worker)
    _, seen = _add(api, log, shared, "01-02-2018", worker)
    assert _keys(_query(as_worker, log)) == [seen]
    assert _query(as_worker, log, f"<task><id>{hidden_task}</id></task>").code == "3008"


def test_errors(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    other_id, other_fields = analitic(server, api.tenant, "Other", [("Sum", "NUMBER")])
    assert other_id
    assert api.call("analitic.getDataByCondition", "<analitic><id>999</id></analitic>").code == "10002"
    assert api.call("analitic.getDataByCondition").code == "0009"
    assert _query(api, log, "<task><id>999</id></task>").code == "3001"
    bad_field = f"<filters><filter><field>{other_fields['Sum']}</field></filter></filters>"
    assert _query(api, log, bad_field).code == "4012"
    no_field = "<filters><filter><fromDate>01-02-2018</fromDate></filter></filters>"
    assert _query(api, log, no_field).code == "0009"
    bad_date = (
        f"<filters><filter><field>{log.fields['Date']}</field><fromDate>2018</fromDate></filter></filters>"
    )
    assert _query(api, log, bad_date).code == "0015"
    _, as_contact = signed_in_contact(server, api, "Client")
    assert _query(as_contact, log).code == "10001"
