"""Changing tasks: task.update, task.updateCustomData, task.changeWorkers.

task.update is a partial update, as real clients rely on (10-tasks.md §5.2): an element that is not
sent leaves its field alone; an empty element too, unless the ``task_update_empty`` setting says
``clear``; a people list that is sent replaces that whole list; ``customData`` changes only the
fields listed; a status goes through the rules of task.changeStatus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.customfields.service import write_values
from planfix_server.domain.projects.contacts import require_client
from planfix_server.domain.projects.service import require_for_task
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import ACTIVE
from planfix_server.domain.tasks import access, history, people, periodicity, status_rules
from planfix_server.domain.tasks.access import Loaded
from planfix_server.domain.tasks.kinds import EMPTY, given
from planfix_server.domain.tasks.people import Team
from planfix_server.domain.tasks.planning import Planned
from planfix_server.domain.tasks.repository import (
    AUDITOR,
    GROUP,
    MEMBER,
    USER,
    WORKER,
    Person,
    TaskRepository,
)
from planfix_server.domain.tasks.requests import PeopleIn, TaskChangeWorkers, TaskCustomData, TaskUpdateFields
from planfix_server.domain.tasks.service import check_dates, check_parent, dates
from planfix_server.store.uow import AccountUnitOfWork


def _reference(value: Any) -> int | Any | None:
    """A reference field of an update: None to keep, 0 (or a cleared element) for none, else the id."""
    if value is EMPTY:
        return 0
    return value


def _new_workers(uow: AccountUnitOfWork, loaded: Loaded, team: Team) -> list[Person]:
    """The rows of a new assignee list: those who stay keep their own status, newcomers are New
    while the task waits for acceptance or is being worked on (they accept for themselves)."""
    task = loaded.task
    kept = {(row.kind, row.person_id): row.status for row in loaded.workers}
    accept_target = status_rules.process_of(uow, task).accept_status_id
    fresh = ACTIVE if task.status in (ACTIVE, accept_target) else None
    made = []
    for row in people.rows(task.id, WORKER, team):
        status = kept.get((row.kind, row.person_id), fresh)
        made.append(Person(row.task_id, row.role, row.kind, row.person_id, status))
    return made


def _settle(uow: AccountUnitOfWork, call: Call, loaded: Loaded, workers: Sequence[Person]) -> None:
    """After the assignees changed, a New task whose remaining assignees all answered moves on."""
    task = loaded.task
    if task.status != ACTIVE:
        return
    target = status_rules.process_of(uow, task).accept_status_id
    combined = status_rules.aggregate(task.status, workers, target)
    if combined is not None:
        uow.get(TaskRepository).update_task(task.id, status=combined)
        history.status_changed(uow, call, task.id, task.status, combined)


def _team(given_people: PeopleIn | None, empty: Any) -> Team | None:
    if given_people is not None:
        return Team.of(given_people.users, given_people.groups)
    if empty is EMPTY:
        return Team()
    return None


def update(uow: AccountUnitOfWork, call: Call, fields: TaskUpdateFields) -> int:
    """task.update: 3001/3008/3009, then the checks of task.add for what is given."""
    loaded = access.load(uow, call, fields.id, fields.general, lock=True)
    loaded.require_edit()
    task = loaded.task
    repo = uow.get(TaskRepository)
    clear = call.settings.task_update_empty == "clear"
    values: dict[str, Any] = {}

    title = given(fields.title, clear)
    if isinstance(title, str):
        values["title"] = title
    description = given(fields.description, clear)
    if description is not None:
        values["description"] = "" if description is EMPTY else description
    if fields.importance is not None:
        values["importance"] = fields.importance
    check_result = given(fields.check_result, clear)
    if check_result is not None:
        values["check_result"] = False if check_result is EMPTY else check_result
    if fields.owner is not None:
        people.check_ids(uow, [fields.owner], [], "task/owner/id")
        values["owner_id"] = fields.owner
    parent = _reference(given(fields.parent, clear))
    if parent is not None:
        if parent:
            check_parent(uow, loaded.viewer, parent, task.id)
        values["parent_id"] = parent or None
    project = _reference(given(fields.project, clear))
    if project is not None:
        if project:
            require_for_task(uow, call, project)
        values["project_id"] = project or None
    client = _reference(given(fields.client, clear))
    if client is not None:
        if client:
            require_client(uow, client, "task/client/id")
        values["client_id"] = client or None

    start, end = dates(_cleared_dates(fields, clear), call.tz, task)
    final_start = start or Planned(task.start_at, task.start_has_time)
    final_end = end or Planned(task.end_at, task.end_has_time)
    check_dates(final_start, final_end, call.tz)
    if start is not None:
        values.update(start_at=start.at, start_has_time=start.has_time)
    if end is not None:
        values.update(end_at=end.at, end_has_time=end.has_time)
    if fields.is_summary is not None:
        values["is_summary"] = fields.is_summary
    duration = given(fields.duration, clear)
    if fields.duration_is_set is False or duration is EMPTY:
        values["duration"] = None
    elif duration is not None:
        values["duration"] = duration
    if fields.duration_unit is not None:
        values["duration_unit"] = fields.duration_unit
    if isinstance(fields.periodicity, periodicity.Unset):
        values.update(periodicity=None, is_periodic=False)
    elif fields.periodicity is not None:
        values.update(periodicity=periodicity.to_json(fields.periodicity, call.tz), is_periodic=True)

    teams = {
        WORKER: _team(fields.workers, given(fields.workers_empty, clear)),
        MEMBER: _team(fields.members, given(fields.members_empty, clear)),
        AUDITOR: _team(fields.auditors, given(fields.auditors_empty, clear)),
    }
    for role, team in teams.items():
        if team is not None:
            people.check_ids(uow, team.users, team.groups, f"task/{role}s", role=role)

    new_process = None
    if fields.status_set is not None and fields.status_set != task.status_set_id:
        new_process = status_service.require_process(uow, fields.status_set, "task/statusSet")
        if fields.status is not None:
            moved_to = new_process.resolve(fields.status, "task/status")
        elif new_process.has(task.status):
            moved_to = task.status
        else:
            raise errors.ValueNotAllowedHere(f"task/statusSet: status {task.status} is not in it; give one")

    values["modified_at"] = call.now
    repo.update_task(task.id, **values)
    for role, team in teams.items():
        if team is None:
            continue
        repo.clear_role(task.id, role)
        repo.add_people(
            _new_workers(uow, loaded, team) if role == WORKER else people.rows(task.id, role, team)
        )
    write_values(uow, "task", task.id, fields.custom_data, call)
    if new_process is not None:
        # Moving to another process is a reassignment by someone who may edit the task: the status
        # is set, not walked through the old process's transitions.
        repo.update_task(task.id, status_set_id=new_process.id)
        if moved_to != task.status:
            status_rules.set_status(uow, call, task, new_process, moved_to)
    elif fields.status is not None:
        status_rules.change(uow, call, loaded, fields.status, None, "task/status")
    elif teams[WORKER] is not None:
        _settle(uow, call, loaded, repo.people([task.id], workers_only=True).get(task.id, []))
    history.task_changed(uow, call, task.id, sorted(values), before=task)
    return task.id


def _cleared_dates(fields: TaskUpdateFields, clear: bool) -> TaskUpdateFields:
    """Empty date parts count as absent unless the setting says an empty element clears."""
    if clear:
        return fields

    def keep(value: Any) -> Any:
        return None if value is EMPTY else value

    return replace(
        fields,
        start_date=keep(fields.start_date),
        start_time=keep(fields.start_time),
        end_date=keep(fields.end_date),
        end_time=keep(fields.end_time),
    )


def update_custom_data(uow: AccountUnitOfWork, call: Call, request: TaskCustomData) -> int:
    """task.updateCustomData: assignees may do it as well as those who may edit the task (3009 else)."""
    loaded = access.load(uow, call, request.id, request.general, lock=True)
    if not (loaded.roles.owner_side or loaded.roles.worker_side):
        raise errors.TaskEditDenied(f"task {loaded.task.id}: participants do not change custom fields")
    write_values(uow, "task", loaded.task.id, request.custom_data, call)
    uow.get(TaskRepository).update_task(loaded.task.id, modified_at=call.now)
    history.task_changed(uow, call, loaded.task.id, ["customData"])
    return loaded.task.id


def change_workers(uow: AccountUnitOfWork, call: Call, request: TaskChangeWorkers) -> int:
    """task.changeWorkers: add and remove assignees; adding one present or removing one absent is a no-op."""
    loaded = access.load(uow, call, request.id, request.general, lock=True)
    loaded.require_edit()
    task = loaded.task
    add = Team.of(request.add_users, request.add_groups)
    remove = Team.of(request.del_users, request.del_groups)
    people.check_ids(uow, add.users, add.groups, "task/workers/addUsers", role=WORKER)
    people.check_ids(uow, remove.users, remove.groups, "task/workers/delUsers", role=WORKER)
    present = {(row.kind, row.person_id) for row in loaded.workers}
    removed = {(USER, user_id) for user_id in remove.users} | {
        (GROUP, group_id) for group_id in remove.groups
    }
    newcomers = Team(
        tuple(u for u in add.users if (USER, u) not in present and (USER, u) not in removed),
        tuple(g for g in add.groups if (GROUP, g) not in present and (GROUP, g) not in removed),
    )
    repo = uow.get(TaskRepository)
    repo.remove_people(task.id, WORKER, USER, remove.users)
    repo.remove_people(task.id, WORKER, GROUP, remove.groups)
    added = _new_workers(uow, loaded, newcomers)
    repo.add_people(added)
    repo.update_task(task.id, modified_at=call.now)
    remaining = [row for row in loaded.workers if (row.kind, row.person_id) not in removed] + added
    _settle(uow, call, loaded, remaining)
    history.workers_changed(
        uow, call, task.id, list(newcomers.users), [u for u in remove.users if (USER, u) in present]
    )
    return task.id
