"""Identifier allocation: ``id`` unique per table, ``general`` numbers per account and kind."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from planfix_server.store.db import is_sqlite
from planfix_server.store.tables import SEQUENCES, account_counters, id_counters

_BUMP_ID = (
    update(id_counters)
    .where(id_counters.c.name == bindparam("counter"))
    .values(value=id_counters.c.value + 1)
    .returning(id_counters.c.value)
)
_NEXTVAL = {name: select(sequence.next_value()) for name, sequence in SEQUENCES.items()}

_BUMP_GENERAL = (
    update(account_counters)
    .where(
        account_counters.c.account_id == bindparam("account"), account_counters.c.kind == bindparam("b_kind")
    )
    .values(value=account_counters.c.value + 1)
    .returning(account_counters.c.value)
)
_FIRST_GENERAL = insert(account_counters)


def next_id(connection: Connection, table: str) -> int:
    """A fresh ``id`` for ``table``. On SQLite writers are serialized, so a counter row is enough;
    PostgreSQL uses a sequence, which never holds a lock across transactions."""
    if is_sqlite(connection):
        value = connection.execute(_BUMP_ID, {"counter": table}).scalar()
        if value is None:
            connection.execute(insert(id_counters).values(name=table, value=1))
            return 1
        return int(value)
    return int(connection.execute(_NEXTVAL[table]).scalar_one())


def next_general(connection: Connection, account_id: int, kind: str) -> int:
    """The next visible number of ``kind`` in an account; atomic under concurrent writers."""
    value = connection.execute(_BUMP_GENERAL, {"account": account_id, "b_kind": kind}).scalar()
    if value is None:
        # The counter row is created with the account (store.accounts); this covers kinds added later.
        connection.execute(_FIRST_GENERAL.values(account_id=account_id, kind=kind, value=1))
        return 1
    return int(value)
