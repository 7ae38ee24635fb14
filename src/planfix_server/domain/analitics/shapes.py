"""Response shapes of the analitic functions (22-handbooks-analitics.md §11-§16).

``analitic.getList`` and ``analitic.getOptions`` follow the real answers element for element; an
analitic outside any group shows group id 0 (and an empty name). ``analitic.getHandbook`` is the
older attribute form, with the child order of the real answer (``parentKey, isGroup, key,
value…``). ``analiticDatas`` of analitic.getData has no count attributes (none are documented);
that of analitic.getDataByCondition is paged and carries ``totalCount`` and ``count``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planfix_server.domain.analitics.definitions import HANDBOOK_TYPES, AnaliticDef, FieldSpec, GroupDef
from planfix_server.domain.analitics.rows import DataView
from planfix_server.wire.encode import Leaf, Node, PageOf, Shape, escape

GROUP = Node("group", Leaf("id"), Leaf("name"))
ANALITIC_GROUPS = PageOf("analiticGroups", GROUP)


def _group(group: GroupDef | None, *, named: bool) -> str:
    ident = 0 if group is None else group.id
    if not named:
        return f"<group><id>{ident}</id></group>"
    name = "" if group is None else escape(group.name)
    return f"<group><id>{ident}</id><name>{name}</name></group>"


class AnaliticItem(Shape):
    """An ``analitic.getList`` item: id, name, group (id, name)."""

    tag = "analitic"

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        item: AnaliticDef = obj
        out.append(
            f"<analitic><id>{item.id}</id><name>{escape(item.name)}</name>"
            f"{_group(item.group, named=True)}</analitic>"
        )


ANALITIC_LIST = PageOf("analitics", AnaliticItem())


def field_xml(spec: FieldSpec) -> str:
    """A ``<field>`` of analitic.getOptions: ``list`` only for LIST, ``handbook`` only for
    HANDBOOK / HANDBOOKSET."""
    parts = [
        f"<field><id>{spec.id}</id><num>{spec.num}</num><name>{escape(spec.name)}</name>"
        f"<type>{spec.type}</type>"
    ]
    if spec.type == "LIST":
        values = "".join(f"<value>{escape(option)}</value>" for option in spec.options)
        parts.append(f"<list>{values}</list>" if values else "<list/>")
    if spec.type in HANDBOOK_TYPES and spec.handbook_id is not None:
        parts.append(f"<handbook><id>{spec.handbook_id}</id></handbook>")
    parts.append("</field>")
    return "".join(parts)


class AnaliticOptionsShape(Shape):
    """``<analitic>`` of analitic.getOptions: id, name, group id, fields."""

    tag = "analitic"

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        item: AnaliticDef = obj
        out.append(
            f"<analitic><id>{item.id}</id><name>{escape(item.name)}</name>{_group(item.group, named=False)}"
        )
        if item.fields:
            out.append("<fields>")
            out.extend(field_xml(spec) for spec in item.fields)
            out.append("</fields></analitic>")
        else:
            out.append("<fields/></analitic>")


ANALITIC_OPTIONS = AnaliticOptionsShape()


@dataclass(frozen=True, slots=True)
class ValueAttr:
    value: str
    name: str
    is_displayed: bool


@dataclass(frozen=True, slots=True)
class LegacyRecord:
    """A record of analitic.getHandbook."""

    key: int
    parent_key: int
    is_group: bool
    values: Sequence[ValueAttr]


class LegacyRecords(Shape):
    """``<records>`` of analitic.getHandbook from a list of LegacyRecord."""

    tag = "records"

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        records: Sequence[LegacyRecord] = obj
        if not records:
            out.append("<records/>")
            return
        out.append("<records>")
        for record in records:
            out.append(
                f"<record><parentKey>{record.parent_key}</parentKey>"
                f"<isGroup>{int(record.is_group)}</isGroup><key>{record.key}</key>"
            )
            for value in record.values:
                out.append(
                    f'<value value="{escape(value.value)}" name="{escape(value.name)}" '
                    f'isDisplayed="{int(value.is_displayed)}"/>'
                )
            out.append("</record>")
        out.append("</records>")


HANDBOOK_RECORDS = LegacyRecords()


class DataShape(Shape):
    """An ``<analiticData>``: key, task and action (when ``with_origin``), the fields."""

    tag = "analiticData"

    def __init__(self, *, with_origin: bool) -> None:
        self.with_origin = with_origin

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        view: DataView = obj
        out.append(f"<analiticData><key>{view.key}</key>")
        if self.with_origin:
            if view.task_id is not None:
                out.append(f"<task><id>{view.task_id}</id></task>")
            out.append(f"<action><id>{view.action_id}</id></action>")
        for item in view.items:
            out.append(
                f"<itemData><id>{item.id}</id><name>{escape(item.name)}</name>"
                f"<value>{escape(item.value)}</value><valueId>{item.value_id}</valueId></itemData>"
            )
        out.append("</analiticData>")


class DataList(Shape):
    """``<analiticDatas>`` of analitic.getData: no count attributes."""

    tag = "analiticDatas"
    _ITEM = DataShape(with_origin=False)

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        views: Sequence[DataView] = obj
        if not views:
            out.append("<analiticDatas/>")
            return
        out.append("<analiticDatas>")
        for view in views:
            self._ITEM.render(view, out, tz)
        out.append("</analiticDatas>")


DATA_BY_KEYS = DataList()
DATA_PAGE = PageOf("analiticDatas", DataShape(with_origin=True))
