"""Handbook groups, handbooks, their fields, records and record values of one account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.sql.elements import BindParameter

from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import (
    files,
    handbook_fields,
    handbook_groups,
    handbook_records,
    handbook_values,
    handbooks,
)

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_HANDBOOK: BindParameter[int] = bindparam("handbook")

_GROUPS = Scoped(
    select(handbook_groups.c.id, handbook_groups.c.name)
    .where(handbook_groups.c.account_id == _ACCOUNT)
    .order_by(handbook_groups.c.position, handbook_groups.c.id)
)
_GROUP_POSITION = Scoped(
    select(func.max(handbook_groups.c.position)).where(handbook_groups.c.account_id == _ACCOUNT)
)
_WITH_GROUP = (
    select(handbooks.c.id, handbooks.c.name, handbooks.c.group_id, handbook_groups.c.name.label("group_name"))
    .select_from(
        handbooks.outerjoin(
            handbook_groups,
            (handbook_groups.c.account_id == handbooks.c.account_id)
            & (handbook_groups.c.id == handbooks.c.group_id),
        )
    )
    .where(handbooks.c.account_id == _ACCOUNT)
)
_HANDBOOKS = Scoped(_WITH_GROUP.order_by(handbooks.c.position, handbooks.c.id))
_HANDBOOKS_OF_GROUP = Scoped(
    _WITH_GROUP.where(handbooks.c.group_id == bindparam("group")).order_by(
        handbooks.c.position, handbooks.c.id
    )
)
_HANDBOOK_BY_ID = Scoped(_WITH_GROUP.where(handbooks.c.id == _HANDBOOK))
_HANDBOOK_POSITION = Scoped(select(func.max(handbooks.c.position)).where(handbooks.c.account_id == _ACCOUNT))
_FIELDS = Scoped(
    select(handbook_fields)
    .where(handbook_fields.c.account_id == _ACCOUNT, handbook_fields.c.handbook_id == _HANDBOOK)
    .order_by(handbook_fields.c.num, handbook_fields.c.id)
)
_FIELD_NUM = Scoped(
    select(func.max(handbook_fields.c.num)).where(
        handbook_fields.c.account_id == _ACCOUNT, handbook_fields.c.handbook_id == _HANDBOOK
    )
)
_RECORD_COLUMNS = (
    handbook_records.c.id,
    handbook_records.c.handbook_id,
    handbook_records.c.parent_key,
    handbook_records.c.is_group,
    handbook_records.c.name,
    handbook_records.c.archived,
)
_IN_HANDBOOK = (handbook_records.c.account_id == _ACCOUNT, handbook_records.c.handbook_id == _HANDBOOK)
_TOP_LEVEL = Scoped(
    select(*_RECORD_COLUMNS)
    .where(*_IN_HANDBOOK, handbook_records.c.parent_key.is_(None))
    .order_by(handbook_records.c.id)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
_TOP_LEVEL_COUNT = Scoped(select(func.count()).where(*_IN_HANDBOOK, handbook_records.c.parent_key.is_(None)))
_CHILDREN = Scoped(
    select(*_RECORD_COLUMNS)
    .where(*_IN_HANDBOOK, handbook_records.c.parent_key == bindparam("parent"))
    .order_by(handbook_records.c.id)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
_CHILDREN_COUNT = Scoped(
    select(func.count()).where(*_IN_HANDBOOK, handbook_records.c.parent_key == bindparam("parent"))
)
_RECORDS_BY_KEY = Scoped(
    select(*_RECORD_COLUMNS)
    .where(*_IN_HANDBOOK, handbook_records.c.id.in_(_IDS))
    .order_by(handbook_records.c.id)
)
_UPDATE_RECORD = Scoped(
    update(handbook_records)
    .where(handbook_records.c.account_id == _ACCOUNT, handbook_records.c.id == bindparam("key"))
    .values(
        parent_key=bindparam("parent_key"),
        name=bindparam("name"),
        archived=bindparam("archived"),
        modified_at=bindparam("modified_at"),
    )
)
_VALUES = Scoped(
    select(handbook_values.c.record_id, handbook_values.c.field_id, handbook_values.c.value).where(
        handbook_values.c.account_id == _ACCOUNT, handbook_values.c.record_id.in_(_IDS)
    )
)
_DELETE_VALUES = Scoped(
    delete(handbook_values).where(
        handbook_values.c.account_id == _ACCOUNT,
        handbook_values.c.record_id == bindparam("record"),
        handbook_values.c.field_id.in_(_IDS),
    )
)
_FILES = Scoped(
    select(files.c.id, files.c.name, files.c.record_id, files.c.field_id)
    .where(files.c.account_id == _ACCOUNT, files.c.record_id.in_(_IDS))
    .order_by(files.c.id)
)


class HandbookRepository(Repository):
    # -- definitions

    def groups(self) -> Sequence[Row[Any]]:
        return self.rows(_GROUPS)

    def add_group(self, group_id: int, name: str, now: dt.datetime) -> None:
        position = self.scalar(_GROUP_POSITION)
        self.insert(
            handbook_groups,
            id=group_id,
            name=name,
            position=0 if position is None else int(position) + 1,
            created_at=now,
        )

    def handbooks(self, group_id: int | None = None) -> Sequence[Row[Any]]:
        """Every handbook (with its group's name), or those of one group."""
        if group_id is None:
            return self.rows(_HANDBOOKS)
        return self.rows(_HANDBOOKS_OF_GROUP, group=group_id)

    def handbook(self, handbook_id: int) -> Row[Any] | None:
        return self.first(_HANDBOOK_BY_ID, handbook=handbook_id)

    def add_handbook(self, handbook_id: int, name: str, group_id: int | None, now: dt.datetime) -> None:
        position = self.scalar(_HANDBOOK_POSITION)
        self.insert(
            handbooks,
            id=handbook_id,
            name=name,
            group_id=group_id,
            position=0 if position is None else int(position) + 1,
            created_at=now,
        )

    def fields(self, handbook_id: int) -> Sequence[Row[Any]]:
        return self.rows(_FIELDS, handbook=handbook_id)

    def next_num(self, handbook_id: int) -> int:
        found = self.scalar(_FIELD_NUM, handbook=handbook_id)
        return 0 if found is None else int(found) + 1

    def add_field(self, **values: Any) -> None:
        self.insert(handbook_fields, **values)

    # -- records

    def level(self, handbook_id: int, parent_key: int | None, offset: int, limit: int) -> Sequence[Row[Any]]:
        """One page of the records directly under ``parent_key`` (None: the top level), by key."""
        if parent_key is None:
            return self.rows(_TOP_LEVEL, handbook=handbook_id, offset=offset, limit=limit)
        return self.rows(_CHILDREN, handbook=handbook_id, parent=parent_key, offset=offset, limit=limit)

    def level_count(self, handbook_id: int, parent_key: int | None) -> int:
        if parent_key is None:
            return int(self.scalar(_TOP_LEVEL_COUNT, handbook=handbook_id))
        return int(self.scalar(_CHILDREN_COUNT, handbook=handbook_id, parent=parent_key))

    def records(self, handbook_id: int, keys: Sequence[int]) -> Sequence[Row[Any]]:
        """The records of the handbook among ``keys``, by key."""
        if not keys:
            return []
        return self.rows(_RECORDS_BY_KEY, handbook=handbook_id, ids=list(keys))

    def record(self, handbook_id: int, key: int) -> Row[Any] | None:
        found = self.records(handbook_id, [key])
        return found[0] if found else None

    def add_record(self, **values: Any) -> None:
        self.insert(handbook_records, **values)

    def update_record(
        self, key: int, *, parent_key: int | None, name: str, archived: bool, modified_at: dt.datetime
    ) -> None:
        self.execute(
            _UPDATE_RECORD,
            key=key,
            parent_key=parent_key,
            name=name,
            archived=archived,
            modified_at=modified_at,
        )

    # -- values

    def values(self, record_ids: Sequence[int]) -> Sequence[Row[Any]]:
        if not record_ids:
            return []
        return self.rows(_VALUES, ids=list(record_ids))

    def replace_values(self, record_id: int, field_ids: Sequence[int], stored: Mapping[int, str]) -> None:
        """Delete the values of ``field_ids`` and write ``stored`` (a subset of them)."""
        if field_ids:
            self.execute(_DELETE_VALUES, record=record_id, ids=list(field_ids))
        self.insert_many(
            handbook_values,
            [
                {"record_id": record_id, "field_id": field_id, "value": value}
                for field_id, value in stored.items()
            ],
        )

    def files(self, record_ids: Sequence[int]) -> Sequence[Row[Any]]:
        """The files stored in FILES fields of these records, by id."""
        if not record_ids:
            return []
        return self.rows(_FILES, ids=list(record_ids))
