"""Analitics (data tags) of actions: where they plug into the action functions.

action.add / action.update check their ``<analitics>`` rows first (``check_rows``, nothing is
written when one is refused: 4010-4016) and store them once the action is written
(``write_rows``); ``deletedAnalitics`` keys must be rows of the action (4016). Deleting an
action deletes its rows (foreign keys). ``rows_of`` lists the rows of actions for their
``<analitics>``; ``carrying`` is the SQL of "the action has a row of ``:analitic``".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import ColumnElement, bindparam, exists

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.actions.requests import AnaliticIn
from planfix_server.domain.actions.shapes import AnaliticRow
from planfix_server.domain.analitics import rows
from planfix_server.domain.analitics.data import DataRepository
from planfix_server.domain.analitics.rows import PlannedRow
from planfix_server.store.tables import actions, analitic_data
from planfix_server.store.uow import AccountUnitOfWork


def require_analitic(uow: AccountUnitOfWork, analitic_id: int, path: str = "analitic/id") -> None:
    """4010 for an analitic the account does not have."""
    rows.require_for_action(uow, analitic_id, path)


def check_rows(
    uow: AccountUnitOfWork,
    call: Call,
    given: Sequence[AnaliticIn] | None,
    path: str,
    action_id: int | None = None,
) -> list[PlannedRow]:
    """The data rows of action.add (``action_id`` None) or action.update, checked; 4010-4016.
    A contact signed in writes no analitics (4001)."""
    if not given:
        return []
    if call.is_contact:
        raise errors.ActionAccessDenied(f"{path}: a contact writes no analitics")
    planned = [rows.plan_row(uow, call, one.id, one.key, one.items, action_id, path) for one in given]
    rows.check(uow, planned)
    return planned


def check_deleted(uow: AccountUnitOfWork, action_id: int, keys: Sequence[int] | None) -> None:
    """``deletedAnalitics``: 4016 for a key that is no data row of this action."""
    if keys:
        rows.require_own_keys(uow, action_id, keys, "action/deletedAnalitics/key")


def write_rows(
    uow: AccountUnitOfWork,
    call: Call,
    action_id: int,
    task_id: int | None,
    planned: Sequence[PlannedRow],
    deleted: Sequence[int] | None = None,
) -> None:
    """Store the checked rows on the action; drop the ``deleted`` ones."""
    if planned or deleted:
        rows.write(uow, call, action_id, task_id, planned, deleted or ())


def rows_of(uow: AccountUnitOfWork, action_ids: Sequence[int]) -> dict[int, list[AnaliticRow]]:
    """The data rows of each action, for ``analitics`` (in key order)."""
    found: dict[int, list[AnaliticRow]] = defaultdict(list)
    for row in uow.get(DataRepository).rows_of_actions(action_ids):
        found[int(row.action_id)].append(AnaliticRow(int(row.analitic_id), int(row.id), row.name))
    return found


def carrying() -> ColumnElement[bool]:
    """The action has a data row of the analitic ``:analitic`` (action.getListWithAnalitic)."""
    return exists().where(
        analitic_data.c.account_id == actions.c.account_id,
        analitic_data.c.action_id == actions.c.id,
        analitic_data.c.analitic_id == bindparam("analitic"),
    )
