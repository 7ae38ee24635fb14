"""Pieces every area shares: references, people lists, phones, custom fields, filters.

Reading rules of the typed results (on top of ``Element``'s): an id of ``0`` or an empty id
means "none" (``00-protocol.md``: clients treat ``0`` ids as absent), so a reference is ``None``
then; numbers are ``int``; flags ``bool``; dates ``date`` or ``datetime`` as sent. Every result
keeps the element it was read from as ``.element`` for fields the dataclass does not name.

Extra keyword arguments of the ``add``/``update`` functions become elements of the object, their
names turned from snake_case into the API's lowerCamelCase (``last_name`` → ``lastName``; names
already in camelCase stay as they are), their values by the rules of ``client.values``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.client.element import Element
from planfix_server.client.errors import BadResponse

EMPTY = Element.build("empty")  # the default .element of a result built by hand


def camel(name: str) -> str:
    """``last_name`` → ``lastName``; ``isCompany`` stays."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def fields_of(given: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments as element names (None values dropped later by the encoder)."""
    return {camel(name): value for name, value in given.items()}


def drop_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def need_id(element: Element, path: str = "id") -> int:
    """An id the answer must carry."""
    value = element.int_of(path)
    if value is None:
        raise BadResponse(f"<{element.tag}> has no <{path}>")
    return value


def ident(element: Element, path: str) -> int | None:
    """An optional id: None when absent, empty or 0."""
    return element.int_of(path) or None


@dataclass(frozen=True, slots=True)
class Ref:
    """Another object as answers name it: its id and its name (or title)."""

    id: int
    name: str = ""


def ref_of(element: Element, path: str, name: str = "name") -> Ref | None:
    """The reference at ``path`` (``<owner><id/><name/></owner>``); None when its id is 0/empty."""
    node = element.find(path)
    return None if node is None else _ref(node, name)


def refs_of(element: Element, path: str, name: str = "name") -> list[Ref]:
    """Every reference at ``path`` (``"userGroups/userGroup"``), skipping id 0."""
    return [ref for node in element.findall(path) if (ref := _ref(node, name)) is not None]


def _ref(node: Element, name: str) -> Ref | None:
    number = ident(node, "id")
    return None if number is None else Ref(number, node.text_of(name))


@dataclass(frozen=True, slots=True)
class People:
    """A people list of an answer (``workers``, ``members``, ``auditors``, ``responsible``)."""

    users: list[Ref] = field(default_factory=list)
    groups: list[Ref] = field(default_factory=list)


def people_of(element: Element, path: str) -> People:
    return People(refs_of(element, f"{path}/users/user"), refs_of(element, f"{path}/groups/group"))


def id_list(ids: Sequence[int] | None) -> dict[str, Any] | None:
    """``<…><id>1</id><id>2</id></…>``. An empty list is sent as one ``0``: an empty element means
    "not given" (00-protocol.md), while id ``0`` means "none", so the list is cleared."""
    if ids is None:
        return None
    return {"id": list(ids) or [0]}


def people_params(users: Sequence[int] | None, groups: Sequence[int] | None) -> dict[str, Any] | None:
    """The request shape of a people list: ids directly under ``users`` / ``groups`` (an empty
    list clears that half, see ``id_list``)."""
    if users is None and groups is None:
        return None
    return drop_none({"users": id_list(users), "groups": id_list(groups)})


@dataclass(frozen=True, slots=True)
class Phone:
    number: str
    type_id: int | None = None
    type_name: str = ""


def phones_of(element: Element, path: str = "phones") -> list[Phone]:
    return [
        Phone(node.text_of("number"), node.int_of("typeId"), node.text_of("typeName"))
        for node in element.findall(f"{path}/phone")
    ]


def phones_params(phones: Sequence[Phone] | None) -> dict[str, Any] | None:
    if phones is None:
        return None
    return {
        "phone": [
            drop_none({"number": p.number, "typeId": p.type_id, "typeName": p.type_name or None})
            for p in phones
        ]
    }


@dataclass(frozen=True, slots=True)
class CustomValue:
    """A custom field's value as read: ``value`` raw (ids, numbers, 0/1), ``text`` as displayed."""

    field_id: int
    field_name: str
    value: str
    text: str


def custom_of(element: Element) -> list[CustomValue]:
    return [
        CustomValue(
            node.int_of("field/id") or 0,
            node.text_of("field/name"),
            node.text_of("value"),
            node.text_of("text"),
        )
        for node in element.findall("customData/customValue")
    ]


def custom_value(value: Any) -> Any:
    """A list of ids becomes ``[1,2,3]`` and a list of texts ``["a","b"]`` (10-tasks.md §2.5)."""
    if isinstance(value, list | tuple):
        if all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            return "[" + ",".join(str(item) for item in value) + "]"
        return json.dumps([str(item) for item in value], ensure_ascii=False)
    return value


def custom_params(values: Mapping[int, Any] | None) -> dict[str, Any] | None:
    """``{field_id: value}`` → ``<customData><customValue><id/><value/></customValue>…``."""
    if values is None:
        return None
    return {"customValue": [{"id": key, "value": custom_value(value)} for key, value in values.items()]}


@dataclass(frozen=True, slots=True)
class Filter:
    """One complex filter of a list function (``<filters><filter>``): type, operator, value, field."""

    type: int
    operator: str
    value: Any
    field: int | None = None

    def params(self) -> dict[str, Any]:
        return drop_none(
            {"type": self.type, "operator": self.operator, "value": self.value, "field": self.field}
        )


def filters_params(filters: Sequence[Filter | Mapping[str, Any]] | None) -> dict[str, Any] | None:
    if not filters:
        return None
    return {"filter": [item.params() if isinstance(item, Filter) else dict(item) for item in filters]}


def fields_list(names: Sequence[str] | None) -> dict[str, Any] | None:
    """``<fields><field>lastUpdateDate</field>…</fields>`` (contact functions)."""
    return {"field": list(names)} if names else None
