"""The ``user.*`` functions that change users: add, update, changeStatus, updateGroupMembership.

The rules live in ``service.py``; these handlers map the request onto it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.users import service
from planfix_server.domain.users.service import ROLES, SEXES, STATUSES, PhoneInput, UserChanges
from planfix_server.domain.users.shapes import USER_ID, IdResult
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Leaf, Node
from planfix_server.wire.fields import Bool01, DateTime, Enum, Id, Int, Moment, Str, xml

# Lengths of the columns, so that a long value is 0015 on every database.
NAME_LENGTH, EMAIL_LENGTH, PHONE_LENGTH = 200, 254, 100


@dataclass(frozen=True, slots=True)
class PhoneIn:
    number: str | None = xml("number", Str(PHONE_LENGTH))
    type_id: int | None = xml("typeId", Int())
    type_name: str | None = xml("typeName", Str())


def phones_of(given: Sequence[PhoneIn] | None) -> list[PhoneInput] | None:
    if given is None:
        return None
    return [PhoneInput(phone.number, phone.type_id, phone.type_name) for phone in given]


@dataclass(frozen=True, slots=True)
class UserAdd:
    name: str = xml("user/name", Str(NAME_LENGTH), required=True)
    email: str = xml("user/email", Str(EMAIL_LENGTH), required=True)
    mid_name: str | None = xml("user/midName", Str(NAME_LENGTH))
    last_name: str | None = xml("user/lastName", Str(NAME_LENGTH))
    role: str = xml("user/role", Enum(*ROLES), default="USER")
    status: str = xml("user/status", Enum(*STATUSES), default="ACTIVE")
    post_id: int | None = xml("user/post/id", Id())
    phones: Sequence[PhoneIn] | None = xml("user/phones", many="phone", struct=PhoneIn)


@method(
    "user.add",
    request=UserAdd,
    response=[USER_ID],
    writes=True,
    errors=("6001", "6002", "6003", "0009", "0015", "0023"),
)
def user_add(request: UserAdd, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Add an employee (administrators only); the login is the e-mail."""
    created = service.add_user(
        uow,
        call.user,
        call.now,
        plan=call.account.plan,
        name=request.name,
        email=request.email,
        mid_name=request.mid_name or "",
        last_name=request.last_name or "",
        role=request.role,
        status=request.status,
        post_id=request.post_id,
        phones=phones_of(request.phones) or [],
    )
    return IdResult(created.id)


@dataclass(frozen=True, slots=True)
class UserUpdate:
    id: int = xml("user/id", Id(), required=True)
    name: str | None = xml("user/name", Str(NAME_LENGTH))
    mid_name: str | None = xml("user/midName", Str(NAME_LENGTH))
    last_name: str | None = xml("user/lastName", Str(NAME_LENGTH))
    email: str | None = xml("user/email", Str(EMAIL_LENGTH))
    role: str | None = xml("user/role", Enum(*ROLES))
    status: str | None = xml("user/status", Enum(*STATUSES))
    password: str | None = xml("user/password", Str(1000))
    birthdate: Moment | None = xml("user/birthdate", DateTime())
    sex: str | None = xml("user/sex", Enum(*SEXES))
    phones: Sequence[PhoneIn] | None = xml("user/phones", many="phone", struct=PhoneIn)
    is_invisible_out_of_group: bool | None = xml("user/isInvisibleOutOfGroup", Bool01())
    is_blind_out_of_group: bool | None = xml("user/isBlindOutOfGroup", Bool01())
    user_pic: str | None = xml("user/userPic", Str())
    post_id: int | None = xml("user/post/id", Id())


@method(
    "user.update",
    request=UserUpdate,
    response=[USER_ID],
    writes=True,
    errors=("6004", "6001", "6002", "6005", "0009", "0015", "0016", "0023"),
)
def user_update(request: UserUpdate, uow: AccountUnitOfWork, call: Call) -> IdResult:
    """Change a profile: one's own, or anybody's for administrators; absent fields stay."""
    changes = UserChanges(
        name=request.name,
        mid_name=request.mid_name,
        last_name=request.last_name,
        email=request.email,
        role=request.role,
        status=request.status,
        password=request.password,
        birthdate=None if request.birthdate is None else request.birthdate.date,
        sex=request.sex,
        phones=phones_of(request.phones),
        is_invisible_out_of_group=request.is_invisible_out_of_group,
        is_blind_out_of_group=request.is_blind_out_of_group,
        picture=request.user_pic,
        post_id=request.post_id,
    )
    service.update_user(
        uow, call.user, request.id, changes, plan=call.account.plan, hash_password=call.hash_password
    )
    return IdResult(request.id)


@dataclass(frozen=True, slots=True)
class UserChangeStatus:
    id: int = xml("user/id", Id(), required=True)
    status: str | None = xml("user/status", Enum(*STATUSES))


@dataclass(frozen=True, slots=True)
class StatusResult:
    id: int
    status: str


@method(
    "user.changeStatus",
    request=UserChangeStatus,
    # The docs' skeleton shows only the id; their prose promises the status that was set.
    response=[Node("user", Leaf("id"), Leaf("status"))],
    writes=True,
    errors=("6001", "6004", "0009", "0015", "0016"),
)
def user_change_status(request: UserChangeStatus, uow: AccountUnitOfWork, call: Call) -> StatusResult:
    """Activate or deactivate a user (administrators only); without a status, toggle it."""
    return StatusResult(request.id, service.change_status(uow, call.user, request.id, request.status))


@dataclass(frozen=True, slots=True)
class UserUpdateGroupMembership:
    id: int = xml("user/id", Id(), required=True)
    add: Sequence[int] | None = xml("user/addUserGroup", Id(), many="id")
    remove: Sequence[int] | None = xml("user/delUserGroup", Id(), many="id")
    replace: Sequence[int] | None = xml("user/userGroup", Id(), many="id")  # the 2010 form


@method(
    "user.updateGroupMembership",
    request=UserUpdateGroupMembership,
    response=[USER_ID],
    writes=True,
    errors=("6001", "6004", "6006", "0009", "0015", "0019"),
)
def user_update_group_membership(
    request: UserUpdateGroupMembership, uow: AccountUnitOfWork, call: Call
) -> IdResult:
    """Add a user to groups and remove him from others (administrators only)."""
    service.update_group_membership(
        uow, call.user, request.id, add=request.add, remove=request.remove, replace=request.replace
    )
    return IdResult(request.id)
