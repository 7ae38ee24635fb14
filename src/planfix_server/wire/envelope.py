"""Request bytes -> Envelope: the hardened XML parse and the common envelope fields.

Everything that is not a plain, well-formed ``<request method="…">`` document answers 0003:
DTDs and entity declarations, entity references, processing instructions other than the XML
declaration, invalid UTF-8, a wrong root, or nesting deeper than the configured cap. The
parser never loads a DTD, never resolves an entity and never touches the network or the file
system: every external resource it asks for (a parameter entity in a UTF-16 body gets past the
byte scan of the prolog) is answered with nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from planfix_server.api import errors

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=False,
    collect_ids=False,
)


class _NothingExternal(etree.Resolver):
    """Every external DTD, entity or include resolves to empty text: nothing is ever read."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:  # type: ignore[override]
        return self.resolve_string("", context, base_url=None)


_PARSER.resolvers.add(_NothingExternal())

_FORBIDDEN_MARKUP = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity", b"<!ELEMENT", b"<!ATTLIST")
# A DTD can only come before the root element; markup-like text after it (CDATA) is data.
_ELEMENT_START = re.compile(rb"<[A-Za-z_:\x80-\xff]")


@dataclass(frozen=True, slots=True)
class Envelope:
    """The common part of a request; ``root`` keeps the parsed document for the rest."""

    method: str
    method_raw: str
    account: str
    sid: str
    signature: str
    silent: bool
    root: etree._Element


def parse_document(body: bytes, max_depth: int) -> etree._Element:
    """Parse ``body`` into the ``<request>`` element or raise XmlParseError."""
    if not body.strip():
        raise errors.XmlParseError("empty body")
    first_element = _ELEMENT_START.search(body)
    prolog = body if first_element is None else body[: first_element.start()]
    if any(marker in prolog for marker in _FORBIDDEN_MARKUP):
        raise errors.XmlParseError("DTD or entity declaration")
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise errors.XmlParseError(str(exc)) from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise errors.XmlParseError("DTD")
    if root.tag != "request":
        raise errors.XmlParseError(f"root element is {root.tag!r}")
    _check_tree(root, max_depth)
    return root


def _check_tree(root: etree._Element, max_depth: int) -> None:
    """Reject entity references, processing instructions and excessive depth.

    One walk that holds no node beyond the current one: a body of a million empty elements
    must not turn into a million Python objects at once.
    """
    if next(root.iter(etree.PI, etree.Entity), None) is not None:
        raise errors.XmlParseError("entity reference or processing instruction")
    depth = 0
    for event, _node in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        if depth > max_depth:
            raise errors.XmlParseError("nesting too deep")
    for sibling in root.itersiblings(preceding=True):
        raise errors.XmlParseError(f"markup before the root: {sibling!r}")
    for sibling in root.itersiblings():
        raise errors.XmlParseError(f"markup after the root: {sibling!r}")


def _child_text(root: etree._Element, name: str) -> str:
    element = root.find(name)
    if element is None or element.text is None:
        return ""
    return element.text.strip()


def parse_envelope(body: bytes, max_depth: int = 32) -> Envelope:
    """Parse a request body; raise XmlParseError (0003) or MissingParameter (0009)."""
    root = parse_document(body, max_depth)
    method_raw = root.get("method")
    if method_raw is None or not method_raw.strip():
        raise errors.MissingParameter("method")
    account = _child_text(root, "account")
    if not account:
        raise errors.MissingParameter("account")
    silent_text = _child_text(root, "silent").lower()
    return Envelope(
        method=method_raw.strip(),
        method_raw=method_raw,
        account=account,
        sid=_child_text(root, "sid"),
        signature=_child_text(root, "signature"),
        silent=silent_text in {"1", "true"},
        root=root,
    )
