"""The action as the API shows it (20-actions.md §1.1), in the order of the real captures.

``id, description, type, statusChange, isNotRead, dateTime, fromEmail, task, project, owner,
taskExpectDateChanged, taskStartTimeChanged, files, analitics, notifiedList``: ``statusChange``
and the date nodes only when the action changed them, ``files`` and ``analitics`` only when there
are some, ``notifiedList`` always (``<notifiedList/>`` when empty). An action of a contact carries
``contact`` (general, name) where a task's action carries ``task`` and ``project``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.wire.encode import Leaf, Node, PageOf, Shape, escape, format_value


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class DateNode:
    """``taskExpectDateChanged`` / ``taskStartTimeChanged``: instants, None where not set."""

    old: dt.datetime | None
    new: dt.datetime | None


@dataclass(frozen=True, slots=True)
class AnaliticRow:
    """One analitic data row attached to an action (``analitics/analitic``)."""

    id: int
    key: int
    name: str


@dataclass(frozen=True, slots=True)
class ActionView:
    id: int
    description: str
    type: str
    status_change: tuple[int, int] | None
    is_not_read: bool
    date_time: dt.datetime
    from_email: bool
    task: Named | None
    project: Named | None
    contact: Named | None  # id holds the contact's general number
    owner: Named
    end_change: DateNode | None
    start_change: DateNode | None
    notified: Sequence[Named] = field(default_factory=tuple)
    analitics: Sequence[AnaliticRow] = field(default_factory=tuple)
    files: Sequence[Named] = field(default_factory=tuple)  # the files the action brought (file.upload)


def _date_node(tag: str, node: DateNode, out: list[str], tz: dt.tzinfo) -> None:
    out.append(
        f"<{tag}><oldDate>{format_value(node.old, tz)}</oldDate>"
        f"<newDate>{format_value(node.new, tz)}</newDate>"
        f"<newDateIsSet>{int(node.new is not None)}</newDateIsSet>"
        f"<oldDateIsSet>{int(node.old is not None)}</oldDateIsSet></{tag}>"
    )


def _named(tag: str, inner: str, ref: Named, out: list[str]) -> None:
    out.append(f"<{tag}><id>{ref.id}</id><{inner}>{escape(ref.name)}</{inner}></{tag}>")


class ActionShape(Shape):
    """``<action>…</action>`` from an ActionView."""

    tag = "action"

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        view: ActionView = obj
        out.append(
            f"<action><id>{view.id}</id><description>{escape(view.description)}</description>"
            f"<type>{escape(view.type)}</type>"
        )
        if view.status_change is not None:
            old, new = view.status_change
            out.append(
                f"<statusChange><oldStatus>{old}</oldStatus><newStatus>{new}</newStatus></statusChange>"
            )
        out.append(
            f"<isNotRead>{int(view.is_not_read)}</isNotRead>"
            f"<dateTime>{format_value(view.date_time, tz)}</dateTime>"
            f"<fromEmail>{int(view.from_email)}</fromEmail>"
        )
        if view.task is not None:
            _named("task", "title", view.task, out)
        if view.project is not None:
            _named("project", "title", view.project, out)
        if view.contact is not None:
            out.append(
                f"<contact><general>{view.contact.id}</general><name>{escape(view.contact.name)}</name></contact>"
            )
        _named("owner", "name", view.owner, out)
        if view.end_change is not None:
            _date_node("taskExpectDateChanged", view.end_change, out, tz)
        if view.start_change is not None:
            _date_node("taskStartTimeChanged", view.start_change, out, tz)
        if view.files:
            out.append("<files>")
            for one in view.files:
                _named("file", "name", one, out)
            out.append("</files>")
        if view.analitics:
            out.append("<analitics>")
            for row in view.analitics:
                out.append(
                    f"<analitic><id>{row.id}</id><key>{row.key}</key><name>{escape(row.name)}</name></analitic>"
                )
            out.append("</analitics>")
        if view.notified:
            out.append("<notifiedList>")
            for user in view.notified:
                _named("user", "name", user, out)
            out.append("</notifiedList></action>")
        else:
            out.append("<notifiedList/></action>")


ACTION = ActionShape()
ACTION_LIST = PageOf("actions", ACTION)


@dataclass(frozen=True, slots=True)
class IdResult:
    id: int


ACTION_ID = Node("action", Leaf("id"))
