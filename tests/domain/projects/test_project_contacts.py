"""Contacts on projects: the client (by contact id) and people (by userid) in project.add and
project.update, how project.get and project.getList name them, the client and contact-field
filters of project.getList, and what a contact signed in may do with projects."""

from __future__ import annotations

from sqlalchemy import func, select

from planfix_server.app import Server
from planfix_server.store.tables import projects
from tests.domain.contacts.helpers import make_contact
from tests.domain.projects.helpers import add_project, get_project, list_ids, make_field, make_project
from tests.domain.tasks.helpers import signed_in_contact
from tests.support import Api, Reply, add_user, provision

PAGE_1 = "<pageCurrent>1</pageCurrent>"


def project_count(server: Server) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(projects)).scalar_one())


def names(reply: Reply, path: str) -> dict[int, str]:
    return {int(e.findtext("id") or 0): e.findtext("name") or "" for e in reply.root.iterfind(path)}


# -- client


def test_the_client_is_a_contact_named_in_full(api: Api, server: Server) -> None:
    person = make_contact(server, api.tenant, "Ivan", last_name="Petrov", mid_name="Ivanovich")
    card = get_project(api, add_project(api, f"<title>P</title><client><id>{person.id}</id></client>"))
    assert card.text("project/client/id") == str(person.id)
    assert card.text("project/client/name") == "Petrov Ivan Ivanovich"


def test_lists_name_the_clients(api: Api, server: Server) -> None:
    firm = make_contact(server, api.tenant, "Firm & Co", is_company=True)
    person = make_contact(server, api.tenant, "Olga", last_name="Orlova")
    with_firm = add_project(api, f"<title>A</title><client><id>{firm.id}</id></client>")
    with_person = add_project(api, f"<title>B</title><client><id>{person.id}</id></client>")
    without = add_project(api, "<title>C</title>")
    reply = api.call("project.getList", PAGE_1)
    assert reply.ok, reply.raw
    found = {
        int(e.findtext("id") or 0): (e.findtext("client/id"), e.findtext("client/name"))
        for e in reply.root.iterfind("projects/project")
    }
    assert found == {
        with_firm: (str(firm.id), "Firm & Co"),
        with_person: (str(person.id), "Orlova Olga"),
        without: ("0", ""),
    }


def test_a_client_of_no_contact_is_8002_and_adds_nothing(api: Api, server: Server) -> None:
    template = make_contact(server, api.tenant, "Template", is_template=True)
    foreign = make_contact(server, provision(server, "other"), "Theirs")
    ours = make_contact(server, api.tenant, "Ours")
    before = project_count(server)
    for client_id in (template.id, foreign.id, ours.id + 1000):
        reply = api.call(
            "project.add", f"<project><title>P</title><client><id>{client_id}</id></client></project>"
        )
        assert reply.code == "8002", client_id
    assert project_count(server) == before


def test_update_sets_the_client_and_checks_it(api: Api, server: Server) -> None:
    first = make_contact(server, api.tenant, "First")
    foreign = make_contact(server, provision(server, "other"), "Theirs")
    project_id = add_project(api, "<title>P</title>")
    reply = api.call(
        "project.update", f"<project><id>{project_id}</id><client><id>{first.id}</id></client></project>"
    )
    assert reply.ok, reply.raw
    assert get_project(api, project_id).text("project/client/name") == "First"
    reply = api.call(
        "project.update",
        f"<project><id>{project_id}</id><title>Changed</title><client><id>{foreign.id}</id></client></project>",
    )
    assert reply.code == "8002"
    card = get_project(api, project_id)
    assert card.text("project/title") == "P"
    assert card.text("project/client/id") == str(first.id)


def test_get_list_by_client(api: Api, server: Server) -> None:
    first = make_contact(server, api.tenant, "First")
    second = make_contact(server, api.tenant, "Second")
    mine = add_project(api, f"<title>A</title><client><id>{first.id}</id></client>")
    add_project(api, f"<title>B</title><client><id>{second.id}</id></client>")
    add_project(api, "<title>C</title>")
    assert list_ids(api.call("project.getList", f"{PAGE_1}<client><id>{first.id}</id></client>")) == [mine]


# -- people


def test_contacts_are_default_workers_and_members(api: Api, server: Server) -> None:
    worker = make_contact(server, api.tenant, "Anna", last_name="Lee")
    member = make_contact(server, api.tenant, "Acme", is_company=True)
    project_id = add_project(
        api,
        f"<title>P</title><workers><id>{worker.user_id}</id><id>{api.tenant.owner_id}</id></workers>"
        f"<members><id>{member.user_id}</id></members>",
    )
    card = get_project(api, project_id)
    assert names(card, "project/workers/users/user") == {
        worker.user_id: "Lee Anna",
        api.tenant.owner_id: "owner@acme",
    }
    assert names(card, "project/members/users/user") == {member.user_id: "Acme"}


def test_owners_auditors_and_managers_are_employees(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Client")
    before = project_count(server)
    for inner in (
        f"<owner><id>{contact.user_id}</id></owner>",
        f"<auditors><id>{contact.user_id}</id></auditors>",
        f"<managers><id>{contact.user_id}</id></managers>",
    ):
        assert api.call("project.add", f"<project><title>P</title>{inner}</project>").code == "6004", inner
    assert project_count(server) == before
    project_id = add_project(api, "<title>P</title>")
    reply = api.call(
        "project.update",
        f"<project><id>{project_id}</id><auditors><id>{contact.user_id}</id></auditors></project>",
    )
    assert reply.code == "6004"


def test_templates_and_foreign_contacts_are_no_people(api: Api, server: Server) -> None:
    template = make_contact(server, api.tenant, "Template", is_template=True)
    foreign = make_contact(server, provision(server, "other"), "Theirs")
    for user_id in (template.user_id, foreign.user_id):
        reply = api.call(
            "project.add", f"<project><title>P</title><workers><id>{user_id}</id></workers></project>"
        )
        assert reply.code == "6004", user_id


# -- filters


def test_contact_field_filters(api: Api, server: Server) -> None:
    first = make_contact(server, api.tenant, "First")
    second = make_contact(server, api.tenant, "Second")
    field = make_field(server, api.tenant, "project", "Counterparty", "counterparty")
    made = {}
    for contact in (first, second):
        made[contact.user_id] = add_project(
            api,
            f"<title>{contact.name}</title><customData><customValue><id>{field}</id>"
            f"<value>{contact.user_id}</value></customValue></customData>",
        )

    def matching(kind: int, user_id: int, operator: str = "equal") -> list[int]:
        return list_ids(
            api.call(
                "project.getList",
                f"{PAGE_1}<filters><filter><type>{kind}</type><operator>{operator}</operator>"
                f"<value>{user_id}</value><field>{field}</field></filter></filters>",
            )
        )

    assert matching(5108, first.user_id) == [made[first.user_id]]
    assert matching(5112, second.user_id) == [made[second.user_id]]
    assert matching(5108, first.user_id, "notequal") == [made[second.user_id]]


# -- a contact signed in


def test_a_contact_may_not_add_projects(api: Api, server: Server) -> None:
    _, as_contact = signed_in_contact(server, api, "Client")
    before = project_count(server)
    assert as_contact.call("project.add", "<project><title>Mine</title></project>").code == "2002"
    assert project_count(server) == before


def test_a_contact_may_not_update_projects_even_as_their_manager(api: Api, server: Server) -> None:
    contact, as_contact = signed_in_contact(server, api, "Client")
    project_id = make_project(server, api.tenant, "Theirs", people=[("manager", "user", contact.user_id)])
    reply = as_contact.call("project.update", f"<project><id>{project_id}</id><title>Mine</title></project>")
    assert reply.code == "2002"
    assert get_project(api, project_id).text("project/title") == "Theirs"


def test_a_contact_sees_no_hidden_project(api: Api, server: Server) -> None:
    contact, as_contact = signed_in_contact(server, api, "Client")
    employee, token = add_user(server, api.tenant, "employee")
    hidden = make_project(
        server,
        api.tenant,
        "Hidden",
        hidden=True,
        people=[("worker", "user", contact.user_id), ("worker", "user", employee)],
    )
    open_project = make_project(server, api.tenant, "Open")
    assert as_contact.call("project.get", f"<project><id>{hidden}</id></project>").code == "2002"
    assert get_project(as_contact, open_project).text("project/title") == "Open"
    assert list_ids(as_contact.call("project.getList", PAGE_1)) == [open_project]
    # An employee taking part in the same way sees it.
    as_employee = api.as_user(token)
    assert get_project(as_employee, hidden).text("project/title") == "Hidden"
    assert sorted(list_ids(as_employee.call("project.getList", PAGE_1))) == sorted([hidden, open_project])


def test_a_contact_lists_no_one_elses_projects(api: Api, server: Server) -> None:
    _, as_contact = signed_in_contact(server, api, "Client")
    reply = as_contact.call("project.getList", f"{PAGE_1}<user><id>{api.tenant.owner_id}</id></user>")
    assert reply.code == "2002"
