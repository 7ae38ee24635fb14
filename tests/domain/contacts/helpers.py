"""Set-up helpers for tests that need contacts: stored directly, without the contact functions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from planfix_server.app import Server
from planfix_server.domain.contacts.creation import insert_contact
from planfix_server.domain.contacts.groups import add_group
from planfix_server.domain.contacts.lookup import ContactRef
from planfix_server.store.scoped import Repository
from planfix_server.store.tables import actions, contact_contractors, contact_responsibles, contacts
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, Reply, Tenant, now


def make_contact(server: Server, tenant: Tenant, name: str, **columns: Any) -> ContactRef:
    """A contact of ``tenant`` (columns as in store.tables.contacts: last_name, is_company, email …)."""
    with unit_of_work(server, tenant) as uow:
        return insert_contact(uow, now(), name=name, **columns)


def make_contact_group(server: Server, tenant: Tenant, name: str) -> int:
    with unit_of_work(server, tenant) as uow:
        return add_group(uow, name, now())


def link_company(server: Server, tenant: Tenant, contact_id: int, company_id: int) -> None:
    with unit_of_work(server, tenant) as uow:
        uow.get(Repository).insert(contact_contractors, contact_id=contact_id, company_id=company_id)


def make_responsible(server: Server, tenant: Tenant, contact_id: int, kind: str, person_id: int) -> None:
    with unit_of_work(server, tenant) as uow:
        uow.get(Repository).insert(
            contact_responsibles, contact_id=contact_id, kind=kind, person_id=person_id
        )


def add_contact(api: Api, inner: str, **kw: str) -> Reply:
    reply = api.call("contact.add", f"<contact>{inner}</contact>", **kw)
    assert reply.ok, reply.raw
    return reply


def get_contact(api: Api, contact_id: int, fields: str = "") -> Reply:
    reply = api.call("contact.get", f"<contact><id>{contact_id}</id></contact>{fields}")
    assert reply.ok, reply.raw
    return reply


def contact_count(server: Server) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(contacts)).scalar_one())


def contact_actions(server: Server, contact_id: int) -> list[tuple[int, str, str, int]]:
    """(id, type, description, owner) of a contact's history, oldest first."""
    with server.engine.connect() as connection:
        rows = connection.execute(
            select(actions.c.id, actions.c.type, actions.c.description, actions.c.owner_id)
            .where(actions.c.contact_id == contact_id)
            .order_by(actions.c.id)
        ).all()
    return [(int(row.id), row.type, row.description, int(row.owner_id)) for row in rows]


def texts(reply: Reply, path: str) -> list[str]:
    return [element.text or "" for element in reply.root.iterfind(path)]
