"""Answers as Element trees: lists are always lists, values convert only on request."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from planfix_server.client.element import Element, MissingElement, parse_moment, parse_xml
from planfix_server.client.errors import BadResponse
from planfix_server.client.response import element_page, list_container, parse_response
from tests.client.conftest import error, ok

ONE_GROUP = ok(
    '<users totalCount="1" count="1"><user><id>7</id><name>Ann</name>'
    "<secondaryEmails><email>a@x.org</email></secondaryEmails>"
    "<userGroups><userGroup><id>3</id><name>Dev</name></userGroup></userGroups>"
    "<post><id>0</id><name></name></post><birthdate>13-03-1987</birthdate><isOnline>1</isOnline>"
    "</user></users>"
)
TWO_GROUPS = ONE_GROUP.replace(
    b"</userGroups>", b"<userGroup><id>4</id><name>Ops</name></userGroup></userGroups>"
)


def test_one_and_many_items_have_the_same_shape() -> None:
    for raw, expected in ((ONE_GROUP, ["3"]), (TWO_GROUPS, ["3", "4"])):
        user = parse_response(raw, "user.getList", {}).one("users").one("user")
        groups = user.findall("userGroups/userGroup")
        assert isinstance(groups, list)
        assert [group.text_of("id") for group in groups] == expected
        data = user.to_data()
        assert isinstance(data["userGroups"][0]["userGroup"], list)
        assert isinstance(data["secondaryEmails"][0]["email"], list)
        assert data["name"] == ["Ann"]


def test_empty_lists_are_empty_lists() -> None:
    response = parse_response(ok('<users totalCount="0" count="0"/>'), "user.getList", {})
    assert response.one("users").all("user") == []
    assert response.findall("users/user") == []
    assert response.findall("nothing/user") == []
    assert response.to_data() == {"@status": "ok", "users": [{"@totalCount": "0", "@count": "0"}]}


def test_paths_and_readers() -> None:
    user = parse_xml(ONE_GROUP).one("users").one("user")
    assert user.text_of("post/name") == ""
    assert user.text_of("missing/path", "-") == "-"
    assert user.int_of("id") == 7
    assert user.int_of("post/name") is None
    assert user.int_of("missing") is None
    assert user.bool_of("isOnline") is True
    assert user.bool_of("missing") is False
    assert user.date_of("birthdate") == dt.date(1987, 3, 13)
    assert user.find("post/id") is not None
    assert user.get("nope") is None
    with pytest.raises(MissingElement):
        user.one("nope")
    with pytest.raises(BadResponse, match="not an integer"):
        user.int_of("name")
    with pytest.raises(BadResponse, match="not a boolean"):
        user.bool_of("name")


def test_empty_elements_are_truthy_and_iterable() -> None:
    empty = Element.build("users")
    assert empty
    assert len(empty) == 0
    assert list(empty) == []
    assert repr(empty) == "<Element users ''>"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("03-02-2018", dt.date(2018, 2, 3)),
        ("18-02-2018 21:12", dt.datetime(2018, 2, 18, 21, 12)),
        (" 5-3-2018 9:07:30 ", dt.datetime(2018, 3, 5, 9, 7, 30)),
        ("", None),
    ],
)
def test_moments(text: str, value: dt.date | None) -> None:
    assert parse_moment(text) == value


@pytest.mark.parametrize("text", ["2018-02-03", "31-02-2018", "tomorrow"])
def test_bad_moments(text: str) -> None:
    with pytest.raises(BadResponse, match="not a date"):
        parse_moment(text)


def test_response_keeps_raw_bytes_and_headers() -> None:
    raw = ok("<user><id>1</id></user>")
    response = parse_response(raw, "user.get", {"X-RateLimit-Remaining": "19990"})
    assert response.raw == raw
    assert response.ok and response.code == ""
    assert response.remaining == 19990
    assert response.function == "user.get"
    json.dumps(response.to_data())


def test_error_answers() -> None:
    response = parse_response(error("0005", "expired"), "user.get", {})
    assert not response.ok
    assert (response.code, response.message) == ("0005", "expired")


@pytest.mark.parametrize(
    "raw",
    [
        b"<html>502 Bad Gateway</html>",
        b"not xml at all",
        b'<response status="weird"/>',
        b'<response status="error"></response>',
        b'<!DOCTYPE r [<!ENTITY e "x">]><response status="ok">&e;</response>',
    ],
)
def test_not_an_api_answer(raw: bytes) -> None:
    with pytest.raises(BadResponse):
        parse_response(raw, "user.get", {})


def test_list_containers_and_pages() -> None:
    response = parse_xml(ok('<tasks totalCount="2" count="3"><task><id>1</id></task></tasks>'))
    page = element_page(response, "task", 1, 100)
    assert (page.count, page.total, len(page)) == (3, 2, 1)
    plain = parse_xml(ok("<phoneTypes><phoneType><id>1</id></phoneType></phoneTypes>"))
    assert list_container(plain).tag == "phoneTypes"
    page = element_page(plain, None, 1, 100)
    assert (page.count, page.total) == (1, None)
    with pytest.raises(BadResponse, match="no list container"):
        list_container(parse_xml(ok("<a/><b/>")))


def test_text_beside_attributes() -> None:
    value = parse_xml(b'<r><value value="3" name="x">shown</value></r>').one("value")
    assert value.to_data() == {"@value": "3", "@name": "x", "#text": "shown"}
