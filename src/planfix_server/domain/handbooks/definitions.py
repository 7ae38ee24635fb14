"""Handbook groups, handbooks and their fields: XML API v1 only reads them; the CLI and fixture
files make them. Every function raises ValueError for a bad definition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planfix_server.domain.customfields.datatag_types import HANDBOOK_FIELD_TYPES
from planfix_server.domain.handbooks.fields import WITH_HANDBOOK, WITH_OPTIONS, options_json
from planfix_server.domain.handbooks.repository import HandbookRepository
from planfix_server.store.uow import AccountUnitOfWork

NAME_LENGTH = 200


def _name(name: str, what: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise ValueError(f"a {what} name has 1 to {NAME_LENGTH} characters")
    return name


def add_group(uow: AccountUnitOfWork, name: str, now: dt.datetime) -> int:
    """A new handbook group, last in order."""
    name = _name(name, "handbook group")
    group_id = uow.next_id("handbook_groups")
    uow.get(HandbookRepository).add_group(group_id, name, now)
    return group_id


def add_handbook(uow: AccountUnitOfWork, name: str, now: dt.datetime, group_id: int | None = None) -> int:
    """A new handbook (in a group, or outside any), last in order."""
    name = _name(name, "handbook")
    repo = uow.get(HandbookRepository)
    if group_id is not None and group_id not in {int(row.id) for row in repo.groups()}:
        raise ValueError(f"no handbook group {group_id}")
    handbook_id = uow.next_id("handbooks")
    repo.add_handbook(handbook_id, name, group_id, now)
    return handbook_id


def add_field(
    uow: AccountUnitOfWork,
    handbook_id: int,
    *,
    name: str,
    field_type: str,
    options: Sequence[str] = (),
    target_handbook_id: int | None = None,
    displayed: bool = False,
) -> int:
    """A new field of the handbook, after its others (``num`` from 0). LIST fields need options
    (SETSTRING may have them); HANDBOOK and HANDBOOKSET fields name their target handbook."""
    repo = uow.get(HandbookRepository)
    if repo.handbook(handbook_id) is None:
        raise ValueError(f"no handbook {handbook_id}")
    name = _name(name, "field")
    if field_type not in HANDBOOK_FIELD_TYPES:
        raise ValueError(f"unknown field type {field_type!r}; one of {', '.join(HANDBOOK_FIELD_TYPES)}")
    values = tuple(dict.fromkeys(option.strip() for option in options if option.strip()))
    if field_type == "LIST" and not values:
        raise ValueError("a LIST field needs at least one option")
    if values and field_type not in WITH_OPTIONS:
        raise ValueError(f"options are for {' and '.join(WITH_OPTIONS)} fields, not {field_type}")
    if field_type in WITH_HANDBOOK:
        if target_handbook_id is None:
            raise ValueError(f"a {field_type} field needs its target handbook")
        if repo.handbook(target_handbook_id) is None:
            raise ValueError(f"no handbook {target_handbook_id}")
    elif target_handbook_id is not None:
        raise ValueError(f"a target handbook is for {' and '.join(WITH_HANDBOOK)} fields, not {field_type}")
    field_id = uow.next_id("handbook_fields")
    repo.add_field(
        id=field_id,
        handbook_id=handbook_id,
        num=repo.next_num(handbook_id),
        name=name,
        type=field_type,
        options=options_json(values),
        target_handbook_id=target_handbook_id,
        is_displayed=displayed,
    )
    return field_id
