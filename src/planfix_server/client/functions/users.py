"""``user.*`` and ``userGroup.*`` (``planfix-xml-api/03-users.md``) as typed calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.client.calls import PAGE_SIZE, Listing, Prepared
from planfix_server.client.element import Element
from planfix_server.client.functions.common import (
    EMPTY,
    Filter,
    Phone,
    Ref,
    drop_none,
    fields_of,
    filters_params,
    ident,
    need_id,
    phones_of,
    phones_params,
    ref_of,
    refs_of,
)
from planfix_server.client.response import Page, Response


@dataclass(frozen=True, slots=True)
class User:
    """An employee as ``user.get`` / ``user.getList`` show it (03-users.md §1.9)."""

    id: int
    general: int | None
    name: str
    last_name: str
    mid_name: str
    login: str
    email: str
    secondary_emails: list[str]
    role: str  # ADMIN, USER, TECHADMIN
    status: str  # ACTIVE, UNACTIVE
    birthdate: dt.date | None
    sex: str  # MALE, FEMALE or ''
    telegram_id: int | None
    phones: list[Phone]
    is_invisible_out_of_group: bool
    is_blind_out_of_group: bool
    user_pic: str
    is_online: bool
    timezone: str
    post: Ref | None
    groups: list[Ref]
    element: Element = field(default=EMPTY, repr=False, compare=False)


def read_user(el: Element) -> User:
    return User(
        id=need_id(el),
        general=ident(el, "general"),
        name=el.text_of("name"),
        last_name=el.text_of("lastName"),
        mid_name=el.text_of("midName"),
        login=el.text_of("login"),
        email=el.text_of("email"),
        secondary_emails=[node.text for node in el.findall("secondaryEmails/email")],
        role=el.text_of("role"),
        status=el.text_of("status"),
        birthdate=el.date_of("birthdate"),
        sex=el.text_of("sex"),
        telegram_id=ident(el, "telegramId"),
        phones=phones_of(el),
        is_invisible_out_of_group=el.bool_of("isInvisibleOutOfGroup"),
        is_blind_out_of_group=el.bool_of("isBlindOutOfGroup"),
        user_pic=el.text_of("userPic"),
        is_online=el.bool_of("isOnline"),
        timezone=el.text_of("timezone"),
        post=ref_of(el, "post"),
        groups=refs_of(el, "userGroups/userGroup"),
        element=el,
    )


@dataclass(frozen=True, slots=True)
class UserGroup:
    """A group of users (03-users.md §12); ``user_count`` is 0 for callers who are not admins."""

    id: int
    name: str
    user_count: int | None
    element: Element = field(default=EMPTY, repr=False, compare=False)


def read_group(el: Element) -> UserGroup:
    return UserGroup(need_id(el), el.text_of("name"), el.int_of("userCount"), el)


def _id_in(tag: str) -> Callable[[Response], int]:
    def read(response: Response) -> int:
        return need_id(response.one(tag))

    return read


# -- user.*
def get(id: int | None = None, *, general: int | None = None) -> Prepared[User]:
    """``user.get``: one employee by ``id`` or ``general`` (number); without either, the caller."""
    user = drop_none({"id": id, "general": general})
    return Prepared("user.get", {"user": user} if user else {}, lambda r: read_user(r.one("user")))


def iterate(
    *,
    status: str | None = None,
    only_online: bool | None = None,
    group_id: int | None = None,
    sort: str | None = None,
    filters: Sequence[Filter | Mapping[str, Any]] | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing[User]:
    """``user.getList``, every page: ``status`` ACTIVE/UNACTIVE, ``sort`` NAME_ASC…, filters 9003/9006."""
    params = {
        "status": status,
        "onlyOnline": only_online,
        "userGroup": None if group_id is None else {"id": group_id},
        "sortType": sort,
        "filters": filters_params(filters),
    }
    return Listing("user.getList", params, "user", read_user, page_size)


def get_list(
    *,
    status: str | None = None,
    only_online: bool | None = None,
    group_id: int | None = None,
    sort: str | None = None,
    filters: Sequence[Filter | Mapping[str, Any]] | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Prepared[Page[User]]:
    """``user.getList``, one page (``Page.total`` is the ``totalCount``)."""
    listing = iterate(status=status, only_online=only_online, group_id=group_id, sort=sort, filters=filters)
    return listing.page(page, page_size)


def add(
    name: str,
    email: str,
    *,
    last_name: str | None = None,
    mid_name: str | None = None,
    role: str | None = None,
    status: str | None = None,
    post_id: int | None = None,
    phones: Sequence[Phone] | None = None,
    **fields: Any,
) -> Prepared[int]:
    """``user.add`` (administrators): a new employee; returns its id."""
    user = {
        "name": name,
        "midName": mid_name,
        "lastName": last_name,
        "email": email,
        "role": role,
        "status": status,
        "post": None if post_id is None else {"id": post_id},
        "phones": phones_params(phones),
        **fields_of(fields),
    }
    return Prepared("user.add", {"user": user}, _id_in("user"))


def update(
    id: int,
    *,
    name: str | None = None,
    last_name: str | None = None,
    mid_name: str | None = None,
    email: str | None = None,
    role: str | None = None,
    status: str | None = None,
    password: str | None = None,
    birthdate: dt.date | None = None,
    sex: str | None = None,
    post_id: int | None = None,
    phones: Sequence[Phone] | None = None,
    **fields: Any,
) -> Prepared[int]:
    """``user.update``: only the fields given change (``phones`` replaces the list); returns the id."""
    user = {
        "id": id,
        "name": name,
        "midName": mid_name,
        "lastName": last_name,
        "email": email,
        "role": role,
        "status": status,
        "password": password,
        "birthdate": birthdate,
        "sex": sex,
        "post": None if post_id is None else {"id": post_id},
        "phones": phones_params(phones),
        **fields_of(fields),
    }
    return Prepared("user.update", {"user": user}, _id_in("user"))


# -- userGroup.*
def group_get(id: int) -> Prepared[UserGroup]:
    """``userGroup.get``."""
    return Prepared("userGroup.get", {"userGroup": {"id": id}}, lambda r: read_group(r.one("userGroup")))


def group_iterate(*, sort: str | None = None, page_size: int = PAGE_SIZE) -> Listing[UserGroup]:
    """``userGroup.getList``, every page (``sort`` NAME_ASC, NAME_DESC, USERCOUNT_ASC, USERCOUNT_DESC)."""
    return Listing("userGroup.getList", {"sortType": sort}, "userGroup", read_group, page_size)


def group_get_list(
    *, sort: str | None = None, page: int = 1, page_size: int = PAGE_SIZE
) -> Prepared[Page[UserGroup]]:
    """``userGroup.getList``, one page."""
    return group_iterate(sort=sort).page(page, page_size)


def group_add(name: str) -> Prepared[int]:
    """``userGroup.add`` (administrators); returns the new group's id."""
    return Prepared("userGroup.add", {"userGroup": {"name": name}}, _id_in("userGroup"))
