"""Analitics (data tags) of actions: where they plug into the action functions.

The account has no analitics yet (analitic.* comes later), so every analitic id is unknown (4010),
every data key is foreign (4016) and no action carries a data row. The functions below are the
only places the action functions ask; they get their real answers when analitics exist.
"""

from __future__ import annotations

from collections.abc import Sequence

from planfix_server.api import errors
from planfix_server.domain.actions.requests import AnaliticIn
from planfix_server.domain.actions.shapes import AnaliticRow
from planfix_server.store.uow import AccountUnitOfWork


def require_analitic(uow: AccountUnitOfWork, analitic_id: int, path: str = "analitic/id") -> None:
    """4010 for an analitic the account does not have (none, for now)."""
    raise errors.ActionAnaliticNotFound(f"{path}: {analitic_id}")


def check_rows(uow: AccountUnitOfWork, given: Sequence[AnaliticIn] | None, path: str) -> None:
    """The data rows of action.add / action.update: 4010 for an unknown analitic."""
    for row in given or ():
        require_analitic(uow, row.id, f"{path}/id")


def check_deleted(uow: AccountUnitOfWork, action_id: int, keys: Sequence[int] | None) -> None:
    """``deletedAnalitics``: 4016 for a key that is no data row of this action."""
    for key in keys or ():
        raise errors.AnaliticDataKeyForeign(f"action/deletedAnalitics/key: {key}")


def rows_of(uow: AccountUnitOfWork, action_ids: Sequence[int]) -> dict[int, list[AnaliticRow]]:
    """The data rows of each action, for ``analitics`` (empty while there are none)."""
    return {}


def actions_with(uow: AccountUnitOfWork, analitic_id: int, task_id: int | None) -> list[int]:
    """Ids of the actions (of ``task_id``, when given) carrying a row of ``analitic_id``, newest first."""
    return []
