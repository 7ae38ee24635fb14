"""Request element + request dataclass -> typed request.

A request class is a frozen dataclass whose fields are declared with ``fields.xml(path, kind)``.
The plan for each class is built once; decoding is a handful of ``find`` calls.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

from lxml import etree

from planfix_server.api import errors
from planfix_server.wire.fields import XmlField

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Step:
    name: str
    spec: XmlField


_PLANS: dict[type, tuple[_Step, ...]] = {}


def plan_of(cls: type) -> tuple[_Step, ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls.__name__} is not a dataclass")
        steps = []
        for item in dataclasses.fields(cls):
            spec = item.metadata.get("xml")
            if spec is None:
                raise TypeError(f"{cls.__name__}.{item.name} has no xml() declaration")
            steps.append(_Step(item.name, spec))
        plan = tuple(steps)
        _PLANS[cls] = plan
    return plan


def _find(element: etree._Element, steps: tuple[str, ...]) -> etree._Element | None:
    found: etree._Element | None = element
    for step in steps:
        if found is None:
            return None
        found = found.find(step)
    return found


def _is_empty(element: etree._Element) -> bool:
    return len(element) == 0 and (element.text is None or not element.text.strip())


def _value(element: etree._Element, spec: XmlField, path: str) -> Any:
    if spec.struct is not None:
        return None if _is_empty(element) else decode(spec.struct, element, f"{path}/")
    if spec.kind is None:
        raise TypeError(f"{path}: neither kind nor struct declared")
    try:
        return spec.kind.from_element(element)
    except errors.InvalidParameterValue as exc:
        raise errors.InvalidParameterValue(f"{path}: {exc.detail}") from None


def decode(cls: type[T], element: etree._Element, prefix: str = "") -> T:
    """Build ``cls`` from the children of ``element``; 0009 / 0015 on bad input."""
    values: dict[str, Any] = {}
    for step in plan_of(cls):
        spec = step.spec
        path = f"{prefix}{spec.path}"
        node = _find(element, spec.steps)
        if spec.many is not None:
            value: Any = None
            if node is not None:
                items = (_value(child, spec, f"{path}/{spec.many}") for child in node.iterfind(spec.many))
                value = [item for item in items if item is not None]
            if spec.required and not value:
                raise errors.MissingParameter(path)
        else:
            value = None if node is None else _value(node, spec, path)
            if value is None and spec.required:
                raise errors.MissingParameter(path)
        if value is not None:
            values[step.name] = value
    return cls(**values)


def describe_request(cls: type) -> list[tuple[str, str, bool]]:
    """(path, kind, required) rows of a request class, nested structs flattened (docs)."""
    from planfix_server.wire.fields import describe

    rows: list[tuple[str, str, bool]] = []
    for step in plan_of(cls):
        spec = step.spec
        path = spec.path + (f"/{spec.many}" if spec.many else "")
        if spec.struct is not None:
            for sub_path, sub_kind, sub_required in describe_request(spec.struct):
                rows.append((f"{path}/{sub_path}", sub_kind, spec.required and sub_required))
        else:
            rows.append((path, describe(spec.kind, None) + ("[]" if spec.many else ""), spec.required))
    return rows
