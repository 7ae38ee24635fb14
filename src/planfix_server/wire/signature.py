"""The optional MD5 request signature (planfix-xml-api/01-authentication.md §4).

``md5(method + implode(request) + signature_key)``: values of all elements except the root-level
``<signature>``, groups of same-named elements ordered byte-wise by name, lists kept in document
order. The prose of the official page says lists are sorted by value; clients keep document
order, so a server accepts either.
"""

from __future__ import annotations

import hashlib
import hmac

from lxml import etree


def _implode(element: etree._Element, sort_lists: bool, skip_signature: bool) -> str:
    groups: dict[str, list[etree._Element]] = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or (skip_signature and tag == "signature"):
            continue
        groups.setdefault(tag, []).append(child)
    out: list[str] = []
    for tag in sorted(groups, key=lambda name: name.encode("utf-8")):
        parts = [
            _implode(child, sort_lists, False) if len(child) else (child.text or "") for child in groups[tag]
        ]
        if sort_lists and len(parts) > 1:
            parts.sort(key=lambda text: text.encode("utf-8"))
        out.append("".join(parts))
    return "".join(out)


def compute(root: etree._Element, signature_key: str, *, sort_lists: bool = False) -> str:
    """The signature of a parsed ``<request>`` element, as 32 lower-case hex digits."""
    base = (root.get("method") or "") + _implode(root, sort_lists, True) + signature_key
    return hashlib.md5(base.encode("utf-8"), usedforsecurity=False).hexdigest()


def sign_bytes(body: bytes, signature_key: str) -> str:
    """Signature of a serialized request (what a client computes before adding ``<signature>``)."""
    return compute(etree.fromstring(body), signature_key)


def verify(root: etree._Element, signature: str, signature_key: str) -> bool:
    """True when ``signature`` matches in document order or with lists sorted by value."""
    given = signature.strip().lower().encode("ascii", "replace")
    for sort_lists in (False, True):
        if hmac.compare_digest(compute(root, signature_key, sort_lists=sort_lists).encode("ascii"), given):
            return True
    return False
