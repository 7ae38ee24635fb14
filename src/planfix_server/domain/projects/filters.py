"""The complex filters of project.getList (planfix-xml-api/11-projects.md §2.4), as SQL conditions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.sql.elements import ColumnElement

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.customfields import filters as common
from planfix_server.domain.customfields.filters import FilterIn
from planfix_server.domain.customfields.service import field_of
from planfix_server.domain.projects import queries
from planfix_server.store.tables import projects
from planfix_server.store.uow import AccountUnitOfWork

END_DATE, AUTHOR, CLIENT_MANAGER, TEMPLATE, PARENT, TITLE = 5005, 5004, 5008, 5010, 5014, 5001
CUSTOM_BASE = 5100
EQUALITY = ("equal", "notequal")


def conditions(
    uow: AccountUnitOfWork, call: Call, given: Sequence[FilterIn] | None
) -> list[ColumnElement[bool]]:
    """One condition per filter (they are ANDed); 0009 for a missing part, 0015 for a bad one."""
    today = call.now.astimezone(call.tz).date()
    found: list[ColumnElement[bool]] = []
    for item in given or ():
        if item.is_blank:
            continue
        if item.type is None:
            raise errors.MissingParameter("filters/filter/type")
        kind = item.type
        if kind == END_DATE:
            span = common.date_span(item, today)
            found.append(
                common.span_condition(projects.c.end_date, span, item.checked_operator(), common.to_date)
            )
        elif kind in (AUTHOR, TEMPLATE, PARENT):
            operator = item.checked_operator(EQUALITY)
            column = {
                AUTHOR: projects.c.owner_id,
                TEMPLATE: projects.c.template_id,
                PARENT: projects.c.parent_id,
            }
            found.append(queries.equals(column[kind], item.number(), operator))
        elif kind == CLIENT_MANAGER:
            found.append(queries.managed_by(item.number(), item.checked_operator(EQUALITY)))
        elif kind == TITLE:
            found.append(queries.title_contains(item.text(), item.checked_operator(EQUALITY)))
        elif kind - CUSTOM_BASE in common.SUFFIX_TYPES:
            if item.field is None:
                raise errors.MissingParameter("filters/filter/field")
            definition = field_of(uow, "project", item.field)
            if definition is None:
                raise errors.InvalidParameterValue(f"filters/filter/field: no project field {item.field}")
            found.append(
                common.custom_condition(
                    "project", projects.c.id, definition, kind - CUSTOM_BASE, item, today, call.to_utc
                )
            )
        else:
            raise errors.InvalidParameterValue(f"filters/filter/type: unknown project filter {kind}")
    return found
