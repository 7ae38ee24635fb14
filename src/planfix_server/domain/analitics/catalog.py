"""Defining analitics (CLI and fixtures: XML API v1 has no function for it) and finding them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.analitics.definitions import (
    FIELD_TYPES,
    HANDBOOK_TYPES,
    NAME_LENGTH,
    AnaliticDef,
    FieldSpec,
)
from planfix_server.domain.analitics.repository import AnaliticRepository
from planfix_server.store.uow import AccountUnitOfWork


def _name(name: str, what: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise ValueError(f"{what} name has 1 to {NAME_LENGTH} characters")
    return name


def define_group(uow: AccountUnitOfWork, now: dt.datetime, name: str) -> int:
    """A new analitic group; its id. ValueError on a bad name."""
    group_id = uow.next_id("analitic_groups")
    uow.get(AnaliticRepository).add_group(group_id, _name(name, "a group"), created_at=now)
    return group_id


def define_analitic(uow: AccountUnitOfWork, now: dt.datetime, name: str, group_id: int | None = None) -> int:
    """A new analitic (without fields yet), in ``group_id`` when given; its id."""
    repo = uow.get(AnaliticRepository)
    if group_id is not None and repo.group(group_id) is None:
        raise ValueError(f"no analitic group {group_id}")
    analitic_id = uow.next_id("analitics")
    repo.add_analitic(analitic_id, _name(name, "an analitic"), group_id, created_at=now)
    return analitic_id


def define_field(
    uow: AccountUnitOfWork,
    analitic_id: int,
    *,
    name: str,
    field_type: str,
    options: Sequence[str] = (),
    handbook_id: int | None = None,
) -> int:
    """A new last field of an analitic; its id (``itemData.fieldId``). ValueError on a bad one."""
    repo = uow.get(AnaliticRepository)
    if repo.one(analitic_id) is None:
        raise ValueError(f"no analitic {analitic_id}")
    if field_type not in FIELD_TYPES:
        raise ValueError(f"unknown field type {field_type!r}; one of {', '.join(FIELD_TYPES)}")
    cleaned = tuple(dict.fromkeys(option.strip() for option in options if option.strip()))
    if field_type == "LIST" and not cleaned:
        raise ValueError("a LIST field needs at least one option")
    if cleaned and field_type not in ("LIST", "SETSTRING"):
        raise ValueError(f"options are for LIST and SETSTRING fields, not {field_type}")
    if field_type in HANDBOOK_TYPES:
        if handbook_id is None:
            raise ValueError(f"a {field_type} field names its handbook")
        if not repo.handbook_exists(handbook_id):
            raise ValueError(f"no handbook {handbook_id}")
    elif handbook_id is not None:
        raise ValueError(f"a handbook is for {' and '.join(HANDBOOK_TYPES)} fields, not {field_type}")
    field_id = uow.next_id("analitic_fields")
    spec = FieldSpec(
        field_id,
        analitic_id,
        repo.next_num(analitic_id),
        _name(name, "a field"),
        field_type,
        cleaned,
        handbook_id,
    )
    repo.add_field(spec)
    return field_id


def require_employee(call: Call) -> None:
    """analitic.* is for employees; a contact signed in gets 10001."""
    if call.is_contact:
        raise errors.AnaliticAccessDenied("a contact reads no analitics")


def find(uow: AccountUnitOfWork, analitic_id: int) -> AnaliticDef | None:
    return uow.get(AnaliticRepository).one(analitic_id)


def require(uow: AccountUnitOfWork, analitic_id: int, path: str = "analitic/id") -> AnaliticDef:
    """The analitic of the analitic.* functions: 10002 when the account has none such."""
    found = find(uow, analitic_id)
    if found is None:
        raise errors.AnaliticNotFound(f"{path}: {analitic_id}")
    return found
