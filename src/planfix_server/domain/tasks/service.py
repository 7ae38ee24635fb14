"""Creating tasks (task.add) and the checks task.add and task.update share.

Choices where the reference is open (docs/tasks-and-projects.md, "Tasks"): a missing title is 0009
unless a template gives one; ``beginDateTime`` from anyone but an administrator is ignored; any
caller may name another owner; the initial status may be a system token DRAFT, ACTIVE or DELAYED
or any status id of the process but REJECTED (0016 otherwise); ``checkResult`` defaults by the
``task_check_result_default`` setting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.customfields.repository import CustomFieldRepository
from planfix_server.domain.customfields.service import write_values
from planfix_server.domain.projects.contacts import require_client
from planfix_server.domain.projects.service import require_for_task
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import ACTIVE, REJECTED
from planfix_server.domain.statuses.service import Process
from planfix_server.domain.tasks import history, people, periodicity
from planfix_server.domain.tasks.kinds import plain
from planfix_server.domain.tasks.people import Team
from planfix_server.domain.tasks.planning import NOT_PLANNED, Planned, planned
from planfix_server.domain.tasks.repository import (
    AUDITOR,
    MEMBER,
    USER,
    WORKER,
    Person,
    TaskRecord,
    TaskRepository,
)
from planfix_server.domain.tasks.requests import TaskAddFields, TaskFields
from planfix_server.domain.tasks.shapes import AddResult
from planfix_server.domain.tasks.status_rules import aggregate, process_of
from planfix_server.domain.tasks.views import instant
from planfix_server.domain.tasks.visibility import Viewer, roles, viewer_of
from planfix_server.store.uow import AccountUnitOfWork

CREATABLE_TOKENS = ("DRAFT", "ACTIVE", "DELAYED")


def check_dates(start: Planned, end: Planned, tz: dt.tzinfo) -> None:
    """3006 when the planned start falls after the planned end."""
    if start.at is None or end.at is None:
        return
    last = instant(end.at, end.has_time, tz, end=True)
    if not end.has_time:
        last -= dt.timedelta(microseconds=1)  # a date alone lasts until the day is over, not into the next
    if instant(start.at, start.has_time, tz, end=False) > last:
        raise errors.TaskStartAfterEnd("startTime is after endTime")


def check_parent(uow: AccountUnitOfWork, viewer: Viewer, parent_id: int, task_id: int | None = None) -> None:
    """3001 when the parent does not exist, 3002 when the caller cannot see it, 0016 for a loop."""
    repo = uow.get(TaskRepository)
    parent = repo.by_id(parent_id)
    if parent is None or parent.type != "task":
        raise errors.TaskNotFound(f"task/parent/id: {parent_id}")
    if not roles(viewer, parent, repo.people([parent_id]).get(parent_id, [])).read:
        raise errors.ParentTaskAccessDenied(f"task/parent/id: {parent_id}")
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == task_id:
            raise errors.ValueNotAllowedHere(f"task/parent/id: {parent_id} is below task {task_id}")
        seen.add(current)
        current = repo.parent_of(current)


def initial_status(process: Process, given: str | None) -> int:
    """The status a new task starts in: 0015/0016 for one the process lacks or creation forbids."""
    if given is None:
        return ACTIVE if process.has(ACTIVE) else process.statuses[0].id
    status = process.resolve(given, "task/status")
    token = given.strip().upper()
    if (not token.isdigit() and token not in CREATABLE_TOKENS) or status == REJECTED:
        raise errors.ValueNotAllowedHere(f"task/status: a task cannot start as {given.strip()[:20]}")
    return status


def check_result_default(call: Call, owner_id: int, workers: Team) -> bool:
    setting = call.settings.task_check_result_default
    if setting in ("0", "1"):
        return setting == "1"
    return bool(workers.groups) or any(user_id != owner_id for user_id in workers.users)


def worker_rows(task_id: int, team: Team, status: int, owner_id: int, process: Process) -> list[Person]:
    """Assignee rows with their own statuses: New while the task is New, except the owner assigning
    himself where the process auto-accepts (10-tasks.md §4.1)."""
    made = people.rows(task_id, WORKER, team, ACTIVE if status == ACTIVE else None)
    if status == ACTIVE and process.auto_accept:
        made = [
            Person(row.task_id, row.role, row.kind, row.person_id, process.accept_status_id)
            if row.kind == USER and row.person_id == owner_id
            else row
            for row in made
        ]
    return made


def dates(
    fields: TaskFields, tz: dt.tzinfo, current: TaskRecord | None
) -> tuple[Planned | None, Planned | None]:
    start = planned(
        which="start",
        date_is_set=fields.start_date_is_set,
        date=fields.start_date,
        time_is_set=fields.start_time_is_set,
        time=fields.start_time,
        current=None if current is None else Planned(current.start_at, current.start_has_time),
        tz=tz,
    )
    end = planned(
        which="end",
        date_is_set=fields.end_date_is_set,
        date=fields.end_date,
        time_is_set=fields.end_time_is_set,
        time=fields.end_time,
        current=None if current is None else Planned(current.end_at, current.end_has_time),
        tz=tz,
    )
    return start, end


def _template(uow: AccountUnitOfWork, fields: TaskAddFields) -> TaskRecord | None:
    template_id = fields.template or fields.template_id
    if template_id is None:
        return None
    found = uow.get(TaskRepository).by_id(template_id)
    if found is None or found.type != "template":
        raise errors.TaskNotFound(f"task/template: no template {template_id}")
    return found


def _from_template(value: Any, template: TaskRecord | None, attr: str) -> Any:
    if value is not None or template is None:
        return value
    return getattr(template, attr)


def create(uow: AccountUnitOfWork, call: Call, fields: TaskAddFields) -> AddResult:
    """task.add: check everything, then write the task, its people and custom values."""
    repo = uow.get(TaskRepository)
    viewer = viewer_of(uow, call.user)
    template = _template(uow, fields)
    template_people = [] if template is None else repo.people([template.id]).get(template.id, [])
    title = plain(fields.title) or (template.title if template is not None else None)
    if not title:
        raise errors.MissingParameter("task/title")
    owner_id = fields.owner or call.user.id
    people.check_ids(uow, [owner_id], [], "task/owner/id")
    teams: dict[str, Team] = {}
    for role, given in ((WORKER, fields.workers), (MEMBER, fields.members), (AUDITOR, fields.auditors)):
        team = Team.of(given.users, given.groups) if given is not None else Team()
        if not team and template is not None and role != AUDITOR:  # auditors are not copied (§5.1)
            team = Team.of(
                [p.person_id for p in template_people if p.role == role and p.kind == USER],
                [p.person_id for p in template_people if p.role == role and p.kind != USER],
            )
        people.check_ids(uow, team.users, team.groups, f"task/{role}s", role=role)
        teams[role] = team
    if fields.status_set is not None:
        process = status_service.require_process(uow, fields.status_set, "task/statusSet")
    elif template is not None:
        process = process_of(uow, template)
    else:
        process = status_service.default_process(uow)
    status = initial_status(process, fields.status)
    project_id = _from_template(plain(fields.project), template, "project_id") or None
    if project_id is not None:
        require_for_task(uow, call, project_id)
    parent_id = plain(fields.parent) or None
    if parent_id is not None:
        check_parent(uow, viewer, parent_id)
    client_id = _from_template(plain(fields.client), template, "client_id") or None
    if client_id is not None:
        require_client(uow, client_id, "task/client/id")
    start, end = dates(fields, call.tz, None)
    start, end = start or NOT_PLANNED, end or NOT_PLANNED
    check_dates(start, end, call.tz)
    check_result = plain(fields.check_result)
    if check_result is None:
        check_result = (
            template.check_result if template else check_result_default(call, owner_id, teams[WORKER])
        )
    duration = None if fields.duration_is_set is False else plain(fields.duration)
    recurrence = fields.periodicity if isinstance(fields.periodicity, periodicity.PeriodicityIn) else None
    begin = call.to_utc(fields.begin.local()) if fields.begin is not None and call.is_admin else call.now

    task_id = uow.next_id("tasks")
    general = uow.next_general("task")
    workers = worker_rows(task_id, teams[WORKER], status, owner_id, process)
    if status == ACTIVE:  # the owner alone, auto-accepted, starts the task in the accept target
        status = aggregate(status, workers, process.accept_status_id) or status
    repo.insert_task(
        id=task_id,
        general=general,
        type="task",
        is_periodic=recurrence is not None,
        title=title,
        description=_from_template(plain(fields.description), template, "description") or "",
        importance=_from_template(fields.importance, template, "importance") or "AVERAGE",
        status_set_id=process.id,
        status=status,
        check_result=check_result,
        owner_id=owner_id,
        parent_id=parent_id,
        template_id=template.id if template else None,
        project_id=project_id,
        client_id=client_id,
        created_at=begin,
        start_at=start.at,
        start_has_time=start.has_time,
        end_at=end.at,
        end_has_time=end.has_time,
        duration=_from_template(duration, template, "duration")
        if fields.duration_is_set is not False
        else None,
        duration_unit=_from_template(fields.duration_unit, template, "duration_unit") or 0,
        is_summary=_from_template(fields.is_summary, template, "is_summary") or False,
        periodicity=None if recurrence is None else periodicity.to_json(recurrence, call.tz),
        modified_at=call.now,
        last_activity_at=call.now,
    )
    repo.add_people(
        [
            *workers,
            *people.rows(task_id, MEMBER, teams[MEMBER]),
            *people.rows(task_id, AUDITOR, teams[AUDITOR]),
        ]
    )
    if template is not None:
        copy_custom_values(uow, template.id, task_id)
    write_values(uow, "task", task_id, fields.custom_data, call)
    history.task_created(uow, call, task_id, teams[WORKER].users)
    return AddResult(task_id, general)


def copy_custom_values(uow: AccountUnitOfWork, source_id: int, target_id: int) -> None:
    """A template's custom values become the new task's (the request's own values then win)."""
    repo = uow.get(CustomFieldRepository)
    stored = {int(row.field_id): row.value for row in repo.values("task", [source_id])}
    if stored:
        repo.replace_values("task", target_id, [], stored)
