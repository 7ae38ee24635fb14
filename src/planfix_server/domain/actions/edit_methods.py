"""The action functions that write: action.add, action.update, action.delete."""

from __future__ import annotations

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.actions import service
from planfix_server.domain.actions.requests import ActionAdd, ActionRef, ActionUpdate
from planfix_server.domain.actions.shapes import ACTION_ID, IdResult
from planfix_server.store.uow import AccountUnitOfWork


@method(
    "action.add",
    request=ActionAdd,
    response=[ACTION_ID],
    writes=True,
    errors=(
        "0009",
        "0015",
        "0019",
        "3001",
        "3014",
        "4001",
        "4006",
        "4009",
        "4010",
        "4011",
        "4012",
        "4013",
        "4014",
        "4015",
        "4016",
        "6004",
        "8002",
    ),
)
def action_add(request: ActionAdd, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """A comment on a task or a contact, optionally moving the task to another status."""
    return IdResult(service.add(uow, call, request))


@method(
    "action.update",
    request=ActionUpdate,
    response=[ACTION_ID],
    writes=True,
    errors=(
        "0009",
        "0015",
        "3014",
        "4001",
        "4002",
        "4004",
        "4006",
        "4007",
        "4008",
        "4009",
        "4010",
        "4011",
        "4012",
        "4013",
        "4014",
        "4015",
        "4016",
        "6004",
    ),
)
def action_update(request: ActionUpdate, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Change a comment: text, notified people, hidden flag, time, or the status it set."""
    return IdResult(service.update(uow, call, request))


@method(
    "action.delete",
    request=ActionRef,
    response=[ACTION_ID],
    writes=True,
    errors=("0009", "0015", "4001", "4002", "4007", "4008", "4009"),
)
def action_delete(request: ActionRef, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Delete a comment (not one that changed the task's status)."""
    return IdResult(service.delete(uow, call, request.id))
