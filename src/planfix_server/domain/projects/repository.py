"""Projects, their people and project groups of one account."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.projects import queries
from planfix_server.store.records import from_row
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import project_groups, project_people, projects, tasks, user_groups, users

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)

_BY_ID = Scoped(select(projects).where(projects.c.account_id == _ACCOUNT, projects.c.id == bindparam("id")))
_BY_GENERAL = Scoped(
    select(projects).where(projects.c.account_id == _ACCOUNT, projects.c.general == bindparam("general"))
)
_PARENT_OF = Scoped(
    select(projects.c.parent_id).where(projects.c.account_id == _ACCOUNT, projects.c.id == bindparam("id"))
)
_TITLES = Scoped(
    select(projects.c.id, projects.c.title).where(projects.c.account_id == _ACCOUNT, projects.c.id.in_(_IDS))
)
_UPDATE_BASE = update(projects).where(projects.c.account_id == _ACCOUNT, projects.c.id == bindparam("b_id"))
Scoped(_UPDATE_BASE)  # checked at import; the SET part varies per call
_PEOPLE = Scoped(
    select(
        project_people.c.project_id, project_people.c.role, project_people.c.kind, project_people.c.person_id
    )
    .where(project_people.c.account_id == _ACCOUNT, project_people.c.project_id.in_(_IDS))
    .order_by(project_people.c.project_id, project_people.c.person_id)
)
_DELETE_PEOPLE = Scoped(
    delete(project_people).where(
        project_people.c.account_id == _ACCOUNT,
        project_people.c.project_id == bindparam("project_id"),
        project_people.c.role == bindparam("role"),
    )
)
_FORGET_PERSON = Scoped(
    delete(project_people).where(
        project_people.c.account_id == _ACCOUNT,
        project_people.c.kind == "user",
        project_people.c.person_id == bindparam("user_id"),
    )
)
_FORGET_CLIENT = Scoped(
    update(projects)
    .where(projects.c.account_id == _ACCOUNT, projects.c.client_id == bindparam("b_client_id"))
    .values(client_id=None)
)
_AUDITED = Scoped(
    select(project_people.c.project_id)
    .distinct()
    .where(
        project_people.c.account_id == _ACCOUNT,
        project_people.c.role == "auditor",
        (
            ((project_people.c.kind == "user") & (project_people.c.person_id == bindparam("user_id")))
            | ((project_people.c.kind == "group") & project_people.c.person_id.in_(_IDS))
        ),
    )
)
# Rows per project straight from the (account_id, project_id) index; templates, few, subtracted after.
_ROW_COUNTS = Scoped(
    select(tasks.c.project_id, func.count().label("n"))
    .where(tasks.c.account_id == _ACCOUNT, tasks.c.project_id.in_(_IDS))
    .group_by(tasks.c.project_id)
)
_TEMPLATE_PROJECTS = Scoped(
    # No condition on project_id: with one, SQLite walks the project index instead of the type one.
    select(tasks.c.project_id).where(tasks.c.account_id == _ACCOUNT, tasks.c.type == "template")
)
_USER_NAMES = Scoped(
    select(users.c.id, users.c.name, users.c.last_name).where(
        users.c.account_id == _ACCOUNT, users.c.id.in_(_IDS)
    )
)
_USER_GROUP_NAMES = Scoped(
    select(user_groups.c.id, user_groups.c.name).where(
        user_groups.c.account_id == _ACCOUNT, user_groups.c.id.in_(_IDS)
    )
)

_GROUP_BY_ID = Scoped(
    select(project_groups).where(
        project_groups.c.account_id == _ACCOUNT, project_groups.c.id == bindparam("id")
    )
)
_GROUP_NAMES = Scoped(
    select(project_groups.c.id, project_groups.c.name).where(
        project_groups.c.account_id == _ACCOUNT, project_groups.c.id.in_(_IDS)
    )
)
_GROUPS_IN_ORDER = Scoped(
    select(project_groups.c.id, project_groups.c.name)
    .where(project_groups.c.account_id == _ACCOUNT)
    .order_by(project_groups.c.position, project_groups.c.id)
)
_MAX_GROUP_POSITION = Scoped(
    select(func.max(project_groups.c.position)).where(project_groups.c.account_id == _ACCOUNT)
)
_RENAME_GROUP = Scoped(
    update(project_groups)
    .where(project_groups.c.account_id == _ACCOUNT, project_groups.c.id == bindparam("b_id"))
    .values(name=bindparam("b_name"))
)
_PLACE_GROUP = Scoped(
    update(project_groups)
    .where(project_groups.c.account_id == _ACCOUNT, project_groups.c.id == bindparam("b_id"))
    .values(position=bindparam("b_position"))
)


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    id: int
    general: int
    title: str
    description: str
    owner_id: int
    client_id: int | None
    group_id: int | None
    parent_id: int | None
    template_id: int | None
    is_template: bool
    status: str
    hidden: bool
    end_date: dt.date | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Person:
    role: str  # worker, member, auditor, manager
    kind: str  # user, group
    id: int


class ProjectRepository(Repository):
    # The caller's visibility parameters, once read in this unit of work (service.seen_by).
    seen_by_cache: Any = None

    # -- projects
    def by_id(self, project_id: int) -> ProjectRecord | None:
        row = self.first(_BY_ID, id=project_id)
        return None if row is None else from_row(ProjectRecord, row)

    def by_general(self, general: int) -> ProjectRecord | None:
        row = self.first(_BY_GENERAL, general=general)
        return None if row is None else from_row(ProjectRecord, row)

    def parent_of(self, project_id: int) -> int | None:
        found = self.scalar(_PARENT_OF, id=project_id)
        return None if found is None else int(found)

    def titles(self, project_ids: Sequence[int]) -> dict[int, str]:
        if not project_ids:
            return {}
        return {int(row.id): row.title for row in self.rows(_TITLES, ids=sorted(set(project_ids)))}

    def insert_project(self, **values: Any) -> None:
        self.insert(projects, **values)

    def update_project(self, project_id: int, **values: Any) -> None:
        if values:
            self.connection.execute(
                _UPDATE_BASE.values(**values), {"tenant": self.account_id, "b_id": project_id}
            )

    def is_visible(self, project_id: int, seen_by: dict[str, Any]) -> bool:
        return self.scalar(queries.VISIBLE_BY_ID, id=project_id, **seen_by) is not None

    def is_editor(self, project_id: int, seen_by: dict[str, Any]) -> bool:
        return self.scalar(queries.EDITOR_BY_ID, id=project_id, **seen_by) is not None

    def list_projects(
        self,
        query: queries.ProjectQuery,
        seen_by: dict[str, Any],
        groups: set[int],
        offset: int,
        limit: int | None,
    ) -> tuple[list[ProjectRecord], int]:
        """One page (none when ``limit`` is None) and how many projects match in all."""
        count, page, extra = queries.project_list(query, seen_by["v_user"], groups)
        total = int(self.scalar(count, **seen_by, **extra))
        if limit is None or offset >= total:
            return [], total
        rows = self.rows(page, offset=offset, limit=limit, **seen_by, **extra)
        return [from_row(ProjectRecord, row) for row in rows], total

    # -- people
    def people(self, project_ids: Sequence[int]) -> dict[int, list[Person]]:
        found: dict[int, list[Person]] = defaultdict(list)
        if project_ids:
            for row in self.rows(_PEOPLE, ids=sorted(set(project_ids))):
                found[int(row.project_id)].append(Person(row.role, row.kind, int(row.person_id)))
        return found

    def replace_people(self, project_id: int, role: str, people: Sequence[tuple[str, int]]) -> None:
        """The ``role`` list of a project becomes ``people`` ((kind, id) pairs)."""
        self.execute(_DELETE_PEOPLE, project_id=project_id, role=role)
        self.insert_many(
            project_people,
            [
                {"project_id": project_id, "role": role, "kind": kind, "person_id": person_id}
                for kind, person_id in dict.fromkeys(people)
            ],
        )

    def forget_contact(self, contact_id: int, user_id: int) -> None:
        """A deleted contact leaves every project's people (by ``user_id``) and clients (``contact_id``)."""
        self.execute(_FORGET_PERSON, user_id=user_id)
        self.execute(_FORGET_CLIENT, b_client_id=contact_id)

    def audited_by(self, user_id: int, group_ids: Sequence[int]) -> list[int]:
        return [int(row.project_id) for row in self.rows(_AUDITED, user_id=user_id, ids=sorted(group_ids))]

    def task_counts(self, project_ids: Sequence[int]) -> dict[int, int]:
        """Tasks (not templates) per project."""
        if not project_ids:
            return {}
        rows = self.rows(_ROW_COUNTS, ids=sorted(set(project_ids)))
        counts = {int(row.project_id): int(row.n) for row in rows}
        for row in self.rows(_TEMPLATE_PROJECTS):
            if row.project_id in counts:
                counts[row.project_id] -= 1
        return counts

    def user_names(self, user_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        if not user_ids:
            return {}
        return {
            int(row.id): (row.name, row.last_name)
            for row in self.rows(_USER_NAMES, ids=sorted(set(user_ids)))
        }

    def user_group_names(self, group_ids: Sequence[int]) -> dict[int, str]:
        if not group_ids:
            return {}
        return {int(row.id): row.name for row in self.rows(_USER_GROUP_NAMES, ids=sorted(set(group_ids)))}

    # -- project groups
    def group(self, group_id: int) -> tuple[int, str] | None:
        row = self.first(_GROUP_BY_ID, id=group_id)
        return None if row is None else (int(row.id), row.name)

    def group_names(self, group_ids: Sequence[int]) -> dict[int, str]:
        if not group_ids:
            return {}
        return {int(row.id): row.name for row in self.rows(_GROUP_NAMES, ids=sorted(set(group_ids)))}

    def groups_in_order(self) -> list[tuple[int, str]]:
        return [(int(row.id), row.name) for row in self.rows(_GROUPS_IN_ORDER)]

    def add_group(self, group_id: int, name: str, now: dt.datetime) -> None:
        position = self.scalar(_MAX_GROUP_POSITION)
        self.insert(
            project_groups,
            id=group_id,
            name=name,
            position=0 if position is None else position + 1,
            created_at=now,
        )

    def rename_group(self, group_id: int, name: str) -> None:
        self.execute(_RENAME_GROUP, b_id=group_id, b_name=name)

    def place_groups(self, order: Sequence[int]) -> None:
        """Number the groups 0, 1, 2 … in ``order``."""
        for position, group_id in enumerate(order):
            self.execute(_PLACE_GROUP, b_id=group_id, b_position=position)
