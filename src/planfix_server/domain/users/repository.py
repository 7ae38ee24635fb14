"""Users, their phones, e-mails and pictures, posts, and user groups of one account."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    bindparam,
    delete,
    func,
    literal_column,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.users import queries
from planfix_server.store.records import GroupRef, PhoneRecord, UserRecord, from_row
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import (
    posts,
    user_emails,
    user_group_heads,
    user_group_members,
    user_groups,
    user_phones,
    user_pictures,
    users,
)

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)

_USER_BY_ID = Scoped(select(users).where(users.c.account_id == _ACCOUNT, users.c.id == bindparam("id")))
_USER_BY_GENERAL = Scoped(
    select(users).where(users.c.account_id == _ACCOUNT, users.c.general == bindparam("general"))
)
_USER_BY_LOGIN = Scoped(
    select(users).where(users.c.account_id == _ACCOUNT, users.c.login == bindparam("login"))
)
_USER_BY_EMAIL = Scoped(
    select(users).where(users.c.account_id == _ACCOUNT, users.c.email_key == bindparam("email_key"))
)
_USER_ID_BY_EMAIL = Scoped(
    select(users.c.id).where(users.c.account_id == _ACCOUNT, users.c.email_key == bindparam("email_key"))
)
_USER_ID_BY_LOGIN = Scoped(
    select(users.c.id).where(users.c.account_id == _ACCOUNT, users.c.login == bindparam("login"))
)
_TOUCH_USER = Scoped(
    update(users)
    .where(users.c.account_id == _ACCOUNT, users.c.id == bindparam("b_id"))
    .values(last_seen_at=bindparam("now"))
)
_UPDATE_USER_BASE = update(users).where(users.c.account_id == _ACCOUNT, users.c.id == bindparam("b_user_id"))
Scoped(_UPDATE_USER_BASE)  # checked at import like every statement; the SET part varies per call

# The kinds of rows of the details statement.
_GROUP, _PHONE, _EMAIL, _POST = 1, 2, 3, 4


def _details(one: bool) -> Scoped:
    """Groups, phones, e-mails and posts of users, in one statement: for one user (``:id``,
    ``:post_id``) or for many (``:ids``, ``:post_ids``).

    Each row is (kind, owner, ord, ref, text), ordered by kind, owner, ord; the owner is the user
    (the post for posts). One statement instead of four: on a single user's card the statement
    executions cost more than the rows.
    """

    def owned_by(column: ColumnElement[int], name: str) -> ColumnElement[bool]:
        return column == bindparam(name) if one else column.in_(bindparam(name + "s", expanding=True))

    def kind(number: int) -> ColumnElement[int]:
        return literal_column(str(number), Integer()).label("kind")

    groups = (
        select(
            kind(_GROUP),
            user_group_members.c.user_id.label("owner"),
            user_groups.c.id.label("ord"),
            user_groups.c.id.label("ref"),
            user_groups.c.name.label("text"),
        )
        .join(
            user_groups,
            (user_groups.c.account_id == user_group_members.c.account_id)
            & (user_groups.c.id == user_group_members.c.group_id),
        )
        .where(user_group_members.c.account_id == _ACCOUNT, owned_by(user_group_members.c.user_id, "id"))
    )
    phones = select(
        kind(_PHONE),
        user_phones.c.user_id,
        user_phones.c.position,
        user_phones.c.type_id,
        user_phones.c.number,
    ).where(user_phones.c.account_id == _ACCOUNT, owned_by(user_phones.c.user_id, "id"))
    emails = select(
        kind(_EMAIL), user_emails.c.user_id, user_emails.c.position, null(), user_emails.c.email
    ).where(user_emails.c.account_id == _ACCOUNT, owned_by(user_emails.c.user_id, "id"))
    post_names = select(
        kind(_POST), posts.c.id, posts.c.id.label("ord"), posts.c.id.label("ref"), posts.c.name
    ).where(posts.c.account_id == _ACCOUNT, owned_by(posts.c.id, "post_id"))
    return Scoped(
        union_all(groups, phones, emails, post_names).order_by(
            literal_column("kind"), literal_column("owner"), literal_column("ord")
        )
    )


_DETAILS_OF_ONE = _details(one=True)
_DETAILS_OF_MANY = _details(one=False)
_POST_EXISTS = Scoped(select(posts.c.id).where(posts.c.account_id == _ACCOUNT, posts.c.id == bindparam("id")))
_DELETE_PHONES = Scoped(
    delete(user_phones).where(
        user_phones.c.account_id == _ACCOUNT, user_phones.c.user_id == bindparam("user_id")
    )
)
_PICTURE = Scoped(
    select(user_pictures.c.content_type, user_pictures.c.data).where(
        user_pictures.c.account_id == _ACCOUNT, user_pictures.c.user_id == bindparam("user_id")
    )
)
_DELETE_PICTURE = Scoped(
    delete(user_pictures).where(
        user_pictures.c.account_id == _ACCOUNT, user_pictures.c.user_id == bindparam("user_id")
    )
)

_GROUP_BY_ID = Scoped(
    select(user_groups).where(user_groups.c.account_id == _ACCOUNT, user_groups.c.id == bindparam("id"))
)
_GROUP_IDS_EXISTING = Scoped(
    select(user_groups.c.id).where(user_groups.c.account_id == _ACCOUNT, user_groups.c.id.in_(_IDS))
)
_MEMBER_COUNT = Scoped(
    select(func.count())
    .select_from(user_group_members)
    .where(
        user_group_members.c.account_id == _ACCOUNT, user_group_members.c.group_id == bindparam("group_id")
    )
)
_GROUP_MEMBER_IDS = Scoped(
    select(user_group_members.c.group_id).where(
        user_group_members.c.account_id == _ACCOUNT, user_group_members.c.user_id == bindparam("user_id")
    )
)
_ADD_MEMBERSHIP_CHECK = Scoped(
    select(user_group_members.c.group_id).where(
        user_group_members.c.account_id == _ACCOUNT,
        user_group_members.c.user_id == bindparam("user_id"),
        user_group_members.c.group_id.in_(_IDS),
    )
)
_DELETE_MEMBERSHIPS = Scoped(
    delete(user_group_members).where(
        user_group_members.c.account_id == _ACCOUNT,
        user_group_members.c.user_id == bindparam("user_id"),
        user_group_members.c.group_id.in_(_IDS),
    )
)
_HEAD_IDS = Scoped(
    select(user_group_heads.c.user_id).where(
        user_group_heads.c.account_id == _ACCOUNT, user_group_heads.c.group_id == bindparam("group_id")
    )
)
_RENAME_GROUP = Scoped(
    update(user_groups)
    .where(user_groups.c.account_id == _ACCOUNT, user_groups.c.id == bindparam("group_id"))
    .values(name=bindparam("b_name"))
)


@dataclass(frozen=True, slots=True)
class UserDetails:
    """What a user's card shows beside the user row, by user id (post names by post id)."""

    groups: dict[int, list[GroupRef]]
    phones: dict[int, list[PhoneRecord]]
    emails: dict[int, list[str]]
    post_names: dict[int, str]


# The column names of users that UserRecord reads; every other select of users returns them too.
USER_COLUMNS = users


def email_key(email: str | None) -> str | None:
    """How e-mails are compared: trimmed, case-insensitive."""
    if email is None:
        return None
    stripped = email.strip().lower()
    return stripped or None


class UserRepository(Repository):
    # -- users
    def by_id(self, user_id: int) -> UserRecord | None:
        row = self.first(_USER_BY_ID, id=user_id)
        return None if row is None else from_row(UserRecord, row)

    def by_general(self, general: int) -> UserRecord | None:
        row = self.first(_USER_BY_GENERAL, general=general)
        return None if row is None else from_row(UserRecord, row)

    def by_login(self, login: str) -> UserRecord | None:
        """A user by sign-in name, or by e-mail address."""
        row = self.first(_USER_BY_LOGIN, login=login)
        if row is None:
            row = self.first(_USER_BY_EMAIL, email_key=email_key(login))
        return None if row is None else from_row(UserRecord, row)

    def id_with_email(self, email: str) -> int | None:
        value = self.scalar(_USER_ID_BY_EMAIL, email_key=email_key(email))
        return None if value is None else int(value)

    def id_with_login(self, login: str) -> int | None:
        value = self.scalar(_USER_ID_BY_LOGIN, login=login)
        return None if value is None else int(value)

    def records(self, rows: Iterable[Any]) -> list[UserRecord]:
        return [from_row(UserRecord, row) for row in rows]

    def select_users(self, query: Scoped, **params: Any) -> list[UserRecord]:
        return self.records(self.rows(query, **params))

    def insert_user(self, **values: Any) -> None:
        self.insert(users, **values)

    def update_user(self, user_id: int, **values: Any) -> None:
        if values:
            self.connection.execute(
                _UPDATE_USER_BASE.values(**values), {"tenant": self.account_id, "b_user_id": user_id}
            )

    def touch(self, user_id: int, now: dt.datetime) -> None:
        self.execute(_TOUCH_USER, b_id=user_id, now=now)

    # -- details of users, loaded for many users at once
    def details_of(
        self, user_ids: Sequence[int], post_ids: Iterable[int | None], type_names: dict[int, str]
    ) -> UserDetails:
        """The groups, phones and e-mails of ``user_ids`` and the names of ``post_ids``."""
        found = UserDetails(defaultdict(list), defaultdict(list), defaultdict(list), {})
        wanted_posts = sorted({post_id for post_id in post_ids if post_id})
        if not user_ids and not wanted_posts:
            return found
        if len(user_ids) <= 1 and len(wanted_posts) <= 1:
            params = {
                "id": user_ids[0] if user_ids else None,
                "post_id": wanted_posts[0] if wanted_posts else None,
            }
            rows = self.rows(_DETAILS_OF_ONE, **params)
        else:
            rows = self.rows(_DETAILS_OF_MANY, ids=list(user_ids), post_ids=wanted_posts)
        for row in rows:
            values: Sequence[Any] = row
            kind, owner, ref, text = values[0], values[1], values[3], values[4]
            if kind == _GROUP:
                found.groups[owner].append(GroupRef(ref, text))
            elif kind == _PHONE:
                found.phones[owner].append(PhoneRecord(text, ref, type_names.get(ref, "")))
            elif kind == _EMAIL:
                found.emails[owner].append(text)
            else:
                found.post_names[owner] = text
        return found

    def post_exists(self, post_id: int) -> bool:
        return self.scalar(_POST_EXISTS, id=post_id) is not None

    def add_post(self, post_id: int, name: str) -> None:
        self.insert(posts, id=post_id, name=name)

    def replace_phones(self, user_id: int, phones: Sequence[tuple[str, int]]) -> None:
        self.execute(_DELETE_PHONES, user_id=user_id)
        self.insert_many(
            user_phones,
            [
                {"user_id": user_id, "position": position, "number": number, "type_id": type_id}
                for position, (number, type_id) in enumerate(phones)
            ],
        )

    def add_emails(self, user_id: int, emails: Sequence[str]) -> None:
        self.insert_many(
            user_emails,
            [
                {"user_id": user_id, "position": position, "email": email}
                for position, email in enumerate(emails)
            ],
        )

    def picture(self, user_id: int) -> tuple[str, bytes] | None:
        row = self.first(_PICTURE, user_id=user_id)
        return None if row is None else (row.content_type, bytes(row.data))

    def set_picture(self, user_id: int, content_type: str, data: bytes) -> None:
        self.execute(_DELETE_PICTURE, user_id=user_id)
        self.insert(user_pictures, user_id=user_id, content_type=content_type, data=data)

    # -- groups
    def group(self, group_id: int) -> GroupRef | None:
        row = self.first(_GROUP_BY_ID, id=group_id)
        return None if row is None else GroupRef(row.id, row.name)

    def existing_group_ids(self, group_ids: Sequence[int]) -> set[int]:
        if not group_ids:
            return set()
        return {int(row.id) for row in self.rows(_GROUP_IDS_EXISTING, ids=list(group_ids))}

    def add_group(self, group_id: int, name: str, now: dt.datetime) -> None:
        self.insert(user_groups, id=group_id, name=name, created_at=now)

    def rename_group(self, group_id: int, name: str) -> None:
        self.execute(_RENAME_GROUP, group_id=group_id, b_name=name)

    def member_count(self, group_id: int) -> int:
        return int(self.scalar(_MEMBER_COUNT, group_id=group_id))

    def group_ids_of(self, user_id: int) -> set[int]:
        return {int(row.group_id) for row in self.rows(_GROUP_MEMBER_IDS, user_id=user_id)}

    def add_memberships(self, user_id: int, group_ids: Sequence[int]) -> None:
        present = {
            int(row.group_id)
            for row in self.rows(_ADD_MEMBERSHIP_CHECK, user_id=user_id, ids=list(group_ids))
        }
        missing = [group_id for group_id in dict.fromkeys(group_ids) if group_id not in present]
        self.insert_many(user_group_members, [{"group_id": g, "user_id": user_id} for g in missing])

    def remove_memberships(self, user_id: int, group_ids: Sequence[int]) -> None:
        if group_ids:
            self.execute(_DELETE_MEMBERSHIPS, user_id=user_id, ids=list(group_ids))

    def head_ids(self, group_id: int) -> list[int]:
        return [int(row.user_id) for row in self.rows(_HEAD_IDS, group_id=group_id)]

    def add_head(self, group_id: int, user_id: int) -> None:
        self.insert(user_group_heads, group_id=group_id, user_id=user_id)

    # -- lists (statements in queries.py); ``seen_by`` is queries.visibility(caller, …)
    def list_users(
        self, query: queries.UserQuery, seen_by: dict[str, Any], offset: int, limit: int | None
    ) -> tuple[list[UserRecord], int]:
        """One page of users (none when ``limit`` is None) and how many match in all."""
        count, page = queries.user_list(query)
        total = int(self.scalar(count, **seen_by))
        if limit is None or offset >= total:
            return [], total
        return self.select_users(page, offset=offset, limit=limit, **seen_by), total

    def group_heads(self, group_id: int, seen_by: dict[str, Any]) -> list[UserRecord]:
        return self.select_users(queries.GROUP_HEADS, group_id=group_id, **seen_by)

    def group_count(self) -> int:
        return int(self.scalar(queries.GROUP_COUNT))

    def group_page(self, sort: str, with_counts: bool, offset: int, limit: int) -> list[tuple[int, str, int]]:
        rows = self.rows(queries.GROUP_PAGES[sort, with_counts], offset=offset, limit=limit)
        return [(int(row.id), row.name, int(row.user_count)) for row in rows]

    def count_actions(
        self, owner_id: int, begin: dt.datetime, end: dt.datetime, action_type: str | None
    ) -> int:
        if action_type is None:
            return int(self.scalar(queries.ACTIONS_ADDED, owner_id=owner_id, begin=begin, end=end))
        statement = queries.ACTIONS_ADDED_OF_TYPE
        return int(self.scalar(statement, owner_id=owner_id, begin=begin, end=end, action_type=action_type))
