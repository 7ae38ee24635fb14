"""Response shapes of the taskStatus functions."""

from __future__ import annotations

from dataclasses import dataclass

from planfix_server.wire.encode import Counted, Items, Leaf, Node


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
