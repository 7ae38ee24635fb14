"""Assignees, participants and auditors of a task: checking ids and building the rows.

Contacts take part by their ``userid`` where the reference names them (10-tasks.md §0.2, §5.1):
as owner, assignee and participant. Auditors are employees (or groups) only. A contact need not
have ``canBeWorker`` set: that flag only fills the pickers of the web interface.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.domain.projects.contacts import unknown_user
from planfix_server.domain.tasks.repository import AUDITOR, GROUP, USER, Person, TaskRepository
from planfix_server.store.uow import AccountUnitOfWork


@dataclass(frozen=True, slots=True)
class Team:
    """The users and groups of one role, as requested (duplicates dropped, order kept)."""

    users: tuple[int, ...] = ()
    groups: tuple[int, ...] = ()

    @classmethod
    def of(cls, users: Sequence[int] | None, groups: Sequence[int] | None) -> Team:
        return cls(tuple(dict.fromkeys(users or ())), tuple(dict.fromkeys(groups or ())))

    def __bool__(self) -> bool:
        return bool(self.users or self.groups)


def check_ids(
    uow: AccountUnitOfWork, users: Sequence[int], groups: Sequence[int], path: str, *, role: str = ""
) -> None:
    """6004 for a user the account does not have (or a contact where ``role`` is auditor), 5001 for
    a group."""
    missing_user = unknown_user(uow, users, contacts_allowed=role != AUDITOR)
    if missing_user is not None:
        raise errors.UserNotFound(f"{path}: user {missing_user}")
    repo = uow.get(TaskRepository)
    missing_groups = sorted(set(groups) - repo.existing_groups(sorted(set(groups))))
    if missing_groups:
        raise errors.UserGroupNotFound(f"{path}: group {missing_groups[0]}")


def rows(task_id: int, role: str, team: Team, status: int | None = None) -> list[Person]:
    return [Person(task_id, role, USER, user_id, status) for user_id in team.users] + [
        Person(task_id, role, GROUP, group_id, status) for group_id in team.groups
    ]
