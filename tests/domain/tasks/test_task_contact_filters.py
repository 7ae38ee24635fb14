"""task.getList filters about contacts: counterparty (7), "is a contact / an employee" of the owner
(34, 35), assignees (69, 71) and participants (70, 72), people filters given a contact's userid,
and custom fields of type contact and counterparty (108, 112)."""

from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.contacts.helpers import make_contact
from tests.domain.projects.helpers import make_field
from tests.domain.tasks.helpers import bulk, ids
from tests.domain.users.helpers import add_group
from tests.support import Api


def matching(api: Api, kind: int, value: str, operator: str = "equal", field: int | None = None) -> list[int]:
    extra = f"<field>{field}</field>" if field is not None else ""
    reply = api.call(
        "task.getList",
        "<pageCurrent>1</pageCurrent><filters><filter>"
        f"<type>{kind}</type><operator>{operator}</operator><value>{value}</value>{extra}"
        "</filter></filters>",
    )
    assert reply.ok, reply.raw
    return sorted(ids(reply))


@pytest.fixture
def scene(api: Api, server: Server) -> dict[str, int]:
    """One task per situation, made directly in the store; ids by name (and the people's ids)."""
    contact = make_contact(server, api.tenant, "Client")
    company = make_contact(server, api.tenant, "Firm", is_company=True)
    group = add_group(server, api.tenant, "Team")
    owner = api.tenant.owner_id
    made = {
        "contact": contact.id,
        "contact_user": contact.user_id,
        "company": company.id,
        "by_contact": bulk(server, api.tenant, 1, owner_id=contact.user_id)[0],
        "contact_worker": bulk(server, api.tenant, 1, people=[("worker", "user", contact.user_id)])[0],
        "employee_worker": bulk(server, api.tenant, 1, people=[("worker", "user", owner)])[0],
        "group_worker": bulk(server, api.tenant, 1, people=[("worker", "group", group)])[0],
        "contact_member": bulk(server, api.tenant, 1, people=[("member", "user", contact.user_id)])[0],
        "employee_member": bulk(server, api.tenant, 1, people=[("member", "user", owner)])[0],
        "for_contact": bulk(server, api.tenant, 1, client_id=contact.id)[0],
        "for_company": bulk(server, api.tenant, 1, client_id=company.id)[0],
    }
    return made


TASKS = (
    "by_contact",
    "contact_worker",
    "employee_worker",
    "group_worker",
    "contact_member",
    "employee_member",
    "for_contact",
    "for_company",
)


def picked(scene: dict[str, int], *names: str) -> list[int]:
    return sorted(scene[name] for name in names)


def test_owner_is_a_contact_or_an_employee(api: Api, scene: dict[str, int]) -> None:
    assert matching(api, 35, "1") == picked(scene, "by_contact")
    assert matching(api, 34, "1") == picked(scene, *(name for name in TASKS if name != "by_contact"))


def test_owner_filter_takes_a_contacts_userid(api: Api, scene: dict[str, int]) -> None:
    assert matching(api, 1, str(scene["contact_user"])) == picked(scene, "by_contact")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (69, ("contact_worker",)),
        (71, ("employee_worker", "group_worker")),
        (70, ("contact_member",)),
        (72, ("employee_member",)),
    ],
)
def test_assignee_and_participant_kinds(
    api: Api, scene: dict[str, int], kind: int, expected: tuple[str, ...]
) -> None:
    assert matching(api, kind, "1") == picked(scene, *expected)


def test_people_filters_take_a_contacts_userid(api: Api, scene: dict[str, int]) -> None:
    assert matching(api, 2, str(scene["contact_user"])) == picked(scene, "contact_worker")
    assert matching(api, 39, str(scene["contact_user"])) == picked(scene, "contact_member")


def test_counterparty(api: Api, scene: dict[str, int]) -> None:
    assert matching(api, 7, str(scene["contact"])) == picked(scene, "for_contact")
    assert matching(api, 7, str(scene["company"])) == picked(scene, "for_company")
    others = picked(scene, *(name for name in TASKS if name != "for_contact"))
    assert matching(api, 7, str(scene["contact"]), "notequal") == others


def test_kind_filters_take_only_equal(api: Api, scene: dict[str, int]) -> None:
    for kind in (34, 35, 69, 70, 71, 72):
        reply = api.call(
            "task.getList",
            f"<filters><filter><type>{kind}</type><operator>notequal</operator><value>1</value></filter></filters>",
        )
        assert reply.code == "0015", kind


@pytest.mark.parametrize("field_type", ["contact", "counterparty"])
def test_custom_fields_of_contacts(api: Api, server: Server, field_type: str) -> None:
    first = make_contact(server, api.tenant, "First")
    second = make_contact(server, api.tenant, "Second", is_company=True)
    field = make_field(server, api.tenant, "task", "Who", field_type)
    tasks = {}
    for contact in (first, second):
        reply = api.call(
            "task.add",
            "<task><title>T</title><customData><customValue>"
            f"<id>{field}</id><value>{contact.user_id}</value></customValue></customData></task>",
        )
        assert reply.ok, reply.raw
        tasks[contact.user_id] = int(reply.text("task/id"))
    assert matching(api, 108, str(first.user_id), field=field) == [tasks[first.user_id]]
    assert matching(api, 112, str(second.user_id), field=field) == [tasks[second.user_id]]
    assert matching(api, 108, str(first.user_id), "notequal", field=field) == [tasks[second.user_id]]
    # An employee field is not a contact field.
    employee_field = make_field(server, api.tenant, "task", "Lead", "employee")
    reply = api.call(
        "task.getList",
        "<filters><filter><type>108</type><operator>equal</operator>"
        f"<value>{first.user_id}</value><field>{employee_field}</field></filter></filters>",
    )
    assert reply.code == "0015"
