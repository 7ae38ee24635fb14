"""Set-up helpers of the project tests: projects, groups, fields and tasks made directly in the store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planfix_server.app import Server
from planfix_server.domain.customfields.service import define_field
from planfix_server.domain.projects.group_methods import add_group
from planfix_server.domain.projects.repository import Person
from planfix_server.domain.projects.service import insert_project
from planfix_server.domain.statuses.service import default_process_id
from planfix_server.store.scoped import Repository
from planfix_server.store.tables import task_people, tasks
from tests.domain.users.helpers import unit_of_work
from tests.support import Api, Reply, Tenant, now


def make_project(
    server: Server,
    tenant: Tenant,
    title: str,
    *,
    owner_id: int | None = None,
    when: dt.datetime | None = None,
    **kw: Any,
) -> int:
    """A project stored as given (no rights checks); ``people`` as (role, kind, id) tuples."""
    people = [Person(*one) for one in kw.pop("people", ())]
    with unit_of_work(server, tenant) as uow:
        return insert_project(
            uow, when or now(), title=title, owner_id=owner_id or tenant.owner_id, people=people, **kw
        )


def make_group(server: Server, tenant: Tenant, name: str) -> int:
    with unit_of_work(server, tenant) as uow:
        return add_group(uow, name, now())


def make_field(
    server: Server, tenant: Tenant, object_kind: str, name: str, field_type: str, **kw: Any
) -> int:
    with unit_of_work(server, tenant) as uow:
        return define_field(uow, now(), object_kind=object_kind, name=name, field_type=field_type, **kw)


def make_task(
    server: Server,
    tenant: Tenant,
    title: str,
    *,
    project_id: int | None = None,
    owner_id: int | None = None,
    people: tuple[tuple[str, str, int], ...] = (),
    template: bool = False,
) -> int:
    """A bare task row (the task functions are not needed to count or to see through tasks)."""
    with unit_of_work(server, tenant) as uow:
        task_id = uow.next_id("tasks")
        moment = now()
        repo = uow.get(Repository)
        repo.insert(
            tasks,
            id=task_id,
            general=uow.next_general("task"),
            type="template" if template else "task",
            title=title,
            status_set_id=default_process_id(uow),
            status=1,
            owner_id=owner_id or tenant.owner_id,
            project_id=project_id,
            created_at=moment,
            modified_at=moment,
            last_activity_at=moment,
        )
        for role, kind, person_id in people:
            repo.insert(task_people, task_id=task_id, role=role, kind=kind, person_id=person_id)
    return task_id


def add_project(api: Api, inner: str) -> int:
    reply = api.call("project.add", f"<project>{inner}</project>")
    assert reply.ok, reply.raw
    return int(reply.text("project/id"))


def get_project(api: Api, project_id: int) -> Reply:
    reply = api.call("project.get", f"<project><id>{project_id}</id></project>")
    assert reply.ok, reply.raw
    return reply


def list_ids(reply: Reply) -> list[int]:
    assert reply.ok, reply.raw
    return [int(element.findtext("id") or 0) for element in reply.root.iterfind("projects/project")]


def custom(reply: Reply, path: str = "project") -> dict[str, tuple[str, str]]:
    """{field name: (value, text)} of an object's customData."""
    found = {}
    for element in reply.root.iterfind(f"{path}/customData/customValue"):
        found[element.findtext("field/name") or ""] = (
            element.findtext("value") or "",
            element.findtext("text") or "",
        )
    return found
