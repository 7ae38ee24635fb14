"""Contact groups: XML API v1 only lists them; the CLI and fixture files make them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, func, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import contact_groups
from planfix_server.store.uow import AccountUnitOfWork

NAME_LENGTH = 200

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_IN_ORDER = Scoped(
    select(contact_groups.c.id, contact_groups.c.name)
    .where(contact_groups.c.account_id == _ACCOUNT)
    .order_by(contact_groups.c.position, contact_groups.c.id)
)
_MAX_POSITION = Scoped(
    select(func.max(contact_groups.c.position)).where(contact_groups.c.account_id == _ACCOUNT)
)


class ContactGroups(Repository):
    def in_order(self) -> list[tuple[int, str]]:
        return [(int(row.id), row.name) for row in self.rows(_IN_ORDER)]

    def add(self, group_id: int, name: str, now: dt.datetime) -> None:
        position = self.scalar(_MAX_POSITION)
        self.insert(
            contact_groups,
            id=group_id,
            name=name,
            position=0 if position is None else int(position) + 1,
            created_at=now,
        )


def add_group(uow: AccountUnitOfWork, name: str, now: dt.datetime) -> int:
    """A new contact group, last in order; ValueError for an empty or too long name."""
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise ValueError(f"a contact group name has 1 to {NAME_LENGTH} characters")
    group_id = uow.next_id("contact_groups")
    uow.get(ContactGroups).add(group_id, name, now)
    return group_id
