"""Statements of the user and user-group lists: visibility, filters, sort orders.

Text comparisons and name sorts are case-insensitive for every alphabet. PostgreSQL's ``lower`` is
Unicode-aware; SQLite's only folds ASCII, so on SQLite ``ci(x)`` calls ``pf_lower``, the Python
function store.db registers on every SQLite connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, UnaryExpression
from sqlalchemy.sql.functions import GenericFunction

from planfix_server.store.db import SQLITE_LOWER
from planfix_server.store.records import UserRecord
from planfix_server.store.scoped import Scoped
from planfix_server.store.tables import actions, user_group_heads, user_group_members, user_groups, users

_ACCOUNT: BindParameter[int] = bindparam("tenant")
# Contacts' user rows (role identity.CONTACT_ROLE, not imported: identity imports this package) are
# no employees and never listed here.
EMPLOYEES: ColumnElement[bool] = users.c.role != "CONTACT"
_PAGE = {"limit": bindparam("limit", type_=Integer()), "offset": bindparam("offset", type_=Integer())}


class ci(GenericFunction[str]):  # noqa: N801 - reads like the SQL function it stands for
    """Case-insensitive comparison key of a text column."""

    type = String()
    inherit_cache = True


@compiles(ci)
def _ci_lower(element: ci, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(ci, "sqlite")
def _ci_sqlite(element: ci, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_LOWER}({compiler.process(element.clauses, **kw)})"


# -- visibility (views.can_see, as SQL): admin, or oneself, or a shared group, or neither the caller's
# isInvisibleOutOfGroup nor the target's isBlindOutOfGroup is set.
_SHARES_GROUP = exists().where(
    user_group_members.c.account_id == users.c.account_id,
    user_group_members.c.user_id == users.c.id,
    user_group_members.c.group_id.in_(bindparam("v_groups", expanding=True)),
)
VISIBLE: ColumnElement[bool] = or_(
    bindparam("v_all", type_=Boolean()),
    users.c.id == bindparam("v_caller"),
    and_(bindparam("v_open", type_=Boolean()), not_(users.c.is_blind_out_of_group)),
    _SHARES_GROUP,
)


def visibility(caller: UserRecord, caller_groups: set[int]) -> dict[str, Any]:
    """The parameters of ``VISIBLE`` for one caller."""
    return {
        "v_all": caller.role == "ADMIN",
        "v_caller": caller.id,
        "v_open": not caller.is_invisible_out_of_group,
        "v_groups": sorted(caller_groups),
    }


def seen_by_everyone() -> dict[str, Any]:
    """The parameters of ``VISIBLE`` that show every employee (for the command line)."""
    return {"v_all": True, "v_caller": 0, "v_open": True, "v_groups": []}


# -- user.getList
NAME_KEYS = (ci(users.c.last_name), ci(users.c.name))
_FIRST_GROUP_NAME = (
    select(func.min(ci(user_groups.c.name)))
    .select_from(user_group_members)
    .join(
        user_groups,
        (user_groups.c.account_id == user_group_members.c.account_id)
        & (user_groups.c.id == user_group_members.c.group_id),
    )
    .where(user_group_members.c.account_id == users.c.account_id, user_group_members.c.user_id == users.c.id)
    .scalar_subquery()
)
# The primary key of each sort; ties go by name, then id, always ascending, so pages are stable.
# PROJECTS_*: projects do not exist yet; until they do, these sort by name.
_PRIMARY: dict[str, tuple[ColumnElement[Any], ...]] = {
    "NAME": NAME_KEYS,
    "GROUP": (func.coalesce(_FIRST_GROUP_NAME, ""),),  # a user's alphabetically first group
    "ISACTIVE": (case((users.c.status == "ACTIVE", 1), else_=0),),  # inactive first when ascending
    "PROJECTS": NAME_KEYS,
    "ROLE": (users.c.role,),  # ADMIN, TECHADMIN, USER: alphabetical is also the order of rights
}
USER_SORTS = tuple(f"{key}_{direction}" for key in _PRIMARY for direction in ("ASC", "DESC"))
DEFAULT_USER_SORT = "NAME_ASC"


def user_order(sort: str) -> list[ColumnElement[Any] | UnaryExpression[Any]]:
    key, _, direction = sort.rpartition("_")
    primary = [part.desc() if direction == "DESC" else part for part in _PRIMARY[key]]
    return [*primary, *NAME_KEYS, users.c.id]


@dataclass(frozen=True, slots=True)
class TextFilter:
    """``column`` contains ``value`` (or does not), ignoring case."""

    field: str  # "email" or "name"
    contains: bool
    value: str


@dataclass(frozen=True, slots=True)
class UserQuery:
    status: str | None = None
    group_id: int | None = None
    online_since: dt.datetime | None = None
    filters: Sequence[TextFilter] = ()
    sort: str = DEFAULT_USER_SORT


def _matches(text_filter: TextFilter) -> ColumnElement[bool]:
    value = text_filter.value.lower()  # the same folding as ci() on both databases
    if text_filter.field == "email":
        hit = ci(func.coalesce(users.c.email, "")).contains(value, autoescape=True)
    else:
        hit = or_(
            ci(users.c.name).contains(value, autoescape=True),
            ci(users.c.last_name).contains(value, autoescape=True),
        )
    return hit if text_filter.contains else not_(hit)


def user_list(query: UserQuery) -> tuple[Scoped, Scoped]:
    """(count, page) statements of one user.getList request; run with ``visibility`` parameters."""
    conditions: list[ColumnElement[bool]] = [users.c.account_id == _ACCOUNT, EMPLOYEES, VISIBLE]
    if query.group_id is not None:
        conditions.append(
            exists().where(
                user_group_members.c.account_id == users.c.account_id,
                user_group_members.c.user_id == users.c.id,
                user_group_members.c.group_id == query.group_id,
            )
        )
    elif query.status is not None:  # the docs: status is ignored when a group is given
        conditions.append(users.c.status == query.status)
    if query.online_since is not None:
        conditions.append(users.c.last_seen_at >= query.online_since)
    conditions.extend(_matches(text_filter) for text_filter in query.filters)
    count = Scoped(select(func.count()).select_from(users).where(*conditions))
    page = Scoped(
        select(users)
        .where(*conditions)
        .order_by(*user_order(query.sort))
        .limit(_PAGE["limit"])
        .offset(_PAGE["offset"])
    )
    return count, page


# -- userGroup.getHeads: the heads the caller may see, by name.
GROUP_HEADS = Scoped(
    select(users)
    .where(
        users.c.account_id == _ACCOUNT,
        users.c.id.in_(
            select(user_group_heads.c.user_id).where(
                user_group_heads.c.account_id == _ACCOUNT,
                user_group_heads.c.group_id == bindparam("group_id"),
            )
        ),
        EMPLOYEES,
        VISIBLE,
    )
    .order_by(*NAME_KEYS, users.c.id)
)

# -- userGroup.getList: one statement per sort order and per "may see member counts".
_MEMBERS = (
    select(func.count())
    .select_from(user_group_members)
    .where(
        user_group_members.c.account_id == user_groups.c.account_id,
        user_group_members.c.group_id == user_groups.c.id,
    )
    .scalar_subquery()
)
GROUP_SORTS = ("NAME_ASC", "NAME_DESC", "USERCOUNT_ASC", "USERCOUNT_DESC")
DEFAULT_GROUP_SORT = "NAME_ASC"
GROUP_COUNT = Scoped(
    select(func.count()).select_from(user_groups).where(user_groups.c.account_id == _ACCOUNT)
)


def _group_page(sort: str, with_counts: bool) -> Scoped:
    # Callers who see userCount 0 are sorted by that 0 too, i.e. by name: the order leaks nothing.
    user_count = _MEMBERS if with_counts else literal_column("0", Integer())
    key, _, direction = sort.rpartition("_")
    name = ci(user_groups.c.name)
    primary: list[Any] = [name]
    if key == "NAME" and direction == "DESC":
        primary = [name.desc()]
    elif key == "USERCOUNT" and with_counts:
        primary = [user_count.desc() if direction == "DESC" else user_count, name]
    return Scoped(
        select(user_groups.c.id, user_groups.c.name, user_count.label("user_count"))
        .where(user_groups.c.account_id == _ACCOUNT)
        .order_by(*primary, user_groups.c.id)
        .limit(_PAGE["limit"])
        .offset(_PAGE["offset"])
    )


GROUP_PAGES = {(sort, counts): _group_page(sort, counts) for sort in GROUP_SORTS for counts in (True, False)}

# -- user.actionsAdded
_ACTIONS_OF_USER = [
    actions.c.account_id == _ACCOUNT,
    actions.c.owner_id == bindparam("owner_id"),
    actions.c.created_at >= bindparam("begin", type_=actions.c.created_at.type),
    actions.c.created_at <= bindparam("end", type_=actions.c.created_at.type),
]
ACTIONS_ADDED = Scoped(select(func.count()).select_from(actions).where(*_ACTIONS_OF_USER))
ACTIONS_ADDED_OF_TYPE = Scoped(
    select(func.count())
    .select_from(actions)
    .where(*_ACTIONS_OF_USER, actions.c.type == bindparam("action_type"))
)
