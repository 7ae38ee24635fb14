"""What an analitic is: a named record type in an optional group, with typed fields."""

from __future__ import annotations

from dataclasses import dataclass

from planfix_server.domain.customfields.datatag_types import ANALITIC_FIELD_TYPES

FIELD_TYPES = ANALITIC_FIELD_TYPES
# The types whose field names a handbook (``field.handbook.id``).
HANDBOOK_TYPES = ("HANDBOOK", "HANDBOOKSET")
# The types whose ``filter.fromDate``/``toDate`` of analitic.getDataByCondition apply.
DATE_TYPES = ("DATE", "DATETIME")
NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class GroupDef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field of an analitic; ``type`` is the API type (22-handbooks-analitics.md §1)."""

    id: int
    analitic_id: int
    num: int
    name: str
    type: str
    options: tuple[str, ...] = ()
    handbook_id: int | None = None


@dataclass(frozen=True, slots=True)
class AnaliticDef:
    id: int
    name: str
    group: GroupDef | None
    fields: tuple[FieldSpec, ...]

    def field(self, field_id: int) -> FieldSpec | None:
        for one in self.fields:
            if one.id == field_id:
                return one
        return None
