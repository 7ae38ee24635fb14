"""Users as one caller may see them: visibility rules and the assembled UserView."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.contacts.identity import CONTACT_ROLE
from planfix_server.domain.phone_types import PHONE_TYPES
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.shapes import UserView
from planfix_server.store.records import UserRecord

# A user who made a request within this window counts as online.
ONLINE_WINDOW = dt.timedelta(minutes=5)


def is_employee(user: UserRecord | None) -> bool:
    """Whether ``user`` is an employee: contacts have user rows too, but the user functions do not
    know them (their userid answers as an unknown user)."""
    return user is not None and user.role != CONTACT_ROLE


def can_see(caller: UserRecord, caller_groups: set[int], target: UserRecord, target_groups: set[int]) -> bool:
    """Visibility: ``isInvisibleOutOfGroup`` of the caller, ``isBlindOutOfGroup`` of the target."""
    if caller.role == "ADMIN" or caller.id == target.id:
        return True
    shares_group = bool(caller_groups & target_groups)
    if caller.is_invisible_out_of_group and not shares_group:
        return False
    return not (target.is_blind_out_of_group and not shares_group)


def check_visible(repo: UserRepository, call: Call, target: UserRecord) -> None:
    """6001 when the caller may not see ``target``."""
    if target.id == call.user.id or call.is_admin:
        return
    if not can_see(call.user, repo.group_ids_of(call.user.id), target, repo.group_ids_of(target.id)):
        raise errors.UserAccessDenied(f"user {target.id} is hidden from the caller")


def userpic_url(call: Call, user: UserRecord) -> str:
    if not user.userpic_version:
        return ""
    query = urlencode(
        {"action": "getuserpic", "account": call.account.name, "id": user.id, "h": user.userpic_version}
    )
    return f"{call.base_url}/?{query}"


def user_views(repo: UserRepository, call: Call, records: Sequence[UserRecord]) -> list[UserView]:
    """Full views of ``records``, loading their groups, phones, e-mails and posts in one query."""
    details = repo.details_of([record.id for record in records], (r.post_id for r in records), PHONE_TYPES)
    groups, phones, emails, post_names = details.groups, details.phones, details.emails, details.post_names
    show_flags = call.is_admin
    views = []
    for record in records:
        own = record.id == call.user.id
        views.append(
            UserView(
                id=record.id,
                general=record.general,
                name=record.name,
                last_name=record.last_name,
                mid_name=record.mid_name,
                login=record.login,
                email=record.email or "",
                secondary_emails=emails.get(record.id, []),
                role=record.role,
                status=record.status,
                birthdate=record.birthdate,
                sex=record.sex,
                telegram_id=record.telegram_id,
                timezone=record.timezone or call.account.timezone,
                is_invisible_out_of_group=record.is_invisible_out_of_group if show_flags or own else False,
                is_blind_out_of_group=record.is_blind_out_of_group if show_flags or own else False,
                post_id=record.post_id or 0,
                post_name=post_names.get(record.post_id or 0, ""),
                user_pic=userpic_url(call, record),
                is_online=record.last_seen_at is not None and call.now - record.last_seen_at <= ONLINE_WINDOW,
                groups=groups.get(record.id, []),
                phones=phones.get(record.id, []),
            )
        )
    return views
