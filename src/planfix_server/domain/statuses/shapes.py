"""Response shapes of the taskStatus functions, and the list container that carries only a total."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planfix_server.wire.encode import Items, Leaf, Node, Shape


class Counted(Shape):
    """``<tag totalCount="N">item…</tag>`` from a sequence (``obj`` itself, or ``obj.attr``).

    The small reference lists (taskStatus.*, projectGroup.getList, …) document ``totalCount``
    alone; an empty one self-closes like every other empty container.
    """

    def __init__(self, tag: str, item: Shape, *, attr: str | None = None) -> None:
        self.tag = tag
        self.item = item
        self.attr = attr

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        values: Sequence[Any] = obj if self.attr is None else getattr(obj, self.attr)
        head = f'<{self.tag} totalCount="{len(values)}"'
        if not values:
            out.append(head + "/>")
            return
        out.append(head + ">")
        for value in values:
            self.item.render(value, out, tz)
        out.append(f"</{self.tag}>")


@dataclass(frozen=True, slots=True)
class ProcessView:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class TextView:
    lang: str
    name: str


@dataclass(frozen=True, slots=True)
class StatusView:
    id: int
    name: str
    color: str
    is_active: bool
    has_deadline: bool
    texts: list[TextView]


TASK_STATUS_SETS = Counted("taskStatusSets", Node("taskStatusSet", Leaf("id"), Leaf("name")))
TASK_STATUSES = Counted(
    "taskStatuses",
    Node(
        "taskStatus",
        Leaf("id"),
        Leaf("name"),
        Leaf("color"),
        Leaf("isActive", "is_active"),
        Leaf("hasDeadline", "has_deadline"),
        Items("texts", Node("text", Leaf("lang"), Leaf("name"))),
    ),
)
