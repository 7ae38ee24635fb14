"""What data-row values refer to: checked when written (4013 / 4014 / 4015), named when read.

Employees, contacts, tasks and projects are looked up as custom fields look them up
(``CustomFieldRepository.names``); ``login`` (employee lists) takes any user with access,
employee or contact; handbook keys go through ``handbooks.lookup.find_records``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.api import errors
from planfix_server.domain.analitics.definitions import FieldSpec
from planfix_server.domain.analitics.values import REFERENCE_OF, Names, Parsed, stored_refs
from planfix_server.domain.customfields.repository import CustomFieldRepository, person_name
from planfix_server.domain.handbooks.lookup import find_records
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import user_groups, users
from planfix_server.store.uow import AccountUnitOfWork

TENANT: BindParameter[int] = bindparam("tenant")
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_USERS = Scoped(
    select(users.c.id, users.c.name, users.c.last_name).where(
        users.c.account_id == TENANT, users.c.id.in_(_IDS)
    )
)
_GROUPS = Scoped(
    select(user_groups.c.id, user_groups.c.name).where(
        user_groups.c.account_id == TENANT, user_groups.c.id.in_(_IDS)
    )
)


class ReferenceNames(Repository):
    def users(self, ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        return {int(row.id): person_name(row.name, row.last_name) for row in self.rows(_USERS, ids=wanted)}

    def groups(self, ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        return {int(row.id): row.name for row in self.rows(_GROUPS, ids=wanted)}


def _names(uow: AccountUnitOfWork, kind: str, ids: set[int]) -> dict[int, str]:
    if kind == "login":
        return uow.get(ReferenceNames).users(ids)
    if kind == "handbook":
        return {key: ref.caption for key, ref in find_records(uow, ids).items()}
    return uow.get(CustomFieldRepository).names(kind, sorted(ids))


def check(uow: AccountUnitOfWork, parsed: Iterable[tuple[FieldSpec, Parsed]]) -> None:
    """Every id the values refer to exists: 4015 / 4014 for handbook keys, 4013 for the rest."""
    wanted: dict[str, set[int]] = defaultdict(set)
    groups: set[int] = set()
    handbook_keys: list[tuple[FieldSpec, int]] = []
    for spec, value in parsed:
        kind = REFERENCE_OF.get(spec.type)
        if kind == "handbook":
            handbook_keys.extend((spec, key) for key in value.refs)
        elif kind is not None:
            wanted[kind].update(value.refs)
        if value.group is not None:
            groups.add(value.group)
    if handbook_keys:
        records = find_records(uow, [key for _, key in handbook_keys])
        for spec, key in handbook_keys:
            record = records.get(key)
            if record is None or record.handbook_id != spec.handbook_id:
                raise errors.HandbookKeyNotFound(f"itemData field {spec.id}: no key {key} in its handbook")
            if record.is_group:
                raise errors.HandbookKeyUnusable(f"itemData field {spec.id}: key {key} is a group")
    for kind, ids in wanted.items():
        missing = sorted(ids - set(_names(uow, kind, ids)))
        if missing:
            raise errors.AnaliticTypeMismatch(f"itemData: no {kind} {missing[0]}")
    missing_groups = sorted(groups - set(uow.get(ReferenceNames).groups(groups)))
    if missing_groups:
        raise errors.AnaliticTypeMismatch(f"itemData: no user group {missing_groups[0]}")


def names_for(uow: AccountUnitOfWork, stored: Iterable[tuple[FieldSpec, str]], tz: dt.tzinfo) -> Names:
    """The names every stored value of a page refers to, read once per kind."""
    wanted: dict[str, set[int]] = defaultdict(set)
    groups: set[int] = set()
    for spec, value in stored:
        kind = REFERENCE_OF.get(spec.type)
        if kind is None:
            continue
        ids, group = stored_refs(spec, value)
        wanted[kind].update(ids)
        if group is not None:
            groups.add(group)
    by_kind = {kind: _names(uow, kind, ids) for kind, ids in wanted.items() if ids}
    return Names(by_kind, uow.get(ReferenceNames).groups(groups), tz)
