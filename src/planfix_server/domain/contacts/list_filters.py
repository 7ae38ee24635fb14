"""The complex filters of contact.getList (``<filters>``, planfix-xml-api/21-contacts.md §9) as SQL.

One condition per ``<filter>``; the list ANDs them. Date objects are read in the caller's time zone,
relative to ``Call.now`` (customfields.filters.date_span); custom-field kinds 41xx go through
customfields.filters.custom_condition (suffix = type - 4100). A missing part is 0009; an unknown
type, an operator the type does not take or a value it cannot read is 0015.

Where §9 leaves room (docs/contacts.md, "Lists and filters"):

* flag kinds (4006 … 4018, 4201 … 4206) take the value 1 (or none); 0 asks for the opposite;
* text kinds: equal = contains, notequal = does not contain, ignoring case; a phone (4003) given
  with digits matches the digits of a stored number, separators ignored;
* 4011 (birthday, year ignored): equal = day and month fall in the period; gt / lt = later / earlier
  in the calendar year than the period;
* 2 (responsible) and 48 count the user himself and his groups; 47: every employee sees every
  contact; 48: administrators may edit every contact, others those they added or answer for;
* the task kinds count tasks (not templates) whose counterparty (``client``) is the contact or in
  which its userid is an assignee, participant or auditor; "active" is a status with isActive,
  "overdue" what task.getList's OVERDUE filter means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, false, func, not_, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.contacts.identity import ACCESS_GRANTED, CONTACT_ROLE
from planfix_server.domain.contacts.list_queries import TENANT, contains
from planfix_server.domain.contacts.lookup import ContactLookup
from planfix_server.domain.customfields.filters import (
    SUFFIX_TYPES,
    DateSpan,
    FilterIn,
    custom_condition,
    date_span,
    span_condition,
    to_date,
)
from planfix_server.domain.customfields.service import field_of
from planfix_server.domain.projects.queries import equals
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.tasks.list_filters import overdue
from planfix_server.domain.tasks.repository import GROUP, ROLES, USER
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.records import UserRecord
from planfix_server.store.tables import (
    contact_emails,
    contact_phones,
    contact_responsibles,
    contacts,
    task_people,
    tasks,
)
from planfix_server.store.uow import AccountUnitOfWork

EQUALITY = ("equal", "notequal")
CUSTOM_BASE = 4100

CREATED, BIRTH_DATE, BIRTHDAY = 12, 4223, 4011
# Date kinds over the last activity of the contact's tasks: type -> (side, negated).
ACTIVITY = {4213: ("client", False), 4219: ("client", True), 4214: ("member", False), 4220: ("member", True)}
ADDED_BY, RESPONSIBLE, AVAILABLE_TO, EDITABLE_BY = 1, 2, 47, 48
GROUP_KIND, TEMPLATE_KIND = 4008, 4016
FLAGS: dict[int, ColumnElement[bool]] = {
    4006: contacts.c.is_company,
    4007: not_(contacts.c.is_company),
    4010: contacts.c.access.in_(ACCESS_GRANTED),
    4012: contacts.c.can_be_worker,
    4017: not_(contacts.c.can_be_worker),
    4013: contacts.c.can_be_client,
    4018: not_(contacts.c.can_be_client),
}
# Flag kinds over the contact's tasks: type -> (side, which tasks, negated).
TASK_FLAGS = {
    4201: ("client", "active", True),
    4202: ("member", "active", True),
    4203: ("client", "active", False),
    4204: ("member", "active", False),
    4205: ("client", "overdue", False),
    4206: ("member", "overdue", False),
}
NAME, PHONE, EXTRA_EMAIL = 4001, 4003, 4221
TEXT_COLUMNS: dict[int, Any] = {
    4002: contacts.c.post,
    4004: contacts.c.address,
    4005: contacts.c.email,
    4014: contacts.c.name,
    4015: contacts.c.last_name,
}
_PHONE_SEPARATORS = " -()+./"


class month_day(GenericFunction[int]):  # noqa: N801 - reads like the SQL function it stands for
    """``mmdd`` of a date as an integer (13 March -> 313)."""

    type = Integer()
    inherit_cache = True


@compiles(month_day)
def _month_day(element: month_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(to_char({compiler.process(element.clauses, **kw)}, 'MMDD') AS INTEGER)"


@compiles(month_day, "sqlite")
def _month_day_sqlite(element: month_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(strftime('%m%d', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


class _Context:
    """What the filters of one request share: the caller, the local date, the status ids."""

    def __init__(self, uow: AccountUnitOfWork, call: Call) -> None:
        self.uow = uow
        self.call = call
        self.today = call.now.astimezone(call.tz).date()

    def active_ids(self) -> list[int]:
        return status_service.active_status_ids(self.uow)

    def overdue(self) -> ColumnElement[bool]:
        return overdue(status_service.deadline_status_ids(self.uow), self.call.now, self.today)


# -- tasks of a contact


def as_client(*task_conditions: Any) -> ColumnElement[bool]:
    """The contact is the counterparty of a task that meets ``task_conditions``."""
    return contacts.c.id.in_(
        select(tasks.c.client_id).where(
            tasks.c.account_id == TENANT,
            tasks.c.type == "task",
            tasks.c.client_id.is_not(None),
            *task_conditions,
        )
    )


def as_participant(*task_conditions: Any) -> ColumnElement[bool]:
    """The contact's userid is an assignee, participant or auditor of such a task."""
    joined = task_people.join(
        tasks, and_(tasks.c.account_id == task_people.c.account_id, tasks.c.id == task_people.c.task_id)
    )
    return contacts.c.user_id.in_(
        select(task_people.c.person_id)
        .select_from(joined)
        .where(
            task_people.c.account_id == TENANT,
            task_people.c.kind == USER,
            task_people.c.role.in_(ROLES),
            tasks.c.type == "task",
            *task_conditions,
        )
    )


def _in_tasks(side: str, *task_conditions: Any) -> ColumnElement[bool]:
    return as_client(*task_conditions) if side == "client" else as_participant(*task_conditions)


# -- people


def _employee(uow: AccountUnitOfWork, user_id: int) -> UserRecord | None:
    user = uow.get(UserRepository).by_id(user_id)
    return None if user is None or user.role == CONTACT_ROLE else user


def responsible_for(uow: AccountUnitOfWork, user_id: int) -> ColumnElement[bool]:
    """The user answers for the contact, himself or through one of his groups."""
    person = and_(contact_responsibles.c.kind == USER, contact_responsibles.c.person_id == user_id)
    group_ids = sorted(uow.get(UserRepository).group_ids_of(user_id))
    if group_ids:
        person = or_(
            person,
            and_(contact_responsibles.c.kind == GROUP, contact_responsibles.c.person_id.in_(group_ids)),
        )
    return contacts.c.id.in_(
        select(contact_responsibles.c.contact_id).where(contact_responsibles.c.account_id == TENANT, person)
    )


def editable_by(uow: AccountUnitOfWork, user_id: int) -> ColumnElement[bool]:
    """Contacts the user may change: all for administrators, else the ones he added or answers for."""
    user = _employee(uow, user_id)
    if user is None:
        return false()
    if user.role == "ADMIN":
        return true()
    # No NULL may reach NOT (notequal): a contact nobody added is simply not added by this user.
    added = and_(contacts.c.created_by.is_not(None), contacts.c.created_by == user_id)
    return or_(added, responsible_for(uow, user_id))


def _person(context: _Context, kind: int, user_id: int) -> ColumnElement[bool]:
    if kind == RESPONSIBLE:
        return responsible_for(context.uow, user_id)
    if kind == AVAILABLE_TO:  # every employee sees every contact
        return true() if _employee(context.uow, user_id) is not None else false()
    return editable_by(context.uow, user_id)


# -- dates


def birthday(span: DateSpan, operator: str) -> ColumnElement[bool]:
    """Day and month of the birth date against the period, whatever the year."""
    first, last = to_date(span.start), to_date(span.end) - dt.timedelta(days=1)
    key = month_day(contacts.c.birthdate)
    start, end = first.month * 100 + first.day, last.month * 100 + last.day
    if operator == "gt":
        return key > end
    if operator == "lt":
        return key < start
    whole_year = last.year - first.year > 1 or (last.year > first.year and start <= end)
    if whole_year:
        inside: ColumnElement[bool] = contacts.c.birthdate.is_not(None)
    elif start <= end:
        inside = key.between(start, end)
    else:  # the period crosses New Year
        inside = or_(key >= start, key <= end)
    if operator == "equal":
        return inside
    return and_(contacts.c.birthdate.is_not(None), not_(inside))


def _dated(context: _Context, kind: int, given: FilterIn) -> ColumnElement[bool]:
    operator = given.checked_operator()
    span = date_span(given, context.today)
    to_utc = context.call.to_utc
    if kind == CREATED:
        return span_condition(contacts.c.created_at, span, operator, to_utc)  # type: ignore[no-any-return]
    if kind == BIRTH_DATE:
        return span_condition(contacts.c.birthdate, span, operator, to_date)  # type: ignore[no-any-return]
    if kind == BIRTHDAY:
        return birthday(span, operator)
    side, negated = ACTIVITY[kind]
    hit = _in_tasks(side, span_condition(tasks.c.last_activity_at, span, operator, to_utc))
    return not_(hit) if negated else hit


# -- text


def phone_contains(text: str) -> ColumnElement[bool]:
    digits = "".join(char for char in text if char in "0123456789")
    number: Any = contact_phones.c.number
    if digits:
        for separator in _PHONE_SEPARATORS:
            number = func.replace(number, separator, "")
        match = number.contains(digits, autoescape=True)
    else:
        match = contains(number, text)
    return contacts.c.id.in_(
        select(contact_phones.c.contact_id).where(contact_phones.c.account_id == TENANT, match)
    )


def _text(kind: int, text: str) -> ColumnElement[bool]:
    if kind == NAME:
        return or_(contains(contacts.c.name, text), contains(contacts.c.last_name, text))
    if kind == PHONE:
        return phone_contains(text)
    if kind == EXTRA_EMAIL:
        return contacts.c.id.in_(
            select(contact_emails.c.contact_id).where(
                contact_emails.c.account_id == TENANT, contains(contact_emails.c.email, text)
            )
        )
    return contains(TEXT_COLUMNS[kind], text)


# -- one filter


def _wanted(given: FilterIn) -> bool:
    """A flag's value: 1 (or nothing) asks for the flag, 0 for its opposite."""
    value = (given.value or "").strip().lower()
    if value in ("", "1", "true"):
        return True
    if value in ("0", "false"):
        return False
    raise errors.InvalidParameterValue(
        f"filters/filter/value: {value[:20]!r} for type {given.type}, not 1 or 0"
    )


def _template(uow: AccountUnitOfWork, general: int, operator: str) -> ColumnElement[bool]:
    found = uow.get(ContactLookup).by_general(general)
    if found is None or not found.is_template:
        return false() if operator == "equal" else true()
    return equals(contacts.c.template_id, found.id, operator)


def _custom(context: _Context, given: FilterIn, suffix: int) -> ColumnElement[bool]:
    if given.field is None:
        raise errors.MissingParameter("filters/filter/field")
    definition = field_of(context.uow, "contact", given.field)
    if definition is None:
        raise errors.InvalidParameterValue(f"filters/filter/field: no contact field {given.field}")
    return custom_condition(
        "contact", contacts.c.id, definition, suffix, given, context.today, context.call.to_utc
    )


def condition(context: _Context, given: FilterIn) -> ColumnElement[bool]:
    """The SQL of one ``<filter>``; 0009 / 0015 for a filter that cannot be read."""
    kind = given.type
    if kind is None:
        raise errors.MissingParameter("filters/filter/type")
    if kind in (CREATED, BIRTH_DATE, BIRTHDAY) or kind in ACTIVITY:
        return _dated(context, kind, given)
    if kind in (ADDED_BY, RESPONSIBLE, AVAILABLE_TO, EDITABLE_BY):
        operator = given.checked_operator(EQUALITY)
        user_id = given.number()
        if kind == ADDED_BY:
            return equals(contacts.c.created_by, user_id, operator)
        hit = _person(context, kind, user_id)
        return hit if operator == "equal" else not_(hit)
    if kind in FLAGS:
        given.checked_operator(("equal",))
        return FLAGS[kind] if _wanted(given) else not_(FLAGS[kind])
    if kind in TASK_FLAGS:
        given.checked_operator(("equal",))
        side, which, negated = TASK_FLAGS[kind]
        scope = tasks.c.status.in_(context.active_ids()) if which == "active" else context.overdue()
        hit = _in_tasks(side, scope)
        return hit if negated != _wanted(given) else not_(hit)
    if kind in TEXT_COLUMNS or kind in (NAME, PHONE, EXTRA_EMAIL):
        operator = given.checked_operator(EQUALITY)
        hit = _text(kind, given.text())
        return hit if operator == "equal" else not_(hit)
    if kind == GROUP_KIND:
        return equals(contacts.c.group_id, given.number(), given.checked_operator(EQUALITY))
    if kind == TEMPLATE_KIND:
        operator = given.checked_operator(EQUALITY)
        return _template(context.uow, given.number(), operator)
    if kind - CUSTOM_BASE in SUFFIX_TYPES:
        return _custom(context, given, kind - CUSTOM_BASE)
    raise errors.InvalidParameterValue(f"filters/filter/type: unknown contact filter {kind}")


def conditions(
    uow: AccountUnitOfWork, call: Call, given: Sequence[FilterIn] | None
) -> list[ColumnElement[bool]]:
    """One condition per filter (entries a template client left empty are skipped)."""
    context = _Context(uow, call)
    return [condition(context, item) for item in given or () if not item.is_blank]
