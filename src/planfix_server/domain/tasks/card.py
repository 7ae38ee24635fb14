"""A task card written straight to strings: the same bytes as shapes.TASK_SPEC, several times faster.

task.getList renders 100 cards of some 60 elements each (more with custom fields); walking the
generic shape tree costs most of a list's time, so the card is written here in one pass. A test
renders varied views both ways and demands identical output, so the declaration stays the
reference.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planfix_server.domain.tasks.shapes import PERIODICITY, People, TaskView
from planfix_server.wire.encode import Counted, PageOf, Shape, escape, escape_each, format_moment

_WORKERS, _MEMBERS, _AUDITORS = People("workers"), People("members"), People("auditors")


def _flag(value: bool) -> str:
    return "1" if value else "0"


class Card(Shape):
    """``<task>…</task>`` of a TaskView; ``full`` adds members, auditors (task.get, task.getMulti)."""

    def __init__(self, *, full: bool) -> None:
        self.tag = "task"
        self.full = full

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        view: TaskView = obj
        title, description, importance, kind, owner, project, client, additional = escape_each(
            view.title,
            view.description,
            view.importance,
            view.type,
            view.owner_name,
            view.project_title,
            view.client_name,
            view.additional,
        )
        out.append(
            f"<task><id>{view.id}</id><title>{title}</title><description>{description}</description>"
            f"<importance>{importance}</importance><status>{view.status}</status>"
            f"<statusSet>{view.status_set}</statusSet><checkResult>{_flag(view.check_result)}</checkResult>"
            f"<type>{kind}</type><owner><id>{view.owner_id}</id><name>{owner}</name></owner>"
            f"<parent><id>{view.parent_id}</id></parent><template><id>{view.template_id}</id></template>"
            f"<project><id>{view.project_id}</id><title>{project}</title></project>"
            f"<client><id>{view.client_id}</id><name>{client}</name></client>"
            f"<beginDateTime>{format_moment(view.begin, tz)}</beginDateTime>"
        )
        if view.start is not None:
            out.append(f"<startTime>{format_moment(view.start, tz)}</startTime>")
        if view.end is not None:
            out.append(f"<endTime>{format_moment(view.end, tz)}</endTime>")
        out.append(
            f"<duration>{view.duration}</duration><durationUnit>{view.duration_unit}</durationUnit>"
            f"<general>{view.general}</general><isOverdued>{_flag(view.is_overdued)}</isOverdued>"
            f"<isCloseToDeadline>{_flag(view.is_close_to_deadline)}</isCloseToDeadline>"
            f"<isNotAcceptedInTime>{_flag(view.is_not_accepted_in_time)}</isNotAcceptedInTime>"
            f"<isSummary>{_flag(view.is_summary)}</isSummary><starred>{_flag(view.starred)}</starred>"
            f"<additionalDescriptionData>{additional}</additionalDescriptionData>"
        )
        if view.custom_data:
            out.append("<customData>")
            out.extend(
                f"<customValue><field><id>{value.field_id}</id><name>{escape(value.field_name)}</name></field>"
                f"<value>{escape(value.value)}</value><text>{escape(value.text)}</text></customValue>"
                for value in view.custom_data
            )
            out.append("</customData>")
        else:
            out.append("<customData/>")
        _WORKERS.render(view, out, tz)
        if self.full:
            _MEMBERS.render(view, out, tz)
            _AUDITORS.render(view, out, tz)
        if view.periodicity is not None:
            PERIODICITY.render(view.periodicity, out, tz)
        out.append("</task>")


TASK = Card(full=True)
TASK_ITEM = Card(full=False)
TASK_LIST = PageOf("tasks", TASK_ITEM)
TASK_MULTI = Counted("tasks", TASK, attribute="count")
