from __future__ import annotations

from planfix_server.app import Server
from tests.domain.tasks.helpers import employee, get, new_task, people
from tests.domain.users.helpers import body
from tests.support import Api, provision


def expect(api: Api, task_id: int, when: str) -> tuple[str, str | None]:
    reply = api.call(
        "task.changeExpectDate", f"<task><id>{task_id}</id></task><expectDate>{when}</expectDate>"
    )
    if not reply.ok:
        return reply.code, None
    return "ok", reply.root.findtext("task/endTime")


def accepted_task(api: Api, server: Server, extra: str = "") -> tuple[int, Api]:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers><endDate>01-03-2030</endDate>{extra}")
    assert worker_api.call("task.accept", f"<task><id>{task_id}</id></task>").ok
    return task_id, worker_api


def test_an_assignee_of_an_unchecked_task_moves_the_deadline(api: Api, server: Server) -> None:
    task_id, worker_api = accepted_task(api, server, "<checkResult>0</checkResult>")
    reply = worker_api.call(
        "task.changeExpectDate", f"<task><id>{task_id}</id></task><expectDate>05-03-2030 18:00</expectDate>"
    )
    assert body(reply) == f"<task><id>{task_id}</id><endTime>05-03-2030 18:00</endTime></task>"
    assert get(api, task_id).text("task/endTime") == "05-03-2030 18:00"


def test_an_assignee_of_a_checked_task_only_asks(api: Api, server: Server) -> None:
    task_id, worker_api = accepted_task(api, server, "<checkResult>1</checkResult>")
    reply = worker_api.call(
        "task.changeExpectDate", f"<task><id>{task_id}</id></task><expectDate>05-03-2030</expectDate>"
    )
    assert body(reply) == f"<task><id>{task_id}</id></task>"
    assert get(api, task_id).text("task/endTime") == "01-03-2030"


def test_the_owner_moves_it(api: Api) -> None:
    task_id = new_task(api, "<endDate>01-03-2030</endDate>")
    assert expect(api, task_id, "07-03-2030") == ("ok", "07-03-2030")


def test_errors(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    member, member_api = employee(server, api, "member")
    _, stranger = employee(server, api, "stranger")
    task_id = new_task(
        api,
        f"<workers>{people([worker])}</workers><members>{people([member])}</members><startDate>01-03-2030</startDate>",
    )
    assert expect(worker_api, task_id, "05-03-2030")[0] == "3013"  # not accepted yet
    assert expect(member_api, task_id, "05-03-2030")[0] == "3012"
    assert expect(stranger, task_id, "05-03-2030")[0] == "3008"
    assert expect(api, 999999, "05-03-2030")[0] == "3001"
    assert expect(api, task_id, "28-02-2030")[0] == "3006"
    assert expect(api, task_id, "31-02-2030")[0] == "0015"
    assert api.call("task.changeExpectDate", f"<task><id>{task_id}</id></task>").code == "0009"
    other = provision(server, "other")
    theirs = int(Api(api.client, other).call("task.add", "<task><title>T</title></task>").text("task/id"))
    assert expect(api, theirs, "05-03-2030")[0] == "3001"
