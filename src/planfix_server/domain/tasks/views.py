"""Tasks as one caller sees them: a page of cards assembled in a handful of queries.

Dates: a planned start or end given with a time is stored as its UTC instant; one given as a date
alone is stored as that date at 00:00 UTC with ``*_has_time`` off, shown as the same date in every
time zone, and counts as the whole day in the caller's zone (a date-only deadline is overdue once
the day is over).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from planfix_server.api.context import Call
from planfix_server.domain.customfields.service import read_values
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import ACTIVE
from planfix_server.domain.tasks import periodicity
from planfix_server.domain.tasks.repository import (
    AUDITOR,
    GROUP,
    MEMBER,
    USER,
    WORKER,
    Person,
    TaskRecord,
    TaskRepository,
    joined_name,
    person_name,
    record,
)
from planfix_server.domain.tasks.shapes import NOBODY, PeopleView, Ref, TaskView
from planfix_server.domain.tasks.visibility import Viewer
from planfix_server.store.uow import AccountUnitOfWork

# isCloseToDeadline: at most this share of the planned time is left (the projects' rule, 10-tasks.md §2.2).
CLOSE_SHARE = 0.25
_DAY = dt.timedelta(days=1)


def day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)


def instant(at: dt.datetime, has_time: bool, tz: dt.tzinfo, *, end: bool) -> dt.datetime:
    """When a planned start (``end`` False) or deadline (``end`` True) falls, for the caller."""
    if has_time:
        return at
    return day_start(at.date() + (_DAY if end else dt.timedelta()), tz)


def shown(at: dt.datetime | None, has_time: bool) -> dt.date | dt.datetime | None:
    """The wire value: the instant (rendered in the caller's zone) or the date alone."""
    if at is None:
        return None
    return at if has_time else at.date()


def is_overdue(task: TaskRecord, tracks_deadline: bool, now: dt.datetime, tz: dt.tzinfo) -> bool:
    if not tracks_deadline or task.end_at is None:
        return False
    return now >= instant(task.end_at, task.end_has_time, tz, end=True)


def is_close_to_deadline(task: TaskRecord, tracks_deadline: bool, now: dt.datetime, tz: dt.tzinfo) -> bool:
    if not tracks_deadline or task.end_at is None:
        return False
    deadline = instant(task.end_at, task.end_has_time, tz, end=True)
    if now >= deadline:
        return False
    begin = task.created_at
    if task.start_at is not None:
        begin = instant(task.start_at, task.start_has_time, tz, end=False)
    planned = deadline - begin
    return planned <= dt.timedelta() or deadline - now <= planned * CLOSE_SHARE


def is_not_accepted_in_time(
    task: TaskRecord, workers: Sequence[Person], now: dt.datetime, tz: dt.tzinfo
) -> bool:
    """Still New for some assignee when the work should have started (else when it was due)."""
    if task.status != ACTIVE or not workers:
        return False
    if task.start_at is not None:
        return now >= instant(task.start_at, task.start_has_time, tz, end=False)
    if task.end_at is not None:
        return now >= instant(task.end_at, task.end_has_time, tz, end=True)
    return False


def own_status(viewer: Viewer, task: TaskRecord, workers: Sequence[Person]) -> int | None:
    """The viewer's personal status where statuses are split (his own row first, then his groups')."""
    direct = [p for p in workers if p.kind == USER and p.person_id == viewer.user_id and p.status is not None]
    via = [p for p in workers if p.kind == GROUP and p.person_id in viewer.groups and p.status is not None]
    for person in (*direct, *via):
        return person.status
    return None


def _people(rows: Sequence[Person], role: str) -> PeopleView:
    users = [Ref(row.person_id, row.name) for row in rows if row.role == role and row.kind == USER]
    groups = [Ref(row.person_id, row.name) for row in rows if row.role == role and row.kind == GROUP]
    return PeopleView(users, groups) if users or groups else NOBODY


def _workers_view(workers: Sequence[Person]) -> PeopleView:
    """_people(workers, WORKER) of rows that are all assignees."""
    if not workers:
        return NOBODY
    users = [Ref(row.person_id, row.name) for row in workers if row.kind == USER]
    groups = [Ref(row.person_id, row.name) for row in workers if row.kind == GROUP]
    return PeopleView(users, groups) if users or groups else NOBODY


def task_views(
    uow: AccountUnitOfWork,
    call: Call,
    viewer: Viewer,
    task_ids: Sequence[int],
    *,
    full: bool,
    people: dict[int, list[Person]] | None = None,
) -> list[TaskView]:
    """The cards of ``task_ids`` in that order (ids that do not exist are skipped).

    Four queries whatever the number of tasks: the rows with owner, client, project and the caller's
    star, the people, the custom values (and the statuses, once per unit of work).
    """
    found: dict[int, Any] = {
        int(row.id): row for row in uow.get(TaskRepository).cards(task_ids, viewer.user_id)
    }
    rows = [found[task_id] for task_id in task_ids if task_id in found]
    return card_views(uow, call, viewer, rows, full=full, people=people)


def card_views(
    uow: AccountUnitOfWork,
    call: Call,
    viewer: Viewer,
    rows: Sequence[Any],
    *,
    full: bool,
    people: dict[int, list[Person]] | None = None,
) -> list[TaskView]:
    """The cards of card rows (TaskRepository.cards / card), in their order."""
    ids = [int(row.id) for row in rows]
    if people is None:  # the callers that checked access have them already
        people = uow.get(TaskRepository).people(ids, workers_only=not full)
    custom = read_values(uow, "task", ids, call)
    known = status_service.statuses(uow)
    now, tz = call.now, call.tz
    own_statuses = call.settings.task_status_for_assignee == "own"
    nobody: list[Person] = []
    views = []
    for row in rows:
        task = record(row)
        everyone = people.get(task.id, nobody)
        workers = [person for person in everyone if person.role == WORKER] if everyone else nobody
        status = known.get(task.status)
        tracks_deadline = status is not None and status.has_deadline
        shown_as = task.status  # or the viewer's own where statuses are split per assignee
        if own_statuses and workers:
            personal = own_status(viewer, task, workers)
            if personal is not None:
                shown_as = personal
        views.append(
            TaskView(
                id=task.id,
                general=task.general,
                title=task.title,
                description=task.description,
                importance=task.importance,
                status=shown_as,
                status_set=task.status_set_id,
                check_result=task.check_result,
                type=task.type,
                owner_id=task.owner_id,
                owner_name=joined_name(row, "owner_contact")
                or person_name(row.owner_first_name, row.owner_last_name),
                parent_id=task.parent_id or 0,
                template_id=task.template_id or 0,
                project_id=task.project_id or 0,
                project_title=row.project_title or "",
                client_id=task.client_id or 0,
                client_name=joined_name(row, "client") or "",
                begin=task.created_at,
                start=shown(task.start_at, task.start_has_time),
                end=shown(task.end_at, task.end_has_time),
                duration=task.duration or 0,
                duration_unit=task.duration_unit,
                is_overdued=is_overdue(task, tracks_deadline, now, tz),
                is_close_to_deadline=is_close_to_deadline(task, tracks_deadline, now, tz),
                is_not_accepted_in_time=is_not_accepted_in_time(task, workers, now, tz),
                is_summary=task.is_summary,
                starred=bool(row.starred),
                additional=task.additional_description,
                custom_data=custom.get(task.id, []),
                workers=_workers_view(workers),
                members=_people(everyone, MEMBER) if full and everyone else NOBODY,
                auditors=_people(everyone, AUDITOR) if full and everyone else NOBODY,
                periodicity=periodicity.view(task.periodicity),
            )
        )
    return views
