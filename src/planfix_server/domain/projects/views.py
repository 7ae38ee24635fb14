"""Projects as the API shows them to one caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planfix_server.api.context import Call
from planfix_server.domain.customfields.repository import person_name
from planfix_server.domain.customfields.service import read_values
from planfix_server.domain.projects.contacts import client_names, contact_names
from planfix_server.domain.projects.repository import ProjectRecord, ProjectRepository
from planfix_server.domain.projects.shapes import PeopleView, ProjectView, Ref
from planfix_server.store.uow import AccountUnitOfWork

# 25 % or less of the time between creation and the end date left: close to the deadline.
CLOSE_SHARE = 0.75


def deadline_flags(project: ProjectRecord, today: dt.date, begin: dt.date) -> tuple[bool, bool]:
    """(isOverdued, isCloseToDeadline) on the caller's ``today``; a completed project is neither."""
    if project.end_date is None or project.status == "COMPLETED":
        return False, False
    if today > project.end_date:
        return True, False
    total = (project.end_date - begin).days
    if total <= 0:
        return False, True
    return False, (today - begin).days / total >= CLOSE_SHARE


def project_views(
    uow: AccountUnitOfWork, call: Call, records: Sequence[ProjectRecord], *, with_people: bool
) -> list[ProjectView]:
    """Views of ``records``: names (of users, contacts, groups), task counts and custom fields loaded
    for all of them at once."""
    repo = uow.get(ProjectRepository)
    ids = [record.id for record in records]
    people = repo.people(ids) if with_people else {}
    user_ids = {record.owner_id for record in records}
    group_ids: set[int] = set()
    for persons in people.values():
        user_ids.update(person.id for person in persons if person.kind == "user")
        group_ids.update(person.id for person in persons if person.kind == "group")
    users = {user_id: person_name(*names) for user_id, names in repo.user_names(sorted(user_ids)).items()}
    users.update(contact_names(uow, sorted(user_ids)))  # contacts are named as contacts are
    clients = client_names(uow, [record.client_id for record in records if record.client_id])
    user_groups = repo.user_group_names(sorted(group_ids))
    project_groups = repo.group_names(sorted({record.group_id for record in records if record.group_id}))
    counts = repo.task_counts(ids)
    custom = read_values(uow, "project", ids, call)
    today = call.now.astimezone(call.tz).date()

    def role(project_id: int, name: str) -> PeopleView:
        persons = [person for person in people.get(project_id, ()) if person.role == name]
        return PeopleView(
            [Ref(p.id, users.get(p.id, "")) for p in persons if p.kind == "user"],
            [Ref(p.id, user_groups.get(p.id, "")) for p in persons if p.kind == "group"],
        )

    views = []
    for record in records:
        begin = record.created_at.astimezone(call.tz).date()
        overdue, close = deadline_flags(record, today, begin)
        views.append(
            ProjectView(
                id=record.id,
                general=record.general,
                title=record.title,
                description=record.description,
                owner=Ref(record.owner_id, users.get(record.owner_id, "")),
                client=Ref(record.client_id or 0, clients.get(record.client_id or 0, "")),
                group=Ref(record.group_id or 0, project_groups.get(record.group_id or 0, "")),
                parent_id=record.parent_id or 0,
                template_id=record.template_id or 0,
                status=record.status,
                hidden=record.hidden,
                has_end_date=record.end_date is not None,
                end_date=record.end_date,
                begin_date=begin,
                task_count=counts.get(record.id, 0),
                is_overdued=overdue,
                is_close_to_deadline=close,
                custom_data=custom.get(record.id, []),
                workers=role(record.id, "worker") if with_people else PeopleView(),
                members=role(record.id, "member") if with_people else PeopleView(),
                auditors=role(record.id, "auditor") if with_people else PeopleView(),
            )
        )
    return views
