"""Request bodies from Python values: nesting, lists, scalars, escaping, signatures."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from planfix_server.client.values import build_request, wire_text, write_params
from planfix_server.wire import signature
from planfix_server.wire.envelope import parse_envelope


class Colour(enum.Enum):
    RED = "RED"


def test_nested_dicts_and_repeated_lists() -> None:
    params = {"user": {"id": 42, "addUserGroup": {"id": [7, 3]}, "delUserGroup": {"id": [5]}}}
    assert write_params(params) == (
        "<user><id>42</id><addUserGroup><id>7</id><id>3</id></addUserGroup>"
        "<delUserGroup><id>5</id></delUserGroup></user>"
    )


def test_lists_of_structures_and_empty_things() -> None:
    params = {
        "phones": {"phone": [{"number": "1", "typeId": 1}, {"number": "2"}]},
        "user": {},
        "nothing": None,
        "no_items": [],
        "partly": {"a": None, "b": 1},
    }
    assert write_params(params) == (
        "<phones><phone><number>1</number><typeId>1</typeId></phone><phone><number>2</number></phone></phones>"
        "<user></user><partly><b>1</b></partly>"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "1"),
        (False, "0"),
        (0, "0"),
        (-12, "-12"),
        (Decimal("1.50"), "1.50"),
        (2.0, "2"),
        (1.25, "1.25"),
        (dt.date(2018, 2, 3), "03-02-2018"),
        (dt.datetime(2018, 2, 18, 21, 12, 59), "18-02-2018 21:12"),
        (dt.date(987, 3, 13), "13-03-0987"),
        (dt.time(9, 5), "09:05"),
        (Colour.RED, "RED"),
        ("текст", "текст"),
    ],
)
def test_scalars(value: object, text: str) -> None:
    assert wire_text(value) == text


def test_aware_datetimes_need_a_zone() -> None:
    moment = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="timezone"):
        wire_text(moment)
    assert wire_text(moment, ZoneInfo("Asia/Yekaterinburg")) == "01-01-2024 17:00"


def test_text_is_escaped_and_forbidden_characters_dropped() -> None:
    hostile = 'a<b>&"c"]]>\x00\x07\ud800z\r'
    body = build_request("task.add", "acc", {"task": {"title": hostile}})
    root = etree.fromstring(body)
    assert root.findtext("task/title") == 'a<b>&"c"]]>z\r'


@pytest.mark.parametrize(
    "params",
    [{"account": "x"}, {"sid": "x"}, {"signature": "x"}, {"@method": "x"}, {"bad name": 1}, {"a": {"<x": 1}}],
)
def test_refused_keys(params: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"written by the client|attributes|element name"):
        write_params(params)


def test_refused_values() -> None:
    with pytest.raises(TypeError, match="set has no order"):
        write_params({"ids": {1, 2}})
    with pytest.raises(TypeError, match="cannot send"):
        write_params({"blob": object()})


def test_attributes() -> None:
    assert (
        write_params({"periodicity": {"@unset": True, "x": 1}})
        == '<periodicity unset="1"><x>1</x></periodicity>'
    )


def test_envelope_parses_on_the_server() -> None:
    body = build_request("user.get", "acme", {"user": {"id": 5}}, sid="s" * 32)
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<request method="user.get">')
    envelope = parse_envelope(body, 32)
    assert (envelope.method, envelope.account, envelope.sid) == ("user.get", "acme", "s" * 32)
    assert envelope.root.findtext("user/id") == "5"


def test_signature_is_the_servers_and_documented_one() -> None:
    key = "abcdef0123456789abcdef0123456789"
    body = build_request("auth.login", "acc", {"password": "passw", "login": "login"}, signature_key=key)
    envelope = parse_envelope(body, 32)
    # 01-authentication.md §4.3: method + values sorted by element name + key.
    expected = hashlib.md5(b"auth.loginacclogin" + b"passw" + key.encode()).hexdigest()
    assert envelope.signature == expected
    assert signature.verify(envelope.root, envelope.signature, key)
    # The signature is the last element, after the parameters.
    assert body.endswith(f"<signature>{expected}</signature></request>".encode())


def test_signature_with_lists_and_escaped_text() -> None:
    key = "k" * 32
    params = {"user": {"id": 42, "addUserGroup": {"id": [7, 3]}}, "note": "a & b <c>"}
    body = build_request("user.updateGroupMembership", "acc", params, sid="0" * 32, signature_key=key)
    envelope = parse_envelope(body, 32)
    assert signature.compute(envelope.root, key) == envelope.signature
