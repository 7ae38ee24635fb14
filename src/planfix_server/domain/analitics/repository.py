"""Analitic definitions of one account: groups, analitics and their fields.

XML API v1 only reads them; the CLI and fixtures write them (definitions.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.analitics.definitions import AnaliticDef, FieldSpec, GroupDef
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import analitic_fields, analitic_groups, analitics, handbooks

TENANT: BindParameter[int] = bindparam("tenant")

_GROUPS = Scoped(
    select(analitic_groups.c.id, analitic_groups.c.name)
    .where(analitic_groups.c.account_id == TENANT)
    .order_by(analitic_groups.c.position, analitic_groups.c.id)
)
_GROUP = Scoped(
    select(analitic_groups.c.id, analitic_groups.c.name).where(
        analitic_groups.c.account_id == TENANT, analitic_groups.c.id == bindparam("id")
    )
)
_ANALITICS = (
    select(analitics.c.id, analitics.c.name, analitics.c.group_id, analitic_groups.c.name.label("group_name"))
    .select_from(
        analitics.outerjoin(
            analitic_groups,
            and_(
                analitic_groups.c.account_id == analitics.c.account_id,
                analitic_groups.c.id == analitics.c.group_id,
            ),
        )
    )
    .where(analitics.c.account_id == TENANT)
)
_ALL = Scoped(_ANALITICS.order_by(analitics.c.position, analitics.c.id))
_ONE = Scoped(_ANALITICS.where(analitics.c.id == bindparam("id")))
_FIELDS = Scoped(
    select(analitic_fields)
    .where(
        analitic_fields.c.account_id == TENANT,
        analitic_fields.c.analitic_id.in_(bindparam("ids", expanding=True)),
    )
    .order_by(analitic_fields.c.analitic_id, analitic_fields.c.num, analitic_fields.c.id)
)
_NEXT_GROUP = Scoped(
    select(func.max(analitic_groups.c.position)).where(analitic_groups.c.account_id == TENANT)
)
_NEXT_ANALITIC = Scoped(select(func.max(analitics.c.position)).where(analitics.c.account_id == TENANT))
_NEXT_NUM = Scoped(
    select(func.max(analitic_fields.c.num)).where(
        analitic_fields.c.account_id == TENANT, analitic_fields.c.analitic_id == bindparam("analitic")
    )
)
_HANDBOOK = Scoped(
    select(handbooks.c.id).where(handbooks.c.account_id == TENANT, handbooks.c.id == bindparam("id"))
)


def _field(row: Any) -> FieldSpec:
    return FieldSpec(
        id=int(row.id),
        analitic_id=int(row.analitic_id),
        num=int(row.num),
        name=row.name,
        type=row.type,
        options=tuple(json.loads(row.options)) if row.options else (),
        handbook_id=None if row.handbook_id is None else int(row.handbook_id),
    )


def _next(value: Any) -> int:
    return 0 if value is None else int(value) + 1


class AnaliticRepository(Repository):
    # Definitions read once per unit of work: a request asks about the same analitics many times.
    _cache: dict[int, AnaliticDef | None] | None = None

    def groups(self) -> list[GroupDef]:
        return [GroupDef(int(row.id), row.name) for row in self.rows(_GROUPS)]

    def group(self, group_id: int) -> GroupDef | None:
        row = self.first(_GROUP, id=group_id)
        return None if row is None else GroupDef(int(row.id), row.name)

    def _build(self, rows: Sequence[Any]) -> list[AnaliticDef]:
        ids = [int(row.id) for row in rows]
        fields: dict[int, list[FieldSpec]] = {one: [] for one in ids}
        if ids:
            for row in self.rows(_FIELDS, ids=ids):
                fields[int(row.analitic_id)].append(_field(row))
        return [
            AnaliticDef(
                id=int(row.id),
                name=row.name,
                group=None if row.group_id is None else GroupDef(int(row.group_id), row.group_name or ""),
                fields=tuple(fields[int(row.id)]),
            )
            for row in rows
        ]

    def all(self) -> list[AnaliticDef]:
        """Every analitic with its fields, in their order."""
        return self._build(self.rows(_ALL))

    def one(self, analitic_id: int) -> AnaliticDef | None:
        if self._cache is None:
            self._cache = {}
        if analitic_id not in self._cache:
            found = self._build(self.rows(_ONE, id=analitic_id))
            self._cache[analitic_id] = found[0] if found else None
        return self._cache[analitic_id]

    def handbook_exists(self, handbook_id: int) -> bool:
        return self.first(_HANDBOOK, id=handbook_id) is not None

    # -- writing definitions (CLI, fixtures)

    def add_group(self, group_id: int, name: str, **values: Any) -> None:
        self.insert(
            analitic_groups, id=group_id, name=name, position=_next(self.scalar(_NEXT_GROUP)), **values
        )

    def add_analitic(self, analitic_id: int, name: str, group_id: int | None, **values: Any) -> None:
        position = _next(self.scalar(_NEXT_ANALITIC))
        self.insert(analitics, id=analitic_id, name=name, group_id=group_id, position=position, **values)
        self._cache = None

    def add_field(self, spec: FieldSpec) -> None:
        self.insert(
            analitic_fields,
            id=spec.id,
            analitic_id=spec.analitic_id,
            num=spec.num,
            name=spec.name,
            type=spec.type,
            options=json.dumps(list(spec.options), ensure_ascii=False) if spec.options else None,
            handbook_id=spec.handbook_id,
        )
        self._cache = None

    def next_num(self, analitic_id: int) -> int:
        return _next(self.scalar(_NEXT_NUM, analitic=analitic_id))
