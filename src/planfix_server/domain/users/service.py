"""Rules for creating and changing users, shared by the API, the CLI and provisioning."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from planfix_server.api import errors
from planfix_server.domain.contacts.identity import CONTACT_ROLE, RESERVED_LOGIN_PREFIX
from planfix_server.domain.phone_types import PHONE_TYPES
from planfix_server.domain.users.pictures import decode_picture
from planfix_server.domain.users.repository import UserRepository, email_key
from planfix_server.domain.users.views import is_employee
from planfix_server.store.records import UserRecord
from planfix_server.store.uow import AccountUnitOfWork

ROLES = ("ADMIN", "USER", "TECHADMIN")
STATUSES = ("ACTIVE", "UNACTIVE")
SEXES = ("MALE", "FEMALE")


def check_login(login: str) -> None:
    """0015 for a login an employee may not have."""
    if login.startswith(RESERVED_LOGIN_PREFIX):
        raise errors.InvalidParameterValue(f"login {login[:40]!r}: {RESERVED_LOGIN_PREFIX!r} starts no login")


def create_user(
    uow: AccountUnitOfWork,
    now: dt.datetime,
    *,
    login: str,
    password_hash: str | None = None,
    name: str = "",
    mid_name: str = "",
    last_name: str = "",
    email: str | None = None,
    role: str = "USER",
    status: str = "ACTIVE",
    post_id: int | None = None,
    phones: Sequence[tuple[str, int]] = (),
    is_owner: bool = False,
    is_robot: bool = False,
    timezone: str = "",
) -> UserRecord:
    """Insert a user; 6002 when the e-mail or login is taken, 0015 for a reserved login."""
    check_login(login)
    repo = uow.get(UserRepository)
    if email and repo.id_with_email(email) is not None:
        raise errors.EmailInUse(email)
    if repo.id_with_login(login) is not None:
        raise errors.EmailInUse(f"login {login} is taken")
    user_id = uow.next_id("users")
    repo.insert_user(
        id=user_id,
        general=uow.next_general("user"),
        login=login,
        password_hash=password_hash,
        name=name,
        mid_name=mid_name,
        last_name=last_name,
        email=email,
        email_key=email_key(email),
        role=role,
        status=status,
        post_id=post_id,
        is_owner=is_owner,
        is_robot=is_robot,
        timezone=timezone,
        created_at=now,
    )
    if phones:
        repo.replace_phones(user_id, phones)
    created = repo.by_id(user_id)
    assert created is not None
    return created


# -- the rules of the API functions (callers: domain/users/methods.py, the CLI, fixtures)

# TECHADMIN exists only on Corporate-level plans; premium is ours (03-users.md §1.2, §5).
TECHADMIN_PLANS = ("premium",)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


@dataclass(frozen=True, slots=True)
class PhoneInput:
    """A phone as a client sent it; ``type_name`` is informational, ``type_id`` decides."""

    number: str | None = None
    type_id: int | None = None
    type_name: str | None = None


@dataclass(frozen=True, slots=True)
class UserChanges:
    """What ``user.update`` asked to change; None everywhere means "leave as is"."""

    name: str | None = None
    mid_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    role: str | None = None
    status: str | None = None
    password: str | None = None
    birthdate: dt.date | None = None
    sex: str | None = None
    phones: Sequence[PhoneInput] | None = None
    is_invisible_out_of_group: bool | None = None
    is_blind_out_of_group: bool | None = None
    picture: str | None = None  # base64 text
    post_id: int | None = None


def is_admin(user: UserRecord) -> bool:
    return user.role == "ADMIN"


def phone_list(phones: Sequence[PhoneInput] | None) -> list[tuple[str, int]] | None:
    """Validated (number, typeId) pairs; None = leave the phones alone.

    Template clients send ``<phone>`` with every child empty: such entries are ignored, and a list
    made only of them leaves the phones unchanged. ``<phones/>`` itself clears them.
    """
    if phones is None:
        return None
    given = [phone for phone in phones if phone.number or phone.type_id or phone.type_name]
    if phones and not given:
        return None
    pairs = []
    for phone in given:
        if not phone.number:
            raise errors.MissingParameter("user/phones/phone/number")
        if phone.type_id is None:
            raise errors.MissingParameter("user/phones/phone/typeId")
        if phone.type_id not in PHONE_TYPES:
            raise errors.InvalidParameterValue(f"user/phones/phone/typeId: unknown type {phone.type_id}")
        pairs.append((phone.number.strip(), phone.type_id))
    return pairs


def _checked_email(repo: UserRepository, email: str, user_id: int | None) -> str:
    """The trimmed e-mail; 0015 when it is no address, 6002 when another user has it."""
    email = email.strip()
    if not _EMAIL.fullmatch(email):
        raise errors.InvalidParameterValue("user/email: not an e-mail address")
    for owner in (repo.id_with_email(email), repo.id_with_login(email)):
        if owner is not None and owner != user_id:
            raise errors.EmailInUse(email)
    return email


def _check_role(role: str, plan: str) -> None:
    if role == "TECHADMIN" and plan not in TECHADMIN_PLANS:
        raise errors.NotInPlan("TECHADMIN needs a Corporate-level plan")


def _check_post(repo: UserRepository, post_id: int | None) -> None:
    if post_id is not None and not repo.post_exists(post_id):
        raise errors.InvalidParameterValue(f"user/post/id: no post {post_id}")


def _target(repo: UserRepository, user_id: int) -> UserRecord:
    """The employee ``user_id``; 6004 also for a contact's userid (contacts are no users here)."""
    found = repo.by_id(user_id)
    if found is None or not is_employee(found):
        raise errors.UserNotFound(str(user_id))
    return found


def _check_deactivation(actor: UserRecord, target: UserRecord, status: str) -> None:
    # Nobody may lock themselves out, nor the owner out of the account.
    if status == "UNACTIVE" and (target.id == actor.id or target.is_owner):
        raise errors.ValueNotAllowedHere("user/status: the caller or the account owner")


def add_user(
    uow: AccountUnitOfWork,
    actor: UserRecord,
    now: dt.datetime,
    *,
    plan: str,
    name: str,
    email: str,
    mid_name: str = "",
    last_name: str = "",
    role: str = "USER",
    status: str = "ACTIVE",
    post_id: int | None = None,
    phones: Sequence[PhoneInput] = (),
) -> UserRecord:
    """``user.add``: administrators only; the login is the e-mail."""
    if not is_admin(actor):
        raise errors.UserAccessDenied("user.add needs an administrator")
    repo = uow.get(UserRepository)
    email = _checked_email(repo, email, None)
    _check_role(role, plan)
    _check_post(repo, post_id)
    pairs = phone_list(phones) or []
    try:
        return create_user(
            uow,
            now,
            login=email,
            name=name.strip(),
            mid_name=(mid_name or "").strip(),
            last_name=(last_name or "").strip(),
            email=email,
            role=role,
            status=status,
            post_id=post_id,
            phones=pairs,
        )
    except IntegrityError:  # a concurrent add took the e-mail between our check and the insert
        raise errors.UserAddFailed(email) from None


def update_user(
    uow: AccountUnitOfWork,
    actor: UserRecord,
    user_id: int,
    changes: UserChanges,
    *,
    plan: str,
    hash_password: Callable[[str], str],
) -> None:
    """``user.update``: one's own profile, or anybody's for administrators; never by a contact."""
    if actor.role == CONTACT_ROLE:
        raise errors.UserAccessDenied("contacts change no user")
    repo = uow.get(UserRepository)
    target = _target(repo, user_id)
    admin = is_admin(actor)
    if not admin and target.id != actor.id:
        raise errors.UserAccessDenied("only administrators update other users")
    admin_only = {
        "role": (changes.role, target.role),
        "status": (changes.status, target.status),
        "is_invisible_out_of_group": (changes.is_invisible_out_of_group, target.is_invisible_out_of_group),
        "is_blind_out_of_group": (changes.is_blind_out_of_group, target.is_blind_out_of_group),
    }
    # Sending the current value is no change (clients echo what user.get returned).
    values: dict[str, Any] = {
        column: wanted for column, (wanted, current) in admin_only.items() if wanted not in (None, current)
    }
    if values and not admin:
        raise errors.UserAccessDenied(f"{', '.join(values)}: administrators only")
    if "role" in values:
        if target.is_owner:
            raise errors.ValueNotAllowedHere("user/role: the account owner stays an administrator")
        _check_role(values["role"], plan)
    if "status" in values:
        _check_deactivation(actor, target, values["status"])
    for column in ("name", "mid_name", "last_name", "sex", "birthdate"):
        value = getattr(changes, column)
        if value is not None:
            values[column] = value.strip() if isinstance(value, str) else value
    if changes.email is not None:
        email = _checked_email(repo, changes.email, target.id)
        values.update(email=email, email_key=email_key(email))
        if email_key(target.login) == email_key(target.email):  # the login follows an e-mail login
            check_login(email)
            values["login"] = email
    if changes.post_id is not None:
        _check_post(repo, changes.post_id)
        values["post_id"] = changes.post_id
    phones = phone_list(changes.phones)
    picture = None if changes.picture is None else decode_picture(changes.picture)
    if changes.password is not None:
        values["password_hash"] = hash_password(changes.password)
    if picture is not None:
        values["userpic_version"] = secrets.token_hex(16)  # a new URL, so caches refetch
    try:
        repo.update_user(target.id, **values)
        if phones is not None:
            repo.replace_phones(target.id, phones)
        if picture is not None:
            repo.set_picture(target.id, *picture)
    except IntegrityError:  # a concurrent change took the e-mail between our check and the update
        raise errors.UserUpdateFailed(str(target.id)) from None


def change_status(uow: AccountUnitOfWork, actor: UserRecord, user_id: int, status: str | None) -> str:
    """``user.changeStatus``: set the status, or toggle it when none is given; the new status."""
    if not is_admin(actor):
        raise errors.UserAccessDenied("user.changeStatus needs an administrator")
    repo = uow.get(UserRepository)
    target = _target(repo, user_id)
    wanted = status or ("UNACTIVE" if target.status == "ACTIVE" else "ACTIVE")
    if wanted != target.status:
        _check_deactivation(actor, target, wanted)
        repo.update_user(target.id, status=wanted)
    return wanted


def update_group_membership(
    uow: AccountUnitOfWork,
    actor: UserRecord,
    user_id: int,
    *,
    add: Sequence[int] | None = None,
    remove: Sequence[int] | None = None,
    replace: Sequence[int] | None = None,
) -> None:
    """``user.updateGroupMembership``: join ``add``, leave ``remove``; or the legacy form, where
    ``replace`` (used only when neither list is given) becomes the whole membership."""
    if not is_admin(actor):
        raise errors.UserAccessDenied("user.updateGroupMembership needs an administrator")
    repo = uow.get(UserRepository)
    target = _target(repo, user_id)
    legacy = add is None and remove is None and replace is not None
    add, remove = list(add or ()), list(remove or ())
    if legacy:
        assert replace is not None
        add = list(replace)
        remove = sorted(repo.group_ids_of(target.id) - set(add))
    if set(add) & set(remove):
        raise errors.ConflictingParameters("a group both in addUserGroup and delUserGroup")
    wanted = set(add) | set(remove)
    unknown = wanted - repo.existing_group_ids(sorted(wanted))
    if unknown:  # checked before any change: an unknown id changes nothing
        raise errors.UnknownUserGroupId(", ".join(map(str, sorted(unknown))))
    repo.add_memberships(target.id, add)
    repo.remove_memberships(target.id, remove)


def require_admin_for_groups(actor: UserRecord) -> None:
    if not is_admin(actor):
        raise errors.UserGroupAccessDenied("needs an administrator")


def add_group(uow: AccountUnitOfWork, actor: UserRecord, now: dt.datetime, name: str) -> int:
    """``userGroup.add``; duplicate names are allowed (the docs do not forbid them)."""
    require_admin_for_groups(actor)
    group_id = uow.next_id("user_groups")
    try:
        uow.get(UserRepository).add_group(group_id, name.strip(), now)
    except IntegrityError:
        raise errors.UserGroupAddFailed(name) from None
    return group_id


def rename_group(uow: AccountUnitOfWork, actor: UserRecord, group_id: int, name: str) -> None:
    require_admin_for_groups(actor)
    repo = uow.get(UserRepository)
    if repo.group(group_id) is None:
        raise errors.UserGroupNotFound(str(group_id))
    repo.rename_group(group_id, name.strip())


def set_group_head(uow: AccountUnitOfWork, group_id: int, user_id: int) -> None:
    """Make a user a head of a group (no API function does this; the CLI and fixtures do)."""
    repo = uow.get(UserRepository)
    if repo.group(group_id) is None:
        raise errors.UserGroupNotFound(str(group_id))
    _target(repo, user_id)
    if user_id not in repo.head_ids(group_id):
        repo.add_head(group_id, user_id)
