"""Request declarations of the handbook functions (22-handbooks-analitics.md §3-§10)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from planfix_server.domain.files.requests import FileIn
from planfix_server.wire.fields import Bool01, Id, Int, Kind, Str, xml

NAME_LENGTH = 500  # handbook_records.name


class Flag(Bool01):
    """``isGroup`` / ``archived``: an empty element is 0 (PHP clients serialise ``false`` so)."""

    def from_element(self, element: etree._Element) -> bool:
        text = element.text
        return False if text is None or not text.strip() else self.parse(text)


class FieldValue(Kind):
    """``customValue.value``: its text, or the children some forms use (``<begin>``/``<end>`` of a
    time period, repeated ``<id>`` of a user list) turned into the text form. An element that is
    there but empty is ``""`` (clear the field; for FILES: keep no file), an absent one None."""

    label = "string"

    def from_element(self, element: etree._Element) -> str:
        begin, end = element.findtext("begin"), element.findtext("end")
        if begin is not None or end is not None:
            return f"{(begin or '').strip()}-{(end or '').strip()}"
        ids = [(node.text or "").strip() for node in element.iterfind("id")]
        if ids:
            return "[" + ",".join(one for one in ids if one) + "]"
        return element.text or ""


@dataclass(frozen=True, slots=True)
class RecordValueIn:
    id: int | None = xml("id", Id())
    value: str | None = xml("value", FieldValue())
    files: Sequence[FileIn] | None = xml("files", many="file", struct=FileIn)  # file.upload's forms


@dataclass(frozen=True, slots=True)
class HandbookRef:
    handbook_id: int = xml("handbook/id", Id(), required=True)


@dataclass(frozen=True, slots=True)
class HandbookGetList:
    group_id: int | None = xml("group/id", Id())


@dataclass(frozen=True, slots=True)
class RecordsGet(HandbookRef):
    parent_key: int | None = xml("parentKey", Id())
    page_current: int | None = xml("pageCurrent", Int())
    page_size: int | None = xml("pageSize", Int())


@dataclass(frozen=True, slots=True)
class RecordGet(HandbookRef):
    key: int = xml("key", Id(), required=True)


@dataclass(frozen=True, slots=True)
class RecordGetMulti(HandbookRef):
    keys: Sequence[int] = xml("records", Id(), many="key", required=True)


@dataclass(frozen=True, slots=True)
class RecordFields(HandbookRef):
    """What handbook.addRecord and handbook.updateRecord share; ``parentKey`` 0 is the top level."""

    parent_key: int | None = xml("parentKey", Int(minimum=0))
    is_group: bool | None = xml("isGroup", Flag())
    name: str | None = xml("name", Str(NAME_LENGTH))
    archived: bool | None = xml("archived", Flag())
    custom_data: Sequence[RecordValueIn] | None = xml("customData", many="customValue", struct=RecordValueIn)


@dataclass(frozen=True, slots=True)
class RecordAdd(RecordFields):
    pass


@dataclass(frozen=True, slots=True)
class RecordUpdate(RecordFields):
    key: int = xml("key", Id(), required=True)
