"""Who sees a task and what he may do with it (planfix-xml-api/10-tasks.md §4.4).

An administrator sees every task. Anyone else sees a task when he is its owner (assigner), an
assignee, a participant or an auditor (directly or through one of his groups), owns or audits its
project, or heads a group of its owner, of an assignee or of a participant (or a group assigned to
it). A draft is seen by its author alone (and administrators).

Rights: owner, owner's head, task and project auditors and administrators edit the task and change
its status on the assigner's side; assignees and their heads change the status on the assignee's
side; participants and their heads only read. Templates are read by every employee (tasks are
made from them); changing one takes the same rights as a task.

A contact signed in sees only the tasks it takes part in itself: as owner, assignee, participant
(or auditor); no templates, nothing through projects or groups.

``roles`` answers for one task in Python; ``visible`` is the same rule as SQL for the lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, and_, bindparam, literal, or_, select, union_all
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.contacts.identity import CONTACT_ROLE
from planfix_server.domain.statuses.defaults import DRAFT
from planfix_server.domain.tasks.repository import (
    AUDITOR,
    GROUP,
    MEMBER,
    USER,
    WORKER,
    Person,
    TaskRecord,
    TaskRepository,
)
from planfix_server.store.records import UserRecord
from planfix_server.store.scoped import Scoped
from planfix_server.store.tables import (
    project_people,
    projects,
    task_people,
    tasks,
    user_group_heads,
    user_group_members,
)
from planfix_server.store.uow import AccountUnitOfWork

TENANT: BindParameter[int] = bindparam("tenant")


# Everything that decides what one user may see, in one round trip: his groups ("g"), the groups
# he heads ("h"), the members of those ("m"), the projects he owns or audits ("p").
_me: BindParameter[int] = bindparam("me")
_headed = select(user_group_heads.c.group_id).where(
    user_group_heads.c.account_id == TENANT, user_group_heads.c.user_id == _me
)
_VIEWER = Scoped(
    union_all(
        select(literal("g").label("k"), user_group_members.c.group_id.label("v")).where(
            user_group_members.c.account_id == TENANT, user_group_members.c.user_id == _me
        ),
        select(literal("h").label("k"), user_group_heads.c.group_id.label("v")).where(
            user_group_heads.c.account_id == TENANT, user_group_heads.c.user_id == _me
        ),
        select(literal("m").label("k"), user_group_members.c.user_id.label("v")).where(
            user_group_members.c.account_id == TENANT,
            user_group_members.c.group_id.in_(_headed),
            user_group_members.c.user_id != _me,
        ),
        select(literal("p").label("k"), projects.c.id.label("v")).where(
            projects.c.account_id == TENANT, projects.c.owner_id == _me
        ),
        # Auditing himself and through his groups apart: each walks the (kind, person) index.
        select(literal("p").label("k"), project_people.c.project_id.label("v")).where(
            project_people.c.account_id == TENANT,
            project_people.c.kind == USER,
            project_people.c.person_id == _me,
            project_people.c.role == AUDITOR,
        ),
        select(literal("p").label("k"), project_people.c.project_id.label("v"))
        .select_from(
            user_group_members.join(
                project_people,
                and_(
                    project_people.c.account_id == user_group_members.c.account_id,
                    project_people.c.kind == GROUP,
                    project_people.c.person_id == user_group_members.c.group_id,
                ),
            )
        )
        .where(
            user_group_members.c.account_id == TENANT,
            user_group_members.c.user_id == _me,
            project_people.c.role == AUDITOR,
        ),
    )
)


@dataclass(frozen=True, slots=True)
class Viewer:
    """One user's standing in the account, as far as tasks are concerned."""

    user_id: int
    is_admin: bool
    groups: frozenset[int] = frozenset()
    headed: frozenset[int] = frozenset()  # groups he heads
    managed: frozenset[int] = frozenset()  # members of those groups
    projects: frozenset[int] = frozenset()  # projects he owns or audits
    is_contact: bool = False


def viewer_of(uow: AccountUnitOfWork, user: UserRecord) -> Viewer:
    if user.role == CONTACT_ROLE:
        return Viewer(user.id, False, is_contact=True)
    found: dict[str, set[int]] = {"g": set(), "h": set(), "m": set(), "p": set()}
    for row in uow.get(TaskRepository).rows(_VIEWER, me=user.id):
        found[row.k].add(int(row.v))
    return Viewer(
        user.id,
        user.role == "ADMIN",
        frozenset(found["g"]),
        frozenset(found["h"]),
        frozenset(found["m"]),
        frozenset(found["p"]),
    )


@dataclass(frozen=True, slots=True)
class Roles:
    """What one viewer may do with one task."""

    read: bool
    owner_side: bool
    worker_side: bool
    # The viewer's own assignee rows: himself, else the groups of his that are assigned.
    assignee_rows: tuple[Person, ...] = field(default=())

    @property
    def is_assignee(self) -> bool:
        return bool(self.assignee_rows)


def _is(viewer: Viewer, person: Person) -> bool:
    if person.kind == USER:
        return person.person_id == viewer.user_id
    return person.person_id in viewer.groups


def _heads(viewer: Viewer, person: Person) -> bool:
    if person.kind == USER:
        return person.person_id in viewer.managed
    return person.person_id in viewer.headed


def roles(viewer: Viewer, task: TaskRecord, people: Sequence[Person]) -> Roles:
    own = tuple(
        sorted(
            (person for person in people if person.role == WORKER and _is(viewer, person)),
            key=lambda person: person.kind != USER,
        )
    )
    if task.status == DRAFT and task.owner_id != viewer.user_id and not viewer.is_admin:
        return Roles(False, False, False)
    template = task.type == "template" and not viewer.is_contact
    owner_side = (
        viewer.is_admin
        or task.owner_id == viewer.user_id
        or task.owner_id in viewer.managed
        or (task.project_id is not None and task.project_id in viewer.projects)
        or any(person.role == AUDITOR and _is(viewer, person) for person in people)
    )
    worker_side = bool(own) or any(person.role == WORKER and _heads(viewer, person) for person in people)
    read = (
        template
        or owner_side
        or worker_side
        or any(person.role == MEMBER and (_is(viewer, person) or _heads(viewer, person)) for person in people)
    )
    return Roles(read, owner_side, worker_side, own)


# Made once: an alias builds a proxy of every column of ``tasks`` when first read, which costs more
# than the rest of the condition.
_OWNED = tasks.alias("owned")


def _people_ids(
    tenant: BindParameter[int], role_filter: ColumnElement[bool] | None, kind: str, ids: frozenset[int]
) -> Select[tuple[int]]:
    conditions = [
        task_people.c.account_id == tenant,
        task_people.c.kind == kind,
        task_people.c.person_id.in_(sorted(ids)),
    ]
    if role_filter is not None:
        conditions.append(role_filter)
    return select(task_people.c.task_id).where(*conditions)


def visible(viewer: Viewer, tenant: BindParameter[int], *, probe: bool = False) -> ColumnElement[bool] | None:
    """The SQL of ``roles(...).read`` on ``tasks``; None for an administrator (no condition).

    The ids a user may see are gathered from the indexes on owner, people and project: joined to
    the tasks (the default), a list and its count cost what the user can see, not what the account
    holds. ``probe`` keeps the database from driving the query by that set (``id + 0`` is no
    indexed column): it then walks the tasks in the list's order and tests each against the set,
    which finds a first page sooner when the user sees a large share of the account.
    """
    if viewer.is_admin:
        return None
    me = viewer.user_id
    owned = _OWNED
    not_audit = task_people.c.role.in_((WORKER, MEMBER))
    parts: list[Select[tuple[int]]] = [
        select(owned.c.id).where(
            owned.c.account_id == tenant, owned.c.owner_id.in_(sorted({me, *viewer.managed}))
        ),
        _people_ids(tenant, None, USER, frozenset({me})),
    ]
    if viewer.groups:
        parts.append(_people_ids(tenant, None, GROUP, viewer.groups))
    if viewer.managed:
        parts.append(_people_ids(tenant, not_audit, USER, viewer.managed))
    if viewer.headed:
        parts.append(_people_ids(tenant, not_audit, GROUP, viewer.headed))
    if viewer.projects:
        parts.append(
            select(owned.c.id).where(
                owned.c.account_id == tenant, owned.c.project_id.in_(sorted(viewer.projects))
            )
        )
    task_id = tasks.c.id + 0 if probe else tasks.c.id
    return and_(task_id.in_(union_all(*parts)), or_(tasks.c.status != DRAFT, tasks.c.owner_id == me))
