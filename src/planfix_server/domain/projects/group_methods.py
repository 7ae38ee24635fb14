"""The ``projectGroup.*`` functions (planfix-xml-api/11-projects.md §6).

Groups only order projects visually. Administrators add, rename and move them; everybody may
read them. No codes are documented: 2002 for a caller who is no administrator, 0101 for an
unknown group, as the reference suggests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.projects.repository import ProjectRepository
from planfix_server.domain.projects.shapes import (
    PROJECT_GROUP,
    PROJECT_GROUP_ID,
    PROJECT_GROUPS,
    IdResult,
    Ref,
)
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.fields import Id, Str, xml

NAME_LENGTH = 200


def _require_admin(call: Call, function: str) -> None:
    if not call.is_admin:
        raise errors.ProjectAccessDenied(f"{function} needs an administrator")


def _require_group(repo: ProjectRepository, group_id: int, path: str) -> Ref:
    found = repo.group(group_id)
    if found is None:
        raise errors.ObjectNotFound(f"{path}: no project group {group_id}")
    return Ref(*found)


def add_group(uow: AccountUnitOfWork, name: str, now: dt.datetime) -> int:
    """A new group at the end of the order (the API, fixtures)."""
    group_id = uow.next_id("project_groups")
    uow.get(ProjectRepository).add_group(group_id, name.strip(), now)
    return group_id


@dataclass(frozen=True, slots=True)
class GroupAdd:
    name: str = xml("projectGroup/name", Str(NAME_LENGTH), required=True)


@method(
    "projectGroup.add",
    request=GroupAdd,
    response=[PROJECT_GROUP_ID],
    writes=True,
    errors=("2002", "0009", "0015"),
)
def project_group_add(request: GroupAdd, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Create a project group, last in the order (administrators only)."""
    _require_admin(call, "projectGroup.add")
    return IdResult(add_group(uow, request.name, call.now))


@dataclass(frozen=True, slots=True)
class GroupUpdate:
    id: int = xml("projectGroup/id", Id(), required=True)
    name: str = xml("projectGroup/name", Str(NAME_LENGTH), required=True)


@method(
    "projectGroup.update",
    request=GroupUpdate,
    response=[PROJECT_GROUP_ID],
    writes=True,
    errors=("0101", "2002", "0009", "0015"),
)
def project_group_update(request: GroupUpdate, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Rename a project group (administrators only)."""
    _require_admin(call, "projectGroup.update")
    repo = uow.get(ProjectRepository)
    _require_group(repo, request.id, "projectGroup/id")
    repo.rename_group(request.id, request.name.strip())
    return IdResult(request.id)


@dataclass(frozen=True, slots=True)
class GroupMove:
    id: int = xml("move/projectGroup/id", Id(), required=True)
    after_id: int | None = xml("after/projectGroup/id", Id())


@method(
    "projectGroup.move",
    request=GroupMove,
    response=[PROJECT_GROUP_ID],
    writes=True,
    errors=("0101", "2002", "0009", "0015"),
)
def project_group_move(request: GroupMove, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Place a group right after another; without ``after`` (or with id 0) it goes first."""
    _require_admin(call, "projectGroup.move")
    repo = uow.get(ProjectRepository)
    _require_group(repo, request.id, "move/projectGroup/id")
    if request.after_id is not None:
        _require_group(repo, request.after_id, "after/projectGroup/id")
    order = [group_id for group_id, _name in repo.groups_in_order() if group_id != request.id]
    if request.after_id is None or request.after_id == request.id:
        place = 0 if request.after_id is None else None
    else:
        place = order.index(request.after_id) + 1
    if place is not None:
        order.insert(place, request.id)
        repo.place_groups(order)
    return IdResult(request.id)


@dataclass(frozen=True, slots=True)
class GroupGet:
    id: int = xml("projectGroup/id", Id(), required=True)


@method("projectGroup.get", request=GroupGet, response=[PROJECT_GROUP], errors=("0101", "0009", "0015"))
def project_group_get(request: GroupGet, uow: AccountUnitOfWork, call: Call) -> Ref:
    """One project group."""
    return _require_group(uow.get(ProjectRepository), request.id, "projectGroup/id")


@method("projectGroup.getList", request=None, response=[PROJECT_GROUPS])
def project_group_get_list(_request: None, uow: AccountUnitOfWork, call: Call) -> list[Ref]:
    """Every project group, in the order ``projectGroup.move`` sets (no paging)."""
    return [Ref(*row) for row in uow.get(ProjectRepository).groups_in_order()]
