"""The analitic functions that read definitions: analitic.getGroupList, analitic.getList,
analitic.getOptions, analitic.getHandbook (22-handbooks-analitics.md §11-§14).

Employees read them; a contact signed in gets 10001.
"""

from __future__ import annotations

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.analitics import catalog, handbook_export
from planfix_server.domain.analitics.definitions import AnaliticDef
from planfix_server.domain.analitics.repository import AnaliticRepository
from planfix_server.domain.analitics.requests import AnaliticOptions, HandbookRef
from planfix_server.domain.analitics.shapes import (
    ANALITIC_GROUPS,
    ANALITIC_LIST,
    ANALITIC_OPTIONS,
    HANDBOOK_RECORDS,
    LegacyRecord,
)
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page


@method("analitic.getGroupList", request=None, response=[ANALITIC_GROUPS], errors=("10001",))
def analitic_get_group_list(_request: None, uow: AccountUnitOfWork, call: Call) -> Page:
    """Every analitic group of the account, in their order."""
    catalog.require_employee(call)
    groups = uow.get(AnaliticRepository).groups()
    return Page(groups, len(groups))


@method("analitic.getList", request=None, response=[ANALITIC_LIST], errors=("10001",))
def analitic_get_list(_request: None, uow: AccountUnitOfWork, call: Call) -> Page:
    """Every analitic of the account with its group (a group parameter some clients send is ignored)."""
    catalog.require_employee(call)
    found = uow.get(AnaliticRepository).all()
    return Page(found, len(found))


@method(
    "analitic.getOptions",
    request=AnaliticOptions,
    response=[ANALITIC_OPTIONS],
    errors=("0009", "0015", "10001", "10002"),
)
def analitic_get_options(request: AnaliticOptions, uow: AccountUnitOfWork, call: Call) -> AnaliticDef:
    """An analitic's fields: their ids (``itemData.fieldId``), order, names and types."""
    catalog.require_employee(call)
    return catalog.require(uow, request.analitic)


@method(
    "analitic.getHandbook",
    request=HandbookRef,
    response=[HANDBOOK_RECORDS],
    errors=("0009", "0015", "10001", "10004"),
)
def analitic_get_handbook(request: HandbookRef, uow: AccountUnitOfWork, call: Call) -> list[LegacyRecord]:
    """Every record of a handbook, flat and unpaged, in the older attribute form."""
    catalog.require_employee(call)
    return handbook_export.export(uow, request.handbook, call.tz)
