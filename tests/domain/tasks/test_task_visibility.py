"""Who sees which tasks (10-tasks.md §4.4), through task.getList's counts and task.get."""

from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.projects.helpers import make_project
from tests.domain.tasks.helpers import bulk, counts, employee, ids, new_task, people
from tests.domain.users.helpers import add_group, make_head
from tests.support import Api

ROLES = (
    "owner",
    "worker",
    "group_worker",
    "member",
    "auditor",
    "owners_head",
    "workers_head",
    "members_head",
    "project_owner",
    "project_auditor",
    "project_group_auditor",
    "stranger",
    "project_member",
)


@pytest.fixture
def scene(api: Api, server: Server) -> dict[str, tuple[int, Api]]:
    users = {name: employee(server, api, name) for name in ROLES}
    uid = {name: users[name][0] for name in ROLES}
    workers = add_group(server, api.tenant, "Workers", (uid["group_worker"],))
    for name, head in (("owner", "owners_head"), ("worker", "workers_head"), ("member", "members_head")):
        make_head(server, api.tenant, add_group(server, api.tenant, f"{name}s", (uid[name],)), uid[head])
    auditors = add_group(server, api.tenant, "Auditors", (uid["project_group_auditor"],))
    project = make_project(
        server,
        api.tenant,
        "Audited",
        owner_id=uid["project_owner"],
        people=[
            ("auditor", "user", uid["project_auditor"]),
            ("auditor", "group", auditors),
            ("member", "user", uid["project_member"]),
        ],
    )
    owner_api = users["owner"][1]
    new_task(
        owner_api,
        f"<project><id>{project}</id></project><workers>{people([uid['worker']], [workers])}</workers>"
        f"<members>{people([uid['member']])}</members><auditors>{people([uid['auditor']])}</auditors>",
        title="The task",
    )
    bulk(server, api.tenant, 5, title="Someone else's {n}")  # owned by the account owner, nobody else on them
    return users


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("stranger", "project_member")])
def test_everyone_involved_sees_the_task(scene: dict[str, tuple[int, Api]], role: str) -> None:
    reply = scene[role][1].call("task.getList")
    assert counts(reply) == (1, 1), role
    assert reply.text("tasks/task/title") == "The task"
    assert scene[role][1].call("task.get", f"<task><id>{ids(reply)[0]}</id></task>").ok


@pytest.mark.parametrize("role", ["stranger", "project_member"])
def test_others_see_nothing(scene: dict[str, tuple[int, Api]], role: str) -> None:
    assert counts(scene[role][1].call("task.getList")) == (0, 0)


def test_administrators_see_everything(scene: dict[str, tuple[int, Api]], api: Api, server: Server) -> None:
    assert counts(api.call("task.getList")) == (6, 6)
    _, admin = employee(server, api, "admin", role="ADMIN")
    assert counts(admin.call("task.getList")) == (6, 6)


def test_counts_stay_right_across_pages(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    bulk(server, api.tenant, 130, people=[("worker", "user", worker)])
    bulk(server, api.tenant, 70)
    assert counts(
        worker_api.call("task.getList", "<pageCurrent>2</pageCurrent><pageSize>100</pageSize>")
    ) == (130, 30)
    assert counts(api.call("task.getList", "<pageCurrent>2</pageCurrent><pageSize>100</pageSize>")) == (
        200,
        100,
    )


def test_both_plans_of_a_page_agree(api: Api, server: Server) -> None:
    """A user who sees most of the account gets early pages by walking the tasks in order, later
    ones from his own set (task.getList picks the cheaper); the pages must join up exactly."""
    worker, worker_api = employee(server, api, "worker")
    hidden = bulk(server, api.tenant, 20)
    seen = bulk(server, api.tenant, 300, people=[("worker", "user", worker)])
    assert hidden
    pages: list[int] = []
    for number in range(1, 32):
        reply = worker_api.call("task.getList", f"<pageCurrent>{number}</pageCurrent><pageSize>10</pageSize>")
        assert counts(reply)[0] == 300
        pages += ids(reply)
    assert pages == seen[::-1]
    ascending: list[int] = []
    for number in range(1, 4):
        reply = worker_api.call("task.getList", f"<sort>NUMBER_ASC</sort><pageCurrent>{number}</pageCurrent>")
        ascending += ids(reply)
    assert ascending == seen


def test_templates_are_read_by_everyone(api: Api, server: Server) -> None:
    from tests.domain.tasks.helpers import template

    _, user = employee(server, api, "user")
    made = template(server, api.tenant, "Standard")
    assert ids(user.call("task.getList", "<target>template</target>")) == [made]
    assert user.call("task.get", f"<task><id>{made}</id></task>").ok
    assert user.call("task.add", f"<task><template>{made}</template></task>").ok
    assert user.call("task.update", f"<task><id>{made}</id><title>Mine</title></task>").code == "3009"
    recurring = template(server, api.tenant, "Weekly", is_periodic=True)
    assert ids(user.call("task.getList", "<target>periodic</target>")) == [recurring]
