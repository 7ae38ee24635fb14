from __future__ import annotations

from planfix_server.app import Server
from planfix_server.domain.statuses.defaults import ACCEPTED, ACTIVE, COMPLETED, REJECTED
from tests.domain.tasks.helpers import bulk, employee, get, new_task, people, personal_statuses, task_row
from tests.domain.users.helpers import add_group, body
from tests.support import Api, provision


def accept(api: Api, task_id: int) -> str:
    reply = api.call("task.accept", f"<task><id>{task_id}</id></task>")
    return "ok" if reply.ok else reply.code


def test_the_only_assignee_accepts(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    reply = worker_api.call("task.accept", f"<task><id>{task_id}</id></task>")
    assert body(reply) == f"<task><id>{task_id}</id></task>"
    assert get(api, task_id).text("task/status") == str(ACCEPTED)
    assert get(worker_api, task_id).text("task/status") == str(ACCEPTED)


def test_each_assignee_accepts_for_himself(api: Api, server: Server) -> None:
    first, first_api = employee(server, api, "first")
    second, second_api = employee(server, api, "second")
    task_id = new_task(api, f"<workers>{people([first, second])}</workers>")
    assert accept(first_api, task_id) == "ok"
    # The first sees his own status; the owner and the second still see New.
    assert get(first_api, task_id).text("task/status") == str(ACCEPTED)
    assert get(second_api, task_id).text("task/status") == str(ACTIVE)
    assert get(api, task_id).text("task/status") == str(ACTIVE)
    assert personal_statuses(server, api.tenant, task_id) == {
        ("user", first): ACCEPTED,
        ("user", second): ACTIVE,
    }
    assert accept(second_api, task_id) == "ok"
    assert get(api, task_id).text("task/status") == str(ACCEPTED)


def test_a_declined_assignee_does_not_hold_the_task(api: Api, server: Server) -> None:
    first, first_api = employee(server, api, "first")
    second, second_api = employee(server, api, "second")
    task_id = new_task(api, f"<workers>{people([first, second])}</workers>")
    assert second_api.call("task.reject", f"<task><id>{task_id}</id></task><reason>busy</reason>").ok
    assert task_row(server, api.tenant, task_id).status == ACTIVE
    assert accept(first_api, task_id) == "ok"
    assert task_row(server, api.tenant, task_id).status == ACCEPTED
    assert personal_statuses(server, api.tenant, task_id)[("user", second)] == REJECTED


def test_through_a_group(api: Api, server: Server) -> None:
    member, member_api = employee(server, api, "member")
    group = add_group(server, api.tenant, "Team", (member,))
    task_id = new_task(api, f"<workers>{people([], [group])}</workers>")
    assert accept(member_api, task_id) == "ok"
    assert get(api, task_id).text("task/status") == str(ACCEPTED)


def test_cannot_accept_twice_or_a_closed_task(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    assert accept(worker_api, task_id) == "ok"
    assert accept(worker_api, task_id) == "3011"
    closed = bulk(server, api.tenant, 1, status=COMPLETED, people=[("worker", "user", worker)])[0]
    assert accept(worker_api, closed) == "3011"


def test_only_assignees(api: Api, server: Server) -> None:
    member, member_api = employee(server, api, "member")
    task_id = new_task(api, f"<members>{people([member])}</members>")
    assert accept(member_api, task_id) == "3012"
    assert accept(api, task_id) == "3012"  # the owner is no assignee here


def test_errors(api: Api, server: Server) -> None:
    _, stranger = employee(server, api, "stranger")
    task_id = new_task(api)
    assert accept(api, 999999) == "3001"
    assert accept(stranger, task_id) == "3008"
    assert api.call("task.accept").code == "0009"
    assert api.call("task.accept", "<task><id>x</id></task>").code == "0015"
    other = provision(server, "other")
    theirs = int(Api(api.client, other).call("task.add", "<task><title>T</title></task>").text("task/id"))
    assert accept(api, theirs) == "3001"


def test_by_number(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    new_task(api, f"<workers>{people([worker])}</workers>")
    assert worker_api.call("task.accept", "<task><general>1</general></task>").ok
