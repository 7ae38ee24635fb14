"""The user side of a contact: its ``userid``.

Every contact has a row in ``users`` with the role ``CONTACT``. Its id is the contact's ``userid``,
the id under which the contact takes part in tasks, writes actions, holds tokens and, once it has
PlanFix access, signs in. Such rows are no employees: the user functions and pages leave them out.
"""

from __future__ import annotations

import datetime as dt

from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.uow import AccountUnitOfWork

CONTACT_ROLE = "CONTACT"
# Logins of contacts without PlanFix access; employees' logins may not start with it.
RESERVED_LOGIN_PREFIX = "#"


# contacts.access values under which ``havePlanfixAccess`` is 1: access granted, activated or not yet.
ACCESS_GRANTED = ("invited", "active")


def has_planfix_access(access: str) -> bool:
    return access in ACCESS_GRANTED


def placeholder_login(user_id: int) -> str:
    return f"{RESERVED_LOGIN_PREFIX}contact{user_id}"


def is_placeholder_login(login: str) -> bool:
    return login.startswith(RESERVED_LOGIN_PREFIX)


def create_contact_user(
    uow: AccountUnitOfWork, now: dt.datetime, *, name: str, mid_name: str = "", last_name: str = ""
) -> int:
    """The users row of a new contact: no login, no password, not active until access is granted."""
    user_id = uow.next_id("users")
    uow.get(UserRepository).insert_user(
        id=user_id,
        general=uow.next_general("user"),
        login=placeholder_login(user_id),
        password_hash=None,
        name=name,
        mid_name=mid_name,
        last_name=last_name,
        email=None,
        email_key=None,
        role=CONTACT_ROLE,
        status="UNACTIVE",
        post_id=None,
        is_owner=False,
        is_robot=False,
        timezone="",
        created_at=now,
    )
    return user_id


def sync_names(uow: AccountUnitOfWork, user_id: int, *, name: str, mid_name: str, last_name: str) -> None:
    """Keep the names shown for the contact's userid (task people, action authors) in step."""
    uow.get(UserRepository).update_user(user_id, name=name, mid_name=mid_name, last_name=last_name)
