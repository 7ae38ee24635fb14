"""The handbook functions that write: addRecord and updateRecord (22-handbooks-analitics.md §9-§10)."""

from __future__ import annotations

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.handbooks import service
from planfix_server.domain.handbooks.requests import RecordAdd, RecordUpdate
from planfix_server.domain.handbooks.shapes import KEY, RecordKey
from planfix_server.store.uow import AccountUnitOfWork

_FILE_ERRORS = ("0016", "9003", "9005", "9006", "9007")


@method(
    "handbook.addRecord",
    request=RecordAdd,
    response=[KEY],
    writes=True,
    errors=("0009", "0015", "0101", "0105", *_FILE_ERRORS),
)
def handbook_add_record(request: RecordAdd, uow: AccountUnitOfWork, call: Call) -> RecordKey:
    """Create a record, or a group record (``isGroup`` 1, with a ``name``); answers its ``key``."""
    service.require_writer(call)
    return RecordKey(service.add_record(uow, call, request))


@method(
    "handbook.updateRecord",
    request=RecordUpdate,
    response=[KEY],
    writes=True,
    errors=("0009", "0015", "0101", "0105", *_FILE_ERRORS),
)
def handbook_update_record(request: RecordUpdate, uow: AccountUnitOfWork, call: Call) -> RecordKey:
    """Change a record: the elements given change, the rest stays; FILES values list the kept files."""
    service.require_writer(call)
    return RecordKey(service.update_record(uow, call, request))
