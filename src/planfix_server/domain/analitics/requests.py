"""Request declarations of the analitic functions, and the ``itemData`` of action.add/update.

``itemData.value`` is text for most field types and nested XML for some (``<begin>``/``<end>`` of a
time period, repeated ``<id>`` of an employee list): ``ItemValue`` keeps both, the field type
decides which it reads (values.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from planfix_server.wire.fields import DateTime, Id, Int, Kind, Moment, xml


@dataclass(frozen=True, slots=True)
class ItemValue:
    """An ``itemData.value`` as sent: its own text and its child elements as (tag, text)."""

    text: str
    children: tuple[tuple[str, str], ...] = ()

    def child_texts(self, tag: str) -> list[str]:
        return [text for name, text in self.children if name == tag and text.strip()]


class NestedValue(Kind):
    """Text or nested elements; None when both are empty (an empty value clears the field)."""

    label = "value"

    def from_element(self, element: etree._Element) -> ItemValue | None:
        children = tuple(
            (str(child.tag), _all_text(child)) for child in element if isinstance(child.tag, str)
        )
        text = element.text or ""
        if not text.strip() and not any(value.strip() for _, value in children):
            return None
        return ItemValue(text, children)


def _all_text(element: etree._Element) -> str:
    """The text of an element and its descendants (``<user><id>5</id></user>`` reads ``5``)."""
    return "".join(str(part) for part in element.itertext())


@dataclass(frozen=True, slots=True)
class ItemDataIn:
    """One ``itemData``: the field (``analitic.getOptions`` field id) and its value."""

    field_id: int = xml("fieldId", Id(), required=True)
    value: ItemValue | None = xml("value", NestedValue())


@dataclass(frozen=True, slots=True)
class AnaliticOptions:
    analitic: int = xml("analitic/id", Id(), required=True)


@dataclass(frozen=True, slots=True)
class HandbookRef:
    handbook: int = xml("handbook/id", Id(), required=True)


@dataclass(frozen=True, slots=True)
class DataKeys:
    keys: Sequence[int] = xml("analiticKeys", Id(), many="key", required=True)


@dataclass(frozen=True, slots=True)
class ConditionIn:
    """One ``filters/filter``: a field and bounds (date fields) or a user (employee fields)."""

    field: int = xml("field", Id(), required=True)
    from_date: Moment | None = xml("fromDate", DateTime())
    to_date: Moment | None = xml("toDate", DateTime())
    user_id: int | None = xml("userid", Id())


@dataclass(frozen=True, slots=True)
class DataByCondition:
    analitic: int = xml("analitic/id", Id(), required=True)
    task_id: int | None = xml("task/id", Id())
    task_general: int | None = xml("task/general", Id())
    filters: Sequence[ConditionIn] | None = xml("filters", many="filter", struct=ConditionIn)
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())
