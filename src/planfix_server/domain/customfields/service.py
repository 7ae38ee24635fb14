"""Custom fields as the object functions use them (tasks, projects, contacts).

XML API v1 cannot define fields; the CLI and fixture files do (``define_field``). Objects read and
write values through ``<customData>``::

    # request declaration (in the function's request dataclass)
    custom_data: Sequence[CustomValueIn] | None = xml(
        "task/customData", many="customValue", struct=CustomValueIn
    )
    # handler
    write_values(uow, "task", task_id, request.custom_data, call)    # 0009 / 0015 before any change
    views = read_values(uow, "task", [task_id, …], call)              # {id: [CustomValueView, …]}
    # response: shapes.CUSTOM_DATA renders the view's ``custom_data`` attribute
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.customfields import types
from planfix_server.domain.customfields.repository import CustomFieldRepository
from planfix_server.domain.customfields.types import FieldDef
from planfix_server.domain.handbooks.lookup import find_records
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.fields import Id, Str, xml

NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class CustomValueIn:
    """One ``<customValue>`` of a request: the field id and the value (empty = clear the field)."""

    id: int | None = xml("id", Id())
    value: str | None = xml("value", Str())


@dataclass(frozen=True, slots=True)
class CustomValueView:
    field_id: int
    field_name: str
    value: str
    text: str


# -- definitions


def _cache(uow: AccountUnitOfWork) -> dict[str, list[FieldDef]]:
    shared = uow.shared
    if shared is not None and shared.fields is not None:  # read by another request at the same tag
        kept: dict[str, list[FieldDef]] = shared.fields
        return kept
    repo = uow.get(CustomFieldRepository)
    if repo.field_cache is None:
        found: dict[str, list[FieldDef]] = defaultdict(list)
        for row in repo.fields():
            found[row.object_kind].append(types.field_from_row(row))
        repo.field_cache = found
    cached: dict[str, list[FieldDef]] = repo.field_cache
    if shared is not None:
        shared.fields = cached
    return cached


def fields_of(uow: AccountUnitOfWork, object_kind: str) -> list[FieldDef]:
    """The fields of one kind of object, in form order."""
    return list(_cache(uow).get(object_kind, ()))


def field_of(uow: AccountUnitOfWork, object_kind: str, field_id: int) -> FieldDef | None:
    for definition in _cache(uow).get(object_kind, ()):
        if definition.id == field_id:
            return definition
    return None


def define_field(
    uow: AccountUnitOfWork,
    now: dt.datetime,
    *,
    object_kind: str,
    name: str,
    field_type: str,
    options: Sequence[str] = (),
    unit: str = "",
    handbook_id: int | None = None,
) -> int:
    """A new field on every object of ``object_kind``; ValueError on a bad definition."""
    if object_kind not in types.OBJECT_KINDS:
        raise ValueError(f"unknown object kind {object_kind!r}; one of {', '.join(types.OBJECT_KINDS)}")
    if field_type not in types.TYPES:
        raise ValueError(f"unknown field type {field_type!r}; one of {', '.join(types.TYPES)}")
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise ValueError(f"a field name has 1 to {NAME_LENGTH} characters")
    options = [option.strip() for option in options if option.strip()]
    if field_type in ("list", "value_set") and not options:
        raise ValueError(f"a {field_type} field needs at least one option")
    if options and field_type not in ("list", "value_set"):
        raise ValueError(f"options are for list and value_set fields, not {field_type}")
    if unit and field_type != "number":
        raise ValueError("a unit is for number fields")
    if handbook_id is not None and field_type not in ("handbook_record", "handbook_record_set"):
        raise ValueError("a handbook is for handbook_record and handbook_record_set fields")
    repo = uow.get(CustomFieldRepository)
    field_id = uow.next_id("custom_fields")
    definition = FieldDef(
        field_id, object_kind, name, field_type, tuple(dict.fromkeys(options)), unit.strip(), handbook_id
    )
    repo.add_field(
        id=field_id,
        object_kind=object_kind,
        name=name,
        type=field_type,
        options=definition.options_json(),
        position=repo.next_position(object_kind),
        created_at=now,
    )
    repo.field_cache = None
    uow.shared = None  # this unit of work now reads its own, uncommitted, fields
    return field_id


# -- values


def _check_references(uow: AccountUnitOfWork, wanted: dict[str, set[int]]) -> None:
    repo = uow.get(CustomFieldRepository)
    for reference, ids in wanted.items():
        if not ids or reference == "handbook_record":  # checked per field: _check_handbook_keys
            continue
        found = set(repo.names(reference, sorted(ids)))
        missing = sorted(ids - found)
        if missing:  # 0015 for every kind of reference, as the reference's value rules read
            raise errors.InvalidParameterValue(f"customData: no {reference} {missing[0]}")


def _check_handbook_keys(
    uow: AccountUnitOfWork, parsed: Sequence[tuple[FieldDef, str | list[int] | None]]
) -> None:
    """Handbook record keys: ordinary records (not groups) of the field's handbook, else 0015."""
    given = [(d, v) for d, v in parsed if d.reference == "handbook_record" and isinstance(v, list)]
    found = find_records(uow, {key for _, keys in given for key in keys})
    for definition, keys in given:
        for key in keys:
            ref = found.get(key)
            if ref is None or ref.is_group or definition.handbook_id not in (None, ref.handbook_id):
                raise errors.InvalidParameterValue(
                    f"customData: no handbook record {key} for field {definition.id}"
                )


def _names(uow: AccountUnitOfWork, reference: str, ids: set[int]) -> dict[int, str]:
    if reference == "handbook_record":  # a record shows its caption
        return {key: ref.caption for key, ref in find_records(uow, ids).items()}
    return uow.get(CustomFieldRepository).names(reference, sorted(ids))


def write_values(
    uow: AccountUnitOfWork,
    object_kind: str,
    object_id: int,
    given: Sequence[CustomValueIn] | None,
    call: Call,
) -> None:
    """Set the listed fields of one object (others keep their values); 0009/0015 change nothing."""
    if not given:
        return
    parsed: dict[int, tuple[FieldDef, str | list[int] | None]] = {}
    for item in given:
        if item.id is None:
            if item.value is None:
                continue  # an all-empty template entry
            raise errors.MissingParameter("customData/customValue/id")
        definition = field_of(uow, object_kind, item.id)
        if definition is None:
            raise errors.InvalidParameterValue(f"customData: no {object_kind} field {item.id}")
        parsed[item.id] = (definition, types.parse(definition, item.value, call.tz))
    wanted: dict[str, set[int]] = defaultdict(set)
    for definition, value in parsed.values():
        if isinstance(value, list) and definition.reference is not None:
            wanted[definition.reference].update(value)
    _check_references(uow, wanted)
    _check_handbook_keys(uow, list(parsed.values()))
    stored: dict[int, str] = {}
    for field_id, (definition, value) in parsed.items():
        if isinstance(value, list):
            stored[field_id] = types.format_ids(value) if definition.type in types.ID_LISTS else str(value[0])
        elif value is not None:
            stored[field_id] = value
    uow.get(CustomFieldRepository).replace_values(object_kind, object_id, sorted(parsed), stored)


def read_values(
    uow: AccountUnitOfWork, object_kind: str, object_ids: Sequence[int], call: Call
) -> dict[int, list[CustomValueView]]:
    """Every field of ``object_kind`` for each object (unset ones empty), in form order."""
    definitions = fields_of(uow, object_kind)
    if not definitions or not object_ids:
        return {object_id: [] for object_id in object_ids}
    repo = uow.get(CustomFieldRepository)
    stored: dict[int, dict[int, str]] = defaultdict(dict)
    by_id = {definition.id: definition for definition in definitions}
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in repo.values(object_kind, list(dict.fromkeys(object_ids))):
        stored[int(row.object_id)][int(row.field_id)] = row.value
        definition = by_id.get(int(row.field_id))
        if definition is not None and definition.reference is not None:
            wanted[definition.reference].update(types.stored_ids(definition, row.value))
    display = types.Display(
        call.tz,
        call.settings.language,
        {reference: _names(uow, reference, ids) for reference, ids in wanted.items()},
    )
    # The objects of a page share most values (unset fields above all): each distinct value of a
    # field is rendered once and its (immutable) view shared.
    rendered: dict[tuple[int, str | None], CustomValueView] = {}

    def view_of(definition: FieldDef, stored_value: str | None) -> CustomValueView:
        key = (definition.id, stored_value)
        found = rendered.get(key)
        if found is None:
            value, text = types.render(definition, stored_value, display)
            found = rendered[key] = CustomValueView(definition.id, definition.name, value, text)
        return found

    blank = [view_of(definition, None) for definition in definitions]
    views: dict[int, list[CustomValueView]] = {}
    for object_id in object_ids:
        values = stored.get(object_id)
        if values is None:
            views[object_id] = list(blank)
        else:
            views[object_id] = [view_of(definition, values.get(definition.id)) for definition in definitions]
    return views


def forget_contact_values(uow: AccountUnitOfWork, user_id: int) -> None:
    """Clear every contact and counterparty field that names the contact ``user_id`` (it is deleted)."""
    field_ids = [
        definition.id
        for kind in types.OBJECT_KINDS
        for definition in fields_of(uow, kind)
        if definition.reference == "contact"
    ]
    uow.get(CustomFieldRepository).delete_matching(field_ids, str(user_id))
