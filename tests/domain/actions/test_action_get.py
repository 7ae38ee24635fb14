from __future__ import annotations

from planfix_server.app import Server
from tests.domain.actions.helpers import add, children, comment, get
from tests.domain.projects.helpers import add_project
from tests.domain.tasks.helpers import employee, new_task, people
from tests.support import Api, provision


def test_the_action_as_captured(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    project = add_project(api, "<title>Standards</title>")
    task_id = new_task(api, f"<project><id>{project}</id></project><workers>{people([worker])}</workers>")
    reply = add(
        api,
        f"<description>&lt;p&gt;Changes the status&lt;br/&gt;</description><task><id>{task_id}</id></task>"
        f"<taskNewStatus>CANCELED</taskNewStatus><notifiedList><user><id>{worker}</id></user></notifiedList>",
    )
    action_id = int(reply.text("action/id"))
    card = get(api, action_id)
    assert card.ok, card.raw
    assert children(card) == [
        "id",
        "description",
        "type",
        "statusChange",
        "isNotRead",
        "dateTime",
        "fromEmail",
        "task",
        "project",
        "owner",
        "notifiedList",
    ]
    raw = card.raw.decode()
    assert "<description>&lt;p&gt;Changes the status&lt;br/&gt;</description>" in raw
    assert "<statusChange><oldStatus>1</oldStatus><newStatus>7</newStatus></statusChange>" in raw
    assert card.text("action/project/id") == str(project)
    assert card.text("action/project/title") == "Standards"
    assert card.text("action/notifiedList/user/id") == str(worker)
    assert card.text("action/notifiedList/user/name") == "worker"
    assert raw.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<response status="ok"><action>')


def test_the_created_entry_carries_both_dates(api: Api) -> None:
    task_id = new_task(api, "<startDate>03-02-2030</startDate><endDate>07-02-2030</endDate>")
    listing = api.call("action.getList", f"<task><id>{task_id}</id></task><sort>asc</sort>")
    created = int(listing.text("actions/action/id"))
    card = get(api, created)
    assert card.text("action/type") == "TASKCREATED"
    assert children(card)[-3:] == ["taskExpectDateChanged", "taskStartTimeChanged", "notifiedList"]
    raw = card.raw.decode()
    assert (
        "<taskExpectDateChanged><oldDate>07-02-2030 23:59</oldDate><newDate>07-02-2030 23:59</newDate>"
        "<newDateIsSet>1</newDateIsSet><oldDateIsSet>1</oldDateIsSet></taskExpectDateChanged>"
    ) in raw
    assert (
        "<taskStartTimeChanged><oldDate>03-02-2030 00:00</oldDate><newDate>03-02-2030 00:00</newDate>"
        "<newDateIsSet>1</newDateIsSet><oldDateIsSet>1</oldDateIsSet></taskStartTimeChanged>"
    ) in raw


def test_reading_marks_it_read(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    action_id = comment(api, task_id, extra=f"<notifiedList><user><id>{worker}</id></user></notifiedList>")
    listing = worker_api.call("action.getList", f"<task><id>{task_id}</id></task>")
    assert listing.text("actions/action/isNotRead") == "1"  # a list does not mark anything read
    assert get(worker_api, action_id).text("action/isNotRead") == "1"
    assert get(worker_api, action_id).text("action/isNotRead") == "0"
    assert (
        worker_api.call("action.getList", f"<task><id>{task_id}</id></task>").text("actions/action/isNotRead")
        == "0"
    )


def test_unknown_and_missing(api: Api) -> None:
    assert get(api, 99999).code == "4002"
    assert api.call("action.get", "<action></action>").code == "0009"
    assert api.call("action.get", "<action><id>x</id></action>").code == "0015"


def test_another_accounts_action(api: Api, server: Server) -> None:
    other = Api(api.client, provision(server, "other"))
    foreign = comment(other, new_task(other), "Secret")
    reply = get(api, foreign)
    assert reply.code == "4002"
    assert b"Secret" not in reply.raw


def test_hidden_actions(api: Api, server: Server) -> None:
    notified, notified_api = employee(server, api, "notified")
    other, other_api = employee(server, api, "other")
    _, admin_api = employee(server, api, "admin", role="ADMIN")
    task_id = new_task(api, f"<workers>{people([notified, other])}</workers>")
    hidden = comment(
        api,
        task_id,
        "Only for you",
        f"<isHidden>1</isHidden><notifiedList><user><id>{notified}</id></user></notifiedList>",
    )
    assert get(api, hidden).ok
    assert get(notified_api, hidden).ok
    assert get(other_api, hidden).code == "4008"
    assert get(admin_api, hidden).code == "4008"


def test_a_task_out_of_sight(api: Api, server: Server) -> None:
    _, stranger = employee(server, api, "stranger")
    action_id = comment(api, new_task(api))
    assert get(stranger, action_id).code == "4009"
