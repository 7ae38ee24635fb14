"""Actions as one caller sees them: rows of the store -> ActionView."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planfix_server.api.context import Call
from planfix_server.domain.actions import analitics
from planfix_server.domain.actions.repository import ActionRepository
from planfix_server.domain.actions.shapes import ActionView, DateNode, Named
from planfix_server.domain.contacts.lookup import ContactRef
from planfix_server.domain.files.repository import FileRepository
from planfix_server.domain.tasks.repository import person_name
from planfix_server.store.uow import AccountUnitOfWork

Notified = Sequence[tuple[int, str | None, str | None]]


def contact_name(row: Any) -> str:
    """As the contact functions name a contact: a company by its name, a person in full."""
    return ContactRef(
        id=row.contact_id,
        general=row.contact_general,
        user_id=0,
        name=row.contact_name or "",
        mid_name=row.contact_mid_name or "",
        last_name=row.contact_last_name or "",
        is_company=bool(row.contact_is_company),
        is_template=False,
        access="",
    ).display_name


def may_see(row: Any, notified: Notified, user_id: int) -> bool:
    """A hidden action is seen by its author and the users it notifies, nobody else."""
    return not row.is_hidden or row.owner_id == user_id or any(one[0] == user_id for one in notified)


def view_of(
    row: Any, notified: Notified, analitic_rows: Sequence[Any] = (), files: Sequence[tuple[int, str]] = ()
) -> ActionView:
    task = project = contact = None
    if row.task_id is not None:
        task = Named(int(row.task_id), row.task_title or "")
        project = Named(int(row.project_id or 0), row.project_title or "")
    elif row.contact_id is not None:
        contact = Named(int(row.contact_general), contact_name(row))
    changed = row.old_status is not None and row.new_status is not None
    return ActionView(
        id=int(row.id),
        description=row.description or "",
        type=row.type,
        status_change=(int(row.old_status), int(row.new_status)) if changed else None,
        is_not_read=bool(row.is_not_read),
        date_time=row.created_at,
        from_email=bool(row.from_email),
        task=task,
        project=project,
        contact=contact,
        owner=Named(int(row.owner_id), person_name(row.owner_name, row.owner_last_name)),
        end_change=DateNode(row.old_end_at, row.new_end_at) if row.end_changed else None,
        start_change=DateNode(row.old_start_at, row.new_start_at) if row.start_changed else None,
        notified=[Named(user_id, person_name(name, last)) for user_id, name, last in notified],
        analitics=analitic_rows,
        files=[Named(file_id, name) for file_id, name in files],
    )


def action_views(uow: AccountUnitOfWork, call: Call, action_ids: Sequence[int]) -> list[ActionView]:
    """The views of a page of actions, in the order of ``action_ids``."""
    repo = uow.get(ActionRepository)
    rows = repo.by_ids(action_ids, call.user.id)
    notified = repo.notified(action_ids)
    data = analitics.rows_of(uow, action_ids)
    files = uow.get(FileRepository).of_actions(action_ids)
    return [
        view_of(row, notified.get(int(row.id), []), data.get(int(row.id), []), files.get(int(row.id), []))
        for row in rows
    ]
