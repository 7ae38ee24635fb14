"""analitic.getHandbook: every record of a handbook, flat, in the older attribute form (§14).

A group record carries one ``value`` (its name, ``name=""``); any other record one ``value`` per
field of the handbook, in field order, ``isDisplayed`` marking the caption field. Values are in
their raw read form (as the real answer shows: checkbox ``1``, a reference's id, dates
``dd-mm-yyyy``); an unset field is empty. Records come by key; archived ones are included.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.api import errors
from planfix_server.domain.analitics.shapes import LegacyRecord, ValueAttr
from planfix_server.domain.customfields import types
from planfix_server.domain.customfields.datatag_types import DATATAG_TYPES
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import handbook_fields, handbook_records, handbook_values, handbooks
from planfix_server.store.uow import AccountUnitOfWork

TENANT: BindParameter[int] = bindparam("tenant")
_HANDBOOK: BindParameter[int] = bindparam("handbook")

_EXISTS = Scoped(select(handbooks.c.id).where(handbooks.c.account_id == TENANT, handbooks.c.id == _HANDBOOK))
_FIELDS = Scoped(
    select(
        handbook_fields.c.id,
        handbook_fields.c.num,
        handbook_fields.c.name,
        handbook_fields.c.type,
        handbook_fields.c.is_displayed,
    )
    .where(handbook_fields.c.account_id == TENANT, handbook_fields.c.handbook_id == _HANDBOOK)
    .order_by(handbook_fields.c.num, handbook_fields.c.id)
)
_RECORDS = Scoped(
    select(
        handbook_records.c.id,
        handbook_records.c.parent_key,
        handbook_records.c.is_group,
        handbook_records.c.name,
    )
    .where(handbook_records.c.account_id == TENANT, handbook_records.c.handbook_id == _HANDBOOK)
    .order_by(handbook_records.c.id)
)
_VALUES = Scoped(
    select(handbook_values.c.record_id, handbook_values.c.field_id, handbook_values.c.value)
    .select_from(
        handbook_values.join(
            handbook_records,
            (handbook_records.c.account_id == handbook_values.c.account_id)
            & (handbook_records.c.id == handbook_values.c.record_id),
        )
    )
    .where(handbook_values.c.account_id == TENANT, handbook_records.c.handbook_id == _HANDBOOK)
)


class HandbookExport(Repository):
    def exists(self, handbook_id: int) -> bool:
        return self.first(_EXISTS, handbook=handbook_id) is not None

    def fields(self, handbook_id: int) -> list[Any]:
        return list(self.rows(_FIELDS, handbook=handbook_id))

    def records(self, handbook_id: int) -> list[Any]:
        return list(self.rows(_RECORDS, handbook=handbook_id))

    def values(self, handbook_id: int) -> dict[int, dict[int, str]]:
        found: dict[int, dict[int, str]] = defaultdict(dict)
        for row in self.rows(_VALUES, handbook=handbook_id):
            found[int(row.record_id)][int(row.field_id)] = row.value
        return found


def _shown(field: Any, stored: str | None, display: types.Display) -> str:
    if stored is None:
        return ""
    kind = DATATAG_TYPES.get(field.type)
    if kind is None:  # a time period, people, files: as stored
        return stored
    definition = types.FieldDef(int(field.id), "handbook", field.name, kind)
    return types.render(definition, stored, display)[0]


def export(uow: AccountUnitOfWork, handbook_id: int, tz: dt.tzinfo) -> list[LegacyRecord]:
    """The records of ``handbook_id``; 10004 when the account has no such handbook."""
    repo = uow.get(HandbookExport)
    if not repo.exists(handbook_id):
        raise errors.AnaliticHandbookNotFound(f"handbook/id: {handbook_id}")
    fields = repo.fields(handbook_id)
    stored = repo.values(handbook_id)
    display = types.Display(tz)
    made = []
    for row in repo.records(handbook_id):
        key = int(row.id)
        if row.is_group:
            shown = [ValueAttr(row.name or "", "", False)]
        else:
            own = stored.get(key, {})
            shown = [
                ValueAttr(
                    _shown(field, own.get(int(field.id)), display), field.name, bool(field.is_displayed)
                )
                for field in fields
            ]
        made.append(LegacyRecord(key, int(row.parent_key or 0), bool(row.is_group), shown))
    return made
