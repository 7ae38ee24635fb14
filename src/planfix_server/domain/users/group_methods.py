"""The ``userGroup.*`` functions."""

from __future__ import annotations

from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.paging import window
from planfix_server.api.registry import method
from planfix_server.domain.users import service
from planfix_server.domain.users.queries import DEFAULT_GROUP_SORT, GROUP_SORTS, visibility
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.shapes import USER, USER_GROUP, USER_GROUP_ID, GroupView, IdResult
from planfix_server.domain.users.views import user_views
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Page, PageOf
from planfix_server.wire.fields import Enum, Id, Int, Str, xml

GROUP_NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class GroupAdd:
    name: str = xml("userGroup/name", Str(GROUP_NAME_LENGTH), required=True)


@method(
    "userGroup.add",
    request=GroupAdd,
    response=[USER_GROUP_ID],
    writes=True,
    errors=("5002", "5003", "0009", "0015"),
)
def user_group_add(request: GroupAdd, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Create a user group (administrators only)."""
    return IdResult(service.add_group(uow, call.user, call.now, request.name))


@dataclass(frozen=True, slots=True)
class GroupUpdate:
    id: int = xml("userGroup/id", Id(), required=True)
    name: str = xml("userGroup/name", Str(GROUP_NAME_LENGTH), required=True)


@method(
    "userGroup.update",
    request=GroupUpdate,
    response=[USER_GROUP_ID],
    writes=True,
    errors=("5001", "5002", "0009", "0015"),
)
def user_group_update(request: GroupUpdate, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Rename a user group (administrators only)."""
    service.rename_group(uow, call.user, request.id, request.name)
    return IdResult(request.id)


@dataclass(frozen=True, slots=True)
class GroupById:
    id: int = xml("userGroup/id", Id(), required=True)


@method("userGroup.get", request=GroupById, response=[USER_GROUP], errors=("5001", "0009", "0015"))
def user_group_get(request: GroupById, uow: AccountUnitOfWork, call: Call) -> GroupView:
    """One user group; ``userCount`` is 0 for callers who are not administrators."""
    repo = uow.get(UserRepository)
    group = repo.group(request.id)
    if group is None:
        raise errors.UserGroupNotFound(str(request.id))
    user_count = repo.member_count(group.id) if call.is_admin else 0
    return GroupView(group.id, group.name, user_count)


@dataclass(frozen=True, slots=True)
class GroupGetList:
    sort_type: str | None = xml("sortType", Enum(*GROUP_SORTS))
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())


@method(
    "userGroup.getList",
    request=GroupGetList,
    response=[PageOf("userGroups", USER_GROUP)],
    errors=("0015", "0021"),
)
def user_group_get_list(request: GroupGetList, uow: AccountUnitOfWork, call: Call) -> Page:
    """All user groups of the account, paged; absent pageCurrent is page 1 (old clients send none)."""
    repo = uow.get(UserRepository)
    page = window(request.page_current, request.page_size, call.settings.page_size_over_limit)
    total = repo.group_count()
    if page.count_only or page.offset >= total:
        return Page([], total)
    rows = repo.group_page(request.sort_type or DEFAULT_GROUP_SORT, call.is_admin, page.offset, page.limit)
    return Page([GroupView(*row) for row in rows], total)


@method(
    "userGroup.getHeads",
    request=GroupById,
    response=[PageOf("users", USER)],
    errors=("5001", "0009", "0015"),
)
def user_group_get_heads(request: GroupById, uow: AccountUnitOfWork, call: Call) -> Page:
    """The heads of a group (those the caller may see), as full user objects."""
    repo = uow.get(UserRepository)
    if repo.group(request.id) is None:
        raise errors.UserGroupNotFound(str(request.id))
    seen_by = visibility(call.user, set() if call.is_admin else repo.group_ids_of(call.user.id))
    heads = user_views(repo, call, repo.group_heads(request.id, seen_by))
    return Page(heads, len(heads))
