"""Response shapes of the task functions and the views they render.

Element names and order follow planfix-xml-api/10-tasks.md §2.1, with the real captures where they
differ (``statusSet`` right after ``status``, ``customData`` before ``workers``). As in the captured
task.getList: an unset ``startTime``/``endTime`` is left out, an empty people list is ``<workers/>``
and a people list without groups has no ``<groups>``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from planfix_server.domain.customfields.service import CustomValueView
from planfix_server.domain.customfields.shapes import CUSTOM_DATA
from planfix_server.domain.tasks.periodicity import PeriodicityView
from planfix_server.wire.encode import Counted, Leaf, Node, Optional, Shape, format_value


@dataclass(frozen=True, slots=True)
class Ref:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class PeopleView:
    users: list[Ref] = field(default_factory=list)
    groups: list[Ref] = field(default_factory=list)


NOBODY = PeopleView()


class Maybe(Shape):
    """``shape`` rendered from ``obj.attr``, or nothing when that is None."""

    def __init__(self, attr: str, shape: Shape) -> None:
        self.attr = attr
        self.shape = shape
        self.tag = shape.tag

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        value = getattr(obj, self.attr)
        if value is not None:
            self.shape.render(value, out, tz)


class People(Shape):
    """``<tag><users><user>{id,name}…</users><groups><group>…</groups></tag>`` from a PeopleView."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        people: PeopleView = getattr(obj, self.tag)
        if not people.users and not people.groups:
            out.append(f"<{self.tag}/>")
            return
        out.append(f"<{self.tag}>")
        for container, item, refs in (("users", "user", people.users), ("groups", "group", people.groups)):
            if refs:
                out.append(f"<{container}>")
                for ref in refs:
                    out.append(f"<{item}><id>{ref.id}</id><name>{format_value(ref.name, tz)}</name></{item}>")
                out.append(f"</{container}>")
        out.append(f"</{self.tag}>")


@dataclass(slots=True)
class TaskView:
    """One task as the API shows it to one caller.

    Not frozen: a frozen dataclass sets each of these fields through ``object.__setattr__``,
    which more than doubles the cost of building the cards of a page.
    """

    id: int
    general: int
    title: str
    description: str
    importance: str
    status: int
    status_set: int
    check_result: bool
    type: str
    owner_id: int
    owner_name: str
    parent_id: int
    template_id: int
    project_id: int
    project_title: str
    client_id: int
    client_name: str
    begin: dt.datetime
    start: dt.date | dt.datetime | None
    end: dt.date | dt.datetime | None
    duration: int
    duration_unit: int
    is_overdued: bool
    is_close_to_deadline: bool
    is_not_accepted_in_time: bool
    is_summary: bool
    starred: bool
    additional: str
    custom_data: list[CustomValueView]
    workers: PeopleView
    members: PeopleView
    auditors: PeopleView
    periodicity: PeriodicityView | None


_RULE = (Leaf("type"), Leaf("shift"))
PERIODICITY = Node(
    "periodicity",
    Maybe("daily", Node("daily", *_RULE)),
    Maybe("weekly", Node("weekly", *_RULE, Leaf("days"))),
    Maybe("monthly", Node("monthly", Leaf("type"), Leaf("month"), Leaf("day"), Leaf("dayType", "day_type"))),
    Leaf("startDate", "start_date"),
    Node(
        "endCondition", Leaf("type"), Leaf("date"), Leaf("repeatCount", "repeat_count"), attr="end_condition"
    ),
    Maybe("notify", Node("notify", Leaf("type"), Leaf("day"))),
)

_HEAD = (
    Leaf("id"),
    Leaf("title"),
    Leaf("description"),
    Leaf("importance"),
    Leaf("status"),
    Leaf("statusSet", "status_set"),
    Leaf("checkResult", "check_result"),
    Leaf("type"),
    Node("owner", Leaf("id", "owner_id"), Leaf("name", "owner_name")),
    Node("parent", Leaf("id", "parent_id")),
    Node("template", Leaf("id", "template_id")),
    Node("project", Leaf("id", "project_id"), Leaf("title", "project_title")),
    Node("client", Leaf("id", "client_id"), Leaf("name", "client_name")),
    Leaf("beginDateTime", "begin"),
    Optional("startTime", "start"),
    Optional("endTime", "end"),
    Leaf("duration"),
    Leaf("durationUnit", "duration_unit"),
    Leaf("general"),
    Leaf("isOverdued", "is_overdued"),
    Leaf("isCloseToDeadline", "is_close_to_deadline"),
    Leaf("isNotAcceptedInTime", "is_not_accepted_in_time"),
    Leaf("isSummary", "is_summary"),
    Leaf("starred"),
    Leaf("additionalDescriptionData", "additional"),
    CUSTOM_DATA,
    People("workers"),
)
# The card as a declaration: task.get / task.getMulti show all of it, a task.getList item all but
# members and auditors (10-tasks.md §2.2). card.Card writes the same bytes faster; these are the
# reference it is tested against.
TASK_SPEC = Node("task", *_HEAD, People("members"), People("auditors"), Maybe("periodicity", PERIODICITY))
TASK_ITEM_SPEC = Node("task", *_HEAD, Maybe("periodicity", PERIODICITY))


@dataclass(frozen=True, slots=True)
class IdResult:
    id: int


@dataclass(frozen=True, slots=True)
class AddResult:
    id: int
    general: int


@dataclass(frozen=True, slots=True)
class ExpectDateResult:
    id: int
    end: dt.date | dt.datetime | None  # None: the change went to the assigner as a request


@dataclass(frozen=True, slots=True)
class StatusChoice:
    title: str
    value: int


@dataclass(frozen=True, slots=True)
class FilterView:
    id: str
    name: str


TASK_ID = Node("task", Leaf("id"))
TASK_ADDED = Node("task", Leaf("id"), Leaf("general"))
TASK_EXPECT_DATE = Node("task", Leaf("id"), Optional("endTime", "end"))
STATUS_LIST = Counted("statusList", Node("status", Leaf("title"), Leaf("value")))
FILTER_LIST = Counted("taskFilterList", Node("taskFilter", Leaf("ID", "id"), Leaf("Name", "name")))
