"""The ``project.*`` functions: add, update, get, getList (planfix-xml-api/11-projects.md §4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.paging import window
from planfix_server.api.registry import method
from planfix_server.domain.customfields.filters import FilterIn
from planfix_server.domain.customfields.service import CustomValueIn
from planfix_server.domain.projects import filters, queries, service
from planfix_server.domain.projects.repository import ProjectRepository
from planfix_server.domain.projects.shapes import (
    PROJECT,
    PROJECT_ID,
    PROJECT_STATUSES,
    PROJECTS,
    IdResult,
    ProjectView,
)
from planfix_server.domain.projects.views import project_views
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page
from planfix_server.wire.fields import Bool01, DateTime, Enum, Id, Int, Moment, Str, xml

TITLE_LENGTH = 500
# People ids are read as plain integers: ``<workers><id>0</id></workers>`` empties a list, while an
# empty ``<workers/>`` (template clients send them) leaves it alone.
PERSON_ID = Int(minimum=0)


@dataclass(frozen=True, slots=True)
class ProjectFields:
    """The fields project.add and project.update share (under ``<project>``)."""

    title: str | None = xml("project/title", Str(TITLE_LENGTH))
    description: str | None = xml("project/description", Str())
    owner_id: int | None = xml("project/owner/id", Id())
    client_id: int | None = xml("project/client/id", Id())
    status: str | None = xml("project/status", Enum(*PROJECT_STATUSES))
    hidden: bool | None = xml("project/hidden", Bool01())
    has_end_date: bool | None = xml("project/hasEndDate", Bool01())
    end_date: Moment | None = xml("project/endDate", DateTime())
    group_id: int | None = xml("project/group/id", Id())
    parent_id: int | None = xml("project/parent/id", Id())
    auditors: Sequence[int] | None = xml("project/auditors", PERSON_ID, many="id")
    managers: Sequence[int] | None = xml("project/managers", PERSON_ID, many="id")
    workers: Sequence[int] | None = xml("project/workers", PERSON_ID, many="id")
    members: Sequence[int] | None = xml("project/members", PERSON_ID, many="id")
    custom_data: Sequence[CustomValueIn] | None = xml(
        "project/customData", many="customValue", struct=CustomValueIn
    )


def _people(ids: Sequence[int] | None) -> list[int] | None:
    return None if not ids else [one for one in ids if one]


def project_input(request: ProjectFields) -> service.ProjectInput:
    people = {
        "auditor": _people(request.auditors),
        "manager": _people(request.managers),
        "worker": _people(request.workers),
        "member": _people(request.members),
    }
    return service.ProjectInput(
        title=request.title,
        description=request.description,
        owner_id=request.owner_id,
        client_id=request.client_id,
        status=request.status,
        hidden=request.hidden,
        has_end_date=request.has_end_date,
        end_date=None if request.end_date is None else request.end_date.date,
        group_id=request.group_id,
        parent_id=request.parent_id,
        people={role: ids for role, ids in people.items() if ids is not None},
        custom_data=request.custom_data,
    )


@dataclass(frozen=True, slots=True)
class ProjectAdd(ProjectFields):
    title: str | None = xml("project/title", Str(TITLE_LENGTH), required=True)


@method(
    "project.add",
    request=ProjectAdd,
    response=[PROJECT_ID],
    writes=True,
    errors=("2001", "2002", "2003", "0009", "0015", "0016", "0017", "0101", "6004", "8002"),
)
def project_add(request: ProjectAdd, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Create a project; the caller owns it unless ``owner`` says otherwise."""
    return IdResult(service.add_project(uow, call, project_input(request)))


@dataclass(frozen=True, slots=True)
class ProjectUpdate(ProjectFields):
    id: int | None = xml("project/id", Id())
    general: int | None = xml("project/general", Id())


@method(
    "project.update",
    request=ProjectUpdate,
    response=[PROJECT_ID],
    writes=True,
    errors=("2001", "2002", "0009", "0015", "0016", "0017", "0101", "6004", "8002"),
)
def project_update(request: ProjectUpdate, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Change the given fields of a project (the rest stays); ``general`` counts when there is no ``id``."""
    project = service.require_visible(uow, call, request.id, request.general)
    service.update_project(uow, call, project, project_input(request))
    return IdResult(project.id)


@dataclass(frozen=True, slots=True)
class ProjectGet:
    id: int | None = xml("project/id", Id())
    general: int | None = xml("project/general", Id())


@method("project.get", request=ProjectGet, response=[PROJECT], errors=("2001", "2002", "0009", "0015"))
def project_get(request: ProjectGet, uow: AccountUnitOfWork, call: Call) -> ProjectView:
    """One project card with its people and custom fields; by ``id``, or by ``general`` without one."""
    project = service.require_visible(uow, call, request.id, request.general)
    return project_views(uow, call, [project], with_people=True)[0]


@dataclass(frozen=True, slots=True)
class ProjectGetList:
    user_id: int | None = xml("user/id", Id())
    target: str | None = xml("target", Enum(*queries.TARGETS))
    status: str | None = xml("status", Enum(*PROJECT_STATUSES))
    sort_type: str | None = xml("sortType", Enum(*queries.SORTS))
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())
    client_id: int | None = xml("client/id", Id())
    filters: Sequence[FilterIn] | None = xml("filters", many="filter", struct=FilterIn)


@method(
    "project.getList",
    request=ProjectGetList,
    response=[PROJECTS],
    errors=("2002", "0009", "0015", "0021", "6004"),
)
def project_get_list(request: ProjectGetList, uow: AccountUnitOfWork, call: Call) -> Page:
    """Projects the caller may see, by tab, status and filters, sorted and paged.

    Without ``pageCurrent`` (or below 1) only the total is counted, as the function's page says.
    """
    users = uow.get(UserRepository)
    subject_groups: set[int] = set()
    subject_id = request.user_id
    if subject_id is not None and subject_id != call.user.id:
        if not call.is_admin:
            raise errors.ProjectAccessDenied("user: other people's projects are for administrators")
        if users.by_id(subject_id) is None:
            raise errors.UserNotFound(f"user/id: {subject_id}")
        subject_groups = users.group_ids_of(subject_id)
    elif subject_id is not None:
        subject_groups = users.group_ids_of(subject_id)
    query = queries.ProjectQuery(
        target=request.target or "all",
        status=request.status,
        client_id=request.client_id,
        subject_id=subject_id,
        subject_groups=subject_groups,
        conditions=filters.conditions(uow, call, request.filters),
        sort=request.sort_type or queries.DEFAULT_SORT,
    )
    page = window(request.page_current or 0, request.page_size, call.settings.page_size_over_limit)
    seen_by = service.seen_by(uow, call)
    records, total = uow.get(ProjectRepository).list_projects(
        query, seen_by, set(seen_by["v_groups"]), page.offset, None if page.count_only else page.limit
    )
    return Page(project_views(uow, call, records, with_people=False), total)
