"""Finding the task a request names and what the caller may do with it (3001 / 3008 / 3009)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.tasks.repository import WORKER, Person, TaskRecord, TaskRepository, record
from planfix_server.domain.tasks.visibility import Roles, Viewer, roles, viewer_of
from planfix_server.store.uow import AccountUnitOfWork


def find(uow: AccountUnitOfWork, task_id: int | None, general: int | None) -> TaskRecord:
    """The task by number (which wins when both are given) or by id; 0009 / 3001."""
    repo = uow.get(TaskRepository)
    if general is not None:
        found = repo.by_general(general)
    elif task_id is not None:
        found = repo.by_id(task_id)
    else:
        raise errors.MissingParameter("task/id")
    if found is None:
        raise errors.TaskNotFound(f"task {general if general is not None else task_id}")
    return found


@dataclass(frozen=True, slots=True)
class Loaded:
    """A task, its people and the caller's standing in it."""

    task: TaskRecord
    people: list[Person]
    viewer: Viewer
    roles: Roles

    @property
    def workers(self) -> list[Person]:
        return [person for person in self.people if person.role == WORKER]

    def require_edit(self) -> None:
        if not self.roles.owner_side:
            raise errors.TaskEditDenied(f"task {self.task.id}")


def load(
    uow: AccountUnitOfWork,
    call: Call,
    task_id: int | None,
    general: int | None,
    *,
    lock: bool = False,
    viewer: Viewer | None = None,
) -> Loaded:
    """The named task as the caller sees it: 3001 when there is none, 3008 when he may not see it.

    ``lock``: the task is about to change; hold its row (3014 when another writer holds it long).
    """
    task = find(uow, task_id, general)
    repo = uow.get(TaskRepository)
    if lock:
        repo.lock(task.id)
        refreshed = repo.by_id(task.id)
        assert refreshed is not None
        task = refreshed
    viewer = viewer or viewer_of(uow, call.user)
    people = repo.people([task.id]).get(task.id, [])
    found = roles(viewer, task, people)
    if not found.read:
        raise errors.TaskAccessDenied(f"task {task.id}")
    return Loaded(task, people, viewer, found)


@dataclass(frozen=True, slots=True)
class CardRead:
    """A task's card row (views.card_views), its people and the caller who may read it."""

    row: Any
    people: list[Person]
    viewer: Viewer


def read_card(uow: AccountUnitOfWork, call: Call, task_id: int | None, general: int | None) -> CardRead:
    """What task.get answers with: the named task, found and checked as ``load`` does (0009 / 3001 /
    3008), read as its card row, so the owner, client, project and star come in the same query."""
    if general is None and task_id is None:
        raise errors.MissingParameter("task/id")
    viewer = viewer_of(uow, call.user)
    repo = uow.get(TaskRepository)
    row = repo.card(viewer.user_id, task_id=task_id, general=general)
    if row is None:
        raise errors.TaskNotFound(f"task {general if general is not None else task_id}")
    task = record(row)
    people = repo.people([task.id]).get(task.id, [])
    if not roles(viewer, task, people).read:
        raise errors.TaskAccessDenied(f"task {task.id}")
    return CardRead(row, people, viewer)
