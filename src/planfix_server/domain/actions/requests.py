"""Request declarations of the action functions (planfix-xml-api/20-actions.md §2-§8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from planfix_server.api import errors
from planfix_server.domain.analitics.requests import ItemDataIn
from planfix_server.wire.fields import Bool01, DateTime, Id, Int, Kind, Moment, Str, xml

SORTS = ("asc", "desc")


class UserIds(Kind):
    """``notifiedList``: one ``<user>`` with several ``<id>`` (documented) or several ``<user>``
    with one ``<id>`` each and other children (Go clients); ``0`` and empty ids are skipped."""

    label = "user ids"
    _ID = Id()

    def from_element(self, element: etree._Element) -> list[int] | None:
        found: list[int] = []
        for node in element.iterfind("user/id"):
            value = self._ID.from_element(node)
            if value is not None:
                found.append(value)
        return list(dict.fromkeys(found)) or None


class Sort(Kind):
    """``asc`` / ``desc`` in any case."""

    label = "asc|desc"

    def parse(self, text: str) -> str:
        value = text.strip().lower()
        if value not in SORTS:
            raise errors.InvalidParameterValue(f"sort: {value[:20]!r} is not asc or desc")
        return value


class StatusText(Kind):
    """A status id or system token; ``0`` means none (clients fill templates with it)."""

    label = "status"

    def parse(self, text: str) -> str | None:
        value = text.strip()
        if len(value) > 40:
            raise errors.InvalidParameterValue("longer than 40 characters")
        return None if value == "0" else value


@dataclass(frozen=True, slots=True)
class AnaliticIn:
    """One ``<analitic>`` of ``analitics``: one data row (``key``: an existing row to change)."""

    id: int = xml("id", Id(), required=True)
    key: int | None = xml("analiticData/key", Id())
    items: Sequence[ItemDataIn] | None = xml("analiticData", many="itemData", struct=ItemDataIn)


@dataclass(frozen=True, slots=True)
class ActionAdd:
    description: str = xml("action/description", Str(), default="")
    task_id: int | None = xml("action/task/id", Id())
    task_general: int | None = xml("action/task/general", Id())
    contact_general: int | None = xml("action/contact/general", Id())
    task_new_status: str | None = xml("action/taskNewStatus", StatusText())
    notified: Sequence[int] | None = xml("action/notifiedList", UserIds())
    is_hidden: bool = xml("action/isHidden", Bool01(), default=False)
    owner: int | None = xml("action/owner/id", Id())
    date_time: Moment | None = xml("action/dateTime", DateTime())
    analitics: Sequence[AnaliticIn] | None = xml("action/analitics", many="analitic", struct=AnaliticIn)


@dataclass(frozen=True, slots=True)
class ActionUpdate:
    id: int = xml("action/id", Id(), required=True)
    description: str | None = xml("action/description", Str())
    task_new_status: str | None = xml("action/taskNewStatus", StatusText())
    notified: Sequence[int] | None = xml("action/notifiedList", UserIds())
    is_hidden: bool | None = xml("action/isHidden", Bool01())
    date_time: Moment | None = xml("action/dateTime", DateTime())
    analitics: Sequence[AnaliticIn] | None = xml("action/analitics", many="analitic", struct=AnaliticIn)
    deleted_analitics: Sequence[int] | None = xml("action/deletedAnalitics", Id(), many="key")


@dataclass(frozen=True, slots=True)
class ActionRef:
    id: int = xml("action/id", Id(), required=True)


@dataclass(frozen=True, slots=True)
class ActionGetList:
    task_id: int | None = xml("task/id", Id())
    task_general: int | None = xml("task/general", Id())
    contact_general: int | None = xml("contact/general", Id())
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())
    sort: str = xml("sort", Sort(), default="desc")


@dataclass(frozen=True, slots=True)
class ActionGetListByPeriod:
    from_date: Moment = xml("fromDate", DateTime(), required=True)
    to_date: Moment = xml("toDate", DateTime(), required=True)
    task_id: int | None = xml("task/id", Id())
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())
    sort: str = xml("sort", Sort(), default="desc")


@dataclass(frozen=True, slots=True)
class ActionGetListWithAnalitic:
    analitic: int = xml("analitic/id", Id(), required=True)
    task_id: int | None = xml("task/id", Id())
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())
    sort: str = xml("sort", Sort(), default="desc")
