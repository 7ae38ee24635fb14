"""Finding a contact by any of its three numbers (planfix-xml-api/21-contacts.md §1).

Other areas (tasks, projects, actions, custom fields) only need to know that a contact exists,
what it is called and which ``userid`` it has; they ask here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.api import errors
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import contacts

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_COLUMNS = (
    contacts.c.id,
    contacts.c.general,
    contacts.c.user_id,
    contacts.c.name,
    contacts.c.mid_name,
    contacts.c.last_name,
    contacts.c.is_company,
    contacts.c.is_template,
    contacts.c.access,
)
_BY = {
    column: Scoped(select(*_COLUMNS).where(contacts.c.account_id == _ACCOUNT, column == bindparam("value")))
    for column in (contacts.c.id, contacts.c.general, contacts.c.user_id)
}
_MANY = {
    column: Scoped(
        select(*_COLUMNS).where(
            contacts.c.account_id == _ACCOUNT, column.in_(bindparam("values", expanding=True))
        )
    )
    for column in (contacts.c.id, contacts.c.user_id)
}


@dataclass(frozen=True, slots=True)
class ContactRef:
    id: int
    general: int
    user_id: int
    name: str
    mid_name: str
    last_name: str
    is_company: bool
    is_template: bool
    access: str

    @property
    def display_name(self) -> str:
        """How the contact is named next to tasks and actions: a company by its name, a person in full."""
        return display_name(self.name, self.mid_name, self.last_name, self.is_company)


def display_name(name: str, mid_name: str, last_name: str, is_company: bool) -> str:
    """ContactRef.display_name from the columns alone (for queries that join contacts)."""
    if is_company:
        return name
    return " ".join(part for part in (last_name, name, mid_name) if part)


def _ref(row: Any) -> ContactRef:
    return ContactRef(**row._mapping)


class ContactLookup(Repository):
    def _one(self, column: object, value: int) -> ContactRef | None:
        row = self.first(_BY[column], value=value)  # type: ignore[index]
        return None if row is None else _ref(row)

    def by_id(self, contact_id: int) -> ContactRef | None:
        return self._one(contacts.c.id, contact_id)

    def by_general(self, general: int) -> ContactRef | None:
        return self._one(contacts.c.general, general)

    def by_user_id(self, user_id: int) -> ContactRef | None:
        return self._one(contacts.c.user_id, user_id)

    def many_by_id(self, contact_ids: Sequence[int]) -> dict[int, ContactRef]:
        if not contact_ids:
            return {}
        rows = self.rows(_MANY[contacts.c.id], values=list(set(contact_ids)))
        return {row.id: _ref(row) for row in rows}

    def many_by_user_id(self, user_ids: Sequence[int]) -> dict[int, ContactRef]:
        if not user_ids:
            return {}
        rows = self.rows(_MANY[contacts.c.user_id], values=list(set(user_ids)))
        return {row.user_id: _ref(row) for row in rows}

    def find(
        self,
        *,
        contact_id: int | None = None,
        userid: int | None = None,
        general: int | None = None,
        order: Sequence[str] = ("id", "userid", "general"),
    ) -> ContactRef | None:
        """The contact named by the first of ``order`` that is given (and not 0); None if none matches."""
        given = {"id": contact_id, "userid": userid, "general": general}
        finders = {"id": self.by_id, "userid": self.by_user_id, "general": self.by_general}
        for name in order:
            value = given[name]
            if value:
                return finders[name](value)
        return None


def require_contact(
    lookup: ContactLookup,
    *,
    contact_id: int | None = None,
    userid: int | None = None,
    general: int | None = None,
    order: Sequence[str] = ("id", "userid", "general"),
    path: str = "contact",
) -> ContactRef:
    """The contact named, or 0009 when no number is given and 8002 when none matches."""
    if not (contact_id or userid or general):
        raise errors.MissingParameter(f"{path}: id, userid or general")
    found = lookup.find(contact_id=contact_id, userid=userid, general=general, order=order)
    if found is None:
        raise errors.ContactNotFound(f"{path}: {contact_id or userid or general}")
    return found
