"""Storing a new contact row with its user row and number, without checks.

``contact.add`` validates its input and then calls this; fixtures, the CLI and tests call it
directly for data they already trust.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planfix_server.domain.contacts.identity import create_contact_user
from planfix_server.domain.contacts.lookup import ContactLookup, ContactRef
from planfix_server.store.scoped import Repository
from planfix_server.store.tables import contacts
from planfix_server.store.uow import AccountUnitOfWork


class ContactInserter(Repository):
    def insert_contact(self, **values: Any) -> None:
        self.insert(contacts, **values)


def insert_contact(
    uow: AccountUnitOfWork,
    now: dt.datetime,
    *,
    name: str,
    mid_name: str = "",
    last_name: str = "",
    email: str = "",
    **columns: Any,
) -> ContactRef:
    """A contact with a new id, ``general`` and ``userid``; other ``columns`` as the table names them."""
    user_id = create_contact_user(uow, now, name=name, mid_name=mid_name, last_name=last_name)
    contact_id = uow.next_id("contacts")
    uow.get(ContactInserter).insert_contact(
        id=contact_id,
        general=uow.next_general("contact"),
        user_id=user_id,
        name=name,
        mid_name=mid_name,
        last_name=last_name,
        email=email,
        email_key=email.strip().lower() or None,
        created_at=now,
        modified_at=now,
        **columns,
    )
    found = uow.get(ContactLookup).by_id(contact_id)
    assert found is not None
    return found
