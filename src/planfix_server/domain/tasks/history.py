"""What the task functions will write to a task's history (actions), once actions exist.

Every change of a task passes through one of these hooks. They do nothing yet: the actions
functions (action.add/get/getList…) arrive with their own issue, which fills these in with the
action types of 03-users.md §1.7 (TASKCREATED, WORKEREMPLOYED, STATUSCHANGED, TASKACCEPTED,
TASKREJECTED with the reason, TASKEXPECTDATECHANGED, CHANGEDATEREQUEST, WORKERUNEMPLOYED,
TASKCHANGED). Each writes nothing when the call is silent (``<silent>1</silent>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planfix_server.api.context import Call
from planfix_server.store.uow import AccountUnitOfWork


def task_created(uow: AccountUnitOfWork, call: Call, task_id: int, worker_users: Sequence[int]) -> None:
    """TASKCREATED, and WORKEREMPLOYED per assignee (unless silent)."""


def task_changed(uow: AccountUnitOfWork, call: Call, task_id: int, fields: Sequence[str]) -> None:
    """TASKCHANGED (unless silent)."""


def status_changed(uow: AccountUnitOfWork, call: Call, task_id: int, old: int, new: int) -> None:
    """STATUSCHANGED with the old and new status; status changes appear as actions unless silent."""


def accepted(uow: AccountUnitOfWork, call: Call, task_id: int) -> None:
    """TASKACCEPTED (unless silent)."""


def rejected(uow: AccountUnitOfWork, call: Call, task_id: int, reason: str) -> None:
    """TASKREJECTED carrying the reason (unless silent)."""


def workers_changed(
    uow: AccountUnitOfWork, call: Call, task_id: int, added: Sequence[int], removed: Sequence[int]
) -> None:
    """WORKEREMPLOYED / WORKERUNEMPLOYED per user (unless silent)."""


def deadline_changed(uow: AccountUnitOfWork, call: Call, task_id: int, end: dt.datetime) -> None:
    """TASKEXPECTDATECHANGED (unless silent)."""


def deadline_change_requested(uow: AccountUnitOfWork, call: Call, task_id: int, end: dt.datetime) -> None:
    """CHANGEDATEREQUEST: the assignee asks the assigner to move the deadline to ``end``.

    Written even when silent: it is the request itself, not a notice of a change; until actions
    exist the request is not kept anywhere.
    """
