"""Set-up helpers for tests that need contacts: stored directly, without the contact functions."""

from __future__ import annotations

from typing import Any

from planfix_server.app import Server
from planfix_server.domain.contacts.creation import insert_contact
from planfix_server.domain.contacts.lookup import ContactRef
from tests.domain.users.helpers import unit_of_work
from tests.support import Tenant, now


def make_contact(server: Server, tenant: Tenant, name: str, **columns: Any) -> ContactRef:
    """A contact of ``tenant`` (columns as in store.tables.contacts: last_name, is_company, email …)."""
    with unit_of_work(server, tenant) as uow:
        return insert_contact(uow, now(), name=name, **columns)
