"""Custom fields of type contact and counterparty: a contact's userid written, the userid and the
contact's name read back (tasks, projects), refusals (0015), employee fields without contacts, and
what a deleted contact leaves behind (projects.contacts.forget_contact)."""

from __future__ import annotations

import pytest

from planfix_server.app import Server
from planfix_server.domain.projects.contacts import forget_contact
from tests.domain.contacts.helpers import make_contact
from tests.domain.projects.helpers import add_project, custom, get_project, make_field
from tests.domain.tasks.helpers import get, new_task, people
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, Reply, provision

CONTACT_TYPES = ["contact", "counterparty"]


def value_xml(field_id: int, value: str) -> str:
    return f"<customValue><id>{field_id}</id><value>{value}</value></customValue>"


def task_with(api: Api, *values: str) -> Reply:
    return api.call("task.add", f"<task><title>T</title><customData>{''.join(values)}</customData></task>")


@pytest.mark.parametrize("field_type", CONTACT_TYPES)
def test_a_contact_field_holds_a_userid_and_reads_the_name(api: Api, server: Server, field_type: str) -> None:
    person = make_contact(server, api.tenant, "Ivan", last_name="Petrov", mid_name="Ivanovich")
    field = make_field(server, api.tenant, "task", "Who", field_type)
    reply = task_with(api, value_xml(field, str(person.user_id)))
    assert reply.ok, reply.raw
    card = get(api, int(reply.text("task/id")))
    assert custom(card, "task") == {"Who": (str(person.user_id), "Petrov Ivan Ivanovich")}
    listed = api.call("task.getList", "<pageCurrent>1</pageCurrent>")
    assert custom(listed, "tasks/task") == {"Who": (str(person.user_id), "Petrov Ivan Ivanovich")}


@pytest.mark.parametrize("field_type", CONTACT_TYPES)
def test_project_fields_name_companies_by_their_name(api: Api, server: Server, field_type: str) -> None:
    firm = make_contact(server, api.tenant, "Firm", is_company=True)
    field = make_field(server, api.tenant, "project", "Counterparty", field_type)
    project_id = add_project(
        api, f"<title>P</title><customData>{value_xml(field, str(firm.user_id))}</customData>"
    )
    assert custom(get_project(api, project_id)) == {"Counterparty": (str(firm.user_id), "Firm")}


def test_unset_and_cleared_contact_fields_read_zero_and_empty(api: Api, server: Server) -> None:
    person = make_contact(server, api.tenant, "Anna")
    field = make_field(server, api.tenant, "task", "Who", "counterparty")
    task_id = new_task(api)
    assert custom(get(api, task_id), "task") == {"Who": ("0", "")}
    update = (
        f"<task><id>{task_id}</id><customData>{value_xml(field, str(person.user_id))}</customData></task>"
    )
    assert api.call("task.updateCustomData", update).ok
    assert custom(get(api, task_id), "task") == {"Who": (str(person.user_id), "Anna")}
    clear = f"<task><id>{task_id}</id><customData>{value_xml(field, '0')}</customData></task>"
    assert api.call("task.updateCustomData", clear).ok
    assert custom(get(api, task_id), "task") == {"Who": ("0", "")}


@pytest.mark.parametrize("field_type", CONTACT_TYPES)
def test_no_contact_is_0015_and_changes_nothing(api: Api, server: Server, field_type: str) -> None:
    note = make_field(server, api.tenant, "task", "Note", "string")
    field = make_field(server, api.tenant, "task", "Who", field_type)
    template = make_contact(server, api.tenant, "Template", is_template=True)
    foreign = make_contact(server, provision(server, "other"), "Theirs")
    kept = make_contact(server, api.tenant, "Kept")
    task_id = int(
        task_with(api, value_xml(note, "before"), value_xml(field, str(kept.user_id))).text("task/id")
    )
    for written in (str(template.user_id), str(foreign.user_id), str(api.tenant.owner_id), "999999", "[1,2]"):
        update = (
            f"<task><id>{task_id}</id><customData>{value_xml(note, 'after')}"
            f"{value_xml(field, written)}</customData></task>"
        )
        assert api.call("task.updateCustomData", update).code == "0015", written
    assert custom(get(api, task_id), "task") == {
        "Note": ("before", "before"),
        "Who": (str(kept.user_id), "Kept"),
    }


def test_employee_fields_take_no_contacts(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Client")
    lead = make_field(server, api.tenant, "task", "Lead", "employee")
    crew = make_field(server, api.tenant, "task", "Crew", "employee_list")
    assert task_with(api, value_xml(lead, str(contact.user_id))).code == "0015"
    assert task_with(api, value_xml(crew, f"[{api.tenant.owner_id},{contact.user_id}]")).code == "0015"
    assert task_with(api, value_xml(lead, str(api.tenant.owner_id))).ok


def test_forgetting_a_contact_removes_it_from_tasks_projects_and_fields(api: Api, server: Server) -> None:
    gone = make_contact(server, api.tenant, "Gone")
    stays = make_contact(server, api.tenant, "Stays")
    field = make_field(server, api.tenant, "task", "Who", "contact")
    project_field = make_field(server, api.tenant, "project", "Who", "counterparty")
    task_id = new_task(
        api,
        f"<client><id>{gone.id}</id></client>"
        f"<workers>{people([gone.user_id, stays.user_id])}</workers>"
        f"<members>{people([gone.user_id])}</members>"
        f"<customData>{value_xml(field, str(gone.user_id))}</customData>",
    )
    kept_task = new_task(
        api,
        f"<client><id>{stays.id}</id></client>"
        f"<customData>{value_xml(field, str(stays.user_id))}</customData>",
    )
    project_id = add_project(
        api,
        f"<title>P</title><client><id>{gone.id}</id></client><workers><id>{gone.user_id}</id></workers>"
        f"<customData>{value_xml(project_field, str(gone.user_id))}</customData>",
    )
    with unit_of_work(server, api.tenant) as uow:
        forget_contact(uow, gone.id, gone.user_id)
    card = get(api, task_id)
    assert card.text("task/client/id") == "0"
    assert [int(e.text or 0) for e in card.root.iterfind("task/workers/users/user/id")] == [stays.user_id]
    assert card.root.find("task/members/users") is None
    assert custom(card, "task") == {"Who": ("0", "")}
    kept = get(api, kept_task)
    assert kept.text("task/client/id") == str(stays.id)
    assert custom(kept, "task") == {"Who": (str(stays.user_id), "Stays")}
    project = get_project(api, project_id)
    assert project.text("project/client/id") == "0"
    assert project.root.find("project/workers/users/user") is None
    assert custom(project) == {"Who": ("0", "")}
