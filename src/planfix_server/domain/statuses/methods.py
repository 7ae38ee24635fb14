"""``taskStatus.getSetList`` and ``taskStatus.getListOfSet`` (planfix-xml-api/10-tasks.md §5.14-5.15)."""

from __future__ import annotations

from dataclasses import dataclass

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.statuses import service
from planfix_server.domain.statuses.shapes import (
    TASK_STATUS_SETS,
    TASK_STATUSES,
    ProcessView,
    StatusView,
    TextView,
)
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.fields import Id, xml


@method("taskStatus.getSetList", request=None, response=[TASK_STATUS_SETS])
def get_set_list(_request: None, uow: AccountUnitOfWork, call: Call) -> list[ProcessView]:
    """The processes (status sets) of the account."""
    return [ProcessView(set_id, name) for set_id, name in service.process_list(uow)]


@dataclass(frozen=True, slots=True)
class GetListOfSet:
    set_id: int = xml("taskStatusSet/id", Id(), required=True)


@method(
    "taskStatus.getListOfSet",
    request=GetListOfSet,
    response=[TASK_STATUSES],
    errors=("0009", "0015"),
)
def get_list_of_set(request: GetListOfSet, uow: AccountUnitOfWork, call: Call) -> list[StatusView]:
    """Every status of one process, in the process's order, with names in Russian and English."""
    service.default_process_id(uow)  # accounts older than processes get theirs now
    process = service.require_process(uow, request.set_id, "taskStatusSet/id")
    language = service.language(call.settings.language)
    return [
        StatusView(
            id=status.id,
            name=status.title(language),
            color=status.color,
            is_active=status.is_active,
            has_deadline=status.has_deadline,
            texts=[TextView("Ru", status.title("ru")), TextView("En", status.title("en"))],
        )
        for status in process.statuses
    ]
