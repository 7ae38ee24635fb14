"""Statements about projects: who may see one, and the project.getList query.

Visibility (11-projects.md §1.2, §2.1, §4.3): a draft only to its owner; any other project to
administrators; a project that is not hidden to everyone; a hidden one to its participants: the
owner, its people (workers, members, auditors, managers; users directly or through one of their
groups) and whoever takes part in one of its tasks, but never to a contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Integer, and_, bindparam, exists, func, not_, or_, select
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from planfix_server.domain.users.queries import ci
from planfix_server.store.scoped import Scoped
from planfix_server.store.tables import project_people, projects, task_people, tasks

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_PAGE = {"limit": bindparam("limit", type_=Integer()), "offset": bindparam("offset", type_=Integer())}


def in_people(user: str, groups: str, roles: Sequence[str] = ()) -> ColumnElement[bool]:
    """The user bound to ``:user`` (or one of the groups ``:groups``) is among the project's people."""
    conditions = [
        project_people.c.account_id == projects.c.account_id,
        project_people.c.project_id == projects.c.id,
        or_(
            and_(project_people.c.kind == "user", project_people.c.person_id == bindparam(user)),
            and_(
                project_people.c.kind == "group",
                project_people.c.person_id.in_(bindparam(groups, expanding=True)),
            ),
        ),
    ]
    if roles:
        conditions.append(project_people.c.role.in_(roles))
    return exists().where(*conditions)


def in_tasks(user: str, groups: str) -> ColumnElement[bool]:
    """The user takes part in one of the project's tasks (owner, assignee, participant, auditor)."""
    person = exists().where(
        task_people.c.account_id == tasks.c.account_id,
        task_people.c.task_id == tasks.c.id,
        or_(
            and_(task_people.c.kind == "user", task_people.c.person_id == bindparam(user)),
            and_(
                task_people.c.kind == "group", task_people.c.person_id.in_(bindparam(groups, expanding=True))
            ),
        ),
    )
    return exists().where(
        tasks.c.account_id == projects.c.account_id,
        tasks.c.project_id == projects.c.id,
        or_(tasks.c.owner_id == bindparam(user), person),
    )


def participant(user: str, groups: str) -> ColumnElement[bool]:
    return or_(projects.c.owner_id == bindparam(user), in_people(user, groups), in_tasks(user, groups))


VISIBLE: ColumnElement[bool] = or_(
    and_(projects.c.status == "DRAFT", projects.c.owner_id == bindparam("v_user")),
    and_(
        projects.c.status != "DRAFT",
        or_(
            bindparam("v_admin", type_=Boolean()),
            not_(projects.c.hidden),
            and_(not_(bindparam("v_contact", type_=Boolean())), participant("v_user", "v_groups")),
        ),
    ),
)


def visibility(user_id: int, group_ids: set[int], is_admin: bool, is_contact: bool = False) -> dict[str, Any]:
    """The parameters of ``VISIBLE`` for one caller (a contact sees no hidden project)."""
    return {"v_user": user_id, "v_groups": sorted(group_ids), "v_admin": is_admin, "v_contact": is_contact}


VISIBLE_BY_ID = Scoped(
    select(projects.c.id).where(projects.c.account_id == _ACCOUNT, projects.c.id == bindparam("id"), VISIBLE)
)
# Who may change a project besides administrators: its owner and its managers.
EDITOR_BY_ID = Scoped(
    select(projects.c.id).where(
        projects.c.account_id == _ACCOUNT,
        projects.c.id == bindparam("id"),
        or_(projects.c.owner_id == bindparam("v_user"), in_people("v_user", "v_groups", ("manager",))),
    )
)

# -- project.getList

_SORTS: dict[str, tuple[Any, ...]] = {
    "TITLE_ASC": (ci(projects.c.title), projects.c.id),
    "TITLE_DESC": (ci(projects.c.title).desc(), projects.c.id.desc()),
    "NUMBER_ASC": (projects.c.general,),
    "NUMBER_DESC": (projects.c.general.desc(),),
}
SORTS = tuple(_SORTS)
DEFAULT_SORT = "TITLE_ASC"
TARGETS = ("all", "in", "out", "template")


@dataclass(frozen=True, slots=True)
class ProjectQuery:
    target: str = "all"
    status: str | None = None
    client_id: int | None = None
    # Only projects this user takes part in (project.getList <user>, administrators).
    subject_id: int | None = None
    subject_groups: set[int] = field(default_factory=set)
    conditions: Sequence[ColumnElement[bool]] = ()
    sort: str = DEFAULT_SORT


def project_list(
    query: ProjectQuery, caller_id: int, caller_groups: set[int]
) -> tuple[Scoped, Scoped, dict[str, Any]]:
    """(count, page, extra parameters) of one project.getList; run with ``visibility`` parameters."""
    conditions: list[ColumnElement[bool]] = [projects.c.account_id == _ACCOUNT]
    params: dict[str, Any] = {"s_user": caller_id, "s_groups": sorted(caller_groups)}
    if query.subject_id is not None:
        params = {"s_user": query.subject_id, "s_groups": sorted(query.subject_groups)}
        conditions.append(participant("s_user", "s_groups"))
    conditions.append(projects.c.is_template if query.target == "template" else not_(projects.c.is_template))
    if query.target == "in":
        conditions.append(in_people("s_user", "s_groups"))
    elif query.target == "out":
        conditions.append(projects.c.owner_id == bindparam("s_user"))
    if query.status is not None:
        conditions.append(projects.c.status == query.status)
    if query.client_id is not None:
        conditions.append(projects.c.client_id == query.client_id)
    conditions.extend(query.conditions)
    # Visibility last: SQLite tests conditions in order, and the cheap ones leave it fewer rows.
    conditions.append(VISIBLE)
    count = Scoped(select(func.count()).select_from(projects).where(*conditions))
    page = Scoped(
        select(projects)
        .where(*conditions)
        .order_by(*_SORTS[query.sort])
        .limit(_PAGE["limit"])
        .offset(_PAGE["offset"])
    )
    return count, page, params


# -- conditions of the project filters (project.getList <filters>)


def equals(column: Any, value: int, operator: str) -> ColumnElement[bool]:
    """``=`` or, for notequal, ``<>`` that also matches an empty (NULL) reference."""
    if operator == "equal":
        return column == value  # type: ignore[no-any-return]
    return or_(column.is_(None), column != value)


def title_contains(text: str, operator: str) -> ColumnElement[bool]:
    hit = ci(projects.c.title).contains(text.lower(), autoescape=True)
    return hit if operator == "equal" else not_(hit)


def managed_by(user_id: int, operator: str) -> ColumnElement[bool]:
    hit = exists().where(
        project_people.c.account_id == projects.c.account_id,
        project_people.c.project_id == projects.c.id,
        project_people.c.role == "manager",
        project_people.c.kind == "user",
        project_people.c.person_id == user_id,
    )
    return hit if operator == "equal" else not_(hit)
