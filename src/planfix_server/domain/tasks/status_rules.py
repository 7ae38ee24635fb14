"""Status changes of a task: what the caller may choose, and making the change.

``choices`` is the one answer to "which statuses may this caller set now": it is what
task.getPossibleStatusToChange lists and what task.changeStatus (and a status in task.update)
accepts. The assigner's side moves the task's status from where the task is; the assignee's side
moves from where the assignee himself is, since New, In progress and Declined are split per
assignee (10-tasks.md §4.3): each accepts or declines for himself, and the task becomes In progress
(the process's accept target) when every assignee has accepted, Declined when all declined.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import (
    ACTIVE,
    COMPLETED,
    DELAYED,
    DONE,
    OWNER,
    REJECTED,
    UNCHECKED,
    WORKER,
)
from planfix_server.domain.statuses.service import Process, Status
from planfix_server.domain.tasks import history
from planfix_server.domain.tasks.access import Loaded
from planfix_server.domain.tasks.repository import Person, TaskRecord, TaskRepository
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.fields import Moment


def process_of(uow: AccountUnitOfWork, task: TaskRecord) -> Process:
    found = status_service.process(uow, task.status_set_id)
    if found is None:  # a process never disappears while tasks use it; be safe all the same
        found = status_service.default_process(uow)
    return found


def personal(task: TaskRecord, row: Person) -> int:
    """An assignee's own status (a row without one follows the task)."""
    return task.status if row.status is None else row.status


def assignee_status(loaded: Loaded) -> int:
    """Where the caller stands as an assignee (the task's status if he is none)."""
    rows = loaded.roles.assignee_rows
    return personal(loaded.task, rows[0]) if rows else loaded.task.status


def _worker_sides(task: TaskRecord) -> set[str]:
    return {WORKER} if task.check_result else {WORKER, UNCHECKED}


def choices(uow: AccountUnitOfWork, loaded: Loaded) -> list[Status]:
    """The statuses the caller may move the task to now, in the process's order."""
    process = process_of(uow, loaded.task)
    found: dict[int, Status] = {}
    if loaded.roles.owner_side:
        found.update((status.id, status) for status in process.next_statuses(loaded.task.status, {OWNER}))
    if loaded.roles.worker_side:
        current = assignee_status(loaded)
        found.update(
            (status.id, status) for status in process.next_statuses(current, _worker_sides(loaded.task))
        )
    return [status for status in process.statuses if status.id in found]


def _is_own_move(uow: AccountUnitOfWork, loaded: Loaded, target: int) -> bool:
    """Whether moving to ``target`` is the caller accepting for himself (split status)."""
    if not loaded.roles.is_assignee or assignee_status(loaded) != ACTIVE:
        return False
    process = process_of(uow, loaded.task)
    return target == process.accept_status_id and process.can_move(ACTIVE, target, _worker_sides(loaded.task))


@dataclass(frozen=True, slots=True)
class Move:
    """A status change as the caller made it: from the status he saw to the one he chose."""

    old: int
    new: int


def change(
    uow: AccountUnitOfWork,
    call: Call,
    loaded: Loaded,
    given: str,
    date_time: Moment | None,
    path: str = "status",
    *,
    quiet: bool = False,
) -> Move | None:
    """task.changeStatus: 0015/0016 for a status the process lacks, 0016 for REJECTED, 3009 without
    the right, 3013 for an assignee who has not accepted, 4006 for a move not allowed, 0017 for
    DELAYED without ``dateTime``. Moving to the status the caller already sees changes nothing
    (None). ``quiet``: the caller records the change in its own action (action.add), so no
    history entry is written for it here."""
    task = loaded.task
    process = process_of(uow, task)
    target = process.resolve(given, path)
    if target == REJECTED:
        raise errors.ValueNotAllowedHere(f"{path}: REJECTED is set by task.reject")
    if not (loaded.roles.owner_side or loaded.roles.worker_side):
        raise errors.TaskEditDenied(f"task {task.id}: participants do not change the status")
    allowed = {status.id for status in choices(uow, loaded)}
    if target not in allowed:
        seen = assignee_status(loaded) if loaded.roles.is_assignee else task.status
        if target == seen:
            return None
        if not loaded.roles.owner_side and loaded.roles.is_assignee and assignee_status(loaded) == ACTIVE:
            raise errors.TaskNotAccepted(f"task {task.id}: accept it first")
        raise errors.StatusNotAllowed(f"task {task.id}: {task.status} -> {target}")
    if _is_own_move(uow, loaded, target):
        accept(uow, call, loaded, quiet=quiet)
        return Move(ACTIVE, target)
    delayed_until = None
    if target == DELAYED:
        if date_time is None:
            raise errors.DependentParameterMissing("dateTime (required for DELAYED)")
        delayed_until = call.to_utc(date_time.local())
    set_status(uow, call, task, process, target, delayed_until, quiet=quiet)
    return Move(task.status, target)


def set_status(
    uow: AccountUnitOfWork,
    call: Call,
    task: TaskRecord,
    process: Process,
    target: int,
    delayed_until: dt.datetime | None = None,
    *,
    quiet: bool = False,
) -> None:
    """Move the whole task (a common status). Back to New, every assignee has to accept again."""
    repo = uow.get(TaskRepository)
    values: dict[str, object] = {"status": target, "modified_at": call.now, "delayed_until": delayed_until}
    if target == DONE:
        values["done_at"] = call.now
    if target == COMPLETED:
        values["completed_at"] = call.now
    repo.update_task(task.id, **values)
    repo.reset_personal_statuses(task.id, ACTIVE if target == ACTIVE else None)
    if not quiet:
        history.status_changed(uow, call, task.id, task.status, target)


def aggregate(task_status: int, workers: Sequence[Person], accept_target: int) -> int | None:
    """The task's status once assignees answered: all declined -> Declined; everyone else accepted
    -> the accept target; None while someone has still to answer."""
    states = [task_status if row.status is None else row.status for row in workers]
    if not states or ACTIVE in states:
        return None
    if all(state == REJECTED for state in states):
        return REJECTED
    if all(state in (REJECTED, accept_target) for state in states):
        return accept_target
    return None


def _answer(uow: AccountUnitOfWork, call: Call, loaded: Loaded, answer: int, quiet: bool = False) -> None:
    task = loaded.task
    row = loaded.roles.assignee_rows[0]
    repo = uow.get(TaskRepository)
    repo.set_personal_status(task.id, row.kind, row.person_id, answer)
    workers = [
        Person(p.task_id, p.role, p.kind, p.person_id, answer if p == row else p.status, p.name)
        for p in loaded.workers
    ]
    process = process_of(uow, task)
    combined = aggregate(task.status, workers, process.accept_status_id) if task.status == ACTIVE else None
    values: dict[str, object] = {"modified_at": call.now}
    if combined is not None:
        values["status"] = combined
    repo.update_task(task.id, **values)
    if combined is not None and not quiet:
        history.status_changed(uow, call, task.id, task.status, combined)


def accept(uow: AccountUnitOfWork, call: Call, loaded: Loaded, *, quiet: bool = False) -> None:
    """task.accept: 3012 for a caller who is no assignee, 3011 when he is not New any more."""
    if not loaded.roles.is_assignee:
        raise errors.NotTaskAssignee(f"task {loaded.task.id}")
    if assignee_status(loaded) != ACTIVE:
        raise errors.TaskCannotBeAccepted(f"task {loaded.task.id}: status {assignee_status(loaded)}")
    _answer(uow, call, loaded, process_of(uow, loaded.task).accept_status_id, quiet)
    if not quiet:
        history.accepted(uow, call, loaded.task.id)


def reject(uow: AccountUnitOfWork, call: Call, loaded: Loaded, reason: str) -> None:
    """task.reject: 3012 for a caller who is no assignee, 3010 when he is not New any more."""
    if not loaded.roles.is_assignee:
        raise errors.NotTaskAssignee(f"task {loaded.task.id}")
    if assignee_status(loaded) != ACTIVE:
        raise errors.TaskCannotBeRejected(f"task {loaded.task.id}: status {assignee_status(loaded)}")
    _answer(uow, call, loaded, REJECTED)
    history.rejected(uow, call, loaded.task.id, reason)
