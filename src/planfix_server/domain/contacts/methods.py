"""The contact functions that write or read one contact: add, update, updateCustomData, get."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.contacts import service
from planfix_server.domain.contacts.lookup import ContactLookup, ContactRef, require_contact
from planfix_server.domain.contacts.requests import ContactAdd, ContactUpdate, ContactUpdateCustomData
from planfix_server.domain.contacts.rights import require_editor
from planfix_server.domain.contacts.shapes import (
    CONTACT,
    CONTACT_ADDED,
    CONTACT_UPDATED,
    EXTRA_FIELDS,
    ContactView,
    ContactWritten,
)
from planfix_server.domain.contacts.views import contact_views
from planfix_server.domain.contacts.writer import ContactWriter
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.fields import Id, Str, xml

# Lookup precedence (§1): documented for contact.get; recommended for the writing functions.
GET_ORDER = ("general", "userid", "id")
WRITE_ORDER = ("id", "userid", "general")


def written(contact: ContactRef, action_id: int) -> ContactWritten:
    return ContactWritten(contact.id, contact.user_id, contact.general, action_id)


@method(
    "contact.add",
    request=ContactAdd,
    response=CONTACT_ADDED,
    writes=True,
    errors=("8001", "8003", "8007", "8010", "0009", "0015"),
)
def contact_add(request: ContactAdd, uow: AccountUnitOfWork, call: Call) -> ContactWritten:
    """Create a contact or a company, from a template when ``template`` names one."""
    contact, action_id = service.add_contact(uow, call, request)
    return written(contact, action_id)


def editable(
    uow: AccountUnitOfWork, call: Call, contact_id: int | None, userid: int | None, general: int | None
) -> ContactRef:
    """The contact named (0009 / 8002), once the caller may change it (8001)."""
    contact = require_contact(
        uow.get(ContactLookup), contact_id=contact_id, userid=userid, general=general, order=WRITE_ORDER
    )
    require_editor(uow, call, contact)
    return contact


@method(
    "contact.update",
    request=ContactUpdate,
    response=CONTACT_UPDATED,
    writes=True,
    errors=("8001", "8002", "8004", "8007", "8010", "0009", "0015"),
)
def contact_update(request: ContactUpdate, uow: AccountUnitOfWork, call: Call) -> ContactWritten:
    """Change the given fields of a contact (the rest stays); ``isCompany`` cannot change."""
    contact = editable(uow, call, request.id, request.userid, request.general)
    return written(contact, service.update_contact(uow, call, contact, request))


@method(
    "contact.updateCustomData",
    request=ContactUpdateCustomData,
    response=CONTACT_UPDATED,
    writes=True,
    errors=("8001", "8002", "8004", "0009", "0015"),
)
def contact_update_custom_data(
    request: ContactUpdateCustomData, uow: AccountUnitOfWork, call: Call
) -> ContactWritten:
    """Change only the listed custom-field values of a contact."""
    contact = editable(uow, call, request.id, None, request.general)
    return written(contact, service.update_custom_data(uow, call, contact, request.custom_data))


@dataclass(frozen=True, slots=True)
class ContactGet:
    id: int | None = xml("contact/id", Id())
    userid: int | None = xml("contact/userid", Id())
    general: int | None = xml("contact/general", Id())
    fields: Sequence[str] | None = xml("fields", Str(), many="field")


def extra_fields(given: Sequence[str] | None) -> list[str]:
    """The known names among ``fields/field`` (others are ignored, as unknown elements are)."""
    return [name for name in dict.fromkeys(one.strip() for one in given or ()) if name in EXTRA_FIELDS]


def require_readable(uow: AccountUnitOfWork, call: Call, contact: ContactRef) -> None:
    """Employees read every contact; a contact signed in reads itself and its companies (8001)."""
    if not call.is_contact:
        return
    own = uow.get(ContactLookup).by_user_id(call.user.id)
    if own is None:
        raise errors.ContactAccessDenied("no contact behind this user")
    if contact.id != own.id and contact.id not in uow.get(ContactWriter).contractors(own.id):
        raise errors.ContactAccessDenied(f"contact {contact.id}: not the caller nor its company")


@method("contact.get", request=ContactGet, response=[CONTACT], errors=("8001", "8002", "0009", "0015"))
def contact_get(request: ContactGet, uow: AccountUnitOfWork, call: Call) -> ContactView:
    """One contact card; ``general`` wins over ``userid``, which wins over ``id``."""
    contact = require_contact(
        uow.get(ContactLookup),
        contact_id=request.id,
        userid=request.userid,
        general=request.general,
        order=GET_ORDER,
    )
    require_readable(uow, call, contact)
    return contact_views(uow, call, [contact.id], extra_fields=extra_fields(request.fields))[0]
