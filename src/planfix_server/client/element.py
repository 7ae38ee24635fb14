"""Answers as Python objects: ``Element`` trees in which lists are always lists.

XML cannot tell one list item from a single child, so nothing here guesses: ``el.all("user")``
is a list (empty, one or many) and ``el.one("user")`` is exactly one element (``MissingElement``
when there is none). Values stay the strings the server sent; the ``*_of`` readers convert on
request, by the wire rules of ``00-protocol.md`` §6:

* ``int_of``: decimal integer; an empty or absent element is ``None``;
* ``bool_of``: ``1``/``true`` are True, ``0``/``false``/empty/absent are False;
* ``date_of``: ``dd-mm-yyyy`` gives a ``date``, ``dd-mm-yyyy HH:MM`` a naive ``datetime`` (the
  calling user's wall-clock time); empty or absent is ``None``.

Paths are child names joined by ``/`` (``"post/id"``): ``find`` and the ``*_of`` readers take the
first child of that name at each step; ``findall`` returns every match (lxml's ElementPath).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from copy import deepcopy
from typing import Any

from lxml import etree

from planfix_server.client.errors import BadResponse

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
)
_MOMENT = re.compile(r"\s*(\d{1,2})-(\d{1,2})-(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*\Z")


class MissingElement(KeyError):
    """``one()`` or a required path found no element of that name."""


class Element:
    """One XML element: ``tag``, ``attrs``, ``text`` (of a leaf; '' otherwise) and ``children``.

    A thin read-only view of an lxml element (``.node``), so reading an answer costs one parse
    and lookups run in lxml's C code.
    """

    __slots__ = ("_index", "_node")

    def __init__(self, node: etree._Element) -> None:
        self._node = node
        self._index: dict[str, etree._Element] | None = None

    def _first(self, path: str) -> etree._Element | None:
        """The first element at ``path``; the first step through an index of the children, built
        once per view, since typed readers ask one element for twenty fields."""
        index = self._index
        if index is None:
            index = {}
            for child in self._node:
                index.setdefault(str(child.tag), child)
            self._index = index
        name, _, rest = path.partition("/")
        found = index.get(name)
        if found is None or not rest:
            return found
        for step in rest.split("/"):
            found = next(found.iterchildren(step), None)
            if found is None:
                return None
        return found

    @classmethod
    def build(
        cls,
        tag: str,
        text: str = "",
        attrs: Mapping[str, str] | None = None,
        children: Iterable[Element] = (),
    ) -> Element:
        """A new element (for tests and defaults; answers are parsed, not built)."""
        node = etree.Element(tag, dict(attrs or {}))
        node.text = text or None
        node.extend(deepcopy(child.node) for child in children)
        return cls(node)

    @property
    def node(self) -> etree._Element:
        """The lxml element underneath (do not change it: answers are shared)."""
        return self._node

    @property
    def tag(self) -> str:
        return str(self._node.tag)

    @property
    def attrs(self) -> dict[str, str]:
        return {str(name): str(value) for name, value in self._node.attrib.items()}

    @property
    def text(self) -> str:
        node = self._node
        return "" if len(node) else (node.text or "")

    @property
    def children(self) -> list[Element]:
        return [Element(child) for child in self._node]

    # -- structure
    def all(self, name: str) -> list[Element]:
        """Every child named ``name``, in document order (a list even for one or none)."""
        return [Element(child) for child in self._node.iterchildren(name)]

    def get(self, name: str) -> Element | None:
        """The first child named ``name``, or None."""
        found = self._first(name)
        return None if found is None else Element(found)

    def one(self, name: str) -> Element:
        """The first child named ``name``; ``MissingElement`` when there is none."""
        found = self.get(name)
        if found is None:
            raise MissingElement(f"<{self.tag}> has no <{name}>")
        return found

    def find(self, path: str) -> Element | None:
        """The first element at ``path`` (``"a/b/c"``), or None."""
        found = self._first(path)
        return None if found is None else Element(found)

    def findall(self, path: str) -> list[Element]:
        """Every element at ``path``, in document order (``"userGroups/userGroup"``)."""
        return [Element(found) for found in self._node.iterfind(path)]

    def __iter__(self) -> Iterator[Element]:
        return (Element(child) for child in self._node)

    def __len__(self) -> int:
        return len(self._node)

    def __bool__(self) -> bool:  # an element is there even when it is empty
        return True

    def __repr__(self) -> str:
        if len(self._node):
            names = ", ".join(str(child.tag) for child in list(self._node)[:6])
            more = ", …" if len(self._node) > 6 else ""
            return f"<Element {self.tag} [{names}{more}]>"
        return f"<Element {self.tag} {self.text!r}>"

    # -- values
    def text_of(self, path: str, default: str = "") -> str:
        """The text at ``path``; ``default`` when the element is absent."""
        found = self._first(path)
        if found is None:
            return default
        return "" if len(found) else (found.text or "")

    def int_of(self, path: str) -> int | None:
        """The integer at ``path``; None when absent or empty."""
        text = self.text_of(path).strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise BadResponse(f"<{path}> is not an integer: {text!r}") from None

    def bool_of(self, path: str) -> bool:
        """True for ``1``/``true``; False for ``0``/``false``, empty or absent."""
        text = self.text_of(path).strip().lower()
        if text in ("", "0", "false"):
            return False
        if text in ("1", "true"):
            return True
        raise BadResponse(f"<{path}> is not a boolean: {text!r}")

    def date_of(self, path: str) -> dt.date | None:
        """A ``date`` (``dd-mm-yyyy``) or naive ``datetime`` (``dd-mm-yyyy HH:MM``); None if empty."""
        return parse_moment(self.text_of(path), path)

    # -- conversion
    def to_data(self) -> Any:
        """A JSON-ready form that never changes shape with the number of items.

        A leaf without attributes is its text. Any other element is an object: attributes as
        ``"@name"``, and each child name mapped to a **list** of its values, always (one item is
        still a list). Text beside children or attributes is ``"#text"``. An empty container
        (``<users/>``) is indistinguishable from an empty value, so it is ``""``.
        """
        return _data(self._node)


def _data(node: etree._Element) -> Any:
    if not len(node) and not node.attrib:
        return node.text or ""
    data: dict[str, Any] = {"@" + str(name): str(value) for name, value in node.attrib.items()}
    if not len(node) and node.text and node.text.strip():
        data["#text"] = node.text
    for child in node:
        data.setdefault(str(child.tag), []).append(_data(child))
    return data


def parse_moment(text: str, where: str = "value") -> dt.date | None:
    """``dd-mm-yyyy`` → date, ``dd-mm-yyyy HH:MM[:SS]`` → naive datetime, empty → None."""
    if not text.strip():
        return None
    match = _MOMENT.match(text)
    if match is None:
        raise BadResponse(f"<{where}> is not a date: {text!r}")
    day, month, year, hour, minute, second = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError as exc:
        raise BadResponse(f"<{where}> is not a date: {text!r} ({exc})") from None


def parse_xml(raw: bytes) -> Element:
    """The root ``Element`` of a document; ``BadResponse`` when it is not well-formed XML."""
    try:
        root = etree.fromstring(raw, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise BadResponse(f"the answer is not XML: {exc}") from None
    docinfo: Any = root.getroottree().docinfo  # lxml-stubs lack DocInfo.doctype
    if docinfo.doctype:
        # No API answer has a DTD; refuse rather than guess what its entities meant.
        raise BadResponse("the answer has a DTD")
    return Element(root)
