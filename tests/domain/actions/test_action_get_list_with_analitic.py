from __future__ import annotations

from planfix_server.app import Server
from tests.domain.actions.helpers import comment, counts, ids
from tests.domain.analitics.helpers import add_with_rows, analitic, item, row, work_log
from tests.domain.tasks.helpers import employee, new_task
from tests.support import Api, provision


def _with(api: Api, task_id: int, analitic_id: int, field_id: int, extra: str = "") -> int:
    reply = add_with_rows(api, task_id, row(analitic_id, item(field_id, "1")), extra=extra)
    assert reply.ok, reply.raw
    return int(reply.text("action/id"))


def test_lists_the_actions_carrying_the_analitic(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    other_id, other_fields = analitic(server, api.tenant, "Other", [("Sum", "NUMBER")])
    first, second = new_task(api), new_task(api)
    quantity = log.fields["Quantity"]
    old = _with(api, first, log.id, quantity, "<dateTime>01-02-2018 10:00</dateTime>")
    comment(api, first)
    _with(api, first, other_id, other_fields["Sum"])
    new = _with(api, second, log.id, quantity, "<dateTime>02-02-2018 10:00</dateTime>")
    reply = api.call("action.getListWithAnalitic", f"<analitic><id>{log.id}</id></analitic>")
    assert reply.ok, reply.raw
    assert ids(reply) == [new, old]
    assert counts(reply) == (2, 2)
    assert reply.root.findtext("actions/action/analitics/analitic/id") == str(log.id)
    one_task = api.call(
        "action.getListWithAnalitic", f"<analitic><id>{log.id}</id></analitic><task><id>{first}</id></task>"
    )
    assert ids(one_task) == [old]
    page = api.call(
        "action.getListWithAnalitic",
        f"<analitic><id>{log.id}</id></analitic><pageSize>1</pageSize><pageCurrent>2</pageCurrent>",
    )
    assert ids(page) == [old] and counts(page) == (2, 1)
    asc = api.call("action.getListWithAnalitic", f"<analitic><id>{log.id}</id></analitic><sort>asc</sort>")
    assert ids(asc) == [old, new]


def test_only_actions_the_caller_sees(api: Api, server: Server) -> None:
    log = work_log(server, api.tenant)
    worker, as_worker = employee(server, api, "worker")
    hidden_task = new_task(api)
    shared = new_task(api, f"<workers><users><id>{worker}</id></users></workers>")
    quantity = log.fields["Quantity"]
    _with(api, hidden_task, log.id, quantity)
    _with(api, shared, log.id, quantity, "<isHidden>1</isHidden>")
    seen = _with(api, shared, log.id, quantity)
    reply = as_worker.call("action.getListWithAnalitic", f"<analitic><id>{log.id}</id></analitic>")
    assert ids(reply) == [seen] and counts(reply) == (1, 1)
    denied = as_worker.call(
        "action.getListWithAnalitic",
        f"<analitic><id>{log.id}</id></analitic><task><id>{hidden_task}</id></task>",
    )
    assert denied.code == "4009"


def test_unknown_analitics_and_tasks(api: Api, server: Server) -> None:
    theirs, _ = analitic(server, provision(server, "other"), "Theirs", [])
    task_id = new_task(api)
    comment(api, task_id)
    assert api.call("action.getListWithAnalitic", "<analitic><id>263</id></analitic>").code == "4010"
    assert api.call("action.getListWithAnalitic", f"<analitic><id>{theirs}</id></analitic>").code == "4010"
    mine, _ = analitic(server, api.tenant, "Mine", [])
    empty = api.call("action.getListWithAnalitic", f"<analitic><id>{mine}</id></analitic>")
    assert b'<actions totalCount="0" count="0"/>' in empty.raw
    missing = api.call(
        "action.getListWithAnalitic", f"<analitic><id>{mine}</id></analitic><task><id>999</id></task>"
    )
    assert missing.code == "3001"


def test_the_analitic_is_required(api: Api) -> None:
    assert api.call("action.getListWithAnalitic", "").code == "0009"
    assert api.call("action.getListWithAnalitic", "<analitic><id>0</id></analitic>").code == "0009"
    assert api.call("action.getListWithAnalitic", "<analitic><id>x</id></analitic>").code == "0015"
