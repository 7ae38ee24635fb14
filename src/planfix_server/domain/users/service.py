"""Rules for creating and changing users, shared by the API, the CLI and provisioning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planfix_server.api import errors
from planfix_server.domain.users.repository import UserRepository, email_key
from planfix_server.store.records import UserRecord
from planfix_server.store.uow import AccountUnitOfWork

ROLES = ("ADMIN", "USER", "TECHADMIN")
STATUSES = ("ACTIVE", "UNACTIVE")
SEXES = ("MALE", "FEMALE")


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
    """Insert a user; 6002 when the e-mail or login is taken."""
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
