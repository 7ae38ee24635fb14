from __future__ import annotations

from sqlalchemy import delete

from planfix_server.app import Server
from planfix_server.domain.statuses import service
from planfix_server.store.tables import status_sets, task_statuses
from tests.domain.users.helpers import body, unit_of_work
from tests.support import Api, add_user, provision


def test_a_new_account_has_the_default_process(api: Api) -> None:
    reply = api.call("taskStatus.getSetList")
    assert reply.ok, reply.raw
    container = reply.root.find("taskStatusSets")
    assert container is not None and container.get("totalCount") == "1"
    assert container.get("count") is None  # documented with totalCount alone
    assert reply.text("taskStatusSets/taskStatusSet/name") == "Default process"
    assert int(reply.text("taskStatusSets/taskStatusSet/id")) > 0


def test_lists_every_process_in_order(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        custom = service.add_status(uow, "Review", color="#123456")
        second = service.create_process(
            uow, "Sales", [1, custom, 3], [(1, custom, "owner")], accept_status_id=1
        )
        default = service.default_process_id(uow)
    reply = api.call("taskStatus.getSetList")
    assert body(reply) == (
        '<taskStatusSets totalCount="2">'
        f"<taskStatusSet><id>{default}</id><name>Default process</name></taskStatusSet>"
        f"<taskStatusSet><id>{second}</id><name>Sales</name></taskStatusSet>"
        "</taskStatusSets>"
    )


def test_an_account_older_than_processes_gets_the_default_one_on_first_use(api: Api, server: Server) -> None:
    with server.engine.begin() as connection:
        connection.execute(delete(status_sets).where(status_sets.c.account_id == api.tenant.account_id))
        connection.execute(delete(task_statuses).where(task_statuses.c.account_id == api.tenant.account_id))
    reply = api.call("taskStatus.getSetList")
    assert reply.ok, reply.raw
    assert reply.text("taskStatusSets/taskStatusSet/name") == "Default process"
    set_id = reply.text("taskStatusSets/taskStatusSet/id")
    statuses = api.call("taskStatus.getListOfSet", f"<taskStatusSet><id>{set_id}</id></taskStatusSet>")
    assert statuses.root.find("taskStatuses").get("totalCount") == "8"  # type: ignore[union-attr]
    # Once made, it stays the same process.
    assert api.call("taskStatus.getSetList").text("taskStatusSets/taskStatusSet/id") == set_id


def test_processes_of_another_account_never_appear(api: Api, server: Server) -> None:
    other = provision(server, "other")
    with unit_of_work(server, other) as uow:
        service.create_process(uow, "Theirs", [1, 2], [(1, 2, "owner")], accept_status_id=2)
    reply = api.call("taskStatus.getSetList")
    assert [element.text for element in reply.root.iterfind("taskStatusSets/taskStatusSet/name")] == [
        "Default process"
    ]


def test_employees_may_list_processes(api: Api, server: Server) -> None:
    _, token = add_user(server, api.tenant, "plain")
    reply = api.as_user(token).call("taskStatus.getSetList")
    assert reply.ok, reply.raw
    assert reply.text("taskStatusSets/taskStatusSet/name") == "Default process"
