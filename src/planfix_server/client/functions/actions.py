"""``action.*`` (``planfix-xml-api/20-actions.md``) as typed calls: comments and history entries.

An action belongs to a task (``task_id`` or its number ``task_general``, which wins) or to a
contact (``contact_general``, the contact's number), never both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.client.calls import PAGE_SIZE, Listing, Prepared
from planfix_server.client.element import Element
from planfix_server.client.functions.common import (
    EMPTY,
    Ref,
    drop_none,
    fields_of,
    id_list,
    ident,
    need_id,
    ref_of,
    refs_of,
)
from planfix_server.client.response import Page, Response


@dataclass(frozen=True, slots=True)
class StatusChange:
    old: int | None
    new: int | None


@dataclass(frozen=True, slots=True)
class DateChange:
    """``taskExpectDateChanged`` / ``taskStartTimeChanged`` of an action."""

    old: dt.date | None
    new: dt.date | None


@dataclass(frozen=True, slots=True)
class AnaliticRow:
    """A data-tag (analitic) row attached to an action; ``key`` feeds ``analitic.getData``."""

    id: int
    key: int | None
    name: str


@dataclass(frozen=True, slots=True)
class Action:
    """One action (comment or system event) of a task or a contact (20-actions.md §1)."""

    id: int
    description: str  # HTML
    type: str
    status_change: StatusChange | None
    is_not_read: bool
    from_email: bool
    date_time: dt.date | None
    task: Ref | None  # id and title
    contact_general: int | None
    contact_name: str
    owner: Ref | None
    project: Ref | None  # id and title
    task_expect_date_changed: DateChange | None
    task_start_time_changed: DateChange | None
    files: list[Ref]
    notified: list[Ref]
    analitics: list[AnaliticRow]
    element: Element = field(default=EMPTY, repr=False, compare=False)


def _date_change(el: Element, path: str) -> DateChange | None:
    node = el.get(path)
    return None if node is None else DateChange(node.date_of("oldDate"), node.date_of("newDate"))


def read_action(el: Element) -> Action:
    change = el.get("statusChange")
    return Action(
        id=need_id(el),
        description=el.text_of("description"),
        type=el.text_of("type"),
        status_change=None
        if change is None
        else StatusChange(change.int_of("oldStatus"), change.int_of("newStatus")),
        is_not_read=el.bool_of("isNotRead"),
        from_email=el.bool_of("fromEmail"),
        date_time=el.date_of("dateTime"),
        task=ref_of(el, "task", "title"),
        contact_general=ident(el, "contact/general"),
        contact_name=el.text_of("contact/name"),
        owner=ref_of(el, "owner"),
        project=ref_of(el, "project", "title"),
        task_expect_date_changed=_date_change(el, "taskExpectDateChanged"),
        task_start_time_changed=_date_change(el, "taskStartTimeChanged"),
        files=refs_of(el, "files/file"),
        notified=refs_of(el, "notifiedList/user"),
        analitics=[
            AnaliticRow(need_id(node), ident(node, "key"), node.text_of("name"))
            for node in el.findall("analitics/analitic")
        ],
        element=el,
    )


def _target(task_id: int | None, task_general: int | None, contact_general: int | None) -> dict[str, Any]:
    if (task_id is None and task_general is None) == (contact_general is None):
        raise ValueError("give a task (task_id or task_general) or a contact (contact_general), not both")
    if contact_general is not None:
        return {"contact": {"general": contact_general}}
    return {"task": drop_none({"id": task_id, "general": task_general})}


def _action_id(response: Response) -> int:
    return need_id(response.one("action"))


def _notified(users: Sequence[int] | None) -> dict[str, Any] | None:
    """The documented shape: one ``<user>`` holding every ``<id>``."""
    return None if users is None else {"user": id_list(users)}


def get(id: int) -> Prepared[Action]:
    """``action.get``."""
    return Prepared("action.get", {"action": {"id": id}}, lambda r: read_action(r.one("action")))


def add(
    description: str,
    *,
    task_id: int | None = None,
    task_general: int | None = None,
    contact_general: int | None = None,
    task_new_status: int | str | None = None,
    notified: Sequence[int] | None = None,
    hidden: bool | None = None,
    owner_id: int | None = None,
    date_time: dt.datetime | None = None,
    **fields: Any,
) -> Prepared[int]:
    """``action.add``: a comment on a task or a contact (exactly one); returns the action id.

    ``task_new_status`` also moves the task to that status; ``notified`` are user ids;
    ``owner_id`` and ``date_time`` are honoured for administrators only.
    """
    action = {
        "description": description,
        **_target(task_id, task_general, contact_general),
        "taskNewStatus": task_new_status,
        "notifiedList": _notified(notified),
        "isHidden": hidden,
        "owner": None if owner_id is None else {"id": owner_id},
        "dateTime": date_time,
        **fields_of(fields),
    }
    return Prepared("action.add", {"action": action}, _action_id)


def update(
    id: int,
    *,
    description: str | None = None,
    task_new_status: int | str | None = None,
    notified: Sequence[int] | None = None,
    hidden: bool | None = None,
    date_time: dt.datetime | None = None,
    **fields: Any,
) -> Prepared[int]:
    """``action.update`` of a comment (types ACTION and COMMENT): only what is given changes.
    ``task_new_status`` replaces the status change this action made (the task's latest action
    only); ``date_time`` is honoured for administrators. Returns the action id."""
    action = {
        "id": id,
        "description": description,
        "taskNewStatus": task_new_status,
        "notifiedList": _notified(notified),
        "isHidden": hidden,
        "dateTime": date_time,
        **fields_of(fields),
    }
    return Prepared("action.update", {"action": action}, _action_id)


def delete(id: int) -> Prepared[int]:
    """``action.delete`` of a comment (not one that changed the task's status)."""
    return Prepared("action.delete", {"action": {"id": id}}, _action_id)


def iterate(
    *,
    task_id: int | None = None,
    task_general: int | None = None,
    contact_general: int | None = None,
    sort: str | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing[Action]:
    """``action.getList`` of one task or one contact, every page (``sort`` asc/desc by date)."""
    params = {**_target(task_id, task_general, contact_general), "sort": sort}
    return Listing("action.getList", params, "action", read_action, page_size)


def get_list(
    *,
    task_id: int | None = None,
    task_general: int | None = None,
    contact_general: int | None = None,
    sort: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Prepared[Page[Action]]:
    """``action.getList``, one page."""
    listing = iterate(task_id=task_id, task_general=task_general, contact_general=contact_general, sort=sort)
    return listing.page(page, page_size)


def iterate_by_period(
    from_date: dt.date,
    to_date: dt.date,
    *,
    task_id: int | None = None,
    sort: str | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing[Action]:
    """``action.getListByPeriod``, every page: the actions of the tasks the caller sees (or of one
    task) made between the two moments (a date alone is the whole day at ``to_date``)."""
    params = {
        "fromDate": from_date,
        "toDate": to_date,
        "sort": sort,
        "task": None if task_id is None else {"id": task_id},
    }
    return Listing("action.getListByPeriod", params, "action", read_action, page_size)


def get_list_by_period(
    from_date: dt.date,
    to_date: dt.date,
    *,
    task_id: int | None = None,
    sort: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Prepared[Page[Action]]:
    """``action.getListByPeriod``, one page."""
    return iterate_by_period(from_date, to_date, task_id=task_id, sort=sort).page(page, page_size)
