"""Assignees, participants and auditors of a task: checking ids and building the rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.domain.tasks.repository import GROUP, USER, Person, TaskRepository
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


def check_ids(uow: AccountUnitOfWork, users: Sequence[int], groups: Sequence[int], path: str) -> None:
    """6004 for a user, 5001 for a group that the account does not have."""
    repo = uow.get(TaskRepository)
    missing_users = sorted(set(users) - repo.existing_users(sorted(set(users))))
    if missing_users:
        raise errors.UserNotFound(f"{path}: user {missing_users[0]}")
    missing_groups = sorted(set(groups) - repo.existing_groups(sorted(set(groups))))
    if missing_groups:
        raise errors.UserGroupNotFound(f"{path}: group {missing_groups[0]}")


def rows(task_id: int, role: str, team: Team, status: int | None = None) -> list[Person]:
    return [Person(task_id, role, USER, user_id, status) for user_id in team.users] + [
        Person(task_id, role, GROUP, group_id, status) for group_id in team.groups
    ]
