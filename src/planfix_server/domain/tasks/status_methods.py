"""The task functions about status and deadline: task.accept, task.reject, task.changeStatus,
task.getPossibleStatusToChange, task.changeExpectDate."""

from __future__ import annotations

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import ACTIVE
from planfix_server.domain.tasks import access, history, status_rules
from planfix_server.domain.tasks.planning import Planned, store
from planfix_server.domain.tasks.repository import TaskRepository
from planfix_server.domain.tasks.requests import TaskChangeStatus, TaskExpectDate, TaskRef, TaskReject
from planfix_server.domain.tasks.service import check_dates
from planfix_server.domain.tasks.shapes import (
    STATUS_LIST,
    TASK_EXPECT_DATE,
    TASK_ID,
    ExpectDateResult,
    IdResult,
    StatusChoice,
)
from planfix_server.domain.tasks.views import shown
from planfix_server.store.uow import AccountUnitOfWork


@method(
    "task.accept",
    request=TaskRef,
    response=[TASK_ID],
    writes=True,
    errors=("3001", "3008", "3011", "3012", "3014", "0009"),
)
def task_accept(request: TaskRef, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """The calling assignee accepts the task for himself (it moves on when every assignee has)."""
    loaded = access.load(uow, call, request.id, request.general, lock=True)
    status_rules.accept(uow, call, loaded)
    return IdResult(loaded.task.id)


@method(
    "task.reject",
    request=TaskReject,
    response=[TASK_ID],
    writes=True,
    errors=("3001", "3008", "3010", "3012", "3014", "0009"),
)
def task_reject(request: TaskReject, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """The calling assignee declines the task, giving a reason (the only way into REJECTED)."""
    loaded = access.load(uow, call, request.id, request.general, lock=True)
    status_rules.reject(uow, call, loaded, request.reason)
    return IdResult(loaded.task.id)


@method(
    "task.getPossibleStatusToChange",
    request=TaskRef,
    response=[STATUS_LIST],
    errors=("3001", "3008", "0009"),
)
def task_get_possible_status_to_change(
    request: TaskRef, uow: AccountUnitOfWork, call: Call
) -> list[StatusChoice]:
    """The statuses task.changeStatus accepts from the caller now (neither the current one nor REJECTED)."""
    loaded = access.load(uow, call, request.id, request.general)
    language = status_service.language(call.settings.language)
    return [StatusChoice(status.title(language), status.id) for status in status_rules.choices(uow, loaded)]


@method(
    "task.changeStatus",
    request=TaskChangeStatus,
    response=[TASK_ID],
    writes=True,
    errors=("3001", "3008", "3009", "3013", "3014", "4006", "0009", "0015", "0016", "0017"),
)
def task_change_status(request: TaskChangeStatus, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Move the task to a status of its process (``dateTime`` required for DELAYED)."""
    loaded = access.load(uow, call, request.id, request.general, lock=True)
    status_rules.change(uow, call, loaded, request.status, request.date_time)
    return IdResult(loaded.task.id)


@method(
    "task.changeExpectDate",
    request=TaskExpectDate,
    response=[TASK_EXPECT_DATE],
    writes=True,
    errors=("3001", "3006", "3008", "3012", "3013", "3014", "0009", "0015"),
)
def task_change_expect_date(request: TaskExpectDate, uow: AccountUnitOfWork, call: Call) -> ExpectDateResult:
    """Move the deadline; an assignee of a task whose result is checked only asks the assigner
    (the answer then has no ``endTime``)."""
    loaded = access.load(uow, call, request.id, request.general, lock=True)
    task = loaded.task
    if loaded.roles.is_assignee:
        if status_rules.assignee_status(loaded) == ACTIVE:
            raise errors.TaskNotAccepted(f"task {task.id}: accept it first")
        applies = loaded.roles.owner_side or not task.check_result
    elif loaded.roles.owner_side:
        applies = True
    else:
        raise errors.NotTaskAssignee(f"task {task.id}")
    end = store(request.expect_date.date, request.expect_date.time, call.tz)
    check_dates(Planned(task.start_at, task.start_has_time), end, call.tz)
    assert end.at is not None
    before = Planned(task.end_at, task.end_has_time)
    if not applies:
        history.deadline_change_requested(uow, call, task.id, before, end)
        return ExpectDateResult(task.id, None)
    uow.get(TaskRepository).update_task(
        task.id, end_at=end.at, end_has_time=end.has_time, modified_at=call.now
    )
    history.deadline_changed(uow, call, task.id, before, end)
    return ExpectDateResult(task.id, shown(end.at, end.has_time))
