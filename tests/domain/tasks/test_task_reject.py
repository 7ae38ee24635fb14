from __future__ import annotations

from planfix_server.app import Server
from planfix_server.domain.statuses.defaults import ACTIVE, REJECTED
from tests.domain.tasks.helpers import employee, get, new_task, people, personal_statuses
from tests.domain.users.helpers import body
from tests.support import Api, provision


def reject(api: Api, task_id: int, reason: str = "No time") -> str:
    reply = api.call("task.reject", f"<task><id>{task_id}</id></task><reason>{reason}</reason>")
    return "ok" if reply.ok else reply.code


def test_the_only_assignee_declines(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    reply = worker_api.call("task.reject", f"<task><id>{task_id}</id></task><reason>No time</reason>")
    assert body(reply) == f"<task><id>{task_id}</id></task>"
    assert get(api, task_id).text("task/status") == str(REJECTED)


def test_one_of_two_declines(api: Api, server: Server) -> None:
    first, first_api = employee(server, api, "first")
    second, second_api = employee(server, api, "second")
    task_id = new_task(api, f"<workers>{people([first, second])}</workers>")
    assert reject(first_api, task_id) == "ok"
    assert get(first_api, task_id).text("task/status") == str(REJECTED)
    assert get(api, task_id).text("task/status") == str(ACTIVE)
    assert personal_statuses(server, api.tenant, task_id)[("user", first)] == REJECTED
    assert reject(second_api, task_id) == "ok"
    assert get(api, task_id).text("task/status") == str(REJECTED)


def test_cannot_decline_once_accepted_or_declined(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    assert worker_api.call("task.accept", f"<task><id>{task_id}</id></task>").ok
    assert reject(worker_api, task_id) == "3010"
    other = new_task(api, f"<workers>{people([worker])}</workers>")
    assert reject(worker_api, other) == "ok"
    assert reject(worker_api, other) == "3010"


def test_reason_is_required(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    assert worker_api.call("task.reject", f"<task><id>{task_id}</id></task>").code == "0009"
    assert reject(worker_api, task_id, reason="  ") == "0009"
    assert api.call("task.reject", "<reason>why</reason>").code == "0009"


def test_errors(api: Api, server: Server) -> None:
    member, member_api = employee(server, api, "member")
    _, stranger = employee(server, api, "stranger")
    task_id = new_task(api, f"<members>{people([member])}</members>")
    assert reject(member_api, task_id) == "3012"
    assert reject(stranger, task_id) == "3008"
    assert reject(api, 999999) == "3001"
    other = provision(server, "other")
    theirs = int(Api(api.client, other).call("task.add", "<task><title>T</title></task>").text("task/id"))
    assert reject(api, theirs) == "3001"
