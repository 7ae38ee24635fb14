from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from planfix_server.app import Server
from planfix_server.domain.access.service import issue_token
from planfix_server.domain.actions.writer import NewAction, record
from planfix_server.domain.customfields.repository import CustomFieldRepository
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.scoped import Repository
from planfix_server.store.tables import (
    actions,
    contact_contractors,
    contact_emails,
    contact_notifications,
    contact_phones,
    contact_responsibles,
    contacts,
    custom_values,
    projects,
    task_people,
    tasks,
    tokens,
    users,
)
from tests.domain.contacts.helpers import (
    add_contact,
    contact_count,
    get_contact,
    link_company,
    make_contact,
    make_responsible,
)
from tests.domain.projects.helpers import make_field, make_project, make_task
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, Tenant, add_user, now, provision


def delete(api: Api, inner: str) -> Any:
    return api.call("contact.delete", f"<contact>{inner}</contact>")


def count(server: Server, table: Any, *where: Any) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def test_answers_the_three_numbers_and_removes_the_contact(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ivan")
    reply = delete(api, f"<id>{contact.id}</id>")
    assert reply.ok, reply.raw
    assert [child.tag for child in reply.root.find("contact")] == ["id", "userid", "general"]
    assert (reply.text("contact/id"), reply.text("contact/userid"), reply.text("contact/general")) == (
        str(contact.id),
        str(contact.user_id),
        str(contact.general),
    )
    assert api.call("contact.get", f"<contact><id>{contact.id}</id></contact>").code == "8002"
    assert delete(api, f"<id>{contact.id}</id>").code == "8002"


@pytest.mark.parametrize("by", ["id", "userid", "general"])
def test_by_any_number(api: Api, server: Server, by: str) -> None:
    contact = make_contact(server, api.tenant, "Ivan")
    keep = make_contact(server, api.tenant, "Keep")
    number = {"id": contact.id, "userid": contact.user_id, "general": contact.general}[by]
    assert delete(api, f"<{by}>{number}</{by}>").ok
    assert contact_count(server) == 1
    assert get_contact(api, keep.id).text("contact/name") == "Keep"


def test_precedence_id_then_userid_then_general(api: Api, server: Server) -> None:
    first = make_contact(server, api.tenant, "First")
    second = make_contact(server, api.tenant, "Second")
    third = make_contact(server, api.tenant, "Third")
    assert delete(api, f"<general>{third.general}</general><userid>{second.user_id}</userid>").ok
    assert delete(api, f"<general>{third.general}</general><id>{first.id}</id>").ok
    assert get_contact(api, third.id).text("contact/name") == "Third"


def test_errors_and_other_accounts(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_contact(server, other, "Theirs")
    assert delete(api, "").code == "0009"
    assert delete(api, "<id>99999</id>").code == "8002"
    assert delete(api, f"<id>{theirs.id}</id>").code == "8002"
    assert delete(api, f"<userid>{theirs.user_id}</userid>").code == "8002"
    assert count(server, contacts, contacts.c.account_id == other.account_id) == 1


def test_rights(api: Api, server: Server) -> None:
    _, stranger = add_user(server, api.tenant, "stranger")
    responsible_id, responsible = add_user(server, api.tenant, "responsible")
    _, creator = add_user(server, api.tenant, "creator")
    contact = make_contact(server, api.tenant, "Ivan")
    make_responsible(server, api.tenant, contact.id, "user", responsible_id)
    assert delete(api.as_user(stranger), f"<id>{contact.id}</id>").code == "8001"
    assert delete(api.as_user(responsible), f"<id>{contact.id}</id>").ok
    created = int(add_contact(api.as_user(creator), "<name>Mine</name>").text("contact/id"))
    assert delete(api.as_user(creator), f"<id>{created}</id>").ok
    assert contact_count(server) == 0


def _history(
    server: Server, tenant: Tenant, contact_id: int, owner_id: int, task_id: int | None = None
) -> None:
    with unit_of_work(server, tenant) as uow:
        where = {"task_id": task_id} if task_id else {"contact_id": contact_id}
        record(
            uow, NewAction(type="ACTION", owner_id=owner_id, created_at=now(), **where, notified=(owner_id,))
        )


def test_what_goes_and_what_stays(api: Api, server: Server) -> None:
    tenant = api.tenant
    company = make_contact(server, tenant, "ACME Ltd", is_company=True)
    member = make_contact(server, tenant, "Member")
    contact = add_contact(
        api,
        "<name>Ivan</name><email>ivan@example.com</email><phones><phone><number>1</number></phone></phones>"
        f"<secondaryEmails><email>i2@example.com</email></secondaryEmails>"
        f"<responsible><users><id>{tenant.owner_id}</id></users></responsible>",
    )
    contact_id, user_id = int(contact.text("contact/id")), int(contact.text("contact/userid"))
    link_company(server, tenant, contact_id, company.id)
    link_company(server, tenant, member.id, contact_id)  # it is a company of another contact, too
    made_from = make_contact(server, tenant, "From template", template_id=contact_id)
    own_field = make_field(server, tenant, "contact", "Own", "string")
    pointer = make_field(server, tenant, "task", "Client contact", "contact")
    task_id = make_task(
        server, tenant, "Task", people=(("worker", "user", user_id), ("worker", "user", tenant.owner_id))
    )
    project_id = make_project(server, tenant, "Project", client_id=contact_id)
    with server.engine.begin() as connection:
        connection.execute(update(tasks).where(tasks.c.id == task_id).values(client_id=contact_id))
    with unit_of_work(server, tenant) as uow:
        repo = uow.get(CustomFieldRepository)
        repo.replace_values("contact", contact_id, [], {own_field: "mine"})
        repo.replace_values("task", task_id, [], {pointer: str(user_id)})
        token = issue_token(uow, now(), user_id)
        uow.get(Repository).insert(contact_notifications, user_id=user_id, jabber="ivan@jabber.org")
        uow.get(UserRepository).update_user(
            user_id, status="ACTIVE", password_hash="x", login="ivan@example.com"
        )
    _history(server, tenant, contact_id, tenant.owner_id)
    _history(server, tenant, contact_id, user_id, task_id=task_id)  # an action it wrote on a task

    # another account's contact with the same numbers' neighbourhood stays untouched
    other = provision(server, "other")
    theirs = make_contact(server, other, "Theirs", email="ivan@example.com")

    assert delete(api, f"<id>{contact_id}</id>").ok
    assert count(server, contacts, contacts.c.id == contact_id) == 0
    for table in (contact_phones, contact_emails, contact_responsibles):
        assert count(server, table, table.c.contact_id == contact_id) == 0, table.name
    assert count(server, contact_contractors, contact_contractors.c.contact_id == contact_id) == 0
    assert count(server, contact_contractors, contact_contractors.c.company_id == contact_id) == 0
    assert count(server, actions, actions.c.contact_id == contact_id) == 0
    assert count(server, actions, actions.c.owner_id == user_id) == 1  # on the task, author kept
    assert count(server, custom_values, custom_values.c.object_kind == "contact") == 0
    assert count(server, custom_values, custom_values.c.field_id == pointer) == 0
    assert count(server, task_people, task_people.c.person_id == user_id) == 0
    assert count(server, task_people, task_people.c.person_id == tenant.owner_id) == 1
    with server.engine.connect() as connection:
        assert connection.execute(select(tasks.c.client_id).where(tasks.c.id == task_id)).scalar_one() is None
        assert (
            connection.execute(select(projects.c.client_id).where(projects.c.id == project_id)).scalar_one()
            is None
        )
        user = connection.execute(select(users).where(users.c.id == user_id)).one()
    assert (user.status, user.password_hash, user.email) == ("UNACTIVE", None, None)
    assert user.login.startswith("#")
    assert count(server, tokens, tokens.c.user_id == user_id) == 0
    assert count(server, contact_notifications, contact_notifications.c.user_id == user_id) == 0
    signed_out = api.as_user(token).call("contact.get", f"<contact><id>{company.id}</id></contact>")
    assert signed_out.code == "0012", signed_out.raw
    assert get_contact(api, made_from.id).text("contact/template/id") == "0"
    assert get_contact(api, member.id).text("contact/name") == "Member"
    assert count(server, contacts, contacts.c.id == theirs.id) == 1
    # the e-mail is free again
    add_contact(api, "<name>New Ivan</name><email>ivan@example.com</email>")
