"""Response shapes of the handbook functions (22-handbooks-analitics.md §2-§10)."""

from __future__ import annotations

from dataclasses import dataclass, field

from planfix_server.domain.handbooks.fields import HandbookField
from planfix_server.domain.handbooks.values import ValueView
from planfix_server.wire.encode import IfPresent, Items, Leaf, Node, PageOf


@dataclass(frozen=True, slots=True)
class GroupView:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class HandbookView:
    id: int
    name: str
    group: GroupView  # id 0 and an empty name outside any group
    fields: list[HandbookField] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RecordView:
    parent_key: int  # 0: top level
    is_group: bool
    key: int
    name: str
    archived: bool
    custom_data: list[ValueView]


@dataclass(frozen=True, slots=True)
class RecordKey:
    key: int


GROUP = Node("group", Leaf("id"), Leaf("name"))
HANDBOOK_GROUPS = PageOf("handbookGroups", GROUP)
HANDBOOKS = PageOf(
    "handbooks",
    Node("handbook", Leaf("id"), Leaf("name"), Node("group", Leaf("id"), Leaf("name"), attr="group")),
)

FIELD = Node(
    "field",
    Leaf("id"),
    Leaf("num"),
    Leaf("name"),
    Leaf("type"),
    IfPresent("list_values", Items("list", "value", attr="list_values")),
    IfPresent("handbook_ref", Node("handbook", Leaf("id"), attr="handbook_ref")),
)
STRUCTURE = Node(
    "handbook",
    Leaf("id"),
    Leaf("name"),
    Node("group", Leaf("id"), attr="group"),
    Items("fields", FIELD),
)

# §6.3 of 23-files-and-other.md: handbook records show only the field's id.
CUSTOM_VALUE = Node("customValue", Node("field", Leaf("id", "field_id")), Leaf("value"), Leaf("text"))
RECORD_PARTS = (
    Leaf("parentKey", "parent_key"),
    Leaf("isGroup", "is_group"),
    Leaf("key"),
    Leaf("name"),
    Leaf("archived"),
    Items("customData", CUSTOM_VALUE, attr="custom_data"),
)
RECORD = Node("record", *RECORD_PARTS)
RECORDS = PageOf("records", RECORD)
KEY = Leaf("key")
