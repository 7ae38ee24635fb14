"""``project.*`` (``planfix-xml-api/11-projects.md``) as typed calls.

A project has an ``id`` and a number, ``general``; unlike tasks, ``general`` counts only when no
``id`` is given (11-projects.md §0). People lists are sent flat (``<workers><id/>…</workers>``,
user ids); an empty list clears that list.
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
    id_list,
    ident,
    need_id,
    people_of,
    ref_of,
)
from planfix_server.client.response import Page


@dataclass(frozen=True, slots=True)
class Project:
    """A project card (11-projects.md §1). ``workers``, ``members``, ``auditors`` come only from
    ``project.get`` (empty in list items)."""

    id: int
    general: int | None  # not documented in answers; read when the server sends it
    title: str
    description: str
    owner: Ref | None
    client: Ref | None
    group: Ref | None
    parent_id: int | None
    template_id: int | None
    status: str  # DRAFT, ACTIVE, COMPLETED
    hidden: bool
    has_end_date: bool
    end_date: dt.date | None
    begin_date: dt.date | None
    task_count: int | None
    is_overdued: bool
    is_close_to_deadline: bool
    workers: People
    members: People
    auditors: People
    custom_data: list[CustomValue]
    element: Element = field(default=EMPTY, repr=False, compare=False)


def read_project(el: Element) -> Project:
    return Project(
        id=need_id(el),
        general=ident(el, "general"),
        title=el.text_of("title"),
        description=el.text_of("description"),
        owner=ref_of(el, "owner"),
        client=ref_of(el, "client"),
        group=ref_of(el, "group"),
        parent_id=ident(el, "parent/id"),
        template_id=ident(el, "template/id"),
        status=el.text_of("status"),
        hidden=el.bool_of("hidden"),
        has_end_date=el.bool_of("hasEndDate"),
        end_date=el.date_of("endDate"),
        begin_date=el.date_of("beginDate"),
        task_count=el.int_of("taskCount"),
        is_overdued=el.bool_of("isOverdued"),
        is_close_to_deadline=el.bool_of("isCloseToDeadline"),
        workers=people_of(el, "workers"),
        members=people_of(el, "members"),
        auditors=people_of(el, "auditors"),
        custom_data=custom_of(el),
        element=el,
    )


def get(id: int | None = None, *, general: int | None = None) -> Prepared[Project]:
    """``project.get``: by ``id``, or by ``general`` (used only when there is no id)."""
    if id is None and general is None:
        raise ValueError("project.get needs id or general")
    project = drop_none({"id": id, "general": general})
    return Prepared("project.get", {"project": project}, lambda r: read_project(r.one("project")))


def iterate(
    *,
    target: str | None = None,
    status: str | None = None,
    sort: str | None = None,
    client_id: int | None = None,
    user_id: int | None = None,
    filters: Sequence[Filter | Mapping[str, Any]] | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing[Project]:
    """``project.getList``, every page. ``target`` all/in/out/template; ``sort`` TITLE_ASC…;
    ``user_id`` (administrators) lists the projects of that user."""
    params = {
        "user": None if user_id is None else {"id": user_id},
        "target": target,
        "status": status,
        "sortType": sort,
        "client": None if client_id is None else {"id": client_id},
        "filters": filters_params(filters),
    }
    return Listing("project.getList", params, "project", read_project, page_size)


def get_list(
    *,
    target: str | None = None,
    status: str | None = None,
    sort: str | None = None,
    client_id: int | None = None,
    user_id: int | None = None,
    filters: Sequence[Filter | Mapping[str, Any]] | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Prepared[Page[Project]]:
    """``project.getList``, one page (a page number is always sent: without one the real service
    only counts)."""
    listing = iterate(
        target=target, status=status, sort=sort, client_id=client_id, user_id=user_id, filters=filters
    )
    return listing.page(page, page_size)


def _body(
    *,
    title: str | None,
    description: str | None,
    owner_id: int | None,
    client_id: int | None,
    status: str | None,
    hidden: bool | None,
    end_date: dt.date | None,
    group_id: int | None,
    parent_id: int | None,
    auditors: Sequence[int] | None,
    managers: Sequence[int] | None,
    workers: Sequence[int] | None,
    members: Sequence[int] | None,
    custom: Mapping[int, Any] | None,
    fields: Mapping[str, Any],
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "owner": None if owner_id is None else {"id": owner_id},
        "client": None if client_id is None else {"id": client_id},
        "status": status,
        "hidden": hidden,
        "hasEndDate": None if end_date is None else True,
        "endDate": end_date,
        "group": None if group_id is None else {"id": group_id},
        "parent": None if parent_id is None else {"id": parent_id},
        "auditors": id_list(auditors),
        "managers": id_list(managers),
        "workers": id_list(workers),
        "members": id_list(members),
        "customData": custom_params(custom),
        **fields_of(fields),
    }


def add(
    title: str,
    *,
    description: str | None = None,
    owner_id: int | None = None,
    client_id: int | None = None,
    status: str | None = None,
    hidden: bool | None = None,
    end_date: dt.date | None = None,
    group_id: int | None = None,
    parent_id: int | None = None,
    auditors: Sequence[int] | None = None,
    managers: Sequence[int] | None = None,
    workers: Sequence[int] | None = None,
    custom: Mapping[int, Any] | None = None,
    **fields: Any,
) -> Prepared[int]:
    """``project.add``; returns the new project's id. ``end_date`` also sets ``hasEndDate``;
    ``client_id`` is a contact's ``id``; ``auditors``, ``managers``, ``workers`` are user ids."""
    project = _body(
        title=title,
        description=description,
        owner_id=owner_id,
        client_id=client_id,
        status=status,
        hidden=hidden,
        end_date=end_date,
        group_id=group_id,
        parent_id=parent_id,
        auditors=auditors,
        managers=managers,
        workers=workers,
        members=None,  # documented for project.update only
        custom=custom,
        fields=fields,
    )
    return Prepared("project.add", {"project": project}, lambda r: need_id(r.one("project")))


def update(
    id: int | None = None,
    *,
    general: int | None = None,
    title: str | None = None,
    description: str | None = None,
    owner_id: int | None = None,
    client_id: int | None = None,
    status: str | None = None,
    hidden: bool | None = None,
    end_date: dt.date | None = None,
    has_end_date: bool | None = None,
    group_id: int | None = None,
    parent_id: int | None = None,
    auditors: Sequence[int] | None = None,
    managers: Sequence[int] | None = None,
    workers: Sequence[int] | None = None,
    members: Sequence[int] | None = None,
    custom: Mapping[int, Any] | None = None,
    **fields: Any,
) -> Prepared[int]:
    """``project.update``: only what is given changes; a people list given replaces that list.
    ``has_end_date=False`` removes the due date; ``owner_id``/``client_id`` ``0`` mean none.
    Returns the project id (resolved from ``general`` when that was given)."""
    if id is None and general is None:
        raise ValueError("project.update needs id or general")
    body = _body(
        title=title,
        description=description,
        owner_id=owner_id,
        client_id=client_id,
        status=status,
        hidden=hidden,
        end_date=end_date,
        group_id=group_id,
        parent_id=parent_id,
        auditors=auditors,
        managers=managers,
        workers=workers,
        members=members,
        custom=custom,
        fields=fields,
    )
    if has_end_date is not None:
        body["hasEndDate"] = has_end_date
    project = {"id": id, "general": general, **body}
    return Prepared("project.update", {"project": project}, lambda r: need_id(r.one("project")))
