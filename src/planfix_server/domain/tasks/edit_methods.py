"""The task functions that create and change tasks: task.add, task.update, task.updateCustomData,
task.changeWorkers."""

from __future__ import annotations

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.tasks import service, update
from planfix_server.domain.tasks.requests import TaskAdd, TaskChangeWorkers, TaskCustomData, TaskUpdate
from planfix_server.domain.tasks.shapes import TASK_ADDED, TASK_ID, AddResult, IdResult
from planfix_server.store.uow import AccountUnitOfWork

_PEOPLE_ERRORS = ("6004", "5001")


@method(
    "task.add",
    request=TaskAdd,
    response=[TASK_ADDED],
    writes=True,
    errors=(
        "3001",
        "3002",
        "3003",
        "3004",
        "3006",
        "3007",
        "0009",
        "0015",
        "0016",
        "0017",
        "8002",
        *_PEOPLE_ERRORS,
    ),
)
def task_add(request: TaskAdd, uow: AccountUnitOfWork, call: Call) -> AddResult:
    """Create a task (optionally from a template); the answer carries its id and number."""
    return service.create(uow, call, request.task)


@method(
    "task.update",
    request=TaskUpdate,
    response=[TASK_ID],
    writes=True,
    errors=(
        "3001",
        "3002",
        "3003",
        "3004",
        "3006",
        "3007",
        "3008",
        "3009",
        "3014",
        "4006",
        "0009",
        "0015",
        "0016",
        "0017",
        "8002",
        *_PEOPLE_ERRORS,
    ),
)
def task_update(request: TaskUpdate, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Change the fields given (others stay); a people list given replaces that list."""
    return IdResult(update.update(uow, call, request.task))


@method(
    "task.updateCustomData",
    request=TaskCustomData,
    response=[TASK_ID],
    writes=True,
    errors=("3001", "3008", "3009", "3014", "0009", "0015"),
)
def task_update_custom_data(request: TaskCustomData, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Change custom-field values only (assignees may, as well as those who edit the task)."""
    return IdResult(update.update_custom_data(uow, call, request))


@method(
    "task.changeWorkers",
    request=TaskChangeWorkers,
    response=[TASK_ID],
    writes=True,
    errors=("3001", "3008", "3009", "3014", "0009", "0015", *_PEOPLE_ERRORS),
)
def task_change_workers(request: TaskChangeWorkers, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Add and remove assignees (users and groups) without rewriting the list."""
    return IdResult(update.change_workers(uow, call, request))
