"""The task functions that read: task.get, task.getMulti, task.getList, task.getFilterList."""

from __future__ import annotations

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.paging import window
from planfix_server.api.registry import method
from planfix_server.domain.customfields.filters import FilterIn
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import TOKENS
from planfix_server.domain.tasks import access, list_filters
from planfix_server.domain.tasks.card import TASK, TASK_LIST, TASK_MULTI
from planfix_server.domain.tasks.queries import SIMPLE_FILTERS, TARGETS, TENANT, ListQuery, statements
from planfix_server.domain.tasks.repository import TaskRepository
from planfix_server.domain.tasks.requests import SORTS, TaskGetList, TaskGetMulti, TaskRef
from planfix_server.domain.tasks.shapes import FILTER_LIST, FilterView, TaskView
from planfix_server.domain.tasks.views import card_views, task_views
from planfix_server.domain.tasks.visibility import Viewer, roles, viewer_of
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.db import is_sqlite
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page

MULTI_LIMIT = 100
# The kept count that bounds a target's tasks (in/out are shares of all tasks).
_KIND = {"template": "template", "periodic": "periodic"}


@method("task.get", request=TaskRef, response=[TASK], errors=("3001", "3008", "0009", "0015"))
def task_get(request: TaskRef, uow: AccountUnitOfWork, call: Call) -> TaskView:
    """One task card (by ``general`` when given, else by ``id``), with members, auditors, customData."""
    read = access.read_card(uow, call, request.id, request.general)
    people = {int(read.row.id): read.people}
    return card_views(uow, call, read.viewer, [read.row], full=True, people=people)[0]


@method("task.getMulti", request=TaskGetMulti, response=[TASK_MULTI], errors=("0009", "0015", "0021"))
def task_get_multi(request: TaskGetMulti, uow: AccountUnitOfWork, call: Call) -> list[TaskView]:
    """Up to 100 task cards by id and/or number, in the order asked; ones the caller cannot read
    are left out."""
    ids = list(request.ids or ())
    generals = list(request.generals or ())
    if not ids and not generals:
        raise errors.MissingParameter("tasks/id")
    if len(ids) + len(generals) > MULTI_LIMIT:
        raise errors.TooManyObjects(f"{len(ids) + len(generals)} tasks > {MULTI_LIMIT}")
    repo = uow.get(TaskRepository)
    by_general = repo.ids_of_generals(generals)
    wanted = list(dict.fromkeys([*ids, *(by_general[g] for g in generals if g in by_general)]))
    records = repo.by_ids(wanted)
    viewer = viewer_of(uow, call.user)
    people = repo.people(list(records))
    readable = [
        task_id
        for task_id in wanted
        if task_id in records and roles(viewer, records[task_id], people.get(task_id, [])).read
    ]
    return task_views(uow, call, viewer, readable, full=True, people=people)


# System filters of task.getFilterList, usable as task.getList targets (no saved filters exist here).
SYSTEM_FILTERS = {
    ":all": ("all", "All tasks", "Все задачи"),
    ":in": ("in", "Incoming", "Входящие"),
    ":out": ("out", "Outgoing", "Исходящие"),
    ":template": ("template", "Templates", "Шаблоны"),
    ":periodic": ("periodic", "Recurring tasks", "Периодические задачи"),
}


@method("task.getFilterList", request=None, response=[FILTER_LIST])
def task_get_filter_list(_request: None, uow: AccountUnitOfWork, call: Call) -> list[FilterView]:
    """The task filters the caller can use as ``target`` of task.getList (the system ones)."""
    russian = status_service.language(call.settings.language) == "ru"
    return [FilterView(key, ru if russian else en) for key, (_, en, ru) in SYSTEM_FILTERS.items()]


def target_of(text: str | None) -> str:
    """A target value, or a filter id of task.getFilterList; 0015 otherwise."""
    value = (text or "").strip()
    if not value:
        return "all"
    if value.lower() in TARGETS:
        return value.lower()
    if value in SYSTEM_FILTERS:
        return SYSTEM_FILTERS[value][0]
    raise errors.InvalidParameterValue(f"target: no target or filter {value[:30]!r}")


def status_of(uow: AccountUnitOfWork, text: str) -> int:
    """A status of any process of the account, by token or id; 0015 otherwise."""
    value = text.strip()
    status_id = TOKENS.get(value.upper()) if not value.lstrip("-").isdigit() else int(value)
    if status_id is None or status_id not in status_service.statuses(uow):
        raise errors.InvalidParameterValue(f"status: no status {value[:30]!r}")
    return status_id


def _viewer(uow: AccountUnitOfWork, call: Call, user_id: int | None) -> Viewer:
    """Whose view the list takes: the caller's, or (administrators only, else 0020) another user's."""
    if user_id is None or user_id == call.user.id:
        return viewer_of(uow, call.user)
    if not call.is_admin:
        raise errors.FunctionForbidden("user/id: only administrators list another user's tasks")
    user = uow.get(UserRepository).by_id(user_id)
    if user is None:
        raise errors.UserNotFound(f"user/id: {user_id}")
    return viewer_of(uow, user)


def _sort(request: TaskGetList, call: Call) -> str:
    if request.sort is not None:
        return request.sort
    configured = call.settings.task_list_default_sort
    return configured if configured in SORTS else "NUMBER_DESC"


def _simple(text: str | None) -> frozenset[str]:
    parts = frozenset(part.upper() for part in (text or "").split())
    unknown = sorted(parts - set(SIMPLE_FILTERS))
    if unknown:
        raise errors.InvalidParameterValue(f"filter: unknown {unknown[0][:20]!r}")
    return parts


@method(
    "task.getList",
    request=TaskGetList,
    response=[TASK_LIST],
    errors=("0015", "0020", "0021", "2001", "3001", "6004"),
)
def task_get_list(request: TaskGetList, uow: AccountUnitOfWork, call: Call) -> Page:
    """Tasks the caller (or, for administrators, ``user``) may see: target, filters, sort, page."""
    viewer = _viewer(uow, call, request.user)
    repo = uow.get(TaskRepository)
    project_ids = None
    if request.project is not None:
        if repo.project(request.project) is None:
            raise errors.ProjectNotFound(f"project/id: {request.project}")
        project_ids = (
            repo.with_subprojects(request.project) if request.with_subprojects else [request.project]
        )
    if request.parent is not None and repo.by_id(request.parent) is None:
        raise errors.TaskNotFound(f"parent/id: {request.parent}")
    today = call.now.astimezone(call.tz).date()
    deadline_ids = status_service.deadline_status_ids(uow)
    filters: list[FilterIn] = [given for given in request.filters or () if not given.is_blank]
    query = ListQuery(
        viewer=viewer,
        target=target_of(request.target),
        project_ids=project_ids,
        parent=request.parent,
        status=None if request.status is None else status_of(uow, request.status),
        simple=_simple(request.filter),
        conditions=[
            list_filters.condition(uow, call, TENANT, given, deadline_ids, today) for given in filters
        ],
        sort=_sort(request, call),
    )
    page = window(request.page_current, request.page_size, call.settings.page_size_over_limit)
    active_ids = status_service.active_status_ids(uow)
    made = statements(query, call.now, today, active_ids, deadline_ids, may_probe=is_sqlite(repo.connection))
    total = repo.kind_count(query.target) if query.whole_target else repo.count(made.count)
    if page.count_only or page.offset >= total:
        return Page([], total)
    account_total = repo.kind_count(_KIND.get(query.target, "all")) if made.probing is not None else 0
    plan = made.page_for(page.offset, page.limit, total, account_total)
    return Page(
        task_views(uow, call, viewer, repo.page_ids(plan, page.offset, page.limit), full=False), total
    )
