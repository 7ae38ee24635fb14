from __future__ import annotations

from planfix_server.app import Server
from planfix_server.domain.statuses.defaults import ACCEPTED, ACTIVE
from tests.domain.tasks.helpers import employee, get, new_task, people, personal_statuses, refs, task_row
from tests.domain.users.helpers import add_group, body
from tests.support import Api, provision


def change(api: Api, task_id: int, inner: str) -> str:
    reply = api.call("task.changeWorkers", f"<task><id>{task_id}</id><workers>{inner}</workers></task>")
    return "ok" if reply.ok else reply.code


def ids(tag: str, values: list[int]) -> str:
    return f"<{tag}>" + "".join(f"<id>{one}</id>" for one in values) + f"</{tag}>"


def test_adds_and_removes(api: Api, server: Server) -> None:
    first, _ = employee(server, api, "first")
    second, _ = employee(server, api, "second")
    group = add_group(server, api.tenant, "Team")
    task_id = new_task(api, f"<workers>{people([first])}</workers>")
    reply = api.call(
        "task.changeWorkers",
        f"<task><id>{task_id}</id><workers>{ids('addUsers', [second])}{ids('addGroups', [group])}"
        f"{ids('delUsers', [first])}</workers></task>",
    )
    assert body(reply) == f"<task><id>{task_id}</id></task>"
    card = get(api, task_id)
    assert refs(card, "task/workers/users/user") == [second]
    assert refs(card, "task/workers/groups/group") == [group]
    assert change(api, task_id, ids("delGroups", [group])) == "ok"
    assert refs(get(api, task_id), "task/workers/groups/group") == []


def test_idempotent(api: Api, server: Server) -> None:
    first, _ = employee(server, api, "first")
    other, _ = employee(server, api, "other")
    task_id = new_task(api, f"<workers>{people([first])}</workers>")
    assert change(api, task_id, ids("addUsers", [first]) + ids("delUsers", [other])) == "ok"
    assert refs(get(api, task_id), "task/workers/users/user") == [first]


def test_newcomers_are_new_and_the_task_moves_on_when_the_last_holdout_leaves(
    api: Api, server: Server
) -> None:
    first, first_api = employee(server, api, "first")
    second, _ = employee(server, api, "second")
    task_id = new_task(api, f"<workers>{people([first, second])}</workers>")
    assert first_api.call("task.accept", f"<task><id>{task_id}</id></task>").ok
    assert task_row(server, api.tenant, task_id).status == ACTIVE
    assert change(api, task_id, ids("delUsers", [second])) == "ok"
    assert task_row(server, api.tenant, task_id).status == ACCEPTED
    third, _ = employee(server, api, "third")
    assert change(api, task_id, ids("addUsers", [third])) == "ok"
    assert personal_statuses(server, api.tenant, task_id)[("user", third)] == ACTIVE


def test_rights_and_errors(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    _, stranger = employee(server, api, "stranger")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    assert change(worker_api, task_id, ids("addUsers", [api.tenant.owner_id])) == "3009"
    assert change(stranger, task_id, ids("addUsers", [api.tenant.owner_id])) == "3008"
    assert change(api, 999999, ids("addUsers", [worker])) == "3001"
    assert change(api, task_id, ids("addUsers", [999999])) == "6004"
    assert change(api, task_id, ids("addGroups", [999999])) == "5001"
    assert api.call("task.changeWorkers", "<task><workers></workers></task>").code == "0009"
    other = provision(server, "other")
    theirs = int(Api(api.client, other).call("task.add", "<task><title>T</title></task>").text("task/id"))
    assert change(api, theirs, ids("addUsers", [worker])) == "3001"
    assert change(api, task_id, ids("addUsers", [other.owner_id])) == "6004"
