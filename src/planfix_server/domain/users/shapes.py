"""Response shapes of the user and user-group functions (element names and order as the real service)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planfix_server.store.records import GroupRef, PhoneRecord
from planfix_server.wire.encode import Items, Leaf, Node, Optional

PHONE = Node("phone", Leaf("number"), Leaf("typeId", "type_id"), Leaf("typeName", "type_name"))
GROUP_REF = Node("userGroup", Leaf("id"), Leaf("name"))

USER = Node(
    "user",
    Leaf("id"),
    Leaf("general"),
    Leaf("name"),
    Leaf("lastName", "last_name"),
    Leaf("midName", "mid_name"),
    Leaf("login"),
    Leaf("email"),
    Items("secondaryEmails", "email", attr="secondary_emails"),
    Leaf("role"),
    Leaf("status"),
    Leaf("birthdate"),
    Leaf("sex"),
    Optional("telegramId", "telegram_id"),
    Leaf("timezone"),
    Leaf("isInvisibleOutOfGroup", "is_invisible_out_of_group"),
    Leaf("isBlindOutOfGroup", "is_blind_out_of_group"),
    Node("post", Leaf("id", "post_id"), Leaf("name", "post_name")),
    Leaf("userPic", "user_pic"),
    Leaf("isOnline", "is_online"),
    Items("userGroups", GROUP_REF, attr="groups"),
    Items("phones", PHONE),
)

USER_ID = Node("user", Leaf("id"))
USER_GROUP = Node("userGroup", Leaf("id"), Leaf("name"), Leaf("userCount", "user_count"))
USER_GROUP_ID = Node("userGroup", Leaf("id"))


@dataclass(frozen=True, slots=True)
class UserView:
    """A user as the API shows it to one caller."""

    id: int
    general: int
    name: str
    last_name: str
    mid_name: str
    login: str
    email: str
    secondary_emails: list[str]
    role: str
    status: str
    birthdate: dt.date | None
    sex: str | None
    telegram_id: int | None
    timezone: str
    is_invisible_out_of_group: bool
    is_blind_out_of_group: bool
    post_id: int
    post_name: str
    user_pic: str
    is_online: bool
    groups: list[GroupRef]
    phones: list[PhoneRecord]


@dataclass(frozen=True, slots=True)
class GroupView:
    id: int
    name: str
    user_count: int


@dataclass(frozen=True, slots=True)
class IdResult:
    id: int
