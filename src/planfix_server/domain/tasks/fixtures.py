"""Fixture section ``tasks``: tasks and task templates (XML API v1 cannot make templates).

::

    "tasks": [{"title": "Standard", "template": true, "workers": ["bob"]},
              {"title": "Site launch", "owner": "alice", "status": "ACCEPTED", "importance": "HIGH",
               "description": "<p>…</p>", "project": "Site", "parent": "Other title",
               "from_template": "Standard", "start": "01-03-2030", "end": "05-03-2030 18:00",
               "duration": 2, "duration_unit": 2, "check_result": true,
               "workers": ["bob"], "worker_groups": ["Devs"], "members": [], "member_groups": [],
               "auditors": [], "auditor_groups": [], "starred_by": ["bob"],
               "custom_data": {"Hours": "5"}}]

Users are named by login, groups by name, projects by title, tasks (parents, templates) by a
title listed before. Dates are in the account's time zone; a status is a token or an id of the
default process. Assignees of a New task are New themselves (they accept through the API).
"""

from __future__ import annotations

from typing import Any

from planfix_server.api.context import zone
from planfix_server.domain.customfields.fixtures import write_fixture_values
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import ACTIVE
from planfix_server.domain.tasks import people
from planfix_server.domain.tasks.people import Team
from planfix_server.domain.tasks.planning import NOT_PLANNED, Planned, store
from planfix_server.domain.tasks.repository import AUDITOR, MEMBER, ROLES, WORKER, TaskRepository
from planfix_server.domain.tasks.requests import IMPORTANCES
from planfix_server.domain.tasks.service import worker_rows
from planfix_server.domain.tasks.status_rules import aggregate
from planfix_server.sandbox.fixtures import FixtureError, Item, SeedContext, entries, section
from planfix_server.wire.fields import DateTime

TASK_FIELDS = (
    "title",
    "description",
    "owner",
    "template",
    "status",
    "importance",
    "check_result",
    "project",
    "parent",
    "from_template",
    "start",
    "end",
    "duration",
    "duration_unit",
    *(f"{role}s" for role in ROLES),
    *(f"{role}_groups" for role in ROLES),
    "starred_by",
    "custom_data",
)


def _planned(item: Item, name: str, context: SeedContext) -> Planned:
    text = item.text(name)
    if text is None:
        return NOT_PLANNED
    try:
        moment = DateTime().parse(text)
    except Exception as exc:
        raise FixtureError(f"{item.at(name)}: {exc}") from None
    return store(moment.date, moment.time, zone(context.account.timezone))


def _number(item: Item, name: str, low: int, high: int) -> int | None:
    value = item.data.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise FixtureError(f"{item.at(name)}: expected a whole number from {low} to {high}")
    return value


def _team(context: SeedContext, item: Item, role: str) -> Team:
    users = [context.ref("users", login, item.at(f"{role}s")) for login in item.texts(f"{role}s") or []]
    groups = [
        context.ref("user_groups", name, item.at(f"{role}_groups"))
        for name in item.texts(f"{role}_groups") or []
    ]
    return Team.of(users, groups)


@section("tasks", order=70)
def load_tasks(context: SeedContext, data: Any, where: str) -> None:
    """Tasks and templates, parents and templates before the tasks that name them."""
    repo = context.uow.get(TaskRepository)
    process = status_service.default_process(context.uow)
    for value, place in entries(data, where):
        item = Item(value, place, TASK_FIELDS)
        title = item.need("title")
        owner_id = context.ref("users", item.need("owner", context.owner_login), item.at("owner"))
        teams = {role: _team(context, item, role) for role in ROLES}
        project, parent, template = item.text("project"), item.text("parent"), item.text("from_template")
        start, end = _planned(item, "start", context), _planned(item, "end", context)
        with context.at(item.at("status")):
            status = process.resolve(item.need("status", "ACTIVE"))
        task_id = context.uow.next_id("tasks")
        workers = worker_rows(task_id, teams[WORKER], status, owner_id, process)
        if status == ACTIVE:
            status = aggregate(status, workers, process.accept_status_id) or status
        with context.at(place):
            repo.insert_task(
                id=task_id,
                general=context.uow.next_general("task"),
                type="template" if item.flag("template") else "task",
                title=title,
                description=item.text("description") or "",
                importance=item.need("importance", "AVERAGE", choices=IMPORTANCES),
                status_set_id=process.id,
                status=status,
                check_result=item.flag("check_result"),
                owner_id=owner_id,
                parent_id=None if parent is None else context.ref("tasks", parent, item.at("parent")),
                template_id=None
                if template is None
                else context.ref("tasks", template, item.at("from_template")),
                project_id=None if project is None else context.ref("projects", project, item.at("project")),
                created_at=context.now,
                start_at=start.at,
                start_has_time=start.has_time,
                end_at=end.at,
                end_has_time=end.has_time,
                duration=_number(item, "duration", 0, 1_000_000_000),
                duration_unit=_number(item, "duration_unit", 0, 2) or 0,
                modified_at=context.now,
                last_activity_at=context.now,
            )
            repo.add_people(
                [
                    *workers,
                    *people.rows(task_id, MEMBER, teams[MEMBER]),
                    *people.rows(task_id, AUDITOR, teams[AUDITOR]),
                ]
            )
            for login in item.texts("starred_by") or []:
                repo.star(task_id, context.ref("users", login, item.at("starred_by")))
        context.remember("tasks", title, task_id, place)
        write_fixture_values(
            context, "task", task_id, item.data.get("custom_data"), item.at("custom_data"), owner_id
        )
    context.result["tasks"] = dict(context.refs.get("tasks", {}))
