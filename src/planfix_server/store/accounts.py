"""The accounts table: the one table that is not itself scoped to an account."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from planfix_server.store.records import AccountRecord, from_row
from planfix_server.store.tables import account_counters, accounts

PLANS = ("free", "standard", "professional", "premium")
STATUSES = ("active", "frozen", "maintenance")
GENERAL_KINDS = ("user", "task", "project", "contact", "action", "handbook_record")

_BY_NAME = select(accounts).where(accounts.c.name == bindparam("name"))
_BY_ID = select(accounts).where(accounts.c.id == bindparam("id"))
_ALL = select(accounts).order_by(accounts.c.name)


def find(connection: Connection, name: str) -> AccountRecord | None:
    row = connection.execute(_BY_NAME, {"name": name}).first()
    return None if row is None else from_row(AccountRecord, row)


def find_by_id(connection: Connection, account_id: int) -> AccountRecord | None:
    row = connection.execute(_BY_ID, {"id": account_id}).first()
    return None if row is None else from_row(AccountRecord, row)


def get(connection: Connection, account_id: int) -> AccountRecord:
    return from_row(AccountRecord, connection.execute(_BY_ID, {"id": account_id}).one())


def all_accounts(connection: Connection) -> list[AccountRecord]:
    return [from_row(AccountRecord, row) for row in connection.execute(_ALL)]


def create(
    connection: Connection, name: str, plan: str, data_centre: str, timezone: str, now: dt.datetime
) -> AccountRecord:
    account_id = connection.execute(
        insert(accounts)
        .values(
            name=name, plan=plan, status="active", data_centre=data_centre, timezone=timezone, created_at=now
        )
        .returning(accounts.c.id)
    ).scalar_one()
    connection.execute(
        insert(account_counters),
        [{"account_id": account_id, "kind": kind, "value": 0} for kind in GENERAL_KINDS],
    )
    return get(connection, account_id)


def set_fields(connection: Connection, account_id: int, **values: str) -> None:
    connection.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
