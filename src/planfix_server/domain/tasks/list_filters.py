"""The complex filters of task.getList (``<filters>``, planfix-xml-api/10-tasks.md §3.7) as SQL.

Date objects are read in the caller's time zone (customfields.filters.date_span). A planned start
or end given as a date alone matches by its calendar date. Custom-field kinds go through the
custom-field service (customfields.filters.custom_condition). An unknown type or an operator the
type does not take is 0015.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, not_, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.functions import GenericFunction

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.contacts.identity import CONTACT_ROLE
from planfix_server.domain.customfields import service as custom_service
from planfix_server.domain.customfields.filters import (
    DateSpan,
    FilterIn,
    custom_condition,
    date_span,
    has_value_condition,
    span_condition,
    to_date,
)
from planfix_server.domain.tasks.repository import AUDITOR, GROUP, MEMBER, USER, WORKER
from planfix_server.domain.users.queries import ci
from planfix_server.store.tables import (
    Moment,
    project_people,
    task_people,
    tasks,
    user_group_members,
    users,
)
from planfix_server.store.uow import AccountUnitOfWork


class greatest(GenericFunction[dt.datetime]):  # noqa: N801 - reads like the SQL function it stands for
    type = Moment
    inherit_cache = True


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"  # SQLite's scalar max() of several values


DATE_COLUMNS: dict[int, Any] = {
    12: tasks.c.created_at,
    21: tasks.c.last_activity_at,
    19: tasks.c.completed_at,
    20: tasks.c.done_at,
    38: tasks.c.modified_at,
    79: greatest(tasks.c.modified_at, tasks.c.last_activity_at),
}
PLANNED_COLUMNS = {13: (tasks.c.start_at, tasks.c.start_has_time), 14: (tasks.c.end_at, tasks.c.end_has_time)}
# Filter type -> (role in the task, or "project" for the project's auditors).
PEOPLE_TYPES = {2: WORKER, 39: MEMBER, 60: AUDITOR, 59: "project"}
FLAGS: dict[int, ColumnElement[bool]] = {
    22: tasks.c.start_at.is_(None),
    23: tasks.c.end_at.is_(None),
    25: tasks.c.start_at.is_not(None),
    26: tasks.c.end_at.is_not(None),
    16: tasks.c.is_periodic,
    28: not_(tasks.c.is_periodic),
}


# "assignee / participant is a contact" (True) or "… an employee" (False): type -> (role, contacts).
PEOPLE_KIND_TYPES = {69: (WORKER, True), 71: (WORKER, False), 70: (MEMBER, True), 72: (MEMBER, False)}


def _contact_users(tenant: BindParameter[int]) -> Any:
    """The user ids of contacts (what owners and people are when they are contacts)."""
    return select(users.c.id).where(users.c.account_id == tenant, users.c.role == CONTACT_ROLE)


def _someone_in_role(tenant: BindParameter[int], role: str, *, contacts: bool) -> ColumnElement[bool]:
    """The task has a contact (or an employee: a user who is none, or a user group) in ``role``."""
    is_contact = and_(task_people.c.kind == USER, task_people.c.person_id.in_(_contact_users(tenant)))
    return exists().where(
        task_people.c.account_id == tenant,
        task_people.c.task_id == tasks.c.id,
        task_people.c.role == role,
        is_contact if contacts else not_(is_contact),
    )


def _role_rows(tenant: BindParameter[int], role: str) -> ColumnElement[bool]:
    return exists().where(
        task_people.c.account_id == tenant, task_people.c.task_id == tasks.c.id, task_people.c.role == role
    )


def _groups_of(tenant: BindParameter[int], user_id: int) -> Any:
    return select(user_group_members.c.group_id).where(
        user_group_members.c.account_id == tenant, user_group_members.c.user_id == user_id
    )


def person_in_role(tenant: BindParameter[int], role: str, user_id: int) -> ColumnElement[bool]:
    """The user is in ``role`` on the task, himself or through one of his groups."""
    if role == "project":
        return exists().where(
            project_people.c.account_id == tenant,
            project_people.c.project_id == tasks.c.project_id,
            project_people.c.role == AUDITOR,
            or_(
                and_(project_people.c.kind == USER, project_people.c.person_id == user_id),
                and_(
                    project_people.c.kind == GROUP,
                    project_people.c.person_id.in_(_groups_of(tenant, user_id)),
                ),
            ),
        )
    return tasks.c.id.in_(
        select(task_people.c.task_id).where(
            task_people.c.account_id == tenant,
            task_people.c.role == role,
            or_(
                and_(task_people.c.kind == USER, task_people.c.person_id == user_id),
                and_(task_people.c.kind == GROUP, task_people.c.person_id.in_(_groups_of(tenant, user_id))),
            ),
        )
    )


def overdue(deadline_ids: Sequence[int], now: dt.datetime, today: dt.date) -> ColumnElement[bool]:
    """views.is_overdue as SQL: past the deadline in a status that tracks it (a date alone: the day
    is over)."""
    return and_(
        tasks.c.status.in_(list(deadline_ids)),
        tasks.c.end_at.is_not(None),
        or_(
            and_(tasks.c.end_has_time, tasks.c.end_at <= now),
            and_(not_(tasks.c.end_has_time), tasks.c.end_at < dt.datetime.combine(today, dt.time(), dt.UTC)),
        ),
    )


def _planned(
    column: Any, has_time: Any, span: DateSpan, operator: str, to_utc: Callable[[dt.datetime], Any]
) -> Any:
    def as_stored_date(moment: dt.datetime) -> dt.datetime:
        return dt.datetime.combine(to_date(moment), dt.time(), dt.UTC)

    return or_(
        and_(has_time, span_condition(column, span, operator, to_utc)),
        and_(not_(has_time), span_condition(column, span, operator, as_stored_date)),
    )


def _equal_or_not(column: Any, value: int, operator: str) -> ColumnElement[bool]:
    if operator == "equal":
        return column == value  # type: ignore[no-any-return]
    return or_(column != value, column.is_(None))


def condition(
    uow: AccountUnitOfWork,
    call: Call,
    tenant: BindParameter[int],
    given: FilterIn,
    deadline_ids: Sequence[int],
    today: dt.date,
) -> ColumnElement[bool]:
    """The SQL of one ``<filter>``; 0009 / 0015 for a filter that cannot be read."""
    kind = given.type
    if kind is None:
        raise errors.MissingParameter("filters/filter/type")
    to_utc = call.to_utc
    if kind in DATE_COLUMNS:
        operator = given.checked_operator()
        return span_condition(DATE_COLUMNS[kind], date_span(given, today), operator, to_utc)  # type: ignore[no-any-return]
    if kind in PLANNED_COLUMNS:
        column, has_time = PLANNED_COLUMNS[kind]
        return _planned(column, has_time, date_span(given, today), given.checked_operator(), to_utc)  # type: ignore[no-any-return]
    if kind == 1 or kind == 3 or kind in PEOPLE_TYPES:
        operator = given.checked_operator(("equal", "notequal"))
        user_id = given.number()
        if kind == 1:
            return _equal_or_not(tasks.c.owner_id, user_id, operator)
        if kind == 3:
            hit = or_(person_in_role(tenant, AUDITOR, user_id), person_in_role(tenant, "project", user_id))
        else:
            hit = person_in_role(tenant, PEOPLE_TYPES[kind], user_id)
        return hit if operator == "equal" else not_(hit)
    if kind in FLAGS:
        given.checked_operator(("equal",))
        return FLAGS[kind]
    if kind in (17, 29):
        given.checked_operator(("equal",))
        late = overdue(deadline_ids, call.now, today)
        return late if kind == 17 else not_(late)
    if kind in (33, 41):
        given.checked_operator(("equal",))
        return not_(_role_rows(tenant, WORKER if kind == 33 else MEMBER))
    if kind in PEOPLE_KIND_TYPES:
        given.checked_operator(("equal",))
        role, of_contacts = PEOPLE_KIND_TYPES[kind]
        return _someone_in_role(tenant, role, contacts=of_contacts)
    if kind in (34, 35):
        given.checked_operator(("equal",))
        by_contact = tasks.c.owner_id.in_(_contact_users(tenant))
        return by_contact if kind == 35 else not_(by_contact)
    if kind in (11, 18):
        # Data tags (analitics) arrive with their own functions; until then no task carries one.
        given.checked_operator(("equal",))
        given.number()
        return false() if kind == 11 else true()
    if kind == 8:
        operator = given.checked_operator(("equal", "notequal"))
        hit = ci(tasks.c.title).contains(given.text().lower(), autoescape=True)
        return hit if operator == "equal" else not_(hit)
    if kind in (73, 51, 7, 24):
        operator = given.checked_operator(("equal", "notequal"))
        by_kind = {
            73: tasks.c.parent_id,
            51: tasks.c.template_id,
            7: tasks.c.client_id,
            24: tasks.c.status_set_id,
        }
        return _equal_or_not(by_kind[kind], given.number(), operator)
    if kind == 10:
        operator = given.checked_operator(("equal", "notequal"))
        wanted = [given_status(part) for part in given.text().split(";") if part.strip()]
        return tasks.c.status.in_(wanted) if operator == "equal" else tasks.c.status.not_in(wanted)
    if kind in (152, 153):
        given.checked_operator(("equal",))
        definition = custom_service.field_of(uow, "task", given.number())
        if definition is None:
            raise errors.InvalidParameterValue(f"filters/filter/value: no task field {given.text()[:20]}")
        hit = has_value_condition("task", tasks.c.id, definition.id)
        return hit if kind == 152 else not_(hit)
    if 101 <= kind <= 114:
        if given.field is None:
            raise errors.MissingParameter("filters/filter/field")
        definition = custom_service.field_of(uow, "task", given.field)
        if definition is None:
            raise errors.InvalidParameterValue(f"filters/filter/field: no task field {given.field}")
        return custom_condition("task", tasks.c.id, definition, kind - 100, given, today, to_utc)
    raise errors.InvalidParameterValue(f"filters/filter/type: unknown filter {kind}")


def given_status(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise errors.InvalidParameterValue(f"filters/filter/value: not a status id {text[:20]!r}") from None
