from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.domain.statuses.defaults import ACCEPTED, ACTIVE, CANCELED, COMPLETED, DRAFT
from planfix_server.domain.tasks.repository import TaskRepository
from planfix_server.settings import Settings
from tests.domain.projects.helpers import make_project
from tests.domain.tasks.helpers import bulk, counts, employee, ids, new_task, people, template
from tests.domain.users.helpers import add_group, body
from tests.support import Api, provision


def page(api: Api, inner: str = "") -> list[int]:
    reply = api.call("task.getList", inner)
    assert reply.ok, reply.raw
    return ids(reply)


def test_items_are_cards_without_members_and_auditors(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers><members>{people([worker])}</members>")
    reply = api.call("task.getList", "<pageCurrent>1</pageCurrent><pageSize>100</pageSize>")
    assert body(reply).startswith(
        f'<tasks totalCount="1" count="1"><task><id>{task_id}</id><title>Task</title>'
    )
    item = reply.root.find("tasks/task")
    assert item is not None
    assert item.find("members") is None and item.find("auditors") is None
    assert [child.tag for child in item][-2:] == ["customData", "workers"]
    assert item.findtext("workers/users/user/id") == str(worker)


def test_empty_list(api: Api) -> None:
    reply = api.call("task.getList", "<pageCurrent>1</pageCurrent>")
    assert body(reply) == '<tasks totalCount="0" count="0"/>'


def test_paging_over_many_tasks(api: Api, server: Server) -> None:
    made = bulk(server, api.tenant, 260)
    newest_first = made[::-1]
    seen: list[int] = []
    for number in (1, 2, 3):
        reply = api.call("task.getList", f"<pageCurrent>{number}</pageCurrent><pageSize>100</pageSize>")
        total, count = counts(reply)
        assert total == 260
        assert count == (100 if number < 3 else 60)
        seen += ids(reply)
    assert seen == newest_first
    past_the_end = api.call("task.getList", "<pageCurrent>4</pageCurrent><pageSize>100</pageSize>")
    assert body(past_the_end) == '<tasks totalCount="260" count="0"/>'
    count_only = api.call("task.getList", "<pageCurrent>0</pageCurrent>")
    assert body(count_only) == '<tasks totalCount="260" count="0"/>'
    small = api.call("task.getList", "<pageCurrent>3</pageCurrent><pageSize>7</pageSize>")
    assert ids(small) == newest_first[14:21]
    # No pageCurrent: page 1; no pageSize: 100.
    assert len(page(api)) == 100


def test_page_size_above_the_limit(api: Api, server: Server, settings: Settings) -> None:
    bulk(server, api.tenant, 120)
    assert counts(api.call("task.getList", "<pageSize>500</pageSize>")) == (120, 100)
    strict = Server.start(replace(settings, page_size_over_limit="error"))
    with TestClient(create_app(server=strict), base_url="https://testserver") as client:
        assert Api(client, api.tenant).call("task.getList", "<pageSize>101</pageSize>").code == "0021"
    strict.engine.dispose()
    assert api.call("task.getList", "<pageSize>-1</pageSize>").code == "0015"


def test_targets(api: Api, server: Server) -> None:
    me = api.tenant.owner_id
    other, other_api = employee(server, api, "other")
    mine_to_other = new_task(api, f"<workers>{people([other])}</workers>", title="out")
    to_me = new_task(other_api, f"<workers>{people([me])}</workers>", title="in")
    group = add_group(server, api.tenant, "Mine", (me,))
    to_my_group = new_task(other_api, f"<workers>{people([], [group])}</workers>", title="group")
    made = template(server, api.tenant, "Template")
    recurring = new_task(api, "<periodicity><daily><type>EVERY</type></daily></periodicity>", title="rec")
    assert sorted(page(api, "<target>all</target>")) == sorted([mine_to_other, to_me, to_my_group, recurring])
    assert sorted(page(api, "<target>in</target>")) == sorted([to_me, to_my_group])
    assert sorted(page(api, "<target>out</target>")) == sorted([mine_to_other, recurring])
    assert page(api, "<target>template</target>") == [made]
    assert page(api, "<target>periodic</target>") == [recurring]
    # Filter ids of task.getFilterList work as targets; an empty target means all.
    assert page(api, "<target>:in</target>") == page(api, "<target>in</target>")
    assert len(page(api, "<target></target>")) == 4
    assert api.call("task.getList", "<target>sideways</target>").code == "0015"
    assert api.call("task.getList", "<target>12345</target>").code == "0015"


def test_the_captured_template_request(api: Api, server: Server) -> None:
    made = template(server, api.tenant, "Стандартный шаблон")
    reply = api.call("task.getList", f"<user><id>{api.tenant.owner_id}</id></user><target>template</target>")
    assert ids(reply) == [made]
    assert reply.text("tasks/task/type") == "template"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("NUMBER_ASC", ["a", "b", "c", "d"]),
        ("NUMBER_DESC", ["d", "c", "b", "a"]),
        ("IMPORTANCE_DESC", ["c", "a", "d", "b"]),
        ("IMPORTANCE_ASC", ["b", "d", "a", "c"]),
        ("DEADLINE_ASC", ["b", "a", "c", "d"]),
        ("DEADLINE_DESC", ["c", "a", "b", "d"]),
        ("TASKTITLE_ASC", ["a", "b", "c", "d"]),
        ("TASKTITLE_DESC", ["d", "c", "b", "a"]),
        ("PROJECT_ASC", ["a", "c", "b", "d"]),
        ("PROJECT_DESC", ["b", "c", "a", "d"]),
    ],
)
def test_sorts(api: Api, server: Server, sort: str, expected: list[str]) -> None:
    alpha = make_project(server, api.tenant, "Alpha")
    beta = make_project(server, api.tenant, "beta")
    made = {
        "a": new_task(
            api,
            f"<importance>HIGH</importance><endDate>05-01-2030</endDate><project><id>{alpha}</id></project>",
            title="a",
        ),
        "b": new_task(api, f"<endDate>01-01-2030</endDate><project><id>{beta}</id></project>", title="B"),
        "c": new_task(
            api,
            f"<importance>HIGH</importance><endDate>09-01-2030</endDate><project><id>{alpha}</id></project>",
            title="c",
        ),
        "d": new_task(api, title="D"),
    }
    by_id = {task_id: key for key, task_id in made.items()}
    assert [by_id[one] for one in page(api, f"<sort>{sort}</sort>")] == expected
    assert api.call("task.getList", "<sort>SIDEWAYS</sort>").code == "0015"


def test_default_sort_setting(api: Api, server: Server, settings: Settings) -> None:
    first, second = new_task(api), new_task(api)
    assert page(api) == [second, first]
    ascending = Server.start(replace(settings, task_list_default_sort="NUMBER_ASC"))
    with TestClient(create_app(server=ascending), base_url="https://testserver") as client:
        assert page(Api(client, api.tenant)) == [first, second]
    ascending.engine.dispose()


def test_project_and_subprojects(api: Api, server: Server) -> None:
    top = make_project(server, api.tenant, "Top")
    sub = make_project(server, api.tenant, "Sub", parent_id=top)
    in_top = new_task(api, f"<project><id>{top}</id></project>")
    in_sub = new_task(api, f"<project><id>{sub}</id></project>")
    new_task(api)
    assert page(api, f"<project><id>{top}</id></project>") == [in_top]
    both = page(api, f"<project><id>{top}</id><withSubprojects>1</withSubprojects></project>")
    assert sorted(both) == sorted([in_top, in_sub])
    assert api.call("task.getList", "<project><id>999999</id></project>").code == "2001"


def test_parent_subtree(api: Api) -> None:
    root = new_task(api, title="root")
    child = new_task(api, f"<parent><id>{root}</id></parent>")
    grandchild = new_task(api, f"<parent><id>{child}</id></parent>")
    new_task(api, title="elsewhere")
    assert sorted(page(api, f"<parent><id>{root}</id></parent>")) == sorted([child, grandchild])
    assert api.call("task.getList", "<parent><id>999999</id></parent>").code == "3001"


def test_status(api: Api, server: Server) -> None:
    new_task(api)
    done = bulk(server, api.tenant, 2, status=COMPLETED)
    assert sorted(page(api, "<status>COMPLETED</status>")) == done
    assert sorted(page(api, f"<status>{COMPLETED}</status>")) == done
    assert api.call("task.getList", "<status>SOMEWHERE</status>").code == "0015"
    assert api.call("task.getList", "<status>999</status>").code == "0015"


def test_simple_filters(api: Api, server: Server) -> None:
    me = api.tenant.owner_id
    other, _ = employee(server, api, "other")
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    mine = bulk(server, api.tenant, 1, people=[("worker", "user", me)], status=ACCEPTED)
    late = bulk(server, api.tenant, 1, end_at=past, people=[("worker", "user", other)])
    late_mine = bulk(server, api.tenant, 1, end_at=past, people=[("worker", "user", me)])
    closed = bulk(server, api.tenant, 1, status=CANCELED, end_at=past, people=[("worker", "user", me)])
    assert sorted(page(api, "<filter>ACTIVE</filter>")) == sorted(mine + late + late_mine)
    assert sorted(page(api, "<filter>OVERDUE</filter>")) == sorted(late + late_mine)
    assert sorted(page(api, "<filter>MY</filter>")) == sorted(mine + late_mine + closed)
    assert page(api, "<filter>ACTIVE MY OVERDUE</filter>") == late_mine
    assert page(api, "<filter>overdue  my</filter>") == late_mine
    assert api.call("task.getList", "<filter>SOON</filter>").code == "0015"


def test_another_users_view(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    _, nosy = employee(server, api, "nosy")
    his = new_task(api, f"<workers>{people([worker])}</workers>")
    new_task(api, title="not his")
    assert page(api, f"<user><id>{worker}</id></user>") == [his]
    assert page(api, f"<user><id>{worker}</id></user><target>in</target>") == [his]
    assert page(worker_api, f"<user><id>{worker}</id></user>") == [his]
    assert nosy.call("task.getList", f"<user><id>{worker}</id></user>").code == "0020"
    assert api.call("task.getList", "<user><id>999999</id></user>").code == "6004"


def test_foreign_ids(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = Api(api.client, other)
    parent = int(theirs.call("task.add", "<task><title>T</title></task>").text("task/id"))
    project = make_project(server, other, "Theirs")
    assert api.call("task.getList", f"<parent><id>{parent}</id></parent>").code == "3001"
    assert api.call("task.getList", f"<project><id>{project}</id></project>").code == "2001"
    assert api.call("task.getList", f"<user><id>{other.owner_id}</id></user>").code == "6004"
    assert counts(api.call("task.getList")) == (0, 0)


def test_drafts_of_others_are_not_listed(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    bulk(server, api.tenant, 1, status=DRAFT, people=[("worker", "user", worker)])
    visible = bulk(server, api.tenant, 1, status=ACTIVE, people=[("worker", "user", worker)])
    assert page(worker_api) == visible
    assert counts(worker_api.call("task.getList")) == (1, 1)


def test_unknown_elements_are_ignored(api: Api) -> None:
    task_id = new_task(api)
    assert page(
        api, "<owner><id></id></owner><pageCurrent>1</pageCurrent><pageSize></pageSize><silent></silent>"
    ) == [task_id]


def test_counts_kept_by_the_database_agree_with_the_rows(api: Api, server: Server) -> None:
    """An administrator's unfiltered count comes from task_counts (kept by triggers); a filter that
    matches everything counts the rows. Both must agree after every kind of write."""
    from sqlalchemy import delete

    from planfix_server.store.tables import tasks
    from tests.domain.users.helpers import unit_of_work

    everything = (
        "<filters><filter><type>34</type><operator>equal</operator><value>1</value></filter></filters>"
    )

    def both(target: str) -> tuple[int, int]:
        kept = counts(api.call("task.getList", f"<target>{target}</target><pageCurrent>0</pageCurrent>"))[0]
        rows = counts(
            api.call("task.getList", f"<target>{target}</target><pageCurrent>0</pageCurrent>{everything}")
        )
        return kept, rows[0]

    bulk(server, api.tenant, 40)
    template(server, api.tenant, "T")
    recurring = new_task(api, "<periodicity><daily><type>EVERY</type></daily></periodicity>")
    assert both("all") == (41, 41)
    assert both("template") == (1, 1)
    assert both("periodic") == (1, 1)
    assert api.call("task.update", f'<task><id>{recurring}</id><periodicity unset="1"/></task>').ok
    assert both("periodic") == (0, 0)
    assert api.call("task.update", f"<task><id>{recurring}</id><title>Renamed</title></task>").ok
    assert both("all") == (41, 41)
    with unit_of_work(server, api.tenant) as uow:
        uow.get(TaskRepository).connection.execute(delete(tasks).where(tasks.c.id == recurring))
    assert both("all") == (40, 40)
    other = provision(server, "other")
    bulk(server, other, 5)
    assert both("all") == (40, 40)
