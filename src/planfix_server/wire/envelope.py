"""Request bytes -> Envelope: the hardened XML parse and the common envelope fields.

Everything that is not a plain, well-formed ``<request method="…">`` document answers 0003:
DTDs and entity declarations, entity references, processing instructions other than the XML
declaration, invalid UTF-8, a wrong root, or nesting deeper than the configured cap. The
parser never loads a DTD, never resolves an entity and never touches the network or the file
system: every external resource it asks for (a parameter entity in a UTF-16 body gets past the
byte scan of the prolog) is answered with nothing.

A body larger than ``max_body_bytes`` reaches this module only for a request that carries files
(base64 text nodes far beyond libxml2's 10 MB default): it is parsed by a second parser that lifts
that limit (``huge_tree``) and is otherwise hardened the same way, and only those functions may
use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Any

from lxml import etree

from planfix_server.api import errors

# Functions whose requests carry file contents (base64) and so may be larger than max_body_bytes.
FILE_CARRYING = frozenset({"file.upload", "handbook.addRecord", "handbook.updateRecord"})


def _parser(*, huge_tree: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge_tree,
        remove_comments=True,
        remove_pis=False,
        collect_ids=False,
    )


_PARSER = _parser(huge_tree=False)
_HUGE_PARSER = _parser(huge_tree=True)


class _NothingExternal(etree.Resolver):
    """Every external DTD, entity or include resolves to empty text: nothing is ever read."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:  # type: ignore[override]
        return self.resolve_string("", context, base_url=None)


_PARSER.resolvers.add(_NothingExternal())
_HUGE_PARSER.resolvers.add(_NothingExternal())

_FORBIDDEN_MARKUP = re.compile(rb"<!(?:DOCTYPE|ENTITY|doctype|entity|ELEMENT|ATTLIST)")
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


def parse_document(body: bytes, max_depth: int, *, large: bool = False) -> etree._Element:
    """Parse ``body`` into the ``<request>`` element or raise XmlParseError.

    ``large``: the body is beyond the ordinary size cap; parsed without libxml2's text-size limit.
    """
    if not body.strip():
        raise errors.XmlParseError("empty body")
    first_element = _ELEMENT_START.search(body)
    prolog = body if first_element is None else body[: first_element.start()]
    if _FORBIDDEN_MARKUP.search(prolog) is not None:
        raise errors.XmlParseError("DTD or entity declaration")
    try:
        root = etree.fromstring(body, _HUGE_PARSER if large else _PARSER)
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

    Every walk holds no node beyond the current one: a body of a million empty elements must
    not turn into a million Python objects at once.
    """
    if next(root.iter(etree.PI, etree.Entity), None) is not None:
        raise errors.XmlParseError("entity reference or processing instruction")
    # No node can sit deeper than the number of nodes: a document of at most max_depth nodes
    # (every request a client really sends) needs no walk counting levels.
    if next(islice(root.iter(), max_depth, None), None) is not None:
        _check_depth(root, max_depth)
    for sibling in root.itersiblings(preceding=True):
        raise errors.XmlParseError(f"markup before the root: {sibling!r}")
    for sibling in root.itersiblings():
        raise errors.XmlParseError(f"markup after the root: {sibling!r}")


def _check_depth(root: etree._Element, max_depth: int) -> None:
    depth = 0
    for event, _node in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        if depth > max_depth:
            raise errors.XmlParseError("nesting too deep")


_ENVELOPE_FIELDS = frozenset(("account", "sid", "signature", "silent"))


def _envelope_texts(root: etree._Element) -> dict[str, str]:
    """The stripped text of the first ``account``, ``sid``, ``signature``, ``silent`` child.

    One pass over the root's children: ``root.find`` per name costs several times more.
    """
    found: dict[str, str] = {}
    for child in root:
        tag = child.tag
        if tag in _ENVELOPE_FIELDS and tag not in found:
            text = child.text
            found[tag] = "" if text is None else text.strip()
    return found


def parse_envelope(body: bytes, max_depth: int = 32, *, large: bool = False) -> Envelope:
    """Parse a request body; raise XmlParseError (0003) or MissingParameter (0009).

    ``large``: the body is larger than ``max_body_bytes``; only a function of ``FILE_CARRYING``
    may send such a body (anything else answers 0003, as an ordinary body over the cap does).
    """
    root = parse_document(body, max_depth, large=large)
    method_raw = root.get("method")
    if large and (method_raw or "").strip() not in FILE_CARRYING:
        raise errors.XmlParseError("body too large")
    if method_raw is None or not method_raw.strip():
        raise errors.MissingParameter("method")
    texts = _envelope_texts(root)
    account = texts.get("account", "")
    if not account:
        raise errors.MissingParameter("account")
    return Envelope(
        method=method_raw.strip(),
        method_raw=method_raw,
        account=account,
        sid=texts.get("sid", ""),
        signature=texts.get("signature", ""),
        silent=texts.get("silent", "").lower() in {"1", "true"},
        root=root,
    )
