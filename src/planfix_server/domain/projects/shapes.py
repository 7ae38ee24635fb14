"""Response shapes of the project and project-group functions (planfix-xml-api/11-projects.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planfix_server.domain.customfields.service import CustomValueView
from planfix_server.domain.customfields.shapes import CUSTOM_DATA
from planfix_server.wire.encode import Counted, Items, Leaf, Node, PageOf

PROJECT_STATUSES = ("DRAFT", "ACTIVE", "COMPLETED")


@dataclass(frozen=True, slots=True)
class Ref:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class PeopleView:
    users: list[Ref] = field(default_factory=list)
    groups: list[Ref] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ProjectView:
    id: int
    general: int
    title: str
    description: str
    owner: Ref
    client: Ref
    group: Ref
    parent_id: int
    template_id: int
    status: str
    hidden: bool
    has_end_date: bool
    end_date: dt.date | None
    begin_date: dt.date
    task_count: int
    is_overdued: bool
    is_close_to_deadline: bool
    custom_data: list[CustomValueView]
    workers: PeopleView = field(default_factory=PeopleView)
    members: PeopleView = field(default_factory=PeopleView)
    auditors: PeopleView = field(default_factory=PeopleView)


@dataclass(frozen=True, slots=True)
class IdResult:
    id: int


USER_REF = Node("user", Leaf("id"), Leaf("name"))
GROUP_REF = Node("group", Leaf("id"), Leaf("name"))


def _ref(tag: str) -> Node:
    return Node(tag, Leaf("id"), Leaf("name"), attr=tag)


_HEAD = (
    Leaf("id"),
    Leaf("title"),
    Leaf("description"),
    _ref("owner"),
    _ref("client"),
    _ref("group"),
    Node("parent", Leaf("id", "parent_id")),
    Node("template", Leaf("id", "template_id")),
    Leaf("status"),
    Leaf("hidden"),
    Leaf("hasEndDate", "has_end_date"),
    Leaf("endDate", "end_date"),
    Leaf("beginDate", "begin_date"),
    Leaf("taskCount", "task_count"),
    Leaf("isOverdued", "is_overdued"),
    Leaf("isCloseToDeadline", "is_close_to_deadline"),
)
PEOPLE = (
    Node("workers", Items("users", USER_REF), Items("groups", GROUP_REF), attr="workers"),
    Node("members", Items("users", USER_REF), Items("groups", GROUP_REF), attr="members"),
    # Auditors are documented with users only.
    Node("auditors", Items("users", USER_REF), attr="auditors"),
)
# project.get: the full card; project.getList items: everything but the people lists.
PROJECT = Node("project", *_HEAD, *PEOPLE, CUSTOM_DATA)
PROJECT_ITEM = Node("project", *_HEAD, CUSTOM_DATA)
PROJECTS = PageOf("projects", PROJECT_ITEM)
PROJECT_ID = Node("project", Leaf("id"))

PROJECT_GROUP = Node("projectGroup", Leaf("id"), Leaf("name"))
PROJECT_GROUP_ID = Node("projectGroup", Leaf("id"))
PROJECT_GROUPS = Counted("projectGroups", PROJECT_GROUP)
