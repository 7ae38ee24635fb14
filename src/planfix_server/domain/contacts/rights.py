"""Who may change a contact (contact.update, updateCustomData, updateContractors, delete).

Administrators, the employee who created the contact, and its responsible employees, directly or
through a responsible employee group. A contact signed in with PlanFix access changes no contact.
"""

from __future__ import annotations

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.contacts.lookup import ContactRef
from planfix_server.domain.contacts.writer import ContactWriter
from planfix_server.store.uow import AccountUnitOfWork


def may_edit(uow: AccountUnitOfWork, call: Call, contact: ContactRef) -> bool:
    if call.is_contact:
        return False
    if call.is_admin:
        return True
    writer = uow.get(ContactWriter)
    if writer.created_by(contact.id) == call.user.id:
        return True
    responsible = writer.responsibles(contact.id)
    if ("user", call.user.id) in responsible:
        return True
    groups = {person_id for kind, person_id in responsible if kind == "group"}
    return bool(groups and groups & writer.group_ids_of_user(call.user.id))


def require_editor(uow: AccountUnitOfWork, call: Call, contact: ContactRef) -> None:
    """8001 unless the caller may change ``contact``."""
    if not may_edit(uow, call, contact):
        raise errors.ContactAccessDenied(f"contact {contact.id}: not an editor")


def require_employee(call: Call) -> None:
    """8001 for a contact signed in: contacts add no contacts."""
    if call.is_contact:
        raise errors.ContactAccessDenied("a contact may not add contacts")
