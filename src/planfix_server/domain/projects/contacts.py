"""Contacts where projects and tasks name them (planfix-xml-api/10-tasks.md §0.2, 21-contacts.md §1).

A client (``client/id``) is named by the contact's ``id``; a person in an owner or people list by
its ``userid``, next to employees. Contact templates are neither clients nor people.

contact.delete calls ``forget_contact`` so no task, project or custom value names the contact after.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, bindparam, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.api import errors
from planfix_server.domain.contacts.identity import CONTACT_ROLE
from planfix_server.domain.contacts.lookup import ContactLookup, ContactRef
from planfix_server.domain.customfields.service import forget_contact_values
from planfix_server.domain.projects.repository import ProjectRepository
from planfix_server.domain.tasks.repository import TaskRepository
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import contacts, users
from planfix_server.store.uow import AccountUnitOfWork

EMPLOYEE, CONTACT = "employee", "contact"

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_KINDS = Scoped(
    select(users.c.id, users.c.role, contacts.c.is_template)
    .select_from(
        users.outerjoin(
            contacts, and_(contacts.c.account_id == users.c.account_id, contacts.c.user_id == users.c.id)
        )
    )
    .where(users.c.account_id == _ACCOUNT, users.c.id.in_(bindparam("ids", expanding=True)))
)


class ContactUsers(Repository):
    def kinds(self, user_ids: Sequence[int]) -> dict[int, str]:
        """EMPLOYEE or CONTACT for each of ``user_ids`` that may take part in a task or project; the
        user rows of contact templates and of deleted contacts are left out."""
        if not user_ids:
            return {}
        found = {}
        for row in self.rows(_KINDS, ids=sorted(set(user_ids))):
            if row.role != CONTACT_ROLE:
                found[int(row.id)] = EMPLOYEE
            elif row.is_template is not None and not row.is_template:
                found[int(row.id)] = CONTACT
        return found


def unknown_user(uow: AccountUnitOfWork, user_ids: Sequence[int], *, contacts_allowed: bool) -> int | None:
    """The first of ``user_ids`` that is no employee (nor, where allowed, a contact's userid)."""
    kinds = uow.get(ContactUsers).kinds(user_ids)
    accepted = (EMPLOYEE, CONTACT) if contacts_allowed else (EMPLOYEE,)
    for user_id in sorted(set(user_ids)):
        if kinds.get(user_id) not in accepted:
            return user_id
    return None


def require_client(uow: AccountUnitOfWork, client_id: int, path: str) -> ContactRef:
    """The contact ``client_id`` names: 8002 when the account has none by that id, or a template."""
    found = uow.get(ContactLookup).by_id(client_id)
    if found is None or found.is_template:
        raise errors.ContactNotFound(f"{path}: {client_id}")
    return found


def client_names(uow: AccountUnitOfWork, client_ids: Sequence[int]) -> dict[int, str]:
    """Display names of clients by contact id, in one query."""
    found = uow.get(ContactLookup).many_by_id([one for one in client_ids if one])
    return {contact_id: ref.display_name for contact_id, ref in found.items()}


def contact_names(uow: AccountUnitOfWork, user_ids: Sequence[int]) -> dict[int, str]:
    """Display names of the contacts among ``user_ids`` (employees are not in it), in one query."""
    found = uow.get(ContactLookup).many_by_user_id(list(user_ids))
    return {user_id: ref.display_name for user_id, ref in found.items()}


def forget_contact(uow: AccountUnitOfWork, contact_id: int, user_id: int) -> None:
    """Remove a contact being deleted from task and project people, clients and custom values.

    Tasks it owns keep their owner (the contact's user row stays, as for a deactivated employee).
    """
    uow.get(TaskRepository).forget_contact(contact_id, user_id)
    uow.get(ProjectRepository).forget_contact(contact_id, user_id)
    forget_contact_values(uow, user_id)
