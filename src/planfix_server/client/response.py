"""One answer of the API: the ``<response>`` element, with the raw bytes and the HTTP headers kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from planfix_server.client.element import Element, parse_xml
from planfix_server.client.errors import BadResponse

T = TypeVar("T")
U = TypeVar("U")


class Response(Element):
    """The ``<response>`` element of an answer (an ``Element``), plus ``raw`` bytes and headers.

    ``response.one("user").text_of("login")``; ``response.raw`` is exactly what the server sent.
    """

    __slots__ = ("function", "headers", "raw")

    def __init__(self, root: Element, raw: bytes, function: str, headers: Mapping[str, str]) -> None:
        super().__init__(root.node)
        self.raw = raw
        self.function = function
        self.headers: dict[str, str] = {name.lower(): value for name, value in headers.items()}

    @property
    def ok(self) -> bool:
        return self.node.get("status") == "ok"

    @property
    def code(self) -> str:
        """The error code of an error answer ('' for ``status="ok"``)."""
        return "" if self.ok else self.text_of("code").strip()

    @property
    def message(self) -> str:
        return self.text_of("message").strip()

    @property
    def remaining(self) -> int | None:
        """``X-RateLimit-Remaining``: requests left today (a snapshot; it lags by minutes)."""
        value = self.headers.get("x-ratelimit-remaining", "").strip()
        return int(value) if value.isdigit() else None


def parse_response(raw: bytes, function: str, headers: Mapping[str, str]) -> Response:
    """``Response`` from the body of an HTTP 200; ``BadResponse`` if it is not an API answer."""
    root = parse_xml(raw)
    if root.tag != "response" or root.node.get("status") not in ("ok", "error"):
        raise BadResponse(f"not an XML API response (root <{root.tag}>)", function=function)
    response = Response(root, raw, function, headers)
    if not response.ok and not response.code:
        raise BadResponse("error answer without a <code>", function=function)
    return response


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list function.

    ``count`` and ``total`` are the container's ``count`` and ``totalCount`` attributes (``count``
    falls back to the number of items, ``total`` is None when the server sent none).
    """

    items: list[T]
    count: int
    total: int | None
    number: int
    size: int

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """The same page with every item converted."""
        return Page([convert(item) for item in self.items], self.count, self.total, self.number, self.size)


def list_container(response: Element) -> Element:
    """The list container of a list answer: the child carrying ``count``/``totalCount``.

    Falls back to the only child when no child has those attributes (very old answers).
    """
    node = response.node
    for child in node:
        if "totalCount" in child.attrib or "count" in child.attrib:
            return Element(child)
    if len(node) == 1:
        return Element(node[0])
    raise BadResponse(f"{getattr(response, 'function', '')}: no list container in the answer")


def _attr_int(container: Element, name: str) -> int | None:
    value = (container.node.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def element_page(response: Element, item: str | None, number: int, size: int) -> Page[Element]:
    """The page in a list answer; ``item`` names the items (None: every child of the container)."""
    container = list_container(response)
    items = container.children if item is None else container.all(item)
    count = _attr_int(container, "count")
    return Page(
        items, len(items) if count is None else count, _attr_int(container, "totalCount"), number, size
    )
