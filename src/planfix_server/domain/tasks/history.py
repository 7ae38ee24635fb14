"""What the task functions write to a task's history (actions, 20-actions.md §9).

Every change of a task passes through one of these hooks: TASKCREATED, WORKEREMPLOYED /
WORKERUNEMPLOYED, STATUSCHANGED, TASKACCEPTED, TASKREJECTED (with the reason), TASKEXPECTDATECHANGED,
CHANGEDATEREQUEST and TASKCHANGED. Each writes nothing when the call is silent
(``<silent>1</silent>``), except CHANGEDATEREQUEST: that is the request itself, not a notice.

The author is the caller; the people notified are the task's assigner and its assignees (users),
so the entry is unread for those of them who did not make the change. Descriptions are plain
readable text in the server's language (the real service writes ``{event21}``-like placeholders).
Planned dates given without a time are recorded as the instant they stand for in the caller's zone:
a start at 00:00 of its day, a deadline at 23:59 (as the real service shows them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planfix_server.api.context import Call
from planfix_server.domain.actions.writer import DateChange, NewAction, record
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.tasks.planning import Planned
from planfix_server.domain.tasks.repository import USER, WORKER, TaskRecord, TaskRepository, person_name
from planfix_server.domain.tasks.views import day_start
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.uow import AccountUnitOfWork

_TEXTS = {
    "en": {
        "employed": "Assignee added: {name}",
        "unemployed": "Assignee removed: {name}",
        "status": "Status changed: {old} → {new}",
        "accepted": "Task accepted: {name}",
        "deadline": "Deadline changed",
        "request": "Deadline change requested: {date}",
        "changed": "Task changed: {fields}",
    },
    "ru": {
        "employed": "Добавлен исполнитель: {name}",
        "unemployed": "Исполнитель удалён: {name}",
        "status": "Статус изменён: {old} → {new}",
        "accepted": "Задача принята: {name}",
        "deadline": "Срок изменён",
        "request": "Запрошен перенос срока: {date}",
        "changed": "Задача изменена: {fields}",
    },
}
# task.update's columns as a reader knows them; columns that only follow another are left out.
_FIELD_NAMES = {
    "title": "title",
    "description": "description",
    "importance": "importance",
    "check_result": "checkResult",
    "owner_id": "owner",
    "parent_id": "parent",
    "project_id": "project",
    "client_id": "client",
    "start_at": "startTime",
    "end_at": "endTime",
    "is_summary": "isSummary",
    "duration": "duration",
    "duration_unit": "durationUnit",
    "periodicity": "periodicity",
    "status_set_id": "statusSet",
    "customData": "customData",
}
_FOLLOWERS = {"modified_at", "start_has_time", "end_has_time", "is_periodic"}


def _text(call: Call, key: str, **values: str) -> str:
    return _TEXTS[status_service.language(call.settings.language)][key].format(**values)


def instant(at: dt.datetime | None, has_time: bool, tz: dt.tzinfo, *, end: bool) -> dt.datetime | None:
    """A planned date as the instant an action records (see the module's docstring)."""
    if at is None or has_time:
        return at
    if end:
        return day_start(at.date() + dt.timedelta(days=1), tz) - dt.timedelta(minutes=1)
    return day_start(at.date(), tz)


def _change(old: Planned, new: Planned, tz: dt.tzinfo, *, end: bool) -> DateChange:
    return DateChange(instant(old.at, old.has_time, tz, end=end), instant(new.at, new.has_time, tz, end=end))


def _task(uow: AccountUnitOfWork, task_id: int) -> TaskRecord:
    found = uow.get(TaskRepository).by_id(task_id)
    assert found is not None, f"task {task_id} is gone"
    return found


def _audience(uow: AccountUnitOfWork, task: TaskRecord) -> list[int]:
    """The assigner, then the assignees who are users."""
    people = uow.get(TaskRepository).people([task.id], workers_only=True).get(task.id, [])
    return [task.owner_id, *(row.person_id for row in people if row.role == WORKER and row.kind == USER)]


def _name(uow: AccountUnitOfWork, user_id: int) -> str:
    user = uow.get(UserRepository).by_id(user_id)
    return "" if user is None else person_name(user.name, user.last_name)


def _write(
    uow: AccountUnitOfWork,
    call: Call,
    task: TaskRecord,
    kind: str,
    description: str = "",
    *,
    at: dt.datetime | None = None,
    notified: Sequence[int] | None = None,
    old_status: int | None = None,
    new_status: int | None = None,
    end_change: DateChange | None = None,
    start_change: DateChange | None = None,
) -> None:
    record(
        uow,
        NewAction(
            type=kind,
            owner_id=call.user.id,
            created_at=at or call.now,
            task_id=task.id,
            description=description,
            old_status=old_status,
            new_status=new_status,
            end_change=end_change,
            start_change=start_change,
            notified=_audience(uow, task) if notified is None else notified,
            notify=not call.silent,
        ),
    )


def task_created(uow: AccountUnitOfWork, call: Call, task_id: int, worker_users: Sequence[int]) -> None:
    """TASKCREATED with each planned date that is set (old = new, as the real server writes it), and
    WORKEREMPLOYED per assignee (unless silent). A date not set leaves its node out (20-actions.md §1.2)."""
    if call.silent:
        return
    task = _task(uow, task_id)
    start = Planned(task.start_at, task.start_has_time)
    end = Planned(task.end_at, task.end_has_time)
    _write(
        uow,
        call,
        task,
        "TASKCREATED",
        at=task.created_at,
        end_change=_change(end, end, call.tz, end=True) if task.end_at is not None else None,
        start_change=_change(start, start, call.tz, end=False) if task.start_at is not None else None,
    )
    for user_id in worker_users:
        text = _text(call, "employed", name=_name(uow, user_id))
        _write(uow, call, task, "WORKEREMPLOYED", text, at=task.created_at, notified=[task.owner_id, user_id])


def task_changed(
    uow: AccountUnitOfWork,
    call: Call,
    task_id: int,
    fields: Sequence[str],
    before: TaskRecord | None = None,
) -> None:
    """TASKCHANGED naming the fields, with the date nodes when ``before`` shows a moved date
    (unless silent)."""
    changed = [_FIELD_NAMES.get(name, name) for name in fields if name not in _FOLLOWERS]
    if call.silent or not changed:
        return
    task = _task(uow, task_id)
    end_change = start_change = None
    if before is not None:
        old_end, new_end = (
            Planned(before.end_at, before.end_has_time),
            Planned(task.end_at, task.end_has_time),
        )
        if old_end != new_end:
            end_change = _change(old_end, new_end, call.tz, end=True)
        old_start = Planned(before.start_at, before.start_has_time)
        new_start = Planned(task.start_at, task.start_has_time)
        if old_start != new_start:
            start_change = _change(old_start, new_start, call.tz, end=False)
    text = _text(call, "changed", fields=", ".join(dict.fromkeys(changed)))
    _write(uow, call, task, "TASKCHANGED", text, end_change=end_change, start_change=start_change)


def status_changed(uow: AccountUnitOfWork, call: Call, task_id: int, old: int, new: int) -> None:
    """STATUSCHANGED with the old and new status (unless silent)."""
    if call.silent:
        return
    known = status_service.statuses(uow)
    language = status_service.language(call.settings.language)

    def title(status_id: int) -> str:
        found = known.get(status_id)
        return found.title(language) if found is not None else str(status_id)

    text = _text(call, "status", old=title(old), new=title(new))
    _write(uow, call, _task(uow, task_id), "STATUSCHANGED", text, old_status=old, new_status=new)


def accepted(uow: AccountUnitOfWork, call: Call, task_id: int) -> None:
    """TASKACCEPTED (unless silent)."""
    if call.silent:
        return
    text = _text(call, "accepted", name=person_name(call.user.name, call.user.last_name))
    _write(uow, call, _task(uow, task_id), "TASKACCEPTED", text)


def rejected(uow: AccountUnitOfWork, call: Call, task_id: int, reason: str) -> None:
    """TASKREJECTED carrying the reason as its description (unless silent)."""
    if call.silent:
        return
    _write(uow, call, _task(uow, task_id), "TASKREJECTED", reason)


def workers_changed(
    uow: AccountUnitOfWork, call: Call, task_id: int, added: Sequence[int], removed: Sequence[int]
) -> None:
    """WORKEREMPLOYED / WORKERUNEMPLOYED per user (unless silent)."""
    if call.silent or not (added or removed):
        return
    task = _task(uow, task_id)
    for kind, key, user_ids in (
        ("WORKEREMPLOYED", "employed", added),
        ("WORKERUNEMPLOYED", "unemployed", removed),
    ):
        for user_id in user_ids:
            text = _text(call, key, name=_name(uow, user_id))
            _write(uow, call, task, kind, text, notified=[task.owner_id, user_id])


def deadline_changed(uow: AccountUnitOfWork, call: Call, task_id: int, old: Planned, new: Planned) -> None:
    """TASKEXPECTDATECHANGED with the old and new deadline (unless silent)."""
    if call.silent:
        return
    change = _change(old, new, call.tz, end=True)
    _write(
        uow, call, _task(uow, task_id), "TASKEXPECTDATECHANGED", _text(call, "deadline"), end_change=change
    )


def deadline_change_requested(
    uow: AccountUnitOfWork, call: Call, task_id: int, old: Planned, new: Planned
) -> None:
    """CHANGEDATEREQUEST: the assignee asks the assigner to move the deadline to ``new``.

    Written even when silent: it is the request itself, not a notice of a change. It notifies the
    assigner (unread for him unless he asked himself).
    """
    task = _task(uow, task_id)
    change = _change(old, new, call.tz, end=True)
    assert change.new is not None
    local = change.new.astimezone(call.tz)
    shown = f"{local.day:02d}-{local.month:02d}-{local.year:04d} {local.hour:02d}:{local.minute:02d}"
    record(
        uow,
        NewAction(
            type="CHANGEDATEREQUEST",
            owner_id=call.user.id,
            created_at=call.now,
            task_id=task.id,
            description=_text(call, "request", date=shown),
            end_change=change,
            notified=[task.owner_id],
        ),
    )
