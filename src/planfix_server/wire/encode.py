"""Typed result + response shape -> response bytes.

The only writer of response XML. Output follows the real service byte for byte: the XML
declaration, a newline, the whole ``<response>`` on one line, a newline. Empty scalars are
``<x></x>``, empty containers ``<x/>``, list containers carry ``totalCount`` then ``count``.
Every text passes through ``escape``.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from planfix_server.api.errors import ApiError

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 cannot carry (they are dropped) and the ones that must be escaped.
_NEEDS_WORK = re.compile('[&<>"\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_TABLE: dict[int, str | None] = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}
_TABLE[ord("\r")] = "&#13;"
_TABLE.update({code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))})
_TABLE.update({code: None for code in range(0xD800, 0xE000)})
_TABLE.update({0xFFFE: None, 0xFFFF: None})


def escape(text: str) -> str:
    """Text safe for element content and attribute values; forbidden characters removed.

    (In an attribute value a parser reads a literal tab or newline as a space.)
    """
    if _NEEDS_WORK.search(text) is None:
        return text
    return str(text.translate(_TABLE))


def escape_each(*texts: str) -> tuple[str, ...]:
    """``escape`` of each text; one scan when none needs work (the usual case for a card's texts)."""
    if _NEEDS_WORK.search("".join(texts)) is None:
        return texts
    return tuple(map(escape, texts))


def format_moment(value: dt.date, tz: dt.tzinfo) -> str:
    """format_value of a date or datetime."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        local = value.astimezone(tz)
        # Not strftime: "%Y" does not pad years before 1000 to four digits on every platform.
        return f"{local.day:02d}-{local.month:02d}-{local.year:04d} {local.hour:02d}:{local.minute:02d}"
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def format_value(value: Any, tz: dt.tzinfo) -> str:
    """The wire text of a scalar (booleans 0/1, dates dd-mm-yyyy[ HH:MM] in ``tz``)."""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return escape(value)
    if kind is bool:
        return "1" if value else "0"
    if kind is int:
        return str(value)
    if isinstance(value, enum.Enum):
        return escape(str(value.value))
    if isinstance(value, dt.date):
        return format_moment(value, tz)
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    return escape(str(value))


def _get(obj: Any, attr: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(attr)
    return getattr(obj, attr)


class Shape:
    """A piece of response markup, rendered from an object."""

    tag: str

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Leaf(Shape):
    """``<tag>value</tag>`` from ``obj.attr`` (attr defaults to the tag)."""

    tag: str
    attr: str = ""

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        text = format_value(_get(obj, self.attr or self.tag), tz)
        out.append(f"<{self.tag}>{text}</{self.tag}>")


@dataclass(frozen=True)
class Optional(Shape):
    """Like Leaf, but the element is left out when the value is None."""

    tag: str
    attr: str = ""

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        value = _get(obj, self.attr or self.tag)
        if value is not None:
            out.append(f"<{self.tag}>{format_value(value, tz)}</{self.tag}>")


class IfPresent(Shape):
    """``shape`` rendered (from ``obj``) only when ``obj.attr`` is not None."""

    def __init__(self, attr: str, shape: Shape) -> None:
        self.attr = attr
        self.shape = shape
        self.tag = shape.tag

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        if getattr(obj, self.attr) is not None:
            self.shape.render(obj, out, tz)


class _Leaves(Shape):
    """Consecutive Leaf children of a Node rendered in one loop (what Leaf.render does for each).

    Most elements of a card are leaves; one call per run instead of two or three per leaf cost a
    list page a good part of its rendering time.
    """

    def __init__(self, leaves: Sequence[Leaf]) -> None:
        self.tag = leaves[0].tag
        self.parts = tuple((leaf.attr or leaf.tag, f"<{leaf.tag}>", f"</{leaf.tag}>") for leaf in leaves)

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        is_dict = isinstance(obj, dict)
        append = out.append
        text: str
        for attr, opening, closing in self.parts:
            value = obj.get(attr) if is_dict else getattr(obj, attr)
            kind = type(value)
            if kind is str:
                text = escape(value)
            elif kind is int:
                text = str(value)
            else:
                text = format_value(value, tz)
            append(opening + text + closing)


def _runs(children: Sequence[Shape]) -> tuple[Shape, ...]:
    """The children with each run of leaves made one _Leaves."""
    found: list[Shape] = []
    leaves: list[Leaf] = []
    for child in (*children, None):
        if type(child) is Leaf:
            leaves.append(child)
            continue
        if leaves:
            found.append(_Leaves(leaves))
            leaves = []
        if child is not None:
            found.append(child)
    return tuple(found)


class Node(Shape):
    """``<tag>children</tag>``; children read ``obj.attr`` (or ``obj`` itself without attr)."""

    def __init__(self, tag: str, *children: Shape, attr: str | None = None) -> None:
        self.tag = tag
        self.children = children
        self.attr = attr
        self._parts = _runs(children)

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        target = obj if self.attr is None else _get(obj, self.attr)
        if not self._parts:
            out.append(f"<{self.tag}/>")
            return
        out.append(f"<{self.tag}>")
        for part in self._parts:
            part.render(target, out, tz)
        out.append(f"</{self.tag}>")


class Items(Shape):
    """``<tag><item/>…</tag>`` from the iterable ``obj.attr``; ``<tag/>`` when empty.

    ``item`` is a shape rendered per element, or a tag name for a list of scalars.
    """

    def __init__(self, tag: str, item: Shape | str, *, attr: str | None = None) -> None:
        self.tag = tag
        self.item = item
        self.attr = attr or tag

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        values: Iterable[Any] = _get(obj, self.attr) or ()
        start = len(out)
        out.append(f"<{self.tag}>")
        item = self.item
        if isinstance(item, str):
            for value in values:
                out.append(f"<{item}>{format_value(value, tz)}</{item}>")
        else:
            for value in values:
                item.render(value, out, tz)
        if len(out) == start + 1:
            out[start] = f"<{self.tag}/>"
        else:
            out.append(f"</{self.tag}>")


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: the items and how many match over all pages."""

    items: Sequence[Any]
    total: int


class PageOf(Shape):
    """A list container ``<tag totalCount="T" count="N">`` of ``item`` from a Page."""

    def __init__(self, tag: str, item: Shape, *, attr: str | None = None) -> None:
        self.tag = tag
        self.item = item
        self.attr = attr

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        page: Page = obj if self.attr is None else _get(obj, self.attr)
        head = f'<{self.tag} totalCount="{page.total}" count="{len(page.items)}"'
        if not page.items:
            out.append(head + "/>")
            return
        out.append(head + ">")
        for value in page.items:
            self.item.render(value, out, tz)
        out.append(f"</{self.tag}>")


class Counted(Shape):
    """``<tag totalCount="N">item…</tag>`` from a sequence (``obj`` itself, or ``obj.attr``).

    For the lists whose documented answer carries one count attribute only: ``totalCount``
    (taskStatus.*, projectGroup.getList, …) or ``count`` (task.getMulti). An empty one
    self-closes like every other empty container.
    """

    def __init__(
        self, tag: str, item: Shape, *, attribute: str = "totalCount", attr: str | None = None
    ) -> None:
        self.tag = tag
        self.item = item
        self.attribute = attribute
        self.attr = attr

    def render(self, obj: Any, out: list[str], tz: dt.tzinfo) -> None:
        values: Sequence[Any] = obj if self.attr is None else _get(obj, self.attr)
        head = f'<{self.tag} {self.attribute}="{len(values)}"'
        if not values:
            out.append(head + "/>")
            return
        out.append(head + ">")
        for value in values:
            self.item.render(value, out, tz)
        out.append(f"</{self.tag}>")


UTC = ZoneInfo("UTC")


def ok(shapes: Sequence[Shape], result: Any, tz: dt.tzinfo = UTC) -> bytes:
    """A ``status="ok"`` document with ``shapes`` rendered from ``result``."""
    out = [DECLARATION, '<response status="ok">']
    for shape in shapes:
        shape.render(result, out, tz)
    out.append("</response>\n")
    return "".join(out).encode("utf-8")


def error(exc: ApiError, *, with_message: bool = False) -> bytes:
    """A ``status="error"`` document for an API error."""
    message = "<message/>"
    if with_message:
        text = exc.meaning + (f": {exc.detail}" if exc.detail else "")
        message = f"<message>{escape(text)}</message>"
    head = f'{DECLARATION}<response status="error"><code>{exc.code}</code>'
    extra = "".join(f"<{tag}>{escape(value)}</{tag}>" for tag, value in exc.extra)
    return f"{head}{extra}{message}</response>\n".encode()
