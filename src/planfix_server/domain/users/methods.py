"""The ``user.*`` functions that read: user.get, user.getList, user.actionsAdded.

The functions that change users are in ``edit_methods.py``, the user groups in ``group_methods.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.paging import window
from planfix_server.api.registry import method
from planfix_server.domain.users.queries import (
    DEFAULT_USER_SORT,
    USER_SORTS,
    TextFilter,
    UserQuery,
    visibility,
)
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import STATUSES
from planfix_server.domain.users.shapes import USER, UserView
from planfix_server.domain.users.views import ONLINE_WINDOW, check_visible, is_employee, user_views
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Leaf, Page, PageOf
from planfix_server.wire.fields import Bool01, DateTime, Enum, Id, Int, Moment, Str, xml

# 03-users.md §1.7
ACTION_TYPES = (
    "ACTION",
    "COMMENT",
    "FILE",
    "TASKCREATED",
    "STATUSCHANGED",
    "TASKOVERDUED",
    "TASKNOTACCEPTEDINTIME",
    "TASKREJECTED",
    "TASKACCEPTED",
    "WORKEREMPLOYED",
    "TASKCLOSETODEADLINE",
    "REMINDER",
    "WORKERUNEMPLOYED",
    "TASKEXPECTDATECHANGED",
    "CHANGEDATEREQUEST",
    "CHANGEDATEREQUESTINACTIVE",
    "CHANGEDATEREQUESTRESULT",
    "TASKCHANGED",
    "TASKCHECKCHANGED",
)

# Employee filters of the XML API (03-users.md §1.6): type -> what "contains" looks at.
FILTER_FIELDS = {9003: "email", 9006: "name"}
FILTER_OPERATORS = {"equal": True, "notequal": False}


@dataclass(frozen=True, slots=True)
class UserGet:
    id: int | None = xml("user/id", Id())
    general: int | None = xml("user/general", Id())


@method("user.get", request=UserGet, response=[USER], errors=("6004", "6001", "0015"))
def user_get(request: UserGet, uow: AccountUnitOfWork, call: Call) -> UserView:
    """One employee; without an identifier, the caller."""
    repo = uow.get(UserRepository)
    if request.general is not None:
        target = repo.by_general(request.general)
    elif request.id is not None:
        target = repo.by_id(request.id)
    else:
        target = call.user
    if target is None or not is_employee(target):
        raise errors.UserNotFound()
    check_visible(repo, call, target)
    return user_views(repo, call, [target])[0]


@dataclass(frozen=True, slots=True)
class FilterIn:
    type: int | None = xml("type", Int())
    operator: str | None = xml("operator", Str())
    value: str | None = xml("value", Str())


@dataclass(frozen=True, slots=True)
class UserGetList:
    status: str | None = xml("status", Enum(*STATUSES))
    only_online: bool | None = xml("onlyOnline", Bool01())
    group_id: int | None = xml("userGroup/id", Id())
    sort_type: str | None = xml("sortType", Enum(*USER_SORTS))
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())
    filters: Sequence[FilterIn] | None = xml("filters", many="filter", struct=FilterIn)


def text_filters(filters: Sequence[FilterIn] | None) -> list[TextFilter]:
    """The employee filters; 0015 for an unknown type or operator, 0009 for a missing part."""
    found = []
    for given in filters or ():
        if given.type is None and given.operator is None and given.value is None:
            continue  # an all-empty template entry
        if given.type is None:
            raise errors.MissingParameter("filters/filter/type")
        field = FILTER_FIELDS.get(given.type)
        if field is None:
            raise errors.InvalidParameterValue(f"filters/filter/type: unknown filter {given.type}")
        if given.operator is None:
            raise errors.MissingParameter("filters/filter/operator")
        contains = FILTER_OPERATORS.get(given.operator.strip())
        if contains is None:
            raise errors.InvalidParameterValue(f"filters/filter/operator: {given.operator[:20]!r}")
        if given.value is None:
            raise errors.MissingParameter("filters/filter/value")
        found.append(TextFilter(field, contains, given.value.strip()))
    return found


@method(
    "user.getList",
    request=UserGetList,
    response=[PageOf("users", USER)],
    errors=("0015", "5001", "0021"),
)
def user_get_list(request: UserGetList, uow: AccountUnitOfWork, call: Call) -> Page:
    """Employees the caller may see, filtered, sorted and paged."""
    repo = uow.get(UserRepository)
    if request.group_id is not None and repo.group(request.group_id) is None:
        raise errors.UserGroupNotFound(str(request.group_id))
    query = UserQuery(
        status=request.status,
        group_id=request.group_id,
        online_since=call.now - ONLINE_WINDOW if request.only_online else None,
        filters=text_filters(request.filters),
        sort=request.sort_type or DEFAULT_USER_SORT,
    )
    page = window(request.page_current, request.page_size, call.settings.page_size_over_limit)
    seen_by = visibility(call.user, set() if call.is_admin else repo.group_ids_of(call.user.id))
    records, total = repo.list_users(query, seen_by, page.offset, None if page.count_only else page.limit)
    return Page(user_views(repo, call, records), total)


@dataclass(frozen=True, slots=True)
class UserActionsAdded:
    user_id: int | None = xml("user/id", Id())
    begin: Moment = xml("period/begin", DateTime(), required=True)
    end: Moment = xml("period/end", DateTime(), required=True)
    action_type: str | None = xml("actionType", Enum(*ACTION_TYPES))


@dataclass(frozen=True, slots=True)
class Count:
    count: int


def period_end(end: Moment) -> dt.datetime:
    """The last instant of an inclusive end: a date is its whole day, ``HH:MM`` its whole minute."""
    local = end.local(end_of_day=True)
    if end.time is not None and end.time.second == 0 and end.time.microsecond == 0:
        local += dt.timedelta(seconds=59, microseconds=999999)
    return local


@method(
    "user.actionsAdded",
    request=UserActionsAdded,
    response=[Leaf("count")],
    errors=("6004", "6001", "0009", "0015", "0019"),
)
def user_actions_added(request: UserActionsAdded, uow: AccountUnitOfWork, call: Call) -> Count:
    """How many actions a user (default: the caller) added in a period, of one type or all."""
    repo = uow.get(UserRepository)
    target = call.user if request.user_id is None else repo.by_id(request.user_id)
    if target is None or not is_employee(target):
        raise errors.UserNotFound(str(request.user_id))
    check_visible(repo, call, target)
    begin, end = request.begin.local(), period_end(request.end)
    if begin > end:
        raise errors.ConflictingParameters("period/begin is after period/end")
    count = repo.count_actions(target.id, call.to_utc(begin), call.to_utc(end), request.action_type)
    return Count(count)
