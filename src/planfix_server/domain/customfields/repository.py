"""Custom field definitions and values of one account, and the names their values refer to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, not_, select
from sqlalchemy.engine import Row
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.contacts.identity import CONTACT_ROLE
from planfix_server.domain.contacts.lookup import display_name
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import contacts, custom_fields, custom_values, projects, tasks, users

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)

_FIELDS = Scoped(
    select(custom_fields)
    .where(custom_fields.c.account_id == _ACCOUNT)
    .order_by(custom_fields.c.object_kind, custom_fields.c.position, custom_fields.c.id)
)
_MAX_POSITION = Scoped(
    select(func.max(custom_fields.c.position)).where(
        custom_fields.c.account_id == _ACCOUNT, custom_fields.c.object_kind == bindparam("object_kind")
    )
)
_VALUES = Scoped(
    select(custom_values.c.object_id, custom_values.c.field_id, custom_values.c.value).where(
        custom_values.c.account_id == _ACCOUNT,
        custom_values.c.object_kind == bindparam("object_kind"),
        custom_values.c.object_id.in_(_IDS),
    )
)
_DELETE_VALUES = Scoped(
    delete(custom_values).where(
        custom_values.c.account_id == _ACCOUNT,
        custom_values.c.object_kind == bindparam("object_kind"),
        custom_values.c.object_id == bindparam("object_id"),
        custom_values.c.field_id.in_(_IDS),
    )
)
_USER_NAMES = Scoped(
    select(users.c.id, users.c.name, users.c.last_name).where(
        users.c.account_id == _ACCOUNT, users.c.id.in_(_IDS), users.c.role != CONTACT_ROLE
    )
)
_CONTACT_NAMES = Scoped(
    select(
        contacts.c.user_id, contacts.c.name, contacts.c.mid_name, contacts.c.last_name, contacts.c.is_company
    ).where(contacts.c.account_id == _ACCOUNT, contacts.c.user_id.in_(_IDS), not_(contacts.c.is_template))
)
_DELETE_MATCHING = Scoped(
    delete(custom_values).where(
        custom_values.c.account_id == _ACCOUNT,
        custom_values.c.field_id.in_(_IDS),
        custom_values.c.value == bindparam("value"),
    )
)
_TASK_TITLES = Scoped(
    select(tasks.c.id, tasks.c.title).where(tasks.c.account_id == _ACCOUNT, tasks.c.id.in_(_IDS))
)
_PROJECT_TITLES = Scoped(
    select(projects.c.id, projects.c.title).where(projects.c.account_id == _ACCOUNT, projects.c.id.in_(_IDS))
)


def person_name(name: str, last_name: str) -> str:
    """How a user is named in references: first name, then last name (as the real service)."""
    return " ".join(part for part in (name, last_name) if part)


class CustomFieldRepository(Repository):
    # The account's field definitions by kind, once read in this unit of work (service.py).
    field_cache: Any = None

    def fields(self) -> Sequence[Row[Any]]:
        return self.rows(_FIELDS)

    def next_position(self, object_kind: str) -> int:
        found = self.scalar(_MAX_POSITION, object_kind=object_kind)
        return 0 if found is None else int(found) + 1

    def add_field(self, **values: Any) -> None:
        self.insert(custom_fields, **values)

    def values(self, object_kind: str, object_ids: Sequence[int]) -> Sequence[Row[Any]]:
        if not object_ids:
            return []
        return self.rows(_VALUES, object_kind=object_kind, ids=list(object_ids))

    def replace_values(
        self, object_kind: str, object_id: int, field_ids: Sequence[int], stored: Mapping[int, str]
    ) -> None:
        """Delete the values of ``field_ids`` and write ``stored`` (a subset of them)."""
        if field_ids:
            self.execute(_DELETE_VALUES, object_kind=object_kind, object_id=object_id, ids=list(field_ids))
        self.insert_many(
            custom_values,
            [
                {"object_kind": object_kind, "object_id": object_id, "field_id": field_id, "value": value}
                for field_id, value in stored.items()
            ],
        )

    def delete_matching(self, field_ids: Sequence[int], value: str) -> None:
        """Clear the fields ``field_ids`` wherever they hold exactly ``value`` (on every object)."""
        if field_ids:
            self.execute(_DELETE_MATCHING, ids=list(field_ids), value=value)

    def names(self, reference: str, ids: Sequence[int]) -> dict[int, str]:
        """Display names of referenced objects that exist: employees, contacts (by userid), tasks,
        projects."""
        if not ids:
            return {}
        if reference == "user":
            return {
                int(row.id): person_name(row.name, row.last_name)
                for row in self.rows(_USER_NAMES, ids=list(ids))
            }
        if reference == "contact":
            return {
                int(row.user_id): display_name(row.name, row.mid_name, row.last_name, row.is_company)
                for row in self.rows(_CONTACT_NAMES, ids=list(ids))
            }
        query = {"task": _TASK_TITLES, "project": _PROJECT_TITLES}.get(reference)
        if query is None:
            return {}
        return {int(row.id): row.title for row in self.rows(query, ids=list(ids))}
