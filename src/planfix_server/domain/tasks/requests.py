"""Request declarations of the task functions (planfix-xml-api/10-tasks.md §5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from planfix_server.domain.customfields.filters import FilterIn
from planfix_server.domain.customfields.service import CustomValueIn
from planfix_server.domain.tasks.kinds import (
    EMPTY,
    EBool,
    EInt,
    EMoment,
    EmptyMark,
    EStr,
    TimeOrMoment,
    blank,
)
from planfix_server.domain.tasks.periodicity import PeriodicityIn, PeriodicityKind, Unset
from planfix_server.wire.fields import Bool01, DateTime, Enum, Id, Int, Kind, Moment, Str, xml

IMPORTANCES = ("AVERAGE", "HIGH")
TITLE_LENGTH = 1000
SORTS = tuple(
    f"{key}_{direction}"
    for key in ("NUMBER", "IMPORTANCE", "DEADLINE", "TASKTITLE", "PROJECT")
    for direction in ("ASC", "DESC")
)


class EmptyElement(Kind):
    """Reads only whether the element is there and empty (``<workers/>``): EMPTY, else None."""

    label = "empty element"

    def from_element(self, element: etree._Element) -> Any:
        return EMPTY if blank(element) else None


@dataclass(frozen=True, slots=True)
class PeopleIn:
    """``<users><id/>…</users><groups><id/>…</groups>`` of workers, members or auditors."""

    users: Sequence[int] | None = xml("users", Id(), many="id")
    groups: Sequence[int] | None = xml("groups", Id(), many="id")


@dataclass(frozen=True, slots=True)
class TaskFields:
    """What task.add and task.update share. References take ``0`` for "none"."""

    title: str | EmptyMark | None = xml("title", EStr(TITLE_LENGTH))
    description: str | EmptyMark | None = xml("description", EStr())
    importance: str | None = xml("importance", Enum(*IMPORTANCES))
    status: str | None = xml("status", Str(40))
    status_set: int | None = xml("statusSet", Id())
    check_result: bool | EmptyMark | None = xml("checkResult", EBool())
    owner: int | None = xml("owner/id", Id())
    parent: int | EmptyMark | None = xml("parent/id", EInt(minimum=0))
    project: int | EmptyMark | None = xml("project/id", EInt(minimum=0))
    client: int | EmptyMark | None = xml("client/id", EInt(minimum=0))
    start_date_is_set: bool | None = xml("startDateIsSet", Bool01())
    start_date: Moment | EmptyMark | None = xml("startDate", EMoment())
    start_time_is_set: bool | None = xml("startTimeIsSet", Bool01())
    start_time: Any = xml("startTime", TimeOrMoment())
    end_date_is_set: bool | None = xml("endDateIsSet", Bool01())
    end_date: Moment | EmptyMark | None = xml("endDate", EMoment())
    end_time_is_set: bool | None = xml("endTimeIsSet", Bool01())
    end_time: Any = xml("endTime", TimeOrMoment())
    is_summary: bool | None = xml("isSummary", Bool01())
    duration_is_set: bool | None = xml("durationIsSet", Bool01())
    duration: int | EmptyMark | None = xml("duration", EInt(minimum=0, maximum=1_000_000_000))
    duration_unit: int | None = xml("durationUnit", Int(minimum=0, maximum=2))
    workers: PeopleIn | None = xml("workers", struct=PeopleIn)
    workers_empty: EmptyMark | None = xml("workers", EmptyElement())
    members: PeopleIn | None = xml("members", struct=PeopleIn)
    members_empty: EmptyMark | None = xml("members", EmptyElement())
    auditors: PeopleIn | None = xml("auditors", struct=PeopleIn)
    auditors_empty: EmptyMark | None = xml("auditors", EmptyElement())
    custom_data: Sequence[CustomValueIn] | None = xml("customData", many="customValue", struct=CustomValueIn)
    periodicity: PeriodicityIn | Unset | None = xml("periodicity", PeriodicityKind())


@dataclass(frozen=True, slots=True)
class TaskAddFields(TaskFields):
    # The captured client sends the template id bare (<template>ID</template>); <template><id> too.
    template: int | None = xml("template", Id())
    template_id: int | None = xml("template/id", Id())
    begin: Moment | None = xml("beginDateTime", DateTime())


@dataclass(frozen=True, slots=True)
class TaskUpdateFields(TaskFields):
    id: int | None = xml("id", Id())
    general: int | None = xml("general", Id())


@dataclass(frozen=True, slots=True)
class TaskAdd:
    task: TaskAddFields = xml("task", struct=TaskAddFields, required=True)


@dataclass(frozen=True, slots=True)
class TaskUpdate:
    task: TaskUpdateFields = xml("task", struct=TaskUpdateFields, required=True)


@dataclass(frozen=True, slots=True)
class TaskRef:
    """``<task><id/><general/></task>``: ``general`` wins when both are given (10-tasks.md §0.1)."""

    id: int | None = xml("task/id", Id())
    general: int | None = xml("task/general", Id())


@dataclass(frozen=True, slots=True)
class TaskCustomData:
    id: int | None = xml("task/id", Id())
    general: int | None = xml("task/general", Id())
    custom_data: Sequence[CustomValueIn] | None = xml(
        "task/customData", many="customValue", struct=CustomValueIn, required=True
    )


@dataclass(frozen=True, slots=True)
class TaskGetMulti:
    ids: Sequence[int] | None = xml("tasks", Id(), many="id")
    generals: Sequence[int] | None = xml("tasks", Id(), many="general")


@dataclass(frozen=True, slots=True)
class TaskGetList:
    user: int | None = xml("user/id", Id())
    target: str | None = xml("target", Str(60))
    project: int | None = xml("project/id", Id())
    with_subprojects: bool | None = xml("project/withSubprojects", Bool01())
    parent: int | None = xml("parent/id", Id())
    sort: str | None = xml("sort", Enum(*SORTS))
    status: str | None = xml("status", Str(40))
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())
    filter: str | None = xml("filter", Str(200))
    filters: Sequence[FilterIn] | None = xml("filters", many="filter", struct=FilterIn)


@dataclass(frozen=True, slots=True)
class TaskReject:
    id: int | None = xml("task/id", Id())
    general: int | None = xml("task/general", Id())
    reason: str = xml("reason", Str(), required=True)


@dataclass(frozen=True, slots=True)
class TaskExpectDate:
    id: int | None = xml("task/id", Id())
    general: int | None = xml("task/general", Id())
    expect_date: Moment = xml("expectDate", DateTime(), required=True)


@dataclass(frozen=True, slots=True)
class TaskChangeStatus:
    id: int | None = xml("task/id", Id())
    general: int | None = xml("task/general", Id())
    status: str = xml("status", Str(40), required=True)
    date_time: Moment | None = xml("dateTime", DateTime())


@dataclass(frozen=True, slots=True)
class TaskChangeWorkers:
    id: int | None = xml("task/id", Id())
    general: int | None = xml("task/general", Id())
    add_users: Sequence[int] | None = xml("task/workers/addUsers", Id(), many="id")
    add_groups: Sequence[int] | None = xml("task/workers/addGroups", Id(), many="id")
    del_users: Sequence[int] | None = xml("task/workers/delUsers", Id(), many="id")
    del_groups: Sequence[int] | None = xml("task/workers/delGroups", Id(), many="id")
