"""A contact signed in with PlanFix access: which tasks it sees and what it may do with them."""

from __future__ import annotations

from planfix_server.app import Server
from tests.domain.contacts.helpers import make_contact
from tests.domain.projects.helpers import make_project
from tests.domain.tasks.helpers import bulk, counts, get, ids, new_task, people, signed_in_contact, template
from tests.domain.users.helpers import add_group
from tests.support import Api, provision


def listed(api: Api, inner: str = "") -> list[int]:
    reply = api.call("task.getList", f"<pageCurrent>1</pageCurrent>{inner}")
    assert reply.ok, reply.raw
    return sorted(ids(reply))


def test_a_contact_sees_only_the_tasks_it_takes_part_in(api: Api, server: Server) -> None:
    contact, as_contact = signed_in_contact(server, api, "Client")
    me = contact.user_id
    group = add_group(server, api.tenant, "Everyone", (api.tenant.owner_id,))
    project = make_project(server, api.tenant, "Open project")
    as_worker = new_task(api, f"<workers>{people([me])}</workers>")
    as_member = new_task(api, f"<members>{people([me])}</members>")
    (as_auditor,) = bulk(server, api.tenant, 1, people=[("auditor", "user", me)])
    (owned,) = bulk(server, api.tenant, 1, owner_id=me)
    others = [
        new_task(api),
        new_task(api, f"<workers>{people([], [group])}</workers>"),
        new_task(api, f"<project><id>{project}</id></project>"),
        new_task(api, f"<client><id>{contact.id}</id></client>"),  # being the client is no part
    ]
    mine = sorted([as_worker, as_member, as_auditor, owned])
    assert listed(as_contact) == mine
    assert counts(as_contact.call("task.getList", "<pageCurrent>0</pageCurrent>"))[0] == len(mine)
    for task_id in mine:
        assert get(as_contact, task_id).text("task/id") == str(task_id)
    for task_id in others:
        assert as_contact.call("task.get", f"<task><id>{task_id}</id></task>").code == "3008"
    multi = as_contact.call(
        "task.getMulti", "<tasks>" + "".join(f"<id>{t}</id>" for t in others) + "</tasks>"
    )
    assert multi.ok and ids(multi) == []
    # Employees still see them all.
    assert set(listed(api)) == set(mine) | set(others)


def test_a_contact_reads_no_templates_but_its_own(api: Api, server: Server) -> None:
    contact, as_contact = signed_in_contact(server, api, "Client")
    shared = template(server, api.tenant, "Shared template", is_periodic=True)
    own = template(server, api.tenant, "Its template", owner_id=contact.user_id)
    assert as_contact.call("task.get", f"<task><id>{shared}</id></task>").code == "3008"
    assert listed(as_contact, "<target>template</target>") == [own]
    assert listed(as_contact, "<target>periodic</target>") == []
    assert listed(api, "<target>template</target>") == sorted([shared, own])
    assert listed(api, "<target>periodic</target>") == [shared]
    _, as_other_contact = signed_in_contact(server, api, "Another")
    assert as_other_contact.call("task.get", f"<task><id>{own}</id></task>").code == "3008"


def test_a_contact_adds_tasks_it_owns_and_may_change(api: Api, server: Server) -> None:
    contact, as_contact = signed_in_contact(server, api, "Maker", last_name="Kim")
    reply = as_contact.call(
        "task.add",
        f"<task><title>From the client</title><workers>{people([api.tenant.owner_id])}</workers></task>",
    )
    assert reply.ok, reply.raw
    task_id = int(reply.text("task/id"))
    card = get(as_contact, task_id)
    assert card.text("task/owner/id") == str(contact.user_id)
    assert card.text("task/owner/name") == "Kim Maker"
    assert as_contact.call("task.update", f"<task><id>{task_id}</id><title>Renamed</title></task>").ok
    assert get(api, task_id).text("task/title") == "Renamed"
    assert task_id in listed(as_contact, "<target>out</target>")


def test_a_contact_assignee_may_not_edit_the_task(api: Api, server: Server) -> None:
    contact, as_contact = signed_in_contact(server, api, "Helper")
    task_id = new_task(api, f"<workers>{people([contact.user_id])}</workers>")
    reply = as_contact.call("task.update", f"<task><id>{task_id}</id><title>Mine now</title></task>")
    assert reply.code == "3009"
    assert get(api, task_id).text("task/title") == "Task"
    assert listed(as_contact, "<target>in</target>") == [task_id]


def test_a_contact_may_not_add_tasks_to_hidden_projects(api: Api, server: Server) -> None:
    contact, as_contact = signed_in_contact(server, api, "Client")
    hidden = make_project(
        server, api.tenant, "Hidden", hidden=True, people=[("worker", "user", contact.user_id)]
    )
    open_project = make_project(server, api.tenant, "Open")
    title = "<title>T</title>"
    reply = as_contact.call("task.add", f"<task>{title}<project><id>{hidden}</id></project></task>")
    assert reply.code == "3004"
    reply = as_contact.call("task.add", f"<task>{title}<project><id>{open_project}</id></project></task>")
    assert reply.ok, reply.raw


def test_a_contact_may_not_list_another_users_tasks(api: Api, server: Server) -> None:
    _, as_contact = signed_in_contact(server, api, "Client")
    reply = as_contact.call(
        "task.getList", f"<pageCurrent>1</pageCurrent><user><id>{api.tenant.owner_id}</id></user>"
    )
    assert reply.code == "0020"


def test_an_administrator_lists_a_contacts_tasks(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Client")
    task_id = new_task(api, f"<workers>{people([contact.user_id])}</workers>")
    new_task(api)
    assert listed(api, f"<user><id>{contact.user_id}</id></user>") == [task_id]


def test_contacts_of_another_account_see_nothing_here(api: Api, server: Server) -> None:
    other = provision(server, "other")
    _, theirs = signed_in_contact(server, Api(api.client, other), "Foreign")
    task_id = new_task(api)
    assert theirs.call("task.get", f"<task><id>{task_id}</id></task>").code == "3001"
    assert listed(theirs) == []
