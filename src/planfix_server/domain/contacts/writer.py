"""Writing contacts and their side tables; the existence checks the writing functions need."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.contacts.identity import CONTACT_ROLE
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import (
    contact_contractors,
    contact_emails,
    contact_groups,
    contact_phones,
    contact_responsibles,
    contacts,
    user_group_members,
    user_groups,
    users,
)

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_CONTACT: BindParameter[int] = bindparam("contact_id")

_EMAIL_OWNER = Scoped(
    select(contacts.c.id).where(contacts.c.account_id == _ACCOUNT, contacts.c.email_key == bindparam("key"))
)
_GROUP_EXISTS = Scoped(
    select(contact_groups.c.id).where(
        contact_groups.c.account_id == _ACCOUNT, contact_groups.c.id == bindparam("id")
    )
)
_EMPLOYEES = Scoped(
    select(users.c.id).where(
        users.c.account_id == _ACCOUNT, users.c.id.in_(_IDS), users.c.role != CONTACT_ROLE
    )
)
_USER_GROUPS = Scoped(
    select(user_groups.c.id).where(user_groups.c.account_id == _ACCOUNT, user_groups.c.id.in_(_IDS))
)
_COMPANIES = Scoped(
    select(contacts.c.id).where(
        contacts.c.account_id == _ACCOUNT,
        contacts.c.id.in_(_IDS),
        contacts.c.is_company.is_(True),
        contacts.c.is_template.is_(False),
    )
)
_CREATED_BY = Scoped(
    select(contacts.c.created_by).where(contacts.c.account_id == _ACCOUNT, contacts.c.id == _CONTACT)
)
_UPDATE_BASE = update(contacts).where(contacts.c.account_id == _ACCOUNT, contacts.c.id == bindparam("b_id"))
Scoped(_UPDATE_BASE)  # checked at import; the SET part varies per call
_PHONES = Scoped(
    select(contact_phones.c.number, contact_phones.c.type_id)
    .where(contact_phones.c.account_id == _ACCOUNT, contact_phones.c.contact_id == _CONTACT)
    .order_by(contact_phones.c.position)
)
_DELETE_PHONES = Scoped(
    delete(contact_phones).where(
        contact_phones.c.account_id == _ACCOUNT, contact_phones.c.contact_id == _CONTACT
    )
)
_DELETE_EMAILS = Scoped(
    delete(contact_emails).where(
        contact_emails.c.account_id == _ACCOUNT, contact_emails.c.contact_id == _CONTACT
    )
)
_RESPONSIBLES = Scoped(
    select(contact_responsibles.c.kind, contact_responsibles.c.person_id).where(
        contact_responsibles.c.account_id == _ACCOUNT, contact_responsibles.c.contact_id == _CONTACT
    )
)
_DELETE_RESPONSIBLES = Scoped(
    delete(contact_responsibles).where(
        contact_responsibles.c.account_id == _ACCOUNT,
        contact_responsibles.c.contact_id == _CONTACT,
        contact_responsibles.c.kind == bindparam("kind"),
    )
)
_GROUPS_OF_USER = Scoped(
    select(user_group_members.c.group_id).where(
        user_group_members.c.account_id == _ACCOUNT, user_group_members.c.user_id == bindparam("user_id")
    )
)
_CONTRACTORS = Scoped(
    select(contact_contractors.c.company_id).where(
        contact_contractors.c.account_id == _ACCOUNT, contact_contractors.c.contact_id == _CONTACT
    )
)
_DELETE_CONTRACTORS = Scoped(
    delete(contact_contractors).where(
        contact_contractors.c.account_id == _ACCOUNT,
        contact_contractors.c.contact_id == _CONTACT,
        contact_contractors.c.company_id.in_(_IDS),
    )
)


def _ids(values: Sequence[int]) -> list[int]:
    return sorted(set(values))


class ContactWriter(Repository):
    # -- checks
    def email_owner(self, key: str) -> int | None:
        found = self.scalar(_EMAIL_OWNER, key=key)
        return None if found is None else int(found)

    def group_exists(self, group_id: int) -> bool:
        return self.scalar(_GROUP_EXISTS, id=group_id) is not None

    def employees(self, user_ids: Sequence[int]) -> set[int]:
        """Those of ``user_ids`` that are employees of the account (not contacts)."""
        if not user_ids:
            return set()
        return {int(row.id) for row in self.rows(_EMPLOYEES, ids=_ids(user_ids))}

    def user_groups(self, group_ids: Sequence[int]) -> set[int]:
        if not group_ids:
            return set()
        return {int(row.id) for row in self.rows(_USER_GROUPS, ids=_ids(group_ids))}

    def companies(self, contact_ids: Sequence[int]) -> set[int]:
        """Those of ``contact_ids`` that are companies (not templates) of the account."""
        if not contact_ids:
            return set()
        return {int(row.id) for row in self.rows(_COMPANIES, ids=_ids(contact_ids))}

    def group_ids_of_user(self, user_id: int) -> set[int]:
        return {int(row.group_id) for row in self.rows(_GROUPS_OF_USER, user_id=user_id)}

    # -- the contact row
    def created_by(self, contact_id: int) -> int | None:
        found = self.scalar(_CREATED_BY, contact_id=contact_id)
        return None if found is None else int(found)

    def update_contact(self, contact_id: int, **values: Any) -> None:
        if values:
            self.connection.execute(
                _UPDATE_BASE.values(**values), {"tenant": self.account_id, "b_id": contact_id}
            )

    # -- side tables
    def phones(self, contact_id: int) -> list[tuple[str, int]]:
        return [(row.number, int(row.type_id)) for row in self.rows(_PHONES, contact_id=contact_id)]

    def replace_phones(self, contact_id: int, phones: Sequence[tuple[str, int]]) -> None:
        self.execute(_DELETE_PHONES, contact_id=contact_id)
        self.insert_many(
            contact_phones,
            [
                {"contact_id": contact_id, "position": position, "number": number, "type_id": type_id}
                for position, (number, type_id) in enumerate(phones)
            ],
        )

    def replace_emails(self, contact_id: int, emails: Sequence[str]) -> None:
        self.execute(_DELETE_EMAILS, contact_id=contact_id)
        self.insert_many(
            contact_emails,
            [
                {"contact_id": contact_id, "position": position, "email": email}
                for position, email in enumerate(emails)
            ],
        )

    def responsibles(self, contact_id: int) -> list[tuple[str, int]]:
        return [(row.kind, int(row.person_id)) for row in self.rows(_RESPONSIBLES, contact_id=contact_id)]

    def replace_responsibles(self, contact_id: int, kind: str, person_ids: Sequence[int]) -> None:
        """The responsible ``kind`` (user, group) of a contact become ``person_ids``."""
        self.execute(_DELETE_RESPONSIBLES, contact_id=contact_id, kind=kind)
        self.insert_many(
            contact_responsibles,
            [{"contact_id": contact_id, "kind": kind, "person_id": one} for one in dict.fromkeys(person_ids)],
        )

    def contractors(self, contact_id: int) -> set[int]:
        return {int(row.company_id) for row in self.rows(_CONTRACTORS, contact_id=contact_id)}

    def add_contractors(self, contact_id: int, company_ids: Sequence[int]) -> None:
        self.insert_many(
            contact_contractors,
            [{"contact_id": contact_id, "company_id": one} for one in dict.fromkeys(company_ids)],
        )

    def remove_contractors(self, contact_id: int, company_ids: Sequence[int]) -> None:
        if company_ids:
            self.execute(_DELETE_CONTRACTORS, contact_id=contact_id, ids=_ids(company_ids))
