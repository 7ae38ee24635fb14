"""The unit of work of one request: one connection, one account, one transaction."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.engine import Connection

from planfix_server.store import ids
from planfix_server.store.scoped import Repository
from planfix_server.store.shared import DefinitionSlot

R = TypeVar("R", bound=Repository)


class AccountUnitOfWork:
    """Repositories of one account over one connection; the caller commits or rolls back."""

    def __init__(self, connection: Connection, account_id: int, shared: DefinitionSlot | None = None) -> None:
        self._connection = connection
        self._account_id = account_id
        self._repositories: dict[type[Any], Repository] = {}
        # The worker's definitions of this account at the tag read with the credentials (store/shared.py).
        self.shared = shared

    def get(self, kind: type[R]) -> R:
        """The repository of ``kind`` for this account (one instance per unit of work)."""
        found = self._repositories.get(kind)
        if found is None:
            found = kind(self._connection, self._account_id)
            self._repositories[kind] = found
        return found  # type: ignore[return-value]

    def next_id(self, table: str) -> int:
        return ids.next_id(self._connection, table)

    def next_general(self, kind: str) -> int:
        return ids.next_general(self._connection, self._account_id, kind)
