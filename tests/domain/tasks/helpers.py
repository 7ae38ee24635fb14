"""Set-up helpers of the task tests: tasks through the API, and rows made directly in the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from planfix_server.app import Server
from planfix_server.domain.access.service import issue_token
from planfix_server.domain.contacts.lookup import ContactRef
from planfix_server.domain.statuses.service import default_process_id
from planfix_server.domain.tasks.repository import Person, TaskRepository
from planfix_server.store.tables import task_stars
from tests.domain.contacts.helpers import make_contact
from tests.domain.users.helpers import set_user, unit_of_work
from tests.support import Api, Reply, Tenant, add_user, now


def add(api: Api, inner: str = "", *, title: str | None = "Task") -> Reply:
    """task.add with ``inner`` inside ``<task>`` (and a title unless ``title`` is None)."""
    head = f"<title>{title}</title>" if title is not None else ""
    return api.call("task.add", f"<task>{head}{inner}</task>")


def new_task(api: Api, inner: str = "", *, title: str = "Task") -> int:
    reply = add(api, inner, title=title)
    assert reply.ok, reply.raw
    return int(reply.text("task/id"))


def get(api: Api, task_id: int) -> Reply:
    reply = api.call("task.get", f"<task><id>{task_id}</id></task>")
    assert reply.ok, reply.raw
    return reply


def people(users: Sequence[int] = (), groups: Sequence[int] = ()) -> str:
    """The request shape of a people list: ``<users><id/>…</users><groups><id/>…</groups>``."""
    return (
        "<users>"
        + "".join(f"<id>{one}</id>" for one in users)
        + "</users><groups>"
        + "".join(f"<id>{one}</id>" for one in groups)
        + "</groups>"
    )


def employee(
    server: Server, api: Api, login: str, *, role: str = "USER", timezone: str = ""
) -> tuple[int, Api]:
    """A user of the api's account and a client that calls as him."""
    user_id, token = add_user(server, api.tenant, login, role=role)
    if timezone:
        set_user(server, api.tenant, user_id, timezone=timezone)
    return user_id, api.as_user(token)


def ids(reply: Reply, path: str = "tasks/task") -> list[int]:
    return [int(element.findtext("id") or 0) for element in reply.root.iterfind(path)]


def counts(reply: Reply, tag: str = "tasks") -> tuple[int, int]:
    container = reply.root.find(tag)
    assert container is not None, reply.raw
    return int(container.get("totalCount", "-1")), int(container.get("count", "-1"))


def refs(reply: Reply, path: str) -> list[int]:
    """Ids of ``user``/``group`` items under ``path`` (e.g. ``task/workers/users/user``)."""
    return [int(element.findtext("id") or 0) for element in reply.root.iterfind(path)]


def bulk(
    server: Server,
    tenant: Tenant,
    count: int,
    *,
    people: Sequence[tuple[str, str, int]] = (),
    when: dt.datetime | None = None,
    **values: Any,
) -> list[int]:
    """``count`` task rows written through the repository in one transaction (fast set-up);
    ``title`` may contain ``{n}``; ``people`` (role, kind, id) go on every task."""
    moment = when or now()
    made = []
    with unit_of_work(server, tenant) as uow:
        process_id = default_process_id(uow)
        repo = uow.get(TaskRepository)
        rows = []
        for number in range(count):
            task_id = uow.next_id("tasks")
            row = {
                "id": task_id,
                "general": uow.next_general("task"),
                "type": "task",
                "status_set_id": process_id,
                "status": 1,
                "owner_id": tenant.owner_id,
                "created_at": moment,
                "modified_at": moment,
                "last_activity_at": moment,
                **values,
            }
            row["title"] = str(values.get("title", "Task {n}")).format(n=number)
            rows.append(row)
            made.append(task_id)
        repo.insert_tasks(rows)
        repo.add_people(
            Person(task_id, role, kind, person_id) for task_id in made for role, kind, person_id in people
        )
    return made


def template(server: Server, tenant: Tenant, title: str, **values: Any) -> int:
    """A task template (XML API v1 cannot make one; fixtures and the CLI do)."""
    return bulk(server, tenant, 1, type="template", title=title, **values)[0]


def star(server: Server, tenant: Tenant, task_id: int, user_id: int) -> None:
    with unit_of_work(server, tenant) as uow:
        uow.get(TaskRepository).insert(task_stars, task_id=task_id, user_id=user_id)


def task_row(server: Server, tenant: Tenant, task_id: int) -> Any:
    with unit_of_work(server, tenant) as uow:
        return uow.get(TaskRepository).by_id(task_id)


def personal_statuses(server: Server, tenant: Tenant, task_id: int) -> dict[tuple[str, int], int | None]:
    """Each assignee's own status, by (kind, id)."""
    with unit_of_work(server, tenant) as uow:
        rows = uow.get(TaskRepository).people([task_id], workers_only=True).get(task_id, [])
    return {(row.kind, row.person_id): row.status for row in rows}


def signed_in_contact(server: Server, api: Api, name: str, **columns: Any) -> tuple[ContactRef, Api]:
    """A contact with active PlanFix access and a client that calls as it."""
    contact = make_contact(server, api.tenant, name, access="active", **columns)
    set_user(server, api.tenant, contact.user_id, status="ACTIVE")
    with unit_of_work(server, api.tenant) as uow:
        token = issue_token(uow, now(), contact.user_id)
    return contact, api.as_user(token)
