"""Repositories bound to one account at construction.

A repository can only run ``Scoped`` statements, and a ``Scoped`` statement refuses, when it is
built at import, any query that does not filter on the ``:tenant`` bind parameter (the account id). The
repository supplies that parameter from its own account; inserts get it stamped. So no code
path can read or write another account's rows by forgetting a filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import BindParameter


class Scoped:
    """A statement that filters on ``:tenant``; built once, at import."""

    __slots__ = ("statement",)

    def __init__(self, statement: Executable) -> None:
        names = {element.key for element in _bind_parameters(statement)}
        if "tenant" not in names:
            raise ValueError(f"statement is not scoped to an account: {statement}")
        self.statement = statement


def _bind_parameters(statement: Executable) -> Iterable[BindParameter[Any]]:
    from sqlalchemy.sql.visitors import iterate

    for element in iterate(statement):  # type: ignore[arg-type]
        if isinstance(element, BindParameter):
            yield element


class Repository:
    """Base of every repository: one connection, one account."""

    def __init__(self, connection: Connection, account_id: int) -> None:
        self.connection = connection
        self.account_id = account_id

    def _params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        merged = dict(params)
        merged["tenant"] = self.account_id
        return merged

    def rows(self, query: Scoped, **params: Any) -> Sequence[Row[Any]]:
        return self.connection.execute(query.statement, self._params(params)).all()

    def first(self, query: Scoped, **params: Any) -> Row[Any] | None:
        return self.connection.execute(query.statement, self._params(params)).first()

    def scalar(self, query: Scoped, **params: Any) -> Any:
        return self.connection.execute(query.statement, self._params(params)).scalar()

    def execute(self, query: Scoped, **params: Any) -> int:
        """Run an UPDATE or DELETE; the number of rows it touched."""
        result = self.connection.execute(query.statement, self._params(params))
        return int(result.rowcount)

    def insert(self, table: Table, **values: Any) -> None:
        values["account_id"] = self.account_id
        self.connection.execute(insert(table), values)

    def insert_many(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(table), [{**row, "account_id": self.account_id} for row in rows])
