"""``planfix-server customfield create|list``: custom field definitions (XML API v1 cannot make them)."""

from __future__ import annotations

from typing import Any

import click

from planfix_server.cli.common import Runtime, fail, now, require_account, table, with_runtime
from planfix_server.domain.customfields.service import define_field, fields_of
from planfix_server.domain.customfields.types import OBJECT_KINDS, TYPES, FieldDef
from planfix_server.store.uow import AccountUnitOfWork


@click.group("customfield")
def customfield() -> None:
    """Custom fields of tasks, projects and contacts.

    A field belongs to every object of its kind; its values are read and written through
    <customData> of the object's functions.
    """


def describe(definition: FieldDef) -> dict[str, Any]:
    return {
        "id": definition.id,
        "object": definition.object_kind,
        "name": definition.name,
        "type": definition.type,
        "options": list(definition.options),
        "unit": definition.unit,
        "handbook": definition.handbook_id,
    }


@customfield.command("create")
@click.argument("account")
@click.option(
    "--object", "object_kind", required=True, type=click.Choice(OBJECT_KINDS), help="Kind of object."
)
@click.option("--name", required=True, help="Name shown in <field><name>.")
@click.option("--type", "field_type", required=True, type=click.Choice(TYPES), help="Field type.")
@click.option("--option", "options", multiple=True, help="A value of a list or value_set field (repeat it).")
@click.option("--unit", default="", help="Unit of a number field, shown in <text> (e.g. min).")
@click.option(
    "--handbook", "handbook_id", type=int, default=None, help="Handbook of a handbook_record field."
)
@with_runtime
def create(
    rt: Runtime,
    account: str,
    object_kind: str,
    name: str,
    field_type: str,
    options: tuple[str, ...],
    unit: str,
    handbook_id: int | None,
) -> None:
    """Add a custom field to every OBJECT of ACCOUNT; prints its id."""
    with rt.writing() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        try:
            field_id = define_field(
                uow,
                now(),
                object_kind=object_kind,
                name=name,
                field_type=field_type,
                options=options,
                unit=unit,
                handbook_id=handbook_id,
            )
        except ValueError as exc:
            raise fail(f"cannot create the field: {exc}") from None
    rt.emit({"id": field_id})


@customfield.command("list")
@click.argument("account")
@click.option(
    "--object", "object_kind", type=click.Choice(OBJECT_KINDS), default=None, help="Only this kind."
)
@with_runtime
def list_fields(rt: Runtime, account: str, object_kind: str | None) -> None:
    """The custom fields of ACCOUNT, by kind of object, in form order."""
    with rt.reading() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        kinds = [object_kind] if object_kind else list(OBJECT_KINDS)
        found = [describe(definition) for kind in kinds for definition in fields_of(uow, kind)]
    columns = ["id", "object", "name", "type", "options", "unit", "handbook"]
    rows = [[", ".join(row[c]) if c == "options" else row[c] for c in columns] for row in found]
    rt.emit({"fields": found}, table("Custom fields", columns, rows))
