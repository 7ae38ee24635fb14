"""Tasks, their people and stars, of one account; and the lookups the task rules need."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Select,
    String,
    and_,
    any_,
    bindparam,
    delete,
    func,
    null,
    select,
    update,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import BindParameter

from planfix_server.api import errors
from planfix_server.domain.contacts.lookup import display_name
from planfix_server.store.db import is_sqlite
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import (
    contacts,
    projects,
    task_counts,
    task_people,
    task_stars,
    tasks,
    user_groups,
    users,
)

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)


def _among(column: ColumnElement[int], on_sqlite: bool) -> ColumnElement[bool]:
    """``column`` is one of the ids bound as one value (a page of 100 ids): a JSON array read by
    json_each on SQLite, an array on PostgreSQL. One parameter instead of a hundred keeps the
    statement's text constant (prepared and cached) and spares rendering a parameter per id."""
    if on_sqlite:
        listed = func.json_each(bindparam("ids_json", type_=String())).table_valued("value")
        return column.in_(select(listed.c.value))
    return column == any_(bindparam("ids_array", type_=ARRAY(BigInteger())))


def _per_database(build: Callable[[bool], Select[Any]]) -> dict[bool, Scoped]:
    """The statement for SQLite (True) and for PostgreSQL (False)."""
    return {on_sqlite: Scoped(build(on_sqlite)) for on_sqlite in (True, False)}


WORKER, MEMBER, AUDITOR = "worker", "member", "auditor"
ROLES = (WORKER, MEMBER, AUDITOR)
USER, GROUP = "user", "group"


@dataclass(frozen=True, slots=True)
class TaskRecord:
    id: int
    general: int
    type: str
    is_periodic: bool
    title: str
    description: str
    importance: str
    status_set_id: int
    status: int
    check_result: bool
    owner_id: int
    parent_id: int | None
    template_id: int | None
    project_id: int | None
    client_id: int | None
    created_at: dt.datetime
    start_at: dt.datetime | None
    start_has_time: bool
    end_at: dt.datetime | None
    end_has_time: bool
    duration: int | None
    duration_unit: int
    is_summary: bool
    additional_description: str
    periodicity: str | None
    delayed_until: dt.datetime | None
    done_at: dt.datetime | None
    completed_at: dt.datetime | None
    modified_at: dt.datetime
    last_activity_at: dt.datetime


_FIELDS = [name for name in TaskRecord.__dataclass_fields__]
# Rows of ``select(tasks, …)`` start with account_id and then hold the record's fields in order.
assert [column.name for column in tasks.c][1:] == _FIELDS, "TaskRecord must follow the tasks columns"
_WIDTH = len(_FIELDS)


def record(row: Any) -> TaskRecord:
    """A TaskRecord from a row of ``select(tasks, …)``, by position (rows of a page add up)."""
    return TaskRecord(*tuple(row)[1 : _WIDTH + 1])


@dataclass(frozen=True, slots=True)
class Person:
    """One row of a task's people: a user or a group in a role; ``status`` is an assignee's own."""

    task_id: int
    role: str
    kind: str
    person_id: int
    status: int | None = None
    name: str = ""


def person_name(name: str | None, last_name: str | None) -> str:
    """A user as tasks name him: first name, then last name (as in the real captures)."""
    return " ".join(part for part in (name, last_name) if part)


def contact_columns(alias: Any, prefix: str) -> list[Any]:
    """The columns a contact's display name needs, labelled ``prefix_…`` (NULL when no contact joined)."""
    return [
        alias.c.name.label(f"{prefix}_name"),
        alias.c.mid_name.label(f"{prefix}_mid_name"),
        alias.c.last_name.label(f"{prefix}_last_name"),
        alias.c.is_company.label(f"{prefix}_is_company"),
    ]


def joined_name(row: Any, prefix: str) -> str | None:
    """The display name of the contact joined under ``prefix`` (contact_columns), None without one."""
    first = getattr(row, f"{prefix}_name")
    if first is None:
        return None
    return display_name(
        first,
        getattr(row, f"{prefix}_mid_name"),
        getattr(row, f"{prefix}_last_name"),
        bool(getattr(row, f"{prefix}_is_company")),
    )


_BY_ID = Scoped(select(tasks).where(tasks.c.account_id == _ACCOUNT, tasks.c.id == bindparam("id")))
_BY_GENERAL = Scoped(
    select(tasks).where(tasks.c.account_id == _ACCOUNT, tasks.c.general == bindparam("general"))
)
_BY_IDS = _per_database(
    lambda on_sqlite: select(tasks).where(tasks.c.account_id == _ACCOUNT, _among(tasks.c.id, on_sqlite))
)
_IDS_OF_GENERALS = Scoped(
    select(tasks.c.general, tasks.c.id).where(tasks.c.account_id == _ACCOUNT, tasks.c.general.in_(_IDS))
)
_LOCK = Scoped(
    select(tasks.c.id).where(tasks.c.account_id == _ACCOUNT, tasks.c.id == bindparam("id")).with_for_update()
)
_PARENT_OF = Scoped(
    select(tasks.c.parent_id).where(tasks.c.account_id == _ACCOUNT, tasks.c.id == bindparam("id"))
)
_owner = users.alias("owner")
_owner_contact = contacts.alias("owner_contact")
_client = contacts.alias("client")
# Times a card does not show are left out (NULL in their place): reading a time costs a parse.
_UNSHOWN = ("delayed_until", "done_at", "completed_at", "modified_at", "last_activity_at")
# A card: the task with its owner's name, client, project title and the viewer's star.
_CARD = select(
    *(null().label(column.name) if column.name in _UNSHOWN else column for column in tasks.c),
    _owner.c.name.label("owner_first_name"),
    _owner.c.last_name.label("owner_last_name"),
    *contact_columns(_owner_contact, "owner_contact"),
    *contact_columns(_client, "client"),
    projects.c.title.label("project_title"),
    task_stars.c.user_id.is_not(None).label("starred"),
).select_from(
    tasks.outerjoin(_owner, and_(_owner.c.account_id == tasks.c.account_id, _owner.c.id == tasks.c.owner_id))
    .outerjoin(
        _owner_contact,
        and_(
            _owner_contact.c.account_id == tasks.c.account_id,
            _owner_contact.c.user_id == tasks.c.owner_id,
        ),
    )
    .outerjoin(_client, and_(_client.c.account_id == tasks.c.account_id, _client.c.id == tasks.c.client_id))
    .outerjoin(
        projects,
        and_(projects.c.account_id == tasks.c.account_id, projects.c.id == tasks.c.project_id),
    )
    .outerjoin(
        task_stars,
        and_(
            task_stars.c.account_id == tasks.c.account_id,
            task_stars.c.task_id == tasks.c.id,
            task_stars.c.user_id == bindparam("viewer"),
        ),
    )
)
_CARDS = _per_database(
    lambda on_sqlite: _CARD.where(tasks.c.account_id == _ACCOUNT, _among(tasks.c.id, on_sqlite))
)
_CARD_BY_ID = Scoped(_CARD.where(tasks.c.account_id == _ACCOUNT, tasks.c.id == bindparam("id")))
_CARD_BY_GENERAL = Scoped(
    _CARD.where(tasks.c.account_id == _ACCOUNT, tasks.c.general == bindparam("general"))
)
_PEOPLE_COLUMNS = (
    task_people.c.task_id,
    task_people.c.role,
    task_people.c.kind,
    task_people.c.person_id,
    task_people.c.status,
    users.c.name.label("first_name"),
    users.c.last_name,
    *contact_columns(contacts, "contact"),
    user_groups.c.name.label("group_name"),
)
_PEOPLE_JOIN = (
    task_people.outerjoin(
        users,
        and_(
            task_people.c.kind == USER,
            users.c.account_id == task_people.c.account_id,
            users.c.id == task_people.c.person_id,
        ),
    )
    .outerjoin(
        contacts,  # a contact takes part by its userid and is named as contacts are
        and_(
            task_people.c.kind == USER,
            contacts.c.account_id == task_people.c.account_id,
            contacts.c.user_id == task_people.c.person_id,
        ),
    )
    .outerjoin(
        user_groups,
        and_(
            task_people.c.kind == GROUP,
            user_groups.c.account_id == task_people.c.account_id,
            user_groups.c.id == task_people.c.person_id,
        ),
    )
)
_PEOPLE_ORDER = (task_people.c.task_id, task_people.c.role, task_people.c.kind, task_people.c.person_id)


def _people_of(on_sqlite: bool, workers_only: bool) -> Select[Any]:
    conditions = [task_people.c.account_id == _ACCOUNT, _among(task_people.c.task_id, on_sqlite)]
    if workers_only:
        conditions.append(task_people.c.role == WORKER)
    return select(*_PEOPLE_COLUMNS).select_from(_PEOPLE_JOIN).where(*conditions).order_by(*_PEOPLE_ORDER)


_PEOPLE = {
    workers_only: {on_sqlite: Scoped(_people_of(on_sqlite, workers_only)) for on_sqlite in (True, False)}
    for workers_only in (True, False)
}
_DELETE_ROLE = Scoped(
    delete(task_people).where(
        task_people.c.account_id == _ACCOUNT,
        task_people.c.task_id == bindparam("task_id"),
        task_people.c.role == bindparam("role"),
    )
)
_DELETE_PEOPLE = Scoped(
    delete(task_people).where(
        task_people.c.account_id == _ACCOUNT,
        task_people.c.task_id == bindparam("task_id"),
        task_people.c.role == bindparam("role"),
        task_people.c.kind == bindparam("kind"),
        task_people.c.person_id.in_(_IDS),
    )
)
_SET_PERSONAL = Scoped(
    update(task_people)
    .where(
        task_people.c.account_id == _ACCOUNT,
        task_people.c.task_id == bindparam("b_task_id"),
        task_people.c.role == WORKER,
        task_people.c.kind == bindparam("b_kind"),
        task_people.c.person_id == bindparam("b_person_id"),
    )
    .values(status=bindparam("b_status"))
)
_RESET_PERSONAL = Scoped(
    update(task_people)
    .where(
        task_people.c.account_id == _ACCOUNT,
        task_people.c.task_id == bindparam("b_task_id"),
        task_people.c.role == WORKER,
    )
    .values(status=bindparam("b_status"))
)
_FORGET_PERSON = Scoped(
    delete(task_people).where(
        task_people.c.account_id == _ACCOUNT,
        task_people.c.kind == USER,
        task_people.c.person_id == bindparam("user_id"),
    )
)
_FORGET_CLIENT = Scoped(
    update(tasks)
    .where(tasks.c.account_id == _ACCOUNT, tasks.c.client_id == bindparam("b_client_id"))
    .values(client_id=None)
)
_UPDATE_BASE = update(tasks).where(tasks.c.account_id == _ACCOUNT, tasks.c.id == bindparam("b_task_id"))
Scoped(_UPDATE_BASE)  # checked at import like every statement; the SET part varies per call

_COUNTED = select(func.coalesce(func.sum(task_counts.c.count), 0)).where(task_counts.c.account_id == _ACCOUNT)
# The whole of one target of task.getList, from the counts the triggers keep (no index walk).
KIND_COUNTS = {
    "all": Scoped(_COUNTED.where(task_counts.c.type == "task")),
    "template": Scoped(_COUNTED.where(task_counts.c.type == "template")),
    "periodic": Scoped(_COUNTED.where(task_counts.c.is_periodic)),
}
_GROUP_IDS = Scoped(
    select(user_groups.c.id).where(user_groups.c.account_id == _ACCOUNT, user_groups.c.id.in_(_IDS))
)
_PROJECT = Scoped(
    select(projects.c.id, projects.c.owner_id, projects.c.is_template).where(
        projects.c.account_id == _ACCOUNT, projects.c.id == bindparam("id")
    )
)
_SUBPROJECTS = Scoped(
    select(projects.c.id).where(projects.c.account_id == _ACCOUNT, projects.c.parent_id.in_(_IDS))
)


class TaskRepository(Repository):
    # -- one task
    def by_id(self, task_id: int) -> TaskRecord | None:
        row = self.first(_BY_ID, id=task_id)
        return None if row is None else record(row)

    def by_general(self, general: int) -> TaskRecord | None:
        row = self.first(_BY_GENERAL, general=general)
        return None if row is None else record(row)

    def _among(self, queries: dict[bool, Scoped], ids: Sequence[int], **params: Any) -> Sequence[Any]:
        """Rows of a statement built with ``_among``, for ``ids``."""
        if is_sqlite(self.connection):
            return self.rows(queries[True], ids_json=json.dumps([int(one) for one in ids]), **params)
        return self.rows(queries[False], ids_array=[int(one) for one in ids], **params)

    def by_ids(self, task_ids: Sequence[int]) -> dict[int, TaskRecord]:
        if not task_ids:
            return {}
        return {int(row.id): record(row) for row in self._among(_BY_IDS, task_ids)}

    def ids_of_generals(self, generals: Sequence[int]) -> dict[int, int]:
        if not generals:
            return {}
        return {int(row.general): int(row.id) for row in self.rows(_IDS_OF_GENERALS, ids=list(generals))}

    def lock(self, task_id: int) -> None:
        """Hold the task's row until commit. On PostgreSQL a writer that waits longer than a few
        seconds answers 3014, which clients retry; SQLite already runs one writer at a time."""
        if is_sqlite(self.connection):
            return
        self.connection.exec_driver_sql("SET LOCAL lock_timeout = '3s'")
        try:
            self.first(_LOCK, id=task_id)
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) == "55P03":
                raise errors.TaskBeingModified(f"task {task_id}") from None
            raise

    def parent_of(self, task_id: int) -> int | None:
        value = self.scalar(_PARENT_OF, id=task_id)
        return None if value is None else int(value)

    def insert_task(self, **values: Any) -> None:
        self.insert(tasks, **values)

    def insert_tasks(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Many task rows at once (fixtures, the benchmark's seeding, tests)."""
        self.insert_many(tasks, rows)

    def update_task(self, task_id: int, **values: Any) -> None:
        if values:
            self.connection.execute(
                _UPDATE_BASE.values(**values), {"tenant": self.account_id, "b_task_id": task_id}
            )

    # -- lists (statements from queries.statements)
    def count(self, query: Scoped) -> int:
        return int(self.scalar(query))

    def kind_count(self, target: str) -> int:
        return int(self.scalar(KIND_COUNTS[target]))

    def page_ids(self, query: Scoped, offset: int, limit: int) -> list[int]:
        return [int(row.id) for row in self.rows(query, offset=offset, limit=limit)]

    # -- pages of tasks, for rendering
    def cards(self, task_ids: Sequence[int], viewer_id: int) -> list[Any]:
        """The rows of a page with the owner's name, the project's title and ``starred`` (by the viewer)."""
        if not task_ids:
            return []
        return list(self._among(_CARDS, task_ids, viewer=viewer_id))

    def card(self, viewer_id: int, *, task_id: int | None = None, general: int | None = None) -> Any:
        """The card row of one task, by number (which wins when both are given) or by id; None
        when there is none."""
        if general is not None:
            return self.first(_CARD_BY_GENERAL, general=general, viewer=viewer_id)
        if task_id is not None:
            return self.first(_CARD_BY_ID, id=task_id, viewer=viewer_id)
        return None

    def people(self, task_ids: Sequence[int], *, workers_only: bool = False) -> dict[int, list[Person]]:
        found: dict[int, list[Person]] = defaultdict(list)
        if not task_ids:
            return found
        # Unpacked by position (the order of _PEOPLE_COLUMNS): a page holds hundreds of rows and
        # reading a Row's fields by name costs more than the rest of building a Person.
        for row in self._among(_PEOPLE[workers_only], task_ids):
            (
                task_id,
                role,
                kind,
                person_id,
                status,
                first,
                last,
                contact,
                mid,
                contact_last,
                company,
                group,
            ) = row
            if kind == USER:
                shown = display_name(contact, mid, contact_last, bool(company)) if contact is not None else ""
                name = shown or person_name(first, last)
            else:
                name = group or ""
            found[int(task_id)].append(Person(int(task_id), role, kind, int(person_id), status, name))
        return found

    def star(self, task_id: int, user_id: int) -> None:
        self.insert(task_stars, task_id=task_id, user_id=user_id)

    # -- people of one task
    def add_people(self, rows: Iterable[Person]) -> None:
        self.insert_many(
            task_people,
            [
                {
                    "task_id": row.task_id,
                    "role": row.role,
                    "kind": row.kind,
                    "person_id": row.person_id,
                    "status": row.status,
                }
                for row in rows
            ],
        )

    def clear_role(self, task_id: int, role: str) -> None:
        self.execute(_DELETE_ROLE, task_id=task_id, role=role)

    def remove_people(self, task_id: int, role: str, kind: str, person_ids: Sequence[int]) -> None:
        if person_ids:
            self.execute(_DELETE_PEOPLE, task_id=task_id, role=role, kind=kind, ids=list(person_ids))

    def set_personal_status(self, task_id: int, kind: str, person_id: int, status: int | None) -> None:
        self.execute(_SET_PERSONAL, b_task_id=task_id, b_kind=kind, b_person_id=person_id, b_status=status)

    def reset_personal_statuses(self, task_id: int, status: int | None) -> None:
        self.execute(_RESET_PERSONAL, b_task_id=task_id, b_status=status)

    def forget_contact(self, contact_id: int, user_id: int) -> None:
        """A deleted contact leaves every task's people (by ``user_id``) and clients (by ``contact_id``)."""
        self.execute(_FORGET_PERSON, user_id=user_id)
        self.execute(_FORGET_CLIENT, b_client_id=contact_id)

    # -- other objects the rules look at
    def existing_groups(self, group_ids: Sequence[int]) -> set[int]:
        if not group_ids:
            return set()
        return {int(row.id) for row in self.rows(_GROUP_IDS, ids=list(group_ids))}

    def project(self, project_id: int) -> Any:
        return self.first(_PROJECT, id=project_id)

    def with_subprojects(self, project_id: int) -> list[int]:
        found = [project_id]
        frontier = [project_id]
        while frontier:
            frontier = [
                int(row.id) for row in self.rows(_SUBPROJECTS, ids=frontier) if int(row.id) not in found
            ]
            found.extend(frontier)
        return found
