"""The statements of one task.getList request: target, filters, visibility, order, page.

A page is read in two steps: the ids of the page (an index walk: ``(account_id, type, general)``
for the default order), then the cards of those ids (views.task_views). The count runs the same
conditions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, bindparam, case, func, nulls_last, or_, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.tasks.list_filters import overdue
from planfix_server.domain.tasks.repository import GROUP, USER, WORKER
from planfix_server.domain.tasks.visibility import Viewer, visible
from planfix_server.domain.users.queries import ci
from planfix_server.store.scoped import Scoped
from planfix_server.store.tables import projects, task_people, tasks

TENANT: BindParameter[int] = bindparam("tenant")
_PAGE = {"limit": bindparam("limit", type_=Integer()), "offset": bindparam("offset", type_=Integer())}
TARGETS = ("all", "in", "out", "template", "periodic")
SIMPLE_FILTERS = ("ACTIVE", "OVERDUE", "MY")


@dataclass(frozen=True, slots=True)
class ListQuery:
    viewer: Viewer
    target: str = "all"
    project_ids: Sequence[int] | None = None
    parent: int | None = None
    status: int | None = None
    simple: frozenset[str] = frozenset()
    conditions: Sequence[ColumnElement[bool]] = field(default=())
    sort: str = "NUMBER_DESC"

    @property
    def whole_target(self) -> bool:
        """An administrator's unfiltered list: its count is kept in task_counts."""
        unfiltered = not (self.project_ids is not None or self.parent is not None or self.status is not None)
        unfiltered = unfiltered and not self.simple and not self.conditions
        return self.viewer.is_admin and unfiltered and self.target in ("all", "template", "periodic")


def assigned_to(viewer: Viewer) -> ColumnElement[bool]:
    """The viewer is an assignee: himself or one of his groups."""
    person = and_(task_people.c.kind == USER, task_people.c.person_id == viewer.user_id)
    if viewer.groups:
        person = or_(
            person, and_(task_people.c.kind == GROUP, task_people.c.person_id.in_(sorted(viewer.groups)))
        )
    return tasks.c.id.in_(
        select(task_people.c.task_id).where(
            task_people.c.account_id == TENANT, task_people.c.role == WORKER, person
        )
    )


def subtree(parent_id: int) -> ColumnElement[bool]:
    """Every task below ``parent_id`` (children, their children, …)."""
    below = (
        select(tasks.c.id)
        .where(tasks.c.account_id == TENANT, tasks.c.parent_id == parent_id)
        .cte("below", recursive=True)
    )
    child = tasks.alias("child")
    below = below.union_all(
        select(child.c.id).where(child.c.account_id == TENANT, child.c.parent_id == below.c.id)
    )
    return tasks.c.id.in_(select(below.c.id))


_PROJECT_TITLE = (
    select(ci(projects.c.title))
    .where(projects.c.account_id == tasks.c.account_id, projects.c.id == tasks.c.project_id)
    .scalar_subquery()
)
_IMPORTANCE = case((tasks.c.importance == "HIGH", 1), else_=0)


def order_by(sort: str) -> list[Any]:
    """The order of a sort value; ties go by number in the same direction, so pages are stable."""
    key, _, direction = sort.rpartition("_")
    descending = direction == "DESC"

    def directed(column: Any) -> Any:
        return column.desc() if descending else column.asc()

    number = directed(tasks.c.general)
    if key == "NUMBER":
        return [number]
    if key == "IMPORTANCE":
        return [directed(_IMPORTANCE), number]
    if key == "DEADLINE":  # tasks without a deadline come last either way
        return [nulls_last(directed(tasks.c.end_at)), number]
    if key == "TASKTITLE":
        return [directed(ci(tasks.c.title)), number]
    return [nulls_last(directed(_PROJECT_TITLE)), number]


def conditions(
    query: ListQuery,
    now: dt.datetime,
    today: dt.date,
    active_ids: Sequence[int],
    deadline_ids: Sequence[int],
    *,
    probe: bool = False,
) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [tasks.c.account_id == TENANT]
    if query.target == "template":
        found.append(tasks.c.type == "template")
    elif query.target == "periodic":
        found.append(tasks.c.is_periodic)
    else:
        found.append(tasks.c.type == "task")
    if query.target == "in" or "MY" in query.simple:
        found.append(assigned_to(query.viewer))
    if query.target == "out":
        found.append(tasks.c.owner_id == query.viewer.user_id)
    seen = visible(query.viewer, TENANT, probe=probe)
    if seen is not None and query.viewer.is_contact:  # contacts read no templates but their own
        found.append(seen)
    elif seen is not None and query.target != "template":  # templates are read by every employee
        found.append(or_(tasks.c.type == "template", seen) if query.target == "periodic" else seen)
    if query.project_ids is not None:
        found.append(tasks.c.project_id.in_(list(query.project_ids)))
    if query.parent is not None:
        found.append(subtree(query.parent))
    if query.status is not None:
        found.append(tasks.c.status == query.status)
    if "ACTIVE" in query.simple:
        found.append(tasks.c.status.in_(list(active_ids)))
    if "OVERDUE" in query.simple:
        found.append(overdue(deadline_ids, now, today))
    found.extend(query.conditions)
    return found


@dataclass(frozen=True, slots=True)
class Statements:
    """The count and the page of one request; ``probing`` is the page walked in the list's order
    (non-administrators, by number), the better plan when the caller sees much of the account.
    The pages are built on demand: building one costs about what running it does, and a request
    runs one of them at most (none when it asks for the count alone or a page past the end)."""

    count: Scoped
    page: Callable[[], Scoped]
    probing: Callable[[], Scoped] | None = None

    def page_for(self, offset: int, limit: int, total: int, account_total: int) -> Scoped:
        """The plan that reads fewer rows: the caller's whole set (``total`` rows, sorted), or the
        account's tasks in order until the page is full (about ``(offset + limit) / share``)."""
        if self.probing is None or total == 0:
            return self.page()
        walk = (offset + limit) * account_total / total
        return self.probing() if walk < total else self.page()


def _page(where: list[ColumnElement[bool]], sort: str) -> Scoped:
    return Scoped(
        select(tasks.c.id)
        .where(*where)
        .order_by(*order_by(sort))
        .limit(_PAGE["limit"])
        .offset(_PAGE["offset"])
    )


def statements(
    query: ListQuery,
    now: dt.datetime,
    today: dt.date,
    active_ids: Sequence[int],
    deadline_ids: Sequence[int],
    *,
    may_probe: bool = False,
) -> Statements:
    """The count and the page (of ids) of one request. ``may_probe``: offer the walking plan (SQLite;
    PostgreSQL's planner picks between the two itself, and the walk misleads it)."""
    where = conditions(query, now, today, active_ids, deadline_ids)
    count = Scoped(select(func.count()).select_from(tasks).where(*where))
    probing = None
    if may_probe and not query.viewer.is_admin and query.sort.startswith("NUMBER_"):

        def probing() -> Scoped:
            return _page(conditions(query, now, today, active_ids, deadline_ids, probe=True), query.sort)

    return Statements(count, partial(_page, where, query.sort), probing)
