"""FILES fields of handbook records: ``customValue.files`` stores files into the record's field
(22-handbooks-analitics.md §9-§10). On update ``customValue.value`` lists the ids of the files to
keep; every other file of that field goes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.files.requests import FileIn
from planfix_server.domain.files.service import attach_to_record
from planfix_server.domain.handbooks.fields import HandbookField
from planfix_server.store.uow import AccountUnitOfWork

_IDS = re.compile(r"\s*\[?\s*(\d+(?:\s*,\s*\d+)*)?\s*,?\s*\]?\s*", re.ASCII)


def kept_ids(field: HandbookField, value: str | None) -> list[int] | None:
    """The files of the field to keep: None (no ``value``) keeps them all; 0015 for a bad list."""
    if value is None:
        return None
    match = _IDS.fullmatch(value)
    if match is None:
        raise errors.InvalidParameterValue(f"customData field {field.id} (FILES): not a list of file ids")
    inner = match.group(1)
    return [] if inner is None else [int(one) for one in inner.split(",") if int(one)]


def attach_files(
    uow: AccountUnitOfWork,
    call: Call,
    record_id: int,
    field_id: int,
    files: Sequence[FileIn],
    keep: list[int] | None,
) -> None:
    """Store ``files`` into field ``field_id`` of the record; with ``keep`` (update), the field's
    other files go first. 9003 / 9005 / 9006 / 9007 as file.upload answers them."""
    attach_to_record(uow, call, record_id, field_id, files, keep)
