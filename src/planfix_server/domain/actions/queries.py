"""The SQL of reading actions: which ids a caller may see in which order, and the rows of a page.

A page is read in two steps: the ids (from the index on the task or contact and the date, so a
deep page of a long history does not join what it skips), then the rows of those ids with the
names they show (author, task, project, contact). A hidden action is seen only by its author and
the users it notifies (``_seen``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.sql.elements import BindParameter

from planfix_server.store.scoped import Scoped
from planfix_server.store.tables import (
    action_notified,
    action_unread,
    actions,
    contacts,
    projects,
    tasks,
    users,
)

TENANT: BindParameter[int] = bindparam("tenant")
_ME: BindParameter[int] = bindparam("me")


def _seen() -> ColumnElement[bool]:
    """The caller (``:me``) may see the action: not hidden, or his, or he is notified."""
    return or_(
        actions.c.is_hidden == false(),
        actions.c.owner_id == _ME,
        exists().where(
            action_notified.c.account_id == TENANT,
            action_notified.c.action_id == actions.c.id,
            action_notified.c.user_id == _ME,
        ),
    )


def order(sort: str) -> tuple[Any, ...]:
    if sort == "asc":
        return (actions.c.created_at.asc(), actions.c.id.asc())
    return (actions.c.created_at.desc(), actions.c.id.desc())


def page_of(conditions: list[ColumnElement[bool]], sort: str, source: Any = actions) -> Scoped:
    """Ids of a page (``:offset``, ``:limit``) of the actions matching ``conditions`` the caller sees."""
    return Scoped(
        select(actions.c.id)
        .select_from(source)
        .where(actions.c.account_id == TENANT, *conditions, _seen())
        .order_by(*order(sort))
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


def count_of(conditions: list[ColumnElement[bool]], source: Any = actions) -> Scoped:
    return Scoped(
        select(func.count()).select_from(source).where(actions.c.account_id == TENANT, *conditions, _seen())
    )


_OF_TASK = [actions.c.task_id == bindparam("task")]
_OF_CONTACT = [actions.c.contact_id == bindparam("contact")]
PAGES = {
    (target, sort): page_of(conditions, sort)
    for target, conditions in (("task", _OF_TASK), ("contact", _OF_CONTACT))
    for sort in ("asc", "desc")
}
COUNTS = {"task": count_of(_OF_TASK), "contact": count_of(_OF_CONTACT)}

# Actions in a period (``:begin``/``:end`` inclusive): only those of tasks, joined to the tasks so
# the caller's visibility of tasks can be added per call.
WITH_TASKS = actions.join(
    tasks, and_(tasks.c.account_id == actions.c.account_id, tasks.c.id == actions.c.task_id)
)


def in_period(task_given: bool) -> list[ColumnElement[bool]]:
    found = [
        actions.c.created_at >= bindparam("begin", type_=actions.c.created_at.type),
        actions.c.created_at <= bindparam("end", type_=actions.c.created_at.type),
        tasks.c.account_id == TENANT,
    ]
    if task_given:
        found.append(actions.c.task_id == bindparam("task"))
    return found


_owner = users.alias("action_owner")
_ROW = select(
    actions.c.id,
    actions.c.type,
    actions.c.owner_id,
    actions.c.description,
    actions.c.created_at,
    actions.c.task_id,
    actions.c.contact_id,
    actions.c.is_hidden,
    actions.c.from_email,
    actions.c.old_status,
    actions.c.new_status,
    actions.c.old_end_at,
    actions.c.new_end_at,
    actions.c.end_changed,
    actions.c.old_start_at,
    actions.c.new_start_at,
    actions.c.start_changed,
    _owner.c.name.label("owner_name"),
    _owner.c.last_name.label("owner_last_name"),
    tasks.c.title.label("task_title"),
    tasks.c.project_id,
    projects.c.title.label("project_title"),
    contacts.c.general.label("contact_general"),
    contacts.c.name.label("contact_name"),
    contacts.c.mid_name.label("contact_mid_name"),
    contacts.c.last_name.label("contact_last_name"),
    contacts.c.is_company.label("contact_is_company"),
    exists()
    .where(
        action_unread.c.account_id == TENANT,
        action_unread.c.user_id == _ME,
        action_unread.c.action_id == actions.c.id,
    )
    .label("is_not_read"),
).select_from(
    actions.outerjoin(
        _owner, and_(_owner.c.account_id == actions.c.account_id, _owner.c.id == actions.c.owner_id)
    )
    .outerjoin(tasks, and_(tasks.c.account_id == actions.c.account_id, tasks.c.id == actions.c.task_id))
    .outerjoin(
        projects, and_(projects.c.account_id == actions.c.account_id, projects.c.id == tasks.c.project_id)
    )
    .outerjoin(
        contacts, and_(contacts.c.account_id == actions.c.account_id, contacts.c.id == actions.c.contact_id)
    )
)


def _rows(condition: ColumnElement[bool]) -> Select[Any]:
    return _ROW.where(actions.c.account_id == TENANT, condition)


ROW_BY_ID = Scoped(_rows(actions.c.id == bindparam("id")))
ROWS_BY_IDS = Scoped(_rows(actions.c.id.in_(bindparam("ids", expanding=True))))

NOTIFIED = Scoped(
    select(action_notified.c.action_id, users.c.id, users.c.name, users.c.last_name)
    .join(
        users,
        and_(users.c.account_id == action_notified.c.account_id, users.c.id == action_notified.c.user_id),
    )
    .where(
        action_notified.c.account_id == TENANT,
        action_notified.c.action_id.in_(bindparam("ids", expanding=True)),
    )
    .order_by(action_notified.c.action_id, users.c.id)
)
SEES = Scoped(
    select(actions.c.id).where(actions.c.account_id == TENANT, actions.c.id == bindparam("id"), _seen())
)
# The most recent action of a task (the one that may still change its status).
LATEST_OF_TASK = Scoped(
    select(actions.c.id)
    .where(actions.c.account_id == TENANT, actions.c.task_id == bindparam("task"))
    .order_by(*order("desc"))
    .limit(1)
)

MARK_READ = Scoped(
    delete(action_unread).where(
        action_unread.c.account_id == TENANT,
        action_unread.c.user_id == _ME,
        action_unread.c.action_id == bindparam("id"),
    )
)
DROP_NOTIFIED = Scoped(
    delete(action_notified).where(
        action_notified.c.account_id == TENANT, action_notified.c.action_id == bindparam("id")
    )
)
DROP_UNREAD = Scoped(
    delete(action_unread).where(
        action_unread.c.account_id == TENANT, action_unread.c.action_id == bindparam("id")
    )
)
DROP_UNREAD_OF = Scoped(
    delete(action_unread).where(
        action_unread.c.account_id == TENANT,
        action_unread.c.action_id == bindparam("id"),
        action_unread.c.user_id.in_(bindparam("users", expanding=True)),
    )
)
DROP_ACTION = Scoped(delete(actions).where(actions.c.account_id == TENANT, actions.c.id == bindparam("id")))
UPDATE_ACTION = update(actions).where(actions.c.account_id == TENANT, actions.c.id == bindparam("b_id"))
TOUCH_CONTACT = Scoped(
    update(contacts)
    .where(contacts.c.account_id == TENANT, contacts.c.id == bindparam("b_contact"))
    .values(last_comment_at=bindparam("b_at", type_=contacts.c.last_comment_at.type))
)
TOUCH_TASK = Scoped(
    update(tasks)
    .where(tasks.c.account_id == TENANT, tasks.c.id == bindparam("b_task"))
    .values(last_activity_at=bindparam("b_at", type_=tasks.c.last_activity_at.type))
)
