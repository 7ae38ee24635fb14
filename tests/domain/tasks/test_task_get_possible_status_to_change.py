from __future__ import annotations

from dataclasses import replace

from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.domain.statuses.defaults import ACCEPTED, CANCELED, COMPLETED, DELAYED, DONE, DRAFT
from planfix_server.settings import Settings
from tests.domain.tasks.helpers import employee, new_task, people
from tests.domain.users.helpers import body
from tests.support import Api, provision


def values(api: Api, task_id: int) -> list[int]:
    reply = api.call("task.getPossibleStatusToChange", f"<task><id>{task_id}</id></task>")
    assert reply.ok, reply.raw
    return [int(one.findtext("value") or -1) for one in reply.root.iterfind("statusList/status")]


def test_the_owner_of_a_new_task(api: Api) -> None:
    task_id = new_task(api)
    reply = api.call("task.getPossibleStatusToChange", f"<task><id>{task_id}</id></task>")
    assert body(reply) == (
        '<statusList totalCount="4">'
        "<status><title>Draft</title><value>0</value></status>"
        "<status><title>Completed</title><value>3</value></status>"
        "<status><title>On hold</title><value>4</value></status>"
        "<status><title>Canceled</title><value>7</value></status>"
        "</statusList>"
    )


def test_follows_the_task_and_the_caller(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    assert values(worker_api, task_id) == [ACCEPTED]
    assert worker_api.call("task.accept", f"<task><id>{task_id}</id></task>").ok
    assert values(worker_api, task_id) == [DELAYED, DONE]
    assert values(api, task_id) == [COMPLETED, DELAYED, DONE, CANCELED]


def test_nothing_for_a_participant(api: Api, server: Server) -> None:
    member, member_api = employee(server, api, "member")
    task_id = new_task(api, f"<members>{people([member])}</members>")
    reply = member_api.call("task.getPossibleStatusToChange", f"<task><id>{task_id}</id></task>")
    assert body(reply) == '<statusList totalCount="0"/>'


def test_russian_titles(api: Api, settings: Settings) -> None:
    task_id = new_task(api, "<status>DRAFT</status>")
    russian = Server.start(replace(settings, language="ru"))
    with TestClient(create_app(server=russian), base_url="https://testserver") as client:
        reply = Api(client, api.tenant).call(
            "task.getPossibleStatusToChange", f"<task><id>{task_id}</id></task>"
        )
    russian.engine.dispose()
    assert [one.findtext("title") for one in reply.root.iterfind("statusList/status")] == [
        "Новая",
        "Отмененная",
    ]
    assert DRAFT not in values(api, task_id) and CANCELED in values(api, task_id)


def test_errors(api: Api, server: Server) -> None:
    _, stranger = employee(server, api, "stranger")
    task_id = new_task(api)
    assert api.call("task.getPossibleStatusToChange", "<task><id>999999</id></task>").code == "3001"
    assert stranger.call("task.getPossibleStatusToChange", f"<task><id>{task_id}</id></task>").code == "3008"
    assert api.call("task.getPossibleStatusToChange").code == "0009"
    other = provision(server, "other")
    theirs = int(Api(api.client, other).call("task.add", "<task><title>T</title></task>").text("task/id"))
    assert api.call("task.getPossibleStatusToChange", f"<task><id>{theirs}</id></task>").code == "3001"
