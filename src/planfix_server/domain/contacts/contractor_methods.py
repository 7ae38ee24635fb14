"""``contact.updateContractors``: the companies a contact belongs to (21-contacts.md §13)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.contacts.methods import editable
from planfix_server.domain.contacts.shapes import CONTACT_ID, ContactWritten
from planfix_server.domain.contacts.writer import ContactWriter
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.fields import Id, xml


@dataclass(frozen=True, slots=True)
class ContactUpdateContractors:
    # Only ``id`` is documented; ``userid`` and ``general`` are accepted as by the other functions.
    id: int | None = xml("contact/id", Id())
    userid: int | None = xml("contact/userid", Id())
    general: int | None = xml("contact/general", Id())
    add_client: Sequence[int] | None = xml("contact/contractors/addClient", Id(), many="id")
    del_client: Sequence[int] | None = xml("contact/contractors/delClient", Id(), many="id")


@method(
    "contact.updateContractors",
    request=ContactUpdateContractors,
    response=CONTACT_ID,
    writes=True,
    errors=("8001", "8002", "8004", "7002", "0009", "0015"),
)
def contact_update_contractors(
    request: ContactUpdateContractors, uow: AccountUnitOfWork, call: Call
) -> ContactWritten:
    """Add the ``addClient`` companies to a contact and remove the ``delClient`` ones.

    Companies to add must be companies of the account (7002 otherwise, the code the reference
    names); removing a company the contact does not belong to changes nothing.
    """
    contact = editable(uow, call, request.id, request.userid, request.general)
    adding = list(dict.fromkeys(request.add_client or ()))
    removing = list(dict.fromkeys(request.del_client or ()))
    if contact.id in adding:
        raise errors.InvalidParameterValue("contact/contractors/addClient: a contact is not its own company")
    writer = uow.get(ContactWriter)
    unknown = set(adding) - writer.companies(adding)
    if unknown:
        raise errors.ClientNotFound(f"contact/contractors/addClient: no company {min(unknown)}")
    present = writer.contractors(contact.id)
    writer.add_contractors(contact.id, [one for one in adding if one not in present and one not in removing])
    writer.remove_contractors(contact.id, [one for one in removing if one in present])
    writer.update_contact(contact.id, modified_at=call.now)
    return ContactWritten(contact.id, contact.user_id, contact.general)
