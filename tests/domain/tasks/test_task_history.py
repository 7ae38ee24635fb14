"""What the task functions write to a task's history, read back through action.getList."""

from __future__ import annotations

from lxml import etree

from planfix_server.app import Server
from planfix_server.domain.statuses.defaults import ACCEPTED, ACTIVE, CANCELED
from tests.domain.tasks.helpers import employee, new_task, people
from tests.support import Api


def entries(api: Api, task_id: int) -> list[etree._Element]:
    reply = api.call("action.getList", f"<task><id>{task_id}</id></task><sort>asc</sort>")
    assert reply.ok, reply.raw
    return list(reply.root.iterfind("actions/action"))


def types(api: Api, task_id: int) -> list[str]:
    return [one.findtext("type") or "" for one in entries(api, task_id)]


def xml(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")


def silent(api: Api, method: str, inner: str) -> None:
    reply = api.call(method, inner + "<silent>1</silent>")
    assert reply.ok, reply.raw


def test_task_created_with_its_assignees(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(
        api,
        f"<startDate>03-02-2030</startDate><endDate>07-02-2030</endDate><endTimeIsSet>1</endTimeIsSet>"
        f"<endTime>18:00</endTime><workers>{people([worker])}</workers>",
    )
    created, employed = entries(api, task_id)
    assert created.findtext("type") == "TASKCREATED"
    assert created.findtext("owner/id") == str(api.tenant.owner_id)
    assert "<oldDate>07-02-2030 18:00</oldDate><newDate>07-02-2030 18:00</newDate>" in xml(created)
    assert "<oldDate>03-02-2030 00:00</oldDate><newDate>03-02-2030 00:00</newDate>" in xml(created)
    notified = [one.text for one in created.iterfind("notifiedList/user/id")]
    assert notified == [str(api.tenant.owner_id), str(worker)]
    assert employed.findtext("type") == "WORKEREMPLOYED"
    assert employed.findtext("description") == "Assignee added: worker"
    seen_by_worker = entries(worker_api, task_id)
    assert [one.findtext("isNotRead") for one in seen_by_worker] == ["1", "1"]
    assert created.findtext("isNotRead") == "0"  # the author made it


def test_a_task_without_dates_has_no_date_nodes(api: Api) -> None:
    task_id = new_task(api)
    reply = api.call("action.getList", f"<task><id>{task_id}</id></task>")
    assert reply.text("actions/action/type") == "TASKCREATED"
    assert b"taskExpectDateChanged" not in reply.raw
    assert b"taskStartTimeChanged" not in reply.raw


def test_a_task_with_an_end_date_only_has_that_node(api: Api) -> None:
    task_id = new_task(
        api, "<endDate>05-03-2030</endDate><endTimeIsSet>1</endTimeIsSet><endTime>12:00</endTime>"
    )
    reply = api.call("action.getList", f"<task><id>{task_id}</id></task>")
    assert reply.text("actions/action/taskExpectDateChanged/newDate") == "05-03-2030 12:00"
    assert reply.text("actions/action/taskExpectDateChanged/newDateIsSet") == "1"
    assert b"taskStartTimeChanged" not in reply.raw


def test_status_changes_acceptance_and_rejection(api: Api, server: Server) -> None:
    first, first_api = employee(server, api, "first")
    second, second_api = employee(server, api, "second")
    task_id = new_task(api, f"<workers>{people([first, second])}</workers>")
    assert first_api.call("task.accept", f"<task><id>{task_id}</id></task>").ok
    assert second_api.call(
        "task.reject", f"<task><id>{task_id}</id></task><reason>No time &amp; no tools</reason>"
    ).ok
    found = entries(api, task_id)[3:]
    assert [one.findtext("type") for one in found] == ["TASKACCEPTED", "STATUSCHANGED", "TASKREJECTED"]
    assert found[0].findtext("owner/id") == str(first)
    moved = found[1]
    assert moved.findtext("statusChange/oldStatus") == str(ACTIVE)
    assert moved.findtext("statusChange/newStatus") == str(ACCEPTED)
    assert found[2].findtext("description") == "No time & no tools"
    assert api.call("task.changeStatus", f"<task><id>{task_id}</id></task><status>CANCELED</status>").ok
    last = entries(api, task_id)[-1]
    assert last.findtext("type") == "STATUSCHANGED"
    assert last.findtext("statusChange/newStatus") == str(CANCELED)


def test_deadline_moves_and_requests(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<endDate>07-02-2030</endDate><workers>{people([worker])}</workers>")
    assert api.call(
        "task.changeExpectDate", f"<task><id>{task_id}</id></task><expectDate>05-03-2030 12:00</expectDate>"
    ).ok
    moved = entries(api, task_id)[-1]
    assert moved.findtext("type") == "TASKEXPECTDATECHANGED"
    assert "<oldDate>07-02-2030 23:59</oldDate><newDate>05-03-2030 12:00</newDate>" in xml(moved)
    assert worker_api.call("task.accept", f"<task><id>{task_id}</id></task>").ok
    count = len(entries(api, task_id))
    silent(
        worker_api,
        "task.changeExpectDate",
        f"<task><id>{task_id}</id></task><expectDate>10-03-2030</expectDate>",
    )
    found = entries(api, task_id)
    assert len(found) == count + 1  # the request is kept even when the call is silent
    request = found[-1]
    assert request.findtext("type") == "CHANGEDATEREQUEST"
    assert request.findtext("owner/id") == str(worker)
    assert "<oldDate>05-03-2030 12:00</oldDate><newDate>10-03-2030 23:59</newDate>" in xml(request)
    assert request.findtext("isNotRead") == "1"  # for the assigner


def test_task_update_and_assignees(api: Api, server: Server) -> None:
    first, _ = employee(server, api, "first")
    second, _ = employee(server, api, "second")
    task_id = new_task(api, f"<endDate>07-02-2030</endDate><workers>{people([first])}</workers>")
    assert api.call(
        "task.update", f"<task><id>{task_id}</id><title>Renamed</title><endDate>09-02-2030</endDate></task>"
    ).ok
    changed = entries(api, task_id)[-1]
    assert changed.findtext("type") == "TASKCHANGED"
    assert changed.findtext("description") == "Task changed: endTime, title"
    assert "<oldDate>07-02-2030 23:59</oldDate><newDate>09-02-2030 23:59</newDate>" in xml(changed)
    assert changed.findtext("task/title") == "Renamed"
    workers = f"<addUsers><id>{second}</id></addUsers><delUsers><id>{first}</id></delUsers>"
    assert api.call("task.changeWorkers", f"<task><id>{task_id}</id><workers>{workers}</workers></task>").ok
    found = entries(api, task_id)[-2:]
    assert [one.findtext("type") for one in found] == ["WORKEREMPLOYED", "WORKERUNEMPLOYED"]
    assert found[1].findtext("description") == "Assignee removed: first"


def test_silent_calls_write_nothing(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    reply = api.call(
        "task.add",
        f"<task><title>Quiet</title><workers>{people([worker])}</workers></task><silent>1</silent>",
    )
    task_id = int(reply.text("task/id"))
    silent(api, "task.update", f"<task><id>{task_id}</id><title>Still quiet</title></task>")
    silent(worker_api, "task.accept", f"<task><id>{task_id}</id></task>")
    silent(api, "task.changeStatus", f"<task><id>{task_id}</id></task><status>CANCELED</status>")
    silent(
        api, "task.changeExpectDate", f"<task><id>{task_id}</id></task><expectDate>05-03-2030</expectDate>"
    )
    assert types(api, task_id) == []
