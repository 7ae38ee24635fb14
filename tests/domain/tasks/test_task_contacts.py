"""Contacts on tasks: the client (by contact id) and people (by userid) in task.add, task.update,
task.changeWorkers, and how task.get, task.getMulti and task.getList name them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, select

from planfix_server.app import Server
from planfix_server.store.tables import tasks
from tests.domain.contacts.helpers import make_contact
from tests.domain.projects.helpers import make_field, make_project
from tests.domain.tasks.helpers import add, get, new_task, people, refs, task_row
from tests.domain.users.helpers import add_group
from tests.support import Api, provision


def task_count(server: Server) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(tasks)).scalar_one())


def names(reply: Any, path: str) -> dict[int, str]:
    return {int(e.findtext("id") or 0): e.findtext("name") or "" for e in reply.root.iterfind(path)}


@contextmanager
def statements(server: Server) -> Iterator[list[str]]:
    """The SQL statements the server runs inside the block."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(server.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(server.engine, "before_cursor_execute", record)


# -- client


def test_a_person_is_the_client_by_contact_id(api: Api, server: Server) -> None:
    ivan = make_contact(server, api.tenant, "Ivan", last_name="Petrov", mid_name="Ivanovich")
    task_id = new_task(api, f"<client><id>{ivan.id}</id></client>")
    card = get(api, task_id)
    assert card.text("task/client/id") == str(ivan.id)
    assert card.text("task/client/name") == "Petrov Ivan Ivanovich"
    assert task_row(server, api.tenant, task_id).client_id == ivan.id


def test_a_company_is_named_by_its_name(api: Api, server: Server) -> None:
    firm = make_contact(server, api.tenant, "Horns & Hooves", last_name="Ignored", is_company=True)
    card = get(api, new_task(api, f"<client><id>{firm.id}</id></client>"))
    assert card.text("task/client/name") == "Horns & Hooves"
    assert b"Horns &amp; Hooves" in card.raw


def test_no_client_reads_as_zero_and_empty(api: Api) -> None:
    card = get(api, new_task(api, "<client><id>0</id></client>"))
    assert card.text("task/client/id") == "0"
    assert card.text("task/client/name") == ""


def test_client_of_no_contact_is_8002_and_adds_nothing(api: Api, server: Server) -> None:
    template = make_contact(server, api.tenant, "Template", is_template=True)
    other = provision(server, "other")
    foreign = make_contact(server, other, "Theirs")
    ours = make_contact(server, api.tenant, "Ours")
    before = task_count(server)
    for client_id in (ours.id + 1000, template.id, foreign.id):
        assert add(api, f"<client><id>{client_id}</id></client>").code == "8002", client_id
    assert task_count(server) == before


def test_update_sets_and_changes_the_client(api: Api, server: Server) -> None:
    first = make_contact(server, api.tenant, "First")
    second = make_contact(server, api.tenant, "Second", last_name="Person")
    task_id = new_task(api)
    reply = api.call("task.update", f"<task><id>{task_id}</id><client><id>{first.id}</id></client></task>")
    assert reply.ok, reply.raw
    assert get(api, task_id).text("task/client/name") == "First"
    assert api.call("task.update", f"<task><id>{task_id}</id><client><id>{second.id}</id></client></task>").ok
    assert get(api, task_id).text("task/client/name") == "Person Second"
    # A title with no client element leaves the client alone.
    assert api.call("task.update", f"<task><id>{task_id}</id><title>Renamed</title></task>").ok
    assert get(api, task_id).text("task/client/id") == str(second.id)


def test_update_with_an_unknown_or_foreign_client_is_8002_and_changes_nothing(
    api: Api, server: Server
) -> None:
    kept = make_contact(server, api.tenant, "Kept")
    foreign = make_contact(server, provision(server, "other"), "Theirs")
    task_id = new_task(api, f"<client><id>{kept.id}</id></client>")
    for client_id in (foreign.id, kept.id + 1000):
        reply = api.call(
            "task.update",
            f"<task><id>{task_id}</id><title>Changed</title><client><id>{client_id}</id></client></task>",
        )
        assert reply.code == "8002"
    card = get(api, task_id)
    assert card.text("task/title") == "Task"
    assert card.text("task/client/id") == str(kept.id)


def test_lists_name_every_client_of_a_page(api: Api, server: Server) -> None:
    made = {}
    for number in range(3):
        contact = make_contact(server, api.tenant, f"Name{number}", last_name=f"Last{number}")
        made[new_task(api, f"<client><id>{contact.id}</id></client>")] = f"Last{number} Name{number}"
    plain = new_task(api)
    listed = api.call("task.getList", "<pageCurrent>1</pageCurrent>")
    assert listed.ok, listed.raw
    found = {
        int(e.findtext("id") or 0): (e.findtext("client/name") or "")
        for e in listed.root.iterfind("tasks/task")
    }
    assert found == {**made, plain: ""}
    multi = api.call("task.getMulti", "<tasks>" + "".join(f"<id>{one}</id>" for one in made) + "</tasks>")
    assert multi.ok, multi.raw
    assert {
        int(e.findtext("id") or 0): e.findtext("client/name") for e in multi.root.iterfind("tasks/task")
    } == made


def test_a_page_of_clients_and_contact_people_costs_the_same_queries_as_one(api: Api, server: Server) -> None:
    def page_statements() -> int:
        with statements(server) as seen:
            assert api.call("task.getList", "<pageCurrent>1</pageCurrent>").ok
        return len(seen)

    def one_more() -> None:
        contact = make_contact(server, api.tenant, "C")
        new_task(
            api,
            f"<client><id>{contact.id}</id></client><workers>{people([contact.user_id])}</workers>",
        )

    one_more()
    page_statements()  # the worker's first look also reads the account's definitions, kept afterwards
    few = page_statements()
    assert few > 0
    for _ in range(8):
        one_more()
    assert page_statements() == few


def test_task_get_reads_the_task_once_whatever_its_card_holds(api: Api, server: Server) -> None:
    """The task row comes with its owner, client, project and star in one statement, and a full card
    costs no more statements than a bare one."""
    field = make_field(server, api.tenant, "task", "Notes", "string")
    project = make_project(server, api.tenant, "Project")
    client = make_contact(server, api.tenant, "Client")
    worker = make_contact(server, api.tenant, "Worker")
    group = add_group(server, api.tenant, "Team")
    bare = new_task(api)
    full = new_task(
        api,
        f"<client><id>{client.id}</id></client><project><id>{project}</id></project>"
        f"<workers>{people([worker.user_id], [group])}</workers><members>{people([1])}</members>"
        f"<customData><customValue><id>{field}</id><value>Note</value></customValue></customData>",
    )

    def read(task_id: int) -> list[str]:
        with statements(server) as seen:
            reply = get(api, task_id)
        assert reply.ok, reply.raw
        return seen

    read(bare)
    plain, rich = read(bare), read(full)
    assert get(api, full).text("task/customData/customValue/value") == "Note"
    assert len(rich) == len(plain)
    reads = [one for one in rich if re.search(r"\bFROM tasks\b", one)]
    assert len(reads) == 1
    assert "JOIN projects" in reads[0] and "JOIN contacts AS client" in reads[0]


# -- people


def test_contacts_take_part_by_userid_and_are_named_as_contacts(api: Api, server: Server) -> None:
    worker = make_contact(server, api.tenant, "Anna", last_name="Smirnova", mid_name="Petrovna")
    member = make_contact(server, api.tenant, "Acme Ltd", is_company=True)
    task_id = new_task(
        api,
        f"<owner><id>{worker.user_id}</id></owner>"
        f"<workers>{people([worker.user_id, api.tenant.owner_id])}</workers>"
        f"<members>{people([member.user_id])}</members>",
    )
    card = get(api, task_id)
    assert card.text("task/owner/id") == str(worker.user_id)
    assert card.text("task/owner/name") == "Smirnova Anna Petrovna"
    workers = names(card, "task/workers/users/user")
    assert workers[worker.user_id] == "Smirnova Anna Petrovna"
    assert set(workers) == {worker.user_id, api.tenant.owner_id}
    assert names(card, "task/members/users/user") == {member.user_id: "Acme Ltd"}
    listed = api.call("task.getList", "<pageCurrent>1</pageCurrent>")
    item = names(listed, "tasks/task/workers/users/user")
    assert item[worker.user_id] == "Smirnova Anna Petrovna"


def test_can_be_worker_is_not_needed(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Plain", can_be_worker=False)
    task_id = new_task(api, f"<workers>{people([contact.user_id])}</workers>")
    assert refs(get(api, task_id), "task/workers/users/user") == [contact.user_id]


def test_auditors_are_employees_only(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Watcher")
    before = task_count(server)
    assert add(api, f"<auditors>{people([contact.user_id])}</auditors>").code == "6004"
    assert task_count(server) == before
    task_id = new_task(api)
    reply = api.call(
        "task.update", f"<task><id>{task_id}</id><auditors>{people([contact.user_id])}</auditors></task>"
    )
    assert reply.code == "6004"


def test_templates_and_foreign_contacts_take_no_part(api: Api, server: Server) -> None:
    template = make_contact(server, api.tenant, "Template", is_template=True)
    foreign = make_contact(server, provision(server, "other"), "Theirs")
    before = task_count(server)
    for user_id in (template.user_id, foreign.user_id):
        assert add(api, f"<workers>{people([user_id])}</workers>").code == "6004"
        assert add(api, f"<members>{people([user_id])}</members>").code == "6004"
        assert add(api, f"<owner><id>{user_id}</id></owner>").code == "6004"
    assert task_count(server) == before


def test_update_replaces_people_with_contacts(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Vera", last_name="Lee")
    task_id = new_task(api, f"<workers>{people([api.tenant.owner_id])}</workers>")
    reply = api.call(
        "task.update",
        f"<task><id>{task_id}</id><workers>{people([contact.user_id])}</workers>"
        f"<members>{people([contact.user_id])}</members></task>",
    )
    assert reply.ok, reply.raw
    card = get(api, task_id)
    assert names(card, "task/workers/users/user") == {contact.user_id: "Lee Vera"}
    assert names(card, "task/members/users/user") == {contact.user_id: "Lee Vera"}


def test_change_workers_adds_and_removes_contacts(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Oleg")
    template = make_contact(server, api.tenant, "Template", is_template=True)
    group = add_group(server, api.tenant, "Team")
    task_id = new_task(api)

    def change(inner: str) -> Any:
        return api.call("task.changeWorkers", f"<task><id>{task_id}</id><workers>{inner}</workers></task>")

    assert change(
        f"<addUsers><id>{contact.user_id}</id></addUsers><addGroups><id>{group}</id></addGroups>"
    ).ok
    card = get(api, task_id)
    assert names(card, "task/workers/users/user") == {contact.user_id: "Oleg"}
    assert change(f"<addUsers><id>{template.user_id}</id></addUsers>").code == "6004"
    assert change(f"<delUsers><id>{contact.user_id}</id></delUsers>").ok
    assert refs(get(api, task_id), "task/workers/users/user") == []
    assert refs(get(api, task_id), "task/workers/groups/group") == [group]
