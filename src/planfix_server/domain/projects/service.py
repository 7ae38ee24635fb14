"""The rules of projects: who may see and change one, adding and updating, and what tasks ask.

What the task functions call::

    project = require_for_task(uow, call, project_id)   # 3003 missing, 3004 not visible
    titles(uow, [project_id, …])                        # {id: title} for <project><title>
    people_of(uow, [project_id])[project_id]            # default workers/members/auditors/managers
    audited_by(uow, call.user.id, group_ids)            # projects whose auditors see all their tasks
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.customfields.service import CustomValueIn, write_values
from planfix_server.domain.projects import queries
from planfix_server.domain.projects.contacts import require_client, unknown_user
from planfix_server.domain.projects.repository import Person, ProjectRecord, ProjectRepository
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.uow import AccountUnitOfWork

ROLES = ("worker", "member", "auditor", "manager")
# Contacts may be a project's default assignees and participants (by userid), as on its tasks;
# owners, auditors and (client) managers are employees.
CONTACT_ROLES = ("worker", "member")


@dataclass(frozen=True, slots=True)
class ProjectInput:
    """What project.add / project.update asked for; None means "not given" (keep, or the default)."""

    title: str | None = None
    description: str | None = None
    owner_id: int | None = None
    client_id: int | None = None
    status: str | None = None
    hidden: bool | None = None
    has_end_date: bool | None = None
    end_date: dt.date | None = None
    group_id: int | None = None
    parent_id: int | None = None
    people: dict[str, Sequence[int] | None] = field(default_factory=dict)  # role -> user ids
    custom_data: Sequence[CustomValueIn] | None = None


@dataclass(frozen=True, slots=True)
class ProjectPeople:
    """A project's people by role: ``users["worker"]``, ``groups["member"]`` …"""

    users: dict[str, list[int]]
    groups: dict[str, list[int]]


# -- visibility and rights


def seen_by(uow: AccountUnitOfWork, call: Call) -> dict[str, Any]:
    """The parameters of queries.VISIBLE for the caller (read once per unit of work)."""
    repo = uow.get(ProjectRepository)
    cached: dict[str, Any] | None = repo.seen_by_cache
    if cached is None or cached["v_user"] != call.user.id:
        groups = set() if call.is_contact else uow.get(UserRepository).group_ids_of(call.user.id)
        cached = queries.visibility(call.user.id, groups, call.is_admin, call.is_contact)
        repo.seen_by_cache = cached
    return cached


def is_visible(uow: AccountUnitOfWork, call: Call, project: ProjectRecord) -> bool:
    if project.status == "DRAFT":
        return project.owner_id == call.user.id
    if call.is_contact:  # a contact never sees a hidden project, whatever part it takes in it
        return not project.hidden
    if call.is_admin or not project.hidden or project.owner_id == call.user.id:
        return True
    return uow.get(ProjectRepository).is_visible(project.id, seen_by(uow, call))


def find(uow: AccountUnitOfWork, project_id: int | None, general: int | None = None) -> ProjectRecord | None:
    """A project by id, or by number when there is no id (projects prefer the id, unlike tasks)."""
    repo = uow.get(ProjectRepository)
    if project_id is not None:
        return repo.by_id(project_id)
    if general is not None:
        return repo.by_general(general)
    return None


def require_visible(
    uow: AccountUnitOfWork,
    call: Call,
    project_id: int | None,
    general: int | None = None,
    path: str = "project",
) -> ProjectRecord:
    """2001 when there is no such project, 2002 when the caller may not see it; 0009 without both ids."""
    if project_id is None and general is None:
        raise errors.MissingParameter(f"{path}/id")
    found = find(uow, project_id, general)
    if found is None:
        raise errors.ProjectNotFound(str(project_id or general))
    if not is_visible(uow, call, found):
        raise errors.ProjectAccessDenied(f"project {found.id} is not visible to the caller")
    return found


def may_edit(uow: AccountUnitOfWork, call: Call, project: ProjectRecord) -> bool:
    """Administrators, the owner and the project's managers; a draft only its owner; never a contact."""
    if call.is_contact:
        return False
    if project.status == "DRAFT":
        return project.owner_id == call.user.id
    if call.is_admin or project.owner_id == call.user.id:
        return True
    return uow.get(ProjectRepository).is_editor(project.id, seen_by(uow, call))


# -- for the task functions


def require_for_task(uow: AccountUnitOfWork, call: Call, project_id: int) -> ProjectRecord:
    """The project a task goes into: 3003 when it does not exist, 3004 when the caller cannot see it."""
    found = uow.get(ProjectRepository).by_id(project_id)
    if found is None or found.is_template:
        raise errors.TaskProjectNotFound(str(project_id))
    if not is_visible(uow, call, found):
        raise errors.TaskProjectAccessDenied(str(project_id))
    return found


def titles(uow: AccountUnitOfWork, project_ids: Sequence[int]) -> dict[int, str]:
    return uow.get(ProjectRepository).titles(project_ids)


def people_of(uow: AccountUnitOfWork, project_ids: Sequence[int]) -> dict[int, ProjectPeople]:
    found: dict[int, ProjectPeople] = {}
    people = uow.get(ProjectRepository).people(project_ids)
    for project_id in project_ids:
        made = ProjectPeople({role: [] for role in ROLES}, {role: [] for role in ROLES})
        for person in people.get(project_id, ()):
            (made.users if person.kind == "user" else made.groups)[person.role].append(person.id)
        found[project_id] = made
    return found


def audited_by(uow: AccountUnitOfWork, user_id: int, group_ids: Sequence[int]) -> list[int]:
    """Projects whose auditors include the user (directly or through a group)."""
    return uow.get(ProjectRepository).audited_by(user_id, group_ids)


# -- adding and updating


def _check_users(uow: AccountUnitOfWork, ids: Sequence[int], path: str, *, contacts_allowed: bool) -> None:
    """6004 for an id that is no user of the account, or a contact's userid where only employees go."""
    missing = unknown_user(uow, ids, contacts_allowed=contacts_allowed)
    if missing is not None:
        raise errors.UserNotFound(f"{path}: {missing}")


def _check_people(uow: AccountUnitOfWork, people: dict[str, Sequence[int] | None]) -> None:
    for role, ids in people.items():
        _check_users(uow, ids or (), f"project/{role}s/id", contacts_allowed=role in CONTACT_ROLES)


def _check_client(uow: AccountUnitOfWork, client_id: int | None) -> None:
    if client_id is not None:
        require_client(uow, client_id, "project/client/id")


def _check_group(uow: AccountUnitOfWork, group_id: int | None) -> None:
    if group_id is not None and uow.get(ProjectRepository).group(group_id) is None:
        raise errors.ObjectNotFound(f"project/group/id: no project group {group_id}")


def _check_parent(uow: AccountUnitOfWork, call: Call, parent_id: int | None, project_id: int | None) -> None:
    if parent_id is None:
        return
    require_visible(uow, call, parent_id, path="project/parent")
    repo = uow.get(ProjectRepository)
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:  # a project may not sit under itself
        if current == project_id:
            raise errors.ValueNotAllowedHere(f"project/parent/id: {parent_id} is inside project {project_id}")
        seen.add(current)
        current = repo.parent_of(current)


def insert_project(
    uow: AccountUnitOfWork,
    now: dt.datetime,
    *,
    title: str,
    owner_id: int,
    description: str = "",
    status: str = "ACTIVE",
    hidden: bool = False,
    end_date: dt.date | None = None,
    group_id: int | None = None,
    parent_id: int | None = None,
    client_id: int | None = None,
    template_id: int | None = None,
    is_template: bool = False,
    people: Sequence[Person] = (),
) -> int:
    """Store a project as given (no rights checks: the API, fixtures and seeding call this)."""
    repo = uow.get(ProjectRepository)
    project_id = uow.next_id("projects")
    repo.insert_project(
        id=project_id,
        general=uow.next_general("project"),
        title=title,
        description=description,
        owner_id=owner_id,
        client_id=client_id,
        group_id=group_id,
        parent_id=parent_id,
        template_id=template_id,
        is_template=is_template,
        status=status,
        hidden=hidden,
        end_date=end_date,
        created_at=now,
    )
    for role in ROLES:
        chosen = [(person.kind, person.id) for person in people if person.role == role]
        if chosen:
            repo.replace_people(project_id, role, chosen)
    return project_id


def _end_date(data: ProjectInput, current: ProjectRecord | None) -> tuple[bool, dt.date | None]:
    """(change it?, the new end date). ``endDate`` counts only with ``hasEndDate`` 1 (or, on update,
    when the project already has an end date and ``hasEndDate`` is not sent)."""
    if data.has_end_date is False:
        return True, None
    if data.has_end_date is True:
        if data.end_date is not None:
            return True, data.end_date
        if current is not None and current.end_date is not None:
            return False, None
        raise errors.DependentParameterMissing("project/endDate is needed with hasEndDate 1")
    if current is not None and current.end_date is not None and data.end_date is not None:
        return True, data.end_date
    return False, None


def add_project(uow: AccountUnitOfWork, call: Call, data: ProjectInput) -> int:
    """``project.add``: the caller (or ``owner``) owns the new project; ACTIVE unless told otherwise.
    Contacts may not add projects (2002)."""
    if call.is_contact:
        raise errors.ProjectAccessDenied("project.add: contacts do not add projects")
    if data.title is None or not data.title.strip():
        raise errors.MissingParameter("project/title")
    owner_id = data.owner_id or call.user.id
    _check_users(uow, [owner_id], "project/owner/id", contacts_allowed=False)
    _check_client(uow, data.client_id)
    _check_group(uow, data.group_id)
    _check_parent(uow, call, data.parent_id, None)
    _check_people(uow, data.people)
    _, end_date = _end_date(data, None)
    people = [Person(role, "user", user_id) for role, ids in data.people.items() for user_id in ids or ()]
    try:
        project_id = insert_project(
            uow,
            call.now,
            title=data.title.strip(),
            owner_id=owner_id,
            description=data.description or "",
            status=data.status or "ACTIVE",
            hidden=bool(data.hidden),
            end_date=end_date,
            group_id=data.group_id,
            parent_id=data.parent_id,
            client_id=data.client_id,
            people=people,
        )
    except IntegrityError:  # a reference removed between our checks and the insert
        raise errors.ProjectAddFailed(data.title[:50]) from None
    write_values(uow, "project", project_id, data.custom_data, call)
    return project_id


def update_project(uow: AccountUnitOfWork, call: Call, project: ProjectRecord, data: ProjectInput) -> None:
    """``project.update``: what is sent changes, the rest stays; lists sent replace the stored ones."""
    if not may_edit(uow, call, project):
        raise errors.ProjectAccessDenied(f"project {project.id}: only its owner, managers and administrators")
    values: dict[str, Any] = {}
    if data.title is not None and data.title.strip():
        values["title"] = data.title.strip()
    if data.description is not None:
        values["description"] = data.description
    if data.owner_id is not None:
        _check_users(uow, [data.owner_id], "project/owner/id", contacts_allowed=False)
        values["owner_id"] = data.owner_id
    if data.client_id is not None:
        _check_client(uow, data.client_id)
        values["client_id"] = data.client_id
    for name in ("status", "hidden"):
        if getattr(data, name) is not None:
            values[name] = getattr(data, name)
    if data.group_id is not None:
        _check_group(uow, data.group_id)
        values["group_id"] = data.group_id
    if data.parent_id is not None:
        _check_parent(uow, call, data.parent_id, project.id)
        values["parent_id"] = data.parent_id
    change, end_date = _end_date(data, project)
    if change:
        values["end_date"] = end_date
    _check_people(uow, data.people)
    repo = uow.get(ProjectRepository)
    repo.update_project(project.id, **values)
    for role, ids in data.people.items():
        if ids is not None:
            repo.replace_people(project.id, role, [("user", user_id) for user_id in ids])
    write_values(uow, "project", project.id, data.custom_data, call)
