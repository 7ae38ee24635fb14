"""A handbook field (22-handbooks-analitics.md §1-§2) and the custom-field definition behind it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from planfix_server.domain.customfields.datatag_types import DATATAG_TYPES
from planfix_server.domain.customfields.types import FieldDef

# Types whose form is the handbooks' own (customfields has no equivalent).
TIMEPERIOD, LOGINLIST, GROUPUSERCONTACT, FILES = "TIMEPERIOD", "LOGINLIST", "GROUPUSERCONTACT", "FILES"
WITH_OPTIONS = ("LIST", "SETSTRING")
WITH_HANDBOOK = ("HANDBOOK", "HANDBOOKSET")


@dataclass(frozen=True, slots=True)
class HandbookField:
    id: int
    handbook_id: int
    num: int
    name: str
    type: str  # the API type of §1, or FILES
    options: tuple[str, ...] = ()
    target_handbook_id: int | None = None
    is_displayed: bool = False

    @property
    def definition(self) -> FieldDef | None:
        """The custom-field definition parsing and rendering share; None for the own forms."""
        kind = DATATAG_TYPES.get(self.type)
        if kind is None:
            return None
        return FieldDef(
            self.id, "handbook", self.name, kind, self.options, handbook_id=self.target_handbook_id
        )

    # Read by the record views and the analitic export: the option list for getStructure.
    @property
    def list_values(self) -> list[str] | None:
        return list(self.options) if self.type == "LIST" else None

    @property
    def handbook_ref(self) -> dict[str, int] | None:
        if self.type not in WITH_HANDBOOK or self.target_handbook_id is None:
            return None
        return {"id": self.target_handbook_id}


def options_json(options: tuple[str, ...]) -> str | None:
    return json.dumps(list(options), ensure_ascii=False) if options else None


def field_from_row(row: Any) -> HandbookField:
    options = json.loads(row.options) if row.options else []
    return HandbookField(
        id=int(row.id),
        handbook_id=int(row.handbook_id),
        num=int(row.num),
        name=row.name,
        type=row.type,
        options=tuple(str(one) for one in options),
        target_handbook_id=None if row.target_handbook_id is None else int(row.target_handbook_id),
        is_displayed=bool(row.is_displayed),
    )
