"""Repositories refuse statements that are not filtered to one account."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, delete, select, update

from planfix_server.store.scoped import Scoped
from planfix_server.store.tables import TENANT_TABLES, metadata, users


def test_unscoped_select_is_refused() -> None:
    with pytest.raises(ValueError, match="not scoped"):
        Scoped(select(users).where(users.c.id == bindparam("id")))


def test_unscoped_update_and_delete_are_refused() -> None:
    with pytest.raises(ValueError, match="not scoped"):
        Scoped(update(users).values(name="x"))
    with pytest.raises(ValueError, match="not scoped"):
        Scoped(delete(users))


def test_scoped_statement_is_accepted() -> None:
    statement = select(users).where(users.c.account_id == bindparam("tenant"))
    assert Scoped(statement).statement is statement


def test_every_tenant_table_keys_on_account_first() -> None:
    assert TENANT_TABLES
    for table in TENANT_TABLES:
        assert table.primary_key.columns.values()[0].name == "account_id", table.name
        for constraint in table.foreign_key_constraints:
            referred = constraint.referred_table
            if "account_id" in referred.c:
                assert "account_id" in constraint.column_keys, (table.name, referred.name)
    assert "accounts" in metadata.tables
