"""Handbook records as other parts of the account see them: does a key exist, is it a group,
what is its caption. Analitic data rows and custom fields of type handbook record ask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import handbook_fields, handbook_records, handbook_values
from planfix_server.store.uow import AccountUnitOfWork

_ACCOUNT: BindParameter[int] = bindparam("tenant")

# The caption field of a record: the handbook's field marked displayed, else its first field.
_CAPTION_FIELD = (
    select(handbook_fields.c.id)
    .where(
        handbook_fields.c.account_id == handbook_records.c.account_id,
        handbook_fields.c.handbook_id == handbook_records.c.handbook_id,
    )
    .order_by(handbook_fields.c.is_displayed.desc(), handbook_fields.c.num, handbook_fields.c.id)
    .limit(1)
    .scalar_subquery()
)
_RECORDS = Scoped(
    select(
        handbook_records.c.id,
        handbook_records.c.handbook_id,
        handbook_records.c.is_group,
        handbook_records.c.name,
        handbook_values.c.value,
    )
    .select_from(
        handbook_records.outerjoin(
            handbook_values,
            and_(
                handbook_values.c.account_id == handbook_records.c.account_id,
                handbook_values.c.record_id == handbook_records.c.id,
                handbook_values.c.field_id == _CAPTION_FIELD,
            ),
        )
    )
    .where(
        handbook_records.c.account_id == _ACCOUNT,
        handbook_records.c.id.in_(bindparam("keys", expanding=True)),
    )
)


@dataclass(frozen=True, slots=True)
class RecordRef:
    key: int
    handbook_id: int
    is_group: bool
    caption: str  # a group's name; a record's caption field value, or its name when that is empty


class HandbookRecordLookup(Repository):
    def find(self, keys: Iterable[int]) -> dict[int, RecordRef]:
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        found: dict[int, RecordRef] = {}
        for row in self.rows(_RECORDS, keys=wanted):
            caption = row.name if row.is_group else (row.value or row.name or "")
            found[int(row.id)] = RecordRef(int(row.id), int(row.handbook_id), bool(row.is_group), caption)
        return found


def find_records(uow: AccountUnitOfWork, keys: Iterable[int]) -> dict[int, RecordRef]:
    """The records of this account among ``keys`` (others are left out)."""
    return uow.get(HandbookRecordLookup).find(keys)
