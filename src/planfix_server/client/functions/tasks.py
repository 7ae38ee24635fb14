"""``task.*`` (``planfix-xml-api/10-tasks.md``) as typed calls.

A task has two numbers: ``id`` and ``general`` (its number in the account). Where a function
takes both, ``general`` wins (10-tasks.md §0.1); the functions documented with ``id`` only take
only ``id`` here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.client.calls import PAGE_SIZE, Listing, Prepared
from planfix_server.client.element import Element
from planfix_server.client.functions.common import (
    EMPTY,
    CustomValue,
    Filter,
    People,
    Ref,
    custom_of,
    custom_params,
    drop_none,
    fields_of,
    filters_params,
    ident,
    need_id,
    people_of,
    people_params,
    ref_of,
)
from planfix_server.client.response import Page, Response


@dataclass(frozen=True, slots=True)
class Task:
    """A task card (10-tasks.md §2). ``status`` is the numeric status id of the task's process.

    ``members`` and ``auditors`` are empty in ``task.getList`` items (the list leaves them out).
    Dates are a ``date`` when only a day is set and a ``datetime`` when a time is set too.
    """

    id: int
    general: int | None
    title: str
    description: str
    importance: str  # AVERAGE or HIGH
    status: int | None
    status_set: int | None
    check_result: bool
    type: str
    owner: Ref | None
    parent_id: int | None
    template_id: int | None
    project: Ref | None
    client: Ref | None
    begin_date_time: dt.date | None
    start_time: dt.date | None
    end_time: dt.date | None
    duration: int | None
    duration_unit: int | None  # 0 minutes, 1 hours, 2 days
    is_overdued: bool
    is_close_to_deadline: bool
    is_not_accepted_in_time: bool
    is_summary: bool
    starred: bool
    additional_description_data: str
    workers: People
    members: People
    auditors: People
    custom_data: list[CustomValue]
    periodicity: Element | None  # the raw recurrence rule (10-tasks.md §2.4); None: not recurring
    element: Element = field(default=EMPTY, repr=False, compare=False)


def read_task(el: Element) -> Task:
    return Task(
        id=need_id(el),
        general=ident(el, "general"),
        title=el.text_of("title"),
        description=el.text_of("description"),
        importance=el.text_of("importance"),
        status=el.int_of("status"),
        status_set=el.int_of("statusSet"),
        check_result=el.bool_of("checkResult"),
        type=el.text_of("type"),
        owner=ref_of(el, "owner"),
        parent_id=ident(el, "parent/id"),
        template_id=ident(el, "template/id"),
        project=ref_of(el, "project", "title"),
        client=ref_of(el, "client"),
        begin_date_time=el.date_of("beginDateTime"),
        start_time=el.date_of("startTime"),
        end_time=el.date_of("endTime"),
        duration=el.int_of("duration"),
        duration_unit=el.int_of("durationUnit"),
        is_overdued=el.bool_of("isOverdued"),
        is_close_to_deadline=el.bool_of("isCloseToDeadline"),
        is_not_accepted_in_time=el.bool_of("isNotAcceptedInTime"),
        is_summary=el.bool_of("isSummary"),
        starred=el.bool_of("starred"),
        additional_description_data=el.text_of("additionalDescriptionData"),
        workers=people_of(el, "workers"),
        members=people_of(el, "members"),
        auditors=people_of(el, "auditors"),
        custom_data=custom_of(el),
        periodicity=el.get("periodicity"),
        element=el,
    )


@dataclass(frozen=True, slots=True)
class TaskCreated:
    """What ``task.add`` answers: the new task's id and its number."""

    id: int
    general: int | None


@dataclass(frozen=True, slots=True)
class StatusChoice:
    """A status ``task.changeStatus`` accepts from the caller now: its id and its name."""

    value: int
    title: str


@dataclass(frozen=True, slots=True)
class ExpectDateChange:
    """What ``task.changeExpectDate`` answers: ``end_time`` is the new deadline when it was applied,
    None when the change went to the assigner as a request instead."""

    id: int
    end_time: dt.date | None

    @property
    def applied(self) -> bool:
        return self.end_time is not None


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """A task filter usable as ``target`` of ``task.getList``: a number, or ``:…`` for system ones."""

    id: str
    name: str


def _task_id(response: Response) -> int:
    return need_id(response.one("task"))


def _which(function: str, id: int | None, general: int | None) -> dict[str, Any]:
    if id is None and general is None:
        raise ValueError(f"{function} needs id or general")
    return drop_none({"id": id, "general": general})


def _moment(prefix: str, value: dt.date | None) -> dict[str, Any]:
    """``start``/``end`` as the request wants them: ``startDateIsSet``, ``startDate``, and the time."""
    if value is None:
        return {}
    made: dict[str, Any] = {f"{prefix}DateIsSet": True, f"{prefix}Date": value}
    if isinstance(value, dt.datetime):
        made[f"{prefix}Date"] = value.date()
        made[f"{prefix}TimeIsSet"] = True
        made[f"{prefix}Time"] = value.time()
    return made


def _body(
    *,
    title: str | None,
    description: str | None,
    importance: str | None,
    status: int | str | None,
    status_set: int | None,
    check_result: bool | None,
    owner_id: int | None,
    parent_id: int | None,
    project_id: int | None,
    client_id: int | None,
    start: dt.date | None,
    end: dt.date | None,
    duration: int | None,
    duration_unit: int | None,
    is_summary: bool | None,
    workers: Sequence[int] | None,
    worker_groups: Sequence[int] | None,
    members: Sequence[int] | None,
    member_groups: Sequence[int] | None,
    auditors: Sequence[int] | None,
    auditor_groups: Sequence[int] | None,
    custom: Mapping[int, Any] | None,
    fields: Mapping[str, Any],
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "importance": importance,
        "status": status,
        "statusSet": status_set,
        "checkResult": check_result,
        "owner": None if owner_id is None else {"id": owner_id},
        "parent": None if parent_id is None else {"id": parent_id},
        "project": None if project_id is None else {"id": project_id},
        "client": None if client_id is None else {"id": client_id},
        **_moment("start", start),
        **_moment("end", end),
        "isSummary": is_summary,
        "duration": duration,
        "durationUnit": duration_unit,
        "durationIsSet": None if duration is None else True,
        "workers": people_params(workers, worker_groups),
        "members": people_params(members, member_groups),
        "auditors": people_params(auditors, auditor_groups),
        "customData": custom_params(custom),
        **fields_of(fields),
    }


def get(id: int | None = None, *, general: int | None = None) -> Prepared[Task]:
    """``task.get``: by ``id`` or by ``general`` (the task number; it wins when both are given)."""
    task = _which("task.get", id, general)
    return Prepared("task.get", {"task": task}, lambda r: read_task(r.one("task")))


def get_multi(ids: Sequence[int] = (), generals: Sequence[int] = ()) -> Prepared[list[Task]]:
    """``task.getMulti``: up to 100 cards by id and/or number (the server skips what the caller
    cannot read)."""
    if not ids and not generals:
        raise ValueError("task.getMulti needs ids or generals")
    params = {"tasks": {"id": list(ids) or None, "general": list(generals) or None}}
    return Prepared("task.getMulti", params, lambda r: [read_task(el) for el in r.one("tasks").all("task")])


def iterate(
    *,
    target: str | int | None = None,
    project_id: int | None = None,
    with_subprojects: bool | None = None,
    parent_id: int | None = None,
    status: int | str | None = None,
    sort: str | None = None,
    filter: str | None = None,
    filters: Sequence[Filter | Mapping[str, Any]] | None = None,
    user_id: int | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing[Task]:
    """``task.getList``, every page. ``target`` all/in/out/template/periodic or a filter id;
    ``filter`` the simple filter (``"ACTIVE MY"``); ``sort`` NUMBER_DESC…; ``user_id`` admins only."""
    project = None
    if project_id is not None:
        project = {"id": project_id, "withSubprojects": with_subprojects}
    params = {
        "user": None if user_id is None else {"id": user_id},
        "target": target,
        "project": project,
        "parent": None if parent_id is None else {"id": parent_id},
        "sort": sort,
        "status": status,
        "filter": filter,
        "filters": filters_params(filters),
    }
    return Listing("task.getList", params, "task", read_task, page_size)


def get_list(
    *,
    target: str | int | None = None,
    project_id: int | None = None,
    with_subprojects: bool | None = None,
    parent_id: int | None = None,
    status: int | str | None = None,
    sort: str | None = None,
    filter: str | None = None,
    filters: Sequence[Filter | Mapping[str, Any]] | None = None,
    user_id: int | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Prepared[Page[Task]]:
    """``task.getList``, one page."""
    listing = iterate(
        target=target,
        project_id=project_id,
        with_subprojects=with_subprojects,
        parent_id=parent_id,
        status=status,
        sort=sort,
        filter=filter,
        filters=filters,
        user_id=user_id,
    )
    return listing.page(page, page_size)


def _created(response: Response) -> TaskCreated:
    task = response.one("task")
    return TaskCreated(need_id(task), ident(task, "general"))


def add(
    title: str,
    *,
    description: str | None = None,
    importance: str | None = None,
    status: int | str | None = None,
    status_set: int | None = None,
    check_result: bool | None = None,
    template_id: int | None = None,
    owner_id: int | None = None,
    parent_id: int | None = None,
    project_id: int | None = None,
    client_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    duration: int | None = None,
    duration_unit: int | None = None,
    is_summary: bool | None = None,
    workers: Sequence[int] | None = None,
    worker_groups: Sequence[int] | None = None,
    members: Sequence[int] | None = None,
    member_groups: Sequence[int] | None = None,
    auditors: Sequence[int] | None = None,
    auditor_groups: Sequence[int] | None = None,
    custom: Mapping[int, Any] | None = None,
    **fields: Any,
) -> Prepared[TaskCreated]:
    """``task.add``. ``start``/``end``: a ``date`` sets the day, a ``datetime`` the day and time;
    ``workers``… are user ids (a contact's ``userid``), ``…_groups`` user-group ids; ``custom``
    maps custom-field ids to values (a list of ids is sent as ``[1,2]``)."""
    task = {
        "template": template_id,
        **_body(
            title=title,
            description=description,
            importance=importance,
            status=status,
            status_set=status_set,
            check_result=check_result,
            owner_id=owner_id,
            parent_id=parent_id,
            project_id=project_id,
            client_id=client_id,
            start=start,
            end=end,
            duration=duration,
            duration_unit=duration_unit,
            is_summary=is_summary,
            workers=workers,
            worker_groups=worker_groups,
            members=members,
            member_groups=member_groups,
            auditors=auditors,
            auditor_groups=auditor_groups,
            custom=custom,
            fields=fields,
        ),
    }
    return Prepared("task.add", {"task": task}, _created)


def update(
    id: int | None = None,
    *,
    general: int | None = None,
    silent: bool | None = None,
    title: str | None = None,
    description: str | None = None,
    importance: str | None = None,
    status: int | str | None = None,
    status_set: int | None = None,
    check_result: bool | None = None,
    owner_id: int | None = None,
    parent_id: int | None = None,
    project_id: int | None = None,
    client_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    duration: int | None = None,
    duration_unit: int | None = None,
    is_summary: bool | None = None,
    workers: Sequence[int] | None = None,
    worker_groups: Sequence[int] | None = None,
    members: Sequence[int] | None = None,
    member_groups: Sequence[int] | None = None,
    auditors: Sequence[int] | None = None,
    auditor_groups: Sequence[int] | None = None,
    custom: Mapping[int, Any] | None = None,
    **fields: Any,
) -> Prepared[int]:
    """``task.update``: only what is given changes; a people list given replaces that list
    (``task.changeWorkers`` adds and removes). ``silent`` sends no notifications and writes no
    history (required for bulk periodic updates). Returns the task id."""
    task = {
        **_which("task.update", id, general),
        **_body(
            title=title,
            description=description,
            importance=importance,
            status=status,
            status_set=status_set,
            check_result=check_result,
            owner_id=owner_id,
            parent_id=parent_id,
            project_id=project_id,
            client_id=client_id,
            start=start,
            end=end,
            duration=duration,
            duration_unit=duration_unit,
            is_summary=is_summary,
            workers=workers,
            worker_groups=worker_groups,
            members=members,
            member_groups=member_groups,
            auditors=auditors,
            auditor_groups=auditor_groups,
            custom=custom,
            fields=fields,
        ),
    }
    return Prepared("task.update", {"silent": silent, "task": task}, _task_id)


def update_custom_data(
    id: int | None = None, *, general: int | None = None, custom: Mapping[int, Any]
) -> Prepared[int]:
    """``task.updateCustomData``: only the custom fields given change (for those who may edit
    custom fields but not the task). Returns the task id."""
    task = {**_which("task.updateCustomData", id, general), "customData": custom_params(custom)}
    return Prepared("task.updateCustomData", {"task": task}, _task_id)


def accept(id: int) -> Prepared[int]:
    """``task.accept``: the calling assignee accepts the task."""
    return Prepared("task.accept", {"task": {"id": id}}, _task_id)


def reject(id: int, reason: str) -> Prepared[int]:
    """``task.reject``: the calling assignee declines the task (a reason is required)."""
    return Prepared("task.reject", {"task": {"id": id}, "reason": reason}, _task_id)


def _expect_date(response: Response) -> ExpectDateChange:
    task = response.one("task")
    return ExpectDateChange(need_id(task), task.date_of("endTime"))


def change_expect_date(id: int, expect_date: dt.date) -> Prepared[ExpectDateChange]:
    """``task.changeExpectDate``: move the deadline, or ask the assigner to (see ``applied``)."""
    return Prepared("task.changeExpectDate", {"task": {"id": id}, "expectDate": expect_date}, _expect_date)


def change_status(
    id: int | None = None,
    *,
    status: int | str,
    general: int | None = None,
    date_time: dt.datetime | None = None,
) -> Prepared[int]:
    """``task.changeStatus``: a status id of the task's process or a token (``"COMPLETED"``);
    ``date_time`` is required for ``DELAYED`` (when the task wakes up). Returns the task id."""
    params = {"task": _which("task.changeStatus", id, general), "status": status, "dateTime": date_time}
    return Prepared("task.changeStatus", params, _task_id)


def _choices(response: Response) -> list[StatusChoice]:
    return [
        StatusChoice(need_id(node, "value"), node.text_of("title"))
        for node in response.one("statusList").all("status")
    ]


def get_possible_status_to_change(id: int) -> Prepared[list[StatusChoice]]:
    """``task.getPossibleStatusToChange``: the statuses ``change_status`` accepts from the caller."""
    return Prepared("task.getPossibleStatusToChange", {"task": {"id": id}}, _choices)


def change_workers(
    id: int,
    *,
    add_users: Sequence[int] | None = None,
    add_groups: Sequence[int] | None = None,
    del_users: Sequence[int] | None = None,
    del_groups: Sequence[int] | None = None,
) -> Prepared[int]:
    """``task.changeWorkers``: add and remove assignees (user ids, a contact's ``userid``, and
    user-group ids) without rewriting the list. Returns the task id."""
    workers = drop_none(
        {
            "addUsers": _ids(add_users),
            "addGroups": _ids(add_groups),
            "delUsers": _ids(del_users),
            "delGroups": _ids(del_groups),
        }
    )
    if not workers:
        raise ValueError("task.changeWorkers needs someone to add or remove")
    return Prepared("task.changeWorkers", {"task": {"id": id, "workers": workers}}, _task_id)


def _ids(ids: Sequence[int] | None) -> dict[str, Any] | None:
    return {"id": list(ids)} if ids else None


def _filters(response: Response) -> list[TaskFilter]:
    return [
        TaskFilter(node.text_of("ID"), node.text_of("Name"))
        for node in response.one("taskFilterList").all("taskFilter")
    ]


def get_filter_list() -> Prepared[list[TaskFilter]]:
    """``task.getFilterList``: the filters the caller may pass as ``target`` of ``task.getList``."""
    return Prepared("task.getFilterList", {}, _filters)
