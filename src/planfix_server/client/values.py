"""Request bodies from plain Python values.

The rules for the ``params`` of ``Client.call`` (each key is an element name, in the order given):

========================  ==============================================================
Python value              XML
========================  ==============================================================
``dict``                  nested elements: ``{"user": {"id": 5}}`` → ``<user><id>5</id></user>``;
                          an empty dict is an empty element (``{"user": {}}`` → ``<user></user>``)
``list`` / ``tuple``      the key repeated once per item: ``{"addUserGroup": {"id": [1, 2]}}`` →
                          ``<addUserGroup><id>1</id><id>2</id></addUserGroup>``; items may be
                          dicts (``{"phones": {"phone": [{"number": "1"}, {"number": "2"}]}}``)
``None``                  left out (so optional arguments can be passed through as they are)
``bool``                  ``1`` / ``0``
``int``, ``Decimal``      decimal digits; a ``float`` without a fraction is written as an integer
``datetime``              ``dd-mm-yyyy HH:MM``: naive values as they are (the API reads them in the
                          calling user's time zone); aware values converted to the client's
                          ``timezone``, or refused when the client has none
``date``                  ``dd-mm-yyyy``
``time``                  ``HH:MM``
``Enum``                  its value
``str``                   the text, escaped (characters XML 1.0 cannot carry are dropped)
========================  ==============================================================

A key starting with ``@`` inside a dict is an attribute of that element
(``{"periodicity": {"@unset": 1}}``). ``account``, ``sid`` and ``signature`` are written by the
client and may not be given.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from planfix_server.wire.encode import DECLARATION, escape
from planfix_server.wire.signature import sign_bytes

RESERVED = frozenset({"account", "sid", "signature"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


def wire_text(value: Any, tz: dt.tzinfo | None = None) -> str:
    """The unescaped wire text of one scalar value."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: bool is an int
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):  # before date: datetime is a date
        if value.tzinfo is not None:
            if tz is None:
                raise ValueError(
                    f"aware datetime {value.isoformat()} given, but the client has no timezone to write it in"
                )
            value = value.astimezone(tz)
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, dt.date):
        return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, enum.Enum):
        return wire_text(value.value, tz)
    raise TypeError(f"cannot send a {type(value).__name__} as an XML value: {value!r}")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a valid element name: {name!r}")
    return name


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


def _write(out: list[str], name: str, value: Any, tz: dt.tzinfo | None) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        attributes = "".join(
            f' {_check_name(key[1:])}="{escape(wire_text(item, tz))}"'
            for key, item in value.items()
            if key.startswith("@") and item is not None
        )
        out.append(f"<{name}{attributes}>")
        for key, item in value.items():
            if not key.startswith("@"):
                _write(out, _check_name(key), item, tz)
        out.append(f"</{name}>")
    elif _is_list(value):
        for item in value:
            _write(out, name, item, tz)
    elif isinstance(value, set | frozenset):
        raise TypeError(f"<{name}>: a set has no order; pass a list")
    else:
        out.append(f"<{name}>{escape(wire_text(value, tz))}</{name}>")


def write_params(params: Mapping[str, Any], tz: dt.tzinfo | None = None) -> str:
    """The parameter elements of a request (no envelope)."""
    out: list[str] = []
    for key, value in params.items():
        if key in RESERVED:
            raise ValueError(f"<{key}> is written by the client; do not pass it as a parameter")
        if key.startswith("@"):
            raise ValueError(f"the <request> element takes no attributes besides method: {key!r}")
        _write(out, _check_name(key), value, tz)
    return "".join(out)


def build_request(
    method: str,
    account: str,
    params: Mapping[str, Any] | None = None,
    *,
    sid: str | None = None,
    signature_key: str | None = None,
    tz: dt.tzinfo | None = None,
) -> bytes:
    """A complete ``<request>`` document; signed when ``signature_key`` is given.

    The signature is ``planfix_server.wire.signature`` over the document as the server will parse
    it, appended as the last element.
    """
    head = f'{DECLARATION}<request method="{escape(method)}"><account>{escape(account)}</account>'
    if sid:
        head += f"<sid>{escape(sid)}</sid>"
    head += write_params(params or {}, tz)
    if signature_key:
        signature = sign_bytes(f"{head}</request>".encode(), signature_key)
        head += f"<signature>{signature}</signature>"
    return f"{head}</request>".encode()
