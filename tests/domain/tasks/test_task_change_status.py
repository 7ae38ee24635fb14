from __future__ import annotations

import pytest

from planfix_server.app import Server
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import (
    ACCEPTED,
    ACTIVE,
    CANCELED,
    COMPLETED,
    DELAYED,
    DONE,
    DRAFT,
    REJECTED,
)
from tests.domain.tasks.helpers import bulk, employee, get, new_task, people, personal_statuses, task_row
from tests.domain.users.helpers import add_group, body, make_head, unit_of_work
from tests.support import Api, provision

ALL = (DRAFT, ACTIVE, ACCEPTED, COMPLETED, DELAYED, REJECTED, DONE, CANCELED)


def change(api: Api, task_id: int, status: object, extra: str = "") -> str:
    reply = api.call("task.changeStatus", f"<task><id>{task_id}</id></task><status>{status}</status>{extra}")
    return "ok" if reply.ok else reply.code


def possible(api: Api, task_id: int) -> list[int]:
    reply = api.call("task.getPossibleStatusToChange", f"<task><id>{task_id}</id></task>")
    assert reply.ok, reply.raw
    return [int(one.findtext("value") or -1) for one in reply.root.iterfind("statusList/status")]


def test_the_owner_completes(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    reply = api.call("task.changeStatus", f"<task><id>{task_id}</id></task><status>COMPLETED</status>")
    assert body(reply) == f"<task><id>{task_id}</id></task>"
    assert get(api, task_id).text("task/status") == str(COMPLETED)
    assert task_row(server, api.tenant, task_id).completed_at is not None


def test_by_number_and_by_id(api: Api) -> None:
    first = new_task(api)
    second = new_task(api)
    reply = api.call(
        "task.changeStatus", f"<task><id>{first}</id><general>2</general></task><status>7</status>"
    )
    assert reply.text("task/id") == str(second)
    assert get(api, second).text("task/status") == str(CANCELED)
    assert get(api, first).text("task/status") != str(CANCELED)


def test_an_assignee_works_through_the_process(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    # Not accepted yet: only accepting is open to him, and changeStatus to the accept target accepts.
    assert possible(worker_api, task_id) == [ACCEPTED]
    assert change(worker_api, task_id, "DONE") == "3013"
    assert change(worker_api, task_id, "ACCEPTED") == "ok"
    assert get(api, task_id).text("task/status") == str(ACCEPTED)
    assert possible(worker_api, task_id) == [DELAYED, DONE]  # the result is checked: not Completed
    assert change(worker_api, task_id, "COMPLETED") == "4006"
    assert change(worker_api, task_id, "DONE") == "ok"
    assert task_row(server, api.tenant, task_id).done_at is not None
    assert change(api, task_id, "COMPLETED") == "ok"


def test_an_assignee_completes_an_unchecked_task(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<checkResult>0</checkResult><workers>{people([worker])}</workers>")
    assert change(worker_api, task_id, "ACCEPTED") == "ok"
    assert COMPLETED in possible(worker_api, task_id)
    assert change(worker_api, task_id, "COMPLETED") == "ok"


def test_delayed_needs_a_date(api: Api, server: Server) -> None:
    task_id = new_task(api)
    assert change(api, task_id, "DELAYED") == "0017"
    assert change(api, task_id, "DELAYED", "<dateTime>01-03-2030 10:00</dateTime>") == "ok"
    row = task_row(server, api.tenant, task_id)
    assert row.status == DELAYED and row.delayed_until is not None
    # Other statuses ignore dateTime (one client always sends it).
    assert change(api, task_id, "CANCELED", "<dateTime>01-03-2030 10:00</dateTime>") == "ok"
    assert task_row(server, api.tenant, task_id).delayed_until is None


def test_rejected_is_refused(api: Api) -> None:
    task_id = new_task(api)
    assert change(api, task_id, "REJECTED") == "0016"
    assert change(api, task_id, REJECTED) == "0016"
    assert REJECTED not in possible(api, task_id)


def test_back_to_new_every_assignee_accepts_again(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    assert change(worker_api, task_id, "ACCEPTED") == "ok"
    assert change(api, task_id, "DELAYED", "<dateTime>01-03-2030</dateTime>") == "ok"
    assert change(api, task_id, "ACTIVE") == "ok"
    assert personal_statuses(server, api.tenant, task_id) == {("user", worker): ACTIVE}
    assert worker_api.call("task.accept", f"<task><id>{task_id}</id></task>").ok


def test_the_same_status_changes_nothing(api: Api) -> None:
    task_id = new_task(api)
    assert change(api, task_id, "ACTIVE") == "ok"
    assert get(api, task_id).text("task/status") == str(ACTIVE)


def test_rights(api: Api, server: Server) -> None:
    member, member_api = employee(server, api, "member")
    worker, _ = employee(server, api, "worker")
    head, head_api = employee(server, api, "head")
    auditor, auditor_api = employee(server, api, "auditor")
    _, stranger = employee(server, api, "stranger")
    group = add_group(server, api.tenant, "Workers", (worker,))
    make_head(server, api.tenant, group, head)
    task_id = new_task(
        api,
        f"<workers>{people([worker])}</workers><members>{people([member])}</members>"
        f"<auditors>{people([auditor])}</auditors>",
    )
    assert possible(member_api, task_id) == []
    assert change(member_api, task_id, "CANCELED") == "3009"
    assert change(stranger, task_id, "CANCELED") == "3008"
    # The assignee's head acts on the assignee's side; an auditor on the assigner's.
    assert possible(head_api, task_id) == [ACCEPTED]
    assert change(auditor_api, task_id, "CANCELED") == "ok"


def test_errors(api: Api, server: Server) -> None:
    task_id = new_task(api)
    assert change(api, 999999, "DONE") == "3001"
    assert change(api, task_id, "SOMEWHERE") == "0015"
    assert change(api, task_id, 999) == "0015"
    assert api.call("task.changeStatus", f"<task><id>{task_id}</id></task>").code == "0009"
    assert api.call("task.changeStatus", "<status>DONE</status>").code == "0009"
    with unit_of_work(server, api.tenant) as uow:
        custom = status_service.add_status(uow, "Elsewhere")
        status_service.create_process(uow, "Other", [1, 2, custom], [], accept_status_id=2)
    assert change(api, task_id, custom) == "0016"
    other = provision(server, "other")
    theirs = int(Api(api.client, other).call("task.add", "<task><title>T</title></task>").text("task/id"))
    assert change(api, theirs, "DONE") == "3001"


SCENARIOS = {
    "owner on new": (None, ACTIVE, True),
    "owner in progress": (None, ACCEPTED, True),
    "owner done": (None, DONE, True),
    "owner delayed": (None, DELAYED, True),
    "owner completed": (None, COMPLETED, True),
    "owner canceled": (None, CANCELED, True),
    "owner draft": (None, DRAFT, True),
    "owner rejected": (None, REJECTED, True),
    "assignee new": ("worker", ACTIVE, True),
    "assignee in progress": ("worker", ACCEPTED, True),
    "assignee in progress, unchecked": ("worker", ACCEPTED, False),
    "assignee done": ("worker", DONE, True),
    "participant": ("member", ACCEPTED, True),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_possible_statuses_are_what_change_status_accepts(api: Api, server: Server, scenario: str) -> None:
    role, status, check = SCENARIOS[scenario]
    caller = api
    people_rows: list[tuple[str, str, int]] = []
    if role is not None:
        user_id, caller = employee(server, api, "someone")
        people_rows = [(role, "user", user_id)]
    personal = ACTIVE if status == ACTIVE else None
    for target in ALL:
        task_id = bulk(server, api.tenant, 1, status=status, check_result=check, people=people_rows)[0]
        if personal is not None and role == "worker":
            with unit_of_work(server, api.tenant) as uow:
                from planfix_server.domain.tasks.repository import TaskRepository

                uow.get(TaskRepository).set_personal_status(task_id, "user", people_rows[0][2], personal)
        listed = possible(caller, task_id)
        answer = change(caller, task_id, target, "<dateTime>01-03-2030 10:00</dateTime>")
        if target == status:  # no change at all, but REJECTED is refused and participants have no say
            expected = "0016" if target == REJECTED else "3009" if role == "member" else "ok"
            assert answer == expected, (scenario, target)
        else:
            assert (answer == "ok") == (target in listed), (scenario, target, listed, answer)


def test_titles_follow_the_language_setting(api: Api, server: Server) -> None:
    reply = api.call("task.getPossibleStatusToChange", f"<task><id>{new_task(api)}</id></task>")
    assert body(reply).startswith(
        '<statusList totalCount="4"><status><title>Draft</title><value>0</value></status>'
    )
