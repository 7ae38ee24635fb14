from __future__ import annotations

from planfix_server.app import Server
from tests.domain.actions.helpers import add, comment, get, ids, listed
from tests.domain.tasks.helpers import employee, new_task, people
from tests.domain.users.helpers import body
from tests.support import Api, Reply, provision


def delete(api: Api, action_id: int) -> Reply:
    return api.call("action.delete", f"<action><id>{action_id}</id></action>")


def test_the_author_deletes_his_comment(api: Api) -> None:
    task_id = new_task(api)
    action_id = comment(api, task_id, "Oops")
    reply = delete(api, action_id)
    assert reply.ok, reply.raw
    assert body(reply) == f"<action><id>{action_id}</id></action>"
    assert get(api, action_id).code == "4002"
    assert action_id not in ids(listed(api, f"<task><id>{task_id}</id></task>"))
    assert delete(api, action_id).code == "4002"


def test_rights(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    _, admin_api = employee(server, api, "admin", role="ADMIN")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    owners = comment(
        api, task_id, "By the owner", f"<notifiedList><user><id>{worker}</id></user></notifiedList>"
    )
    assert delete(worker_api, owners).code == "4001"
    assert get(api, owners).ok
    workers = comment(worker_api, task_id, "By the worker")
    assert delete(admin_api, workers).ok


def test_what_stays(api: Api) -> None:
    task_id = new_task(api)
    created = ids(listed(api, f"<task><id>{task_id}</id></task>"))[-1]
    assert delete(api, created).code == "4001"
    moved = add(api, f"<task><id>{task_id}</id></task><taskNewStatus>CANCELED</taskNewStatus>")
    assert delete(api, int(moved.text("action/id"))).code == "4007"
    assert get(api, int(moved.text("action/id"))).ok


def test_unknown_hidden_and_foreign(api: Api, server: Server) -> None:
    other = Api(api.client, provision(server, "other"))
    foreign = comment(other, new_task(other), "Theirs")
    assignee, assignee_api = employee(server, api, "assignee")
    _, stranger_api = employee(server, api, "stranger")
    task_id = new_task(api, f"<workers>{people([assignee])}</workers>")
    hidden = comment(api, task_id, "Hidden", "<isHidden>1</isHidden>")
    assert delete(api, 99999).code == "4002"
    assert delete(api, foreign).code == "4002"
    assert get(other, foreign).ok
    assert delete(assignee_api, hidden).code == "4008"
    assert delete(stranger_api, comment(api, task_id)).code == "4009"
    assert api.call("action.delete", "<action></action>").code == "0009"
