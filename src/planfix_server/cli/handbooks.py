"""``planfix-server handbook group-add|add|field-add|list|fields|record-add``: handbook definitions.

XML API v1 reads handbooks and writes their records, but cannot make handbooks or fields; these
commands do (and add records for a quick start).
"""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import bindparam, select

from planfix_server.api.context import Call
from planfix_server.api.errors import ApiError
from planfix_server.cli.common import Runtime, fail, now, require_account, table, with_runtime
from planfix_server.domain.customfields.datatag_types import HANDBOOK_FIELD_TYPES
from planfix_server.domain.handbooks import definitions, service
from planfix_server.domain.handbooks.fields import field_from_row
from planfix_server.domain.handbooks.repository import HandbookRepository
from planfix_server.domain.handbooks.requests import RecordAdd, RecordValueIn
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.records import AccountRecord
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import users
from planfix_server.store.uow import AccountUnitOfWork

_OWNER = Scoped(select(users.c.login).where(users.c.account_id == bindparam("tenant"), users.c.is_owner))


@click.group("handbook")
def handbook() -> None:
    """Handbooks (directories): groups, handbooks, their fields and records."""


def _definition_error(what: str, exc: ValueError) -> click.ClickException:
    return fail(f"cannot add the {what}: {exc}")


@handbook.command("group-add")
@click.argument("account")
@click.argument("name")
@with_runtime
def group_add(rt: Runtime, account: str, name: str) -> None:
    """Add a handbook group NAME to ACCOUNT, last in order; prints its id."""
    with rt.writing() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        try:
            group_id = definitions.add_group(uow, name, now())
        except ValueError as exc:
            raise _definition_error("group", exc) from None
    rt.emit({"id": group_id})


@handbook.command("add")
@click.argument("account")
@click.argument("name")
@click.option("--group", "group_id", type=int, default=None, help="Handbook group id (none: outside groups).")
@with_runtime
def add(rt: Runtime, account: str, name: str, group_id: int | None) -> None:
    """Add a handbook NAME to ACCOUNT; prints its id."""
    with rt.writing() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        try:
            handbook_id = definitions.add_handbook(uow, name, now(), group_id)
        except ValueError as exc:
            raise _definition_error("handbook", exc) from None
    rt.emit({"id": handbook_id})


@handbook.command("field-add")
@click.argument("account")
@click.option("--handbook", "handbook_id", type=int, required=True, help="The handbook's id.")
@click.option("--name", required=True, help="Field name (<field><name> of handbook.getStructure).")
@click.option(
    "--type", "field_type", required=True, type=click.Choice(HANDBOOK_FIELD_TYPES), help="Field type."
)
@click.option("--option", "options", multiple=True, help="A value of a LIST or SETSTRING field (repeat it).")
@click.option("--target-handbook", type=int, default=None, help="Handbook of a HANDBOOK/HANDBOOKSET field.")
@click.option("--displayed", is_flag=True, help="The field that names a record (its caption).")
@with_runtime
def field_add(
    rt: Runtime,
    account: str,
    handbook_id: int,
    name: str,
    field_type: str,
    options: tuple[str, ...],
    target_handbook: int | None,
    displayed: bool,
) -> None:
    """Add a field to a handbook of ACCOUNT, after its others; prints its id."""
    with rt.writing() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        try:
            field_id = definitions.add_field(
                uow,
                handbook_id,
                name=name,
                field_type=field_type,
                options=options,
                target_handbook_id=target_handbook,
                displayed=displayed,
            )
        except ValueError as exc:
            raise _definition_error("field", exc) from None
    rt.emit({"id": field_id})


@handbook.command("list")
@click.argument("account")
@with_runtime
def list_handbooks(rt: Runtime, account: str) -> None:
    """The handbook groups and handbooks of ACCOUNT."""
    with rt.reading() as connection:
        repo = AccountUnitOfWork(connection, require_account(connection, account).id).get(HandbookRepository)
        groups = [{"id": int(row.id), "name": row.name} for row in repo.groups()]
        found = [
            {
                "id": int(row.id),
                "name": row.name,
                "group": None if row.group_id is None else int(row.group_id),
            }
            for row in repo.handbooks()
        ]
    rows = [[one["id"], one["name"], one["group"]] for one in found]
    rt.emit({"groups": groups, "handbooks": found}, table("Handbooks", ["id", "name", "group"], rows))


@handbook.command("fields")
@click.argument("account")
@click.argument("handbook_id", type=int)
@with_runtime
def list_fields(rt: Runtime, account: str, handbook_id: int) -> None:
    """The fields of handbook HANDBOOK_ID of ACCOUNT, in order."""
    with rt.reading() as connection:
        repo = AccountUnitOfWork(connection, require_account(connection, account).id).get(HandbookRepository)
        if repo.handbook(handbook_id) is None:
            raise fail(f"no handbook {handbook_id} in {account}")
        found: list[dict[str, Any]] = [
            {
                "id": one.id,
                "num": one.num,
                "name": one.name,
                "type": one.type,
                "options": list(one.options),
                "target_handbook": one.target_handbook_id,
                "displayed": one.is_displayed,
            }
            for one in map(field_from_row, repo.fields(handbook_id))
        ]
    columns = ["id", "num", "name", "type", "options", "target_handbook", "displayed"]
    rows = [[", ".join(row[c]) if c == "options" else row[c] for c in columns] for row in found]
    rt.emit({"fields": found}, table("Handbook fields", columns, rows))


def _owner_call(account: AccountRecord, uow: AccountUnitOfWork) -> Call:
    user = uow.get(UserRepository).by_login(uow.get(Repository).scalar(_OWNER) or "")
    if user is None:
        raise fail(f"{account.name} has no owner")
    return Call(account=account, user=user, now=now(), request_id="cli", silent=True)


def _value(text: str) -> RecordValueIn:
    field, separator, value = text.partition("=")
    if not separator or not field.strip().isdigit():
        raise fail(f"--value {text!r}: expected FIELD_ID=VALUE")
    return RecordValueIn(int(field), value)


@handbook.command("record-add")
@click.argument("account")
@click.option("--handbook", "handbook_id", type=int, required=True, help="The handbook's id.")
@click.option("--parent", "parent_key", type=int, default=None, help="Key of the group record to put it in.")
@click.option("--group", "group_name", default=None, help="Make a group record with this name.")
@click.option("--value", "values", multiple=True, help="FIELD_ID=VALUE, in the API's write form (repeat it).")
@click.option("--archived", is_flag=True, help="Add it archived.")
@with_runtime
def record_add(
    rt: Runtime,
    account: str,
    handbook_id: int,
    parent_key: int | None,
    group_name: str | None,
    values: tuple[str, ...],
    archived: bool,
) -> None:
    """Add a record (or group record) to a handbook of ACCOUNT, as handbook.addRecord does; prints its key."""
    given = [_value(one) for one in values]
    with rt.writing() as connection:
        record = require_account(connection, account)
        uow = AccountUnitOfWork(connection, record.id)
        request = RecordAdd(
            handbook_id=handbook_id,
            parent_key=parent_key,
            is_group=group_name is not None,
            name=group_name,
            archived=archived,
            custom_data=given,
        )
        try:
            key = service.add_record(uow, _owner_call(record, uow), request)
        except ApiError as exc:
            raise fail(f"cannot add the record: {exc}") from None
    rt.emit({"key": key})
