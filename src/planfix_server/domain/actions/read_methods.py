"""The action functions that read: action.get, action.getList, action.getListByPeriod,
action.getListWithAnalitic."""

from __future__ import annotations

from sqlalchemy import ColumnElement, bindparam, or_

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.paging import window
from planfix_server.api.registry import method
from planfix_server.domain.actions import access, analitics, queries
from planfix_server.domain.actions.repository import ActionRepository
from planfix_server.domain.actions.requests import (
    ActionGetList,
    ActionGetListByPeriod,
    ActionGetListWithAnalitic,
    ActionRef,
)
from planfix_server.domain.actions.shapes import ACTION, ACTION_LIST, ActionView
from planfix_server.domain.actions.views import action_views, view_of
from planfix_server.domain.files.repository import FileRepository
from planfix_server.domain.tasks.visibility import viewer_of, visible
from planfix_server.store.scoped import Scoped
from planfix_server.store.tables import actions, tasks
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page

_LIST_ERRORS = ("0009", "0015", "0021")


@method(
    "action.get",
    request=ActionRef,
    response=[ACTION],
    writes=True,
    errors=("0009", "0015", "4002", "4008", "4009"),
)
def action_get(request: ActionRef, uow: AccountUnitOfWork, call: Call) -> ActionView:
    """One action; reading it marks it read for the caller (``isNotRead`` shows how it stood)."""
    reached = access.action(uow, call, request.id)
    view = view_of(
        reached.row,
        reached.notified,
        analitics.rows_of(uow, [request.id]).get(request.id, []),
        uow.get(FileRepository).of_actions([request.id]).get(request.id, []),
    )
    if view.is_not_read:
        uow.get(ActionRepository).mark_read(request.id, call.user.id)
    return view


def _page(
    uow: AccountUnitOfWork,
    call: Call,
    pages: Scoped,
    count: Scoped,
    current: int | None,
    size: int | None,
    **params: object,
) -> Page:
    page = window(current, size, call.settings.page_size_over_limit)
    repo = uow.get(ActionRepository)
    total = repo.count(count, me=call.user.id, **params)
    if page.count_only or page.offset >= total:
        return Page([], total)
    ids = repo.page_ids(pages, page.offset, page.limit, me=call.user.id, **params)
    return Page(action_views(uow, call, ids), total)


@method(
    "action.getList",
    request=ActionGetList,
    response=[ACTION_LIST],
    errors=(*_LIST_ERRORS, "0019", "3001", "4001", "4009", "8002"),
)
def action_get_list(request: ActionGetList, uow: AccountUnitOfWork, call: Call) -> Page:
    """The actions of one task or one contact, by date (``sort`` asc/desc, default desc)."""
    on_task = request.task_id is not None or request.task_general is not None
    if not on_task and request.contact_general is None:
        raise errors.MissingParameter("task or contact")
    if on_task and request.contact_general is not None:
        raise errors.ConflictingParameters("task and contact")
    if on_task:
        target, key = "task", access.task(uow, call, request.task_id, request.task_general).task.id
    else:
        target, key = "contact", access.contact(uow, call, request.contact_general).id
    return _page(
        uow,
        call,
        queries.PAGES[(target, request.sort)],
        queries.COUNTS[target],
        request.page_current,
        request.page_size,
        **{target: key},
    )


def _visible_tasks(uow: AccountUnitOfWork, call: Call) -> list[ColumnElement[bool]]:
    """The caller's visibility of tasks as SQL (nothing for administrators)."""
    viewer = viewer_of(uow, call.user)
    condition = visible(viewer, queries.TENANT)
    if condition is None:
        return []
    if not viewer.is_contact:  # templates are read by every employee
        condition = or_(condition, tasks.c.type == "template")
    return [condition]


@method(
    "action.getListByPeriod",
    request=ActionGetListByPeriod,
    response=[ACTION_LIST],
    errors=(*_LIST_ERRORS, "3001", "4009"),
)
def action_get_list_by_period(request: ActionGetListByPeriod, uow: AccountUnitOfWork, call: Call) -> Page:
    """Actions of the tasks the caller sees (or of one task) made between two moments, both included."""
    begin = call.to_utc(request.from_date.local())
    end = call.to_utc(request.to_date.local(end_of_day=True))
    conditions = queries.in_period(request.task_id is not None)
    return _page_over_tasks(uow, call, request, conditions, begin=begin, end=end)


@method(
    "action.getListWithAnalitic",
    request=ActionGetListWithAnalitic,
    response=[ACTION_LIST],
    errors=(*_LIST_ERRORS, "3001", "4009", "4010"),
)
def action_get_list_with_analitic(
    request: ActionGetListWithAnalitic, uow: AccountUnitOfWork, call: Call
) -> Page:
    """Actions of the tasks the caller sees (or of one task) carrying a data row of one analitic."""
    analitics.require_analitic(uow, request.analitic)
    conditions = [analitics.carrying(), tasks.c.account_id == queries.TENANT]
    if request.task_id is not None:
        conditions.append(actions.c.task_id == bindparam("task"))
    return _page_over_tasks(uow, call, request, conditions, analitic=request.analitic)


def _page_over_tasks(
    uow: AccountUnitOfWork,
    call: Call,
    request: ActionGetListByPeriod | ActionGetListWithAnalitic,
    conditions: list[ColumnElement[bool]],
    **params: object,
) -> Page:
    """A page of actions of one task (``request.task_id``, which ``conditions`` then names as
    ``:task``) or of every task the caller sees."""
    if request.task_id is not None:
        params["task"] = access.task(uow, call, request.task_id, None).task.id
    else:
        conditions = [*conditions, *_visible_tasks(uow, call)]
    source = queries.WITH_TASKS
    return _page(
        uow,
        call,
        queries.page_of(conditions, request.sort, source),
        queries.count_of(conditions, source),
        request.page_current,
        request.page_size,
        **params,
    )
