"""``planfix-server analitic group-add|add|field-add|list``: analitic definitions (XML API v1 only
reads them)."""

from __future__ import annotations

from typing import Any

import click

from planfix_server.cli.common import Runtime, fail, now, require_account, table, with_runtime
from planfix_server.domain.analitics.catalog import define_analitic, define_field, define_group
from planfix_server.domain.analitics.definitions import FIELD_TYPES, AnaliticDef
from planfix_server.domain.analitics.repository import AnaliticRepository
from planfix_server.store.uow import AccountUnitOfWork


@click.group("analitic")
def analitic() -> None:
    """Analitics (data tags): groups, analitics and their fields.

    Data rows of an analitic are attached to actions (action.add / action.update <analitics>)
    and read with analitic.getData / analitic.getDataByCondition.
    """


def describe(found: AnaliticDef) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "group": None if found.group is None else {"id": found.group.id, "name": found.group.name},
        "fields": [
            {
                "id": spec.id,
                "num": spec.num,
                "name": spec.name,
                "type": spec.type,
                "options": list(spec.options),
                "handbook": spec.handbook_id,
            }
            for spec in found.fields
        ],
    }


@analitic.command("group-add")
@click.argument("account")
@click.argument("name")
@with_runtime
def group_add(rt: Runtime, account: str, name: str) -> None:
    """Add an analitic group NAME to ACCOUNT, last in order; prints its id."""
    with rt.writing() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        try:
            group_id = define_group(uow, now(), name)
        except ValueError as exc:
            raise fail(f"cannot add the group: {exc}") from None
    rt.emit({"id": group_id})


@analitic.command("add")
@click.argument("account")
@click.argument("name")
@click.option("--group", "group_id", type=int, default=None, help="Analitic group id (none: outside groups).")
@with_runtime
def add(rt: Runtime, account: str, name: str, group_id: int | None) -> None:
    """Add an analitic NAME (no fields yet) to ACCOUNT; prints its id."""
    with rt.writing() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        try:
            analitic_id = define_analitic(uow, now(), name, group_id)
        except ValueError as exc:
            raise fail(f"cannot add the analitic: {exc}") from None
    rt.emit({"id": analitic_id})


@analitic.command("field-add")
@click.argument("account")
@click.option("--analitic", "analitic_id", type=int, required=True, help="The analitic's id.")
@click.option("--name", required=True, help="Field name (analitic.getOptions).")
@click.option("--type", "field_type", required=True, type=click.Choice(FIELD_TYPES), help="API field type.")
@click.option("--option", "options", multiple=True, help="A value of a LIST or SETSTRING field (repeat it).")
@click.option("--handbook", "handbook_id", type=int, default=None, help="Handbook of a HANDBOOK(SET) field.")
@with_runtime
def field_add(
    rt: Runtime,
    account: str,
    analitic_id: int,
    name: str,
    field_type: str,
    options: tuple[str, ...],
    handbook_id: int | None,
) -> None:
    """Add a field to an analitic of ACCOUNT, after its others; prints its id."""
    with rt.writing() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        try:
            field_id = define_field(
                uow, analitic_id, name=name, field_type=field_type, options=options, handbook_id=handbook_id
            )
        except ValueError as exc:
            raise fail(f"cannot add the field: {exc}") from None
    rt.emit({"id": field_id})


@analitic.command("list")
@click.argument("account")
@with_runtime
def list_analitics(rt: Runtime, account: str) -> None:
    """The analitic groups and analitics of ACCOUNT, with their fields."""
    with rt.reading() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        repo = uow.get(AnaliticRepository)
        groups = [{"id": one.id, "name": one.name} for one in repo.groups()]
        found = [describe(one) for one in repo.all()]
    columns = ["analitic", "name", "group", "field", "field name", "type", "options", "handbook"]
    rows = []
    for one in found:
        group = one["group"]["name"] if one["group"] else ""
        rows.append([one["id"], one["name"], group, "", "", "", "", ""])
        for spec in one["fields"]:
            options = ", ".join(spec["options"])
            rows.append(["", "", "", spec["id"], spec["name"], spec["type"], options, spec["handbook"] or ""])
    rt.emit({"groups": groups, "analitics": found}, table("Analitics", columns, rows))
