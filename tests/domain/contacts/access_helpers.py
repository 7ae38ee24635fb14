"""Set-up and inspection helpers of the tests of contacts' PlanFix access."""

from __future__ import annotations

from dataclasses import dataclass

from planfix_server.app import Server
from planfix_server.domain.contacts.access import activate_access
from planfix_server.domain.contacts.lookup import ContactLookup, ContactRef
from planfix_server.domain.users.repository import UserRepository
from tests.domain.contacts.helpers import make_contact
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, Reply, Tenant, now


@dataclass(frozen=True)
class AccessState:
    """The access state of a contact and the sign-in columns of its user row."""

    access: str
    login: str
    email: str | None
    status: str
    has_password: bool
    userpic_version: str | None


def state(server: Server, tenant: Tenant, contact_id: int) -> AccessState:
    with unit_of_work(server, tenant) as uow:
        contact = uow.get(ContactLookup).by_id(contact_id)
        assert contact is not None
        user = uow.get(UserRepository).by_id(contact.user_id)
    assert user is not None
    return AccessState(
        contact.access,
        user.login,
        user.email,
        user.status,
        user.password_hash is not None,
        user.userpic_version,
    )


def manage(api: Api, contact_id: int, grant: int, email: str = "", *, by: str = "id") -> Reply:
    inner = f"<{by}>{contact_id}</{by}><havePlanfixAccess>{grant}</havePlanfixAccess>"
    if email:
        inner += f"<email>{email}</email>"
    return api.call("contact.managePlanfixAccess", f"<contact>{inner}</contact>")


def update_info(api: Api, contact_id: int, user: str) -> Reply:
    return api.call("contact.updateUserInfo", f"<contact><id>{contact_id}</id><user>{user}</user></contact>")


def activate(server: Server, tenant: Tenant, contact_id: int, password: str | None) -> None:
    with unit_of_work(server, tenant) as uow:
        activate_access(uow, now(), contact_id, None if password is None else server.passwords.hash(password))


def contact_with_access(
    server: Server, api: Api, name: str, email: str, password: str = "contact-pass", **columns: object
) -> ContactRef:
    """A contact whose access was opened through the API and activated with ``password``."""
    contact = make_contact(server, api.tenant, name, email=email, **columns)
    reply = manage(api, contact.id, 1)
    assert reply.ok and reply.text("contact/status") == "NOTICE_SEND", reply.raw
    activate(server, api.tenant, contact.id, password)
    return contact
