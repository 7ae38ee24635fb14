"""``contact.delete`` (21-contacts.md §16); what the deletion takes along: deletion.py."""

from __future__ import annotations

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.contacts.deletion import delete_contact
from planfix_server.domain.contacts.methods import editable
from planfix_server.domain.contacts.requests import ContactNumbers
from planfix_server.domain.contacts.shapes import CONTACT_DELETED, ContactWritten
from planfix_server.domain.files import service as files
from planfix_server.store.uow import AccountUnitOfWork


@method(
    "contact.delete",
    request=ContactNumbers,
    response=CONTACT_DELETED,
    writes=True,
    errors=("8001", "8002", "0009", "0015"),
)
def contact_delete(request: ContactNumbers, uow: AccountUnitOfWork, call: Call) -> ContactWritten:
    """Delete a contact (by ``id``, ``userid`` or ``general``, in that precedence)."""
    contact = editable(uow, call, request.id, request.userid, request.general)
    keys = files.blob_keys_of_contact(uow, contact.id)
    delete_contact(uow, contact)
    files.release_blobs(uow, call, keys)  # its files went with it; their contents after commit
    return ContactWritten(contact.id, contact.user_id, contact.general)
