"""The ``user.*`` functions: declarations and handlers."""

from __future__ import annotations

from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.shapes import USER, UserView
from planfix_server.domain.users.views import can_see, user_views
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.fields import Id, xml


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
    if target is None:
        raise errors.UserNotFound()
    if target.id != call.user.id and not call.is_admin:
        visible = can_see(call.user, repo.group_ids_of(call.user.id), target, repo.group_ids_of(target.id))
        if not visible:
            raise errors.UserAccessDenied()
    return user_views(repo, call, [target])[0]
