"""The encoder: escaping, the byte layout of answers, scalars, containers, lists, dates."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from planfix_server.api import errors
from planfix_server.wire import encode
from planfix_server.wire.encode import Items, Leaf, Node, Optional, Page, PageOf
from planfix_server.wire.fields import DateTime

REAL_RESPONSES = Path(__file__).resolve().parents[3] / "shared" / "planfix-xml-api" / "real-responses" / "raw"
UTC = ZoneInfo("UTC")


def xml_char(char: str) -> bool:
    """The Char production of XML 1.0."""
    code = ord(char)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def body_of(*shapes: encode.Shape, result: Any = None, tz: dt.tzinfo = UTC) -> str:
    """The rendered ``<response>`` content, without the declaration and the status wrapper."""
    raw = encode.ok(shapes, result, tz).decode()
    prefix = encode.DECLARATION + '<response status="ok">'
    assert raw.startswith(prefix) and raw.endswith("</response>\n"), raw
    return raw[len(prefix) : -len("</response>\n")]


HOSTILE_FRAGMENTS = [
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    '"',
    "'",
    "]]>",
    "<![CDATA[",
    "]]]]><![CDATA[>",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1f",
    "\x7f",
    "\x85",
    "\ud800",
    "\udfff",
    "\ud83d",
    "\ufffe",
    "\uffff",
    "\U0001f600",
    "</x>",
    "<?xml?>",
    "<!DOCTYPE x>",
    "Иван",
    " ",
]

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_FRAGMENTS),
        st.characters(),
        st.integers(min_value=0, max_value=0x10FFFF).map(chr),  # includes lone surrogates
    ),
    max_size=40,
).map("".join)


@given(hostile_text)
@example("a ]]> b <c> & \"d\" 'e' \r\n\x00\x1f\ud800\udc00\uffff")
def test_any_text_survives_a_round_trip_minus_forbidden_characters(text: str) -> None:
    rendered = encode.ok([Leaf("x"), Node("n", Leaf("y", "x"))], {"x": text})
    root = etree.fromstring(rendered)
    expected = "".join(char for char in text if xml_char(char))
    assert root.findtext("x") == expected
    assert root.findtext("n/y") == expected


@given(hostile_text)
def test_escape_output_is_safe_in_a_double_quoted_attribute(text: str) -> None:
    element = etree.fromstring(f'<x a="{encode.escape(text)}"/>'.encode())
    expected = "".join(char for char in text if xml_char(char))
    # In an attribute a parser turns a literal tab or newline into a space (attribute-value normalisation).
    assert element.get("a") == expected.replace("\t", " ").replace("\n", " ")


def test_escape_leaves_plain_text_alone() -> None:
    text = "Иван Петров, task #12: 50% done"
    assert encode.escape(text) is text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<b>", "&lt;b&gt;"),
        ("a & b", "a &amp; b"),
        ("&amp;", "&amp;amp;"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("]]>", "]]&gt;"),
        ("a\rb", "a&#13;b"),
        ("a\x00\x01\x0b\x0c\x1fb", "ab"),
        ("a\ud800b\udfff", "ab"),
        ("\ufffe\uffff", ""),
        ("keep\ttab\nnewline", "keep\ttab\nnewline"),
    ],
)
def test_escape_examples(text: str, escaped: str) -> None:
    assert encode.escape(text) == escaped


# -- layout ----------------------------------------------------------------------------------------


def test_ok_document_layout() -> None:
    assert encode.ok([Leaf("sid")], {"sid": "abc"}) == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<response status="ok"><sid>abc</sid></response>\n'
    )


def test_empty_scalar_is_an_open_close_pair() -> None:
    assert body_of(Leaf("description"), result={"description": ""}) == "<description></description>"
    assert body_of(Leaf("description"), result={"description": None}) == "<description></description>"


def test_optional_scalar_is_left_out_when_none() -> None:
    assert body_of(Optional("telegramId"), Leaf("id"), result={"telegramId": None, "id": 1}) == "<id>1</id>"
    assert body_of(Optional("telegramId"), result={"telegramId": 0}) == "<telegramId>0</telegramId>"


def test_empty_container_self_closes() -> None:
    assert body_of(Node("customData"), result={}) == "<customData/>"
    assert body_of(Items("workers", Node("user", Leaf("id"))), result={"workers": []}) == "<workers/>"
    assert body_of(Items("emails", "email"), result={"emails": None}) == "<emails/>"


def test_items_of_scalars_and_of_shapes() -> None:
    result = {"emails": ["a@x", "b&c@x"], "users": [{"id": 1}, {"id": 2}]}
    assert body_of(Items("emails", "email"), Items("users", Node("user", Leaf("id"))), result=result) == (
        "<emails><email>a@x</email><email>b&amp;c@x</email></emails>"
        "<users><user><id>1</id></user><user><id>2</id></user></users>"
    )


def test_node_attr_reads_a_nested_object_and_leaf_attr_renames() -> None:
    @dataclass
    class Post:
        post_id: int
        post_name: str

    shape = Node("post", Leaf("id", "post_id"), Leaf("name", "post_name"), attr="post")
    assert body_of(shape, result={"post": Post(3, "Boss")}) == "<post><id>3</id><name>Boss</name></post>"


def test_list_container_has_total_count_then_count() -> None:
    page = Page(items=[{"id": 1}, {"id": 2}], total=2)
    assert body_of(PageOf("users", Node("user", Leaf("id"))), result=page) == (
        '<users totalCount="2" count="2"><user><id>1</id></user><user><id>2</id></user></users>'
    )


def test_list_page_smaller_than_total() -> None:
    page = Page(items=[{"id": 7}], total=37)
    assert body_of(PageOf("users", Node("user", Leaf("id")), attr="page"), result={"page": page}) == (
        '<users totalCount="37" count="1"><user><id>7</id></user></users>'
    )


def test_empty_page_self_closes_with_count_last() -> None:
    page = Page(items=[], total=5)
    assert (
        body_of(PageOf("users", Node("user", Leaf("id"))), result=page) == '<users totalCount="5" count="0"/>'
    )
    assert encode.ok([PageOf("users", Node("user"))], Page([], 0)).endswith(b'count="0"/></response>\n')


# -- scalars ---------------------------------------------------------------------------------------


class Priority(enum.Enum):
    AVERAGE = "AVERAGE"
    HIGH = "HIGH"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "1"),
        (False, "0"),
        (0, "0"),
        (-12, "-12"),
        (10**12, "1000000000000"),
        (Priority.HIGH, "HIGH"),
        (2.5, "2.5"),
        (3.0, "3"),
        ("x<y", "x&lt;y"),
        (None, ""),
    ],
)
def test_scalar_formats(value: object, text: str) -> None:
    assert encode.format_value(value, UTC) == text


def test_date_is_day_month_year() -> None:
    assert encode.format_value(dt.date(2024, 3, 5), UTC) == "05-03-2024"
    assert encode.format_value(dt.date(24, 1, 1), UTC) == "01-01-0024"  # a typo a client may send


def test_early_years_keep_four_digits_and_read_back() -> None:
    moment = dt.datetime(987, 6, 5, 4, 3, tzinfo=dt.UTC)
    text = encode.format_value(moment, UTC)
    assert text == "05-06-0987 04:03"
    parsed = DateTime().parse(text)
    assert (parsed.date, parsed.time) == (moment.date(), moment.time().replace(tzinfo=None))


@pytest.mark.parametrize(
    ("moment", "zone", "text"),
    [
        (dt.datetime(2024, 3, 5, 9, 7, 59, tzinfo=dt.UTC), "UTC", "05-03-2024 09:07"),
        (dt.datetime(2024, 1, 31, 22, 30, tzinfo=dt.UTC), "Europe/Moscow", "01-02-2024 01:30"),
        (dt.datetime(2024, 1, 1, 3, 0, tzinfo=dt.UTC), "America/New_York", "31-12-2023 22:00"),
        (dt.datetime(2024, 7, 1, 3, 0, tzinfo=dt.UTC), "America/New_York", "30-06-2024 23:00"),
        (dt.datetime(2024, 3, 5, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo")), "Europe/Berlin", "05-03-2024 04:00"),
        (dt.datetime(2024, 3, 5, 12, 0), "Asia/Kolkata", "05-03-2024 17:30"),  # naive means UTC
    ],
)
def test_datetime_is_converted_to_the_given_zone(moment: dt.datetime, zone: str, text: str) -> None:
    assert encode.format_value(moment, ZoneInfo(zone)) == text
    assert (
        body_of(Leaf("dateTime"), result={"dateTime": moment}, tz=ZoneInfo(zone))
        == f"<dateTime>{text}</dateTime>"
    )


# -- errors ----------------------------------------------------------------------------------------

ERROR_0001 = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<response status="error"><code>0001</code><message/></response>\n'
)


def test_error_document_is_byte_exact() -> None:
    assert encode.error(errors.InvalidApiKey("no such key")) == ERROR_0001


def test_error_document_matches_the_real_service() -> None:
    sample = REAL_RESPONSES / "error.0001.planfix_py.xml"
    if not sample.is_file():
        pytest.skip(f"{sample} is not available")
    assert encode.error(errors.InvalidApiKey()) == sample.read_bytes()


@pytest.mark.parametrize("code", ["0003", "0018", "1001", "10001", "11001"])
def test_error_codes_are_written_as_listed(code: str) -> None:
    raw = encode.error(errors.error_for_code(code)())
    assert (
        raw
        == (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<response status="error"><code>{code}</code>'
            "<message/></response>\n"
        ).encode()
    )


def test_error_message_when_switched_on_is_escaped() -> None:
    raw = encode.error(errors.InvalidParameterValue("task/title: <b> & ]]>"), with_message=True)
    root = etree.fromstring(raw)
    assert root.findtext("code") == "0015"
    assert root.findtext("message") == "Invalid parameter value: task/title: <b> & ]]>"


@pytest.mark.parametrize(
    "texts",
    [
        ("plain", "", "also plain"),
        ("plain", 'a<b>&"c"', "x\r\x01y"),
        ("\ud800", "ok"),
        (),
    ],
)
def test_escape_each_is_escape_of_each(texts: tuple[str, ...]) -> None:
    assert encode.escape_each(*texts) == tuple(encode.escape(text) for text in texts)


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2024, 3, 5),
        dt.date(24, 1, 1),
        dt.datetime(2024, 12, 31, 22, 30, tzinfo=dt.UTC),
        dt.datetime(2024, 12, 31, 22, 30),
        dt.datetime(987, 6, 5, 4, 3, tzinfo=dt.timezone(dt.timedelta(hours=-3))),
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Asia/Yekaterinburg", "America/Sao_Paulo"])
def test_format_moment_is_format_value_of_dates(value: dt.date, zone: str) -> None:
    assert encode.format_moment(value, ZoneInfo(zone)) == encode.format_value(value, ZoneInfo(zone))


def test_format_moment_shows_the_instant_in_the_zone() -> None:
    moment = dt.datetime(2024, 12, 31, 22, 30, tzinfo=dt.UTC)
    assert encode.format_moment(moment, ZoneInfo("Asia/Yekaterinburg")) == "01-01-2025 03:30"
    assert (
        encode.format_moment(moment.replace(tzinfo=None), ZoneInfo("Asia/Yekaterinburg"))
        == "01-01-2025 03:30"
    )
    assert encode.format_moment(moment.date(), ZoneInfo("Asia/Yekaterinburg")) == "31-12-2024"


class _Rowlike:
    """Attributes served by __getattr__, as SQLAlchemy rows serve their columns."""

    def __init__(self, values: dict[str, object]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> object:
        return self._values[name]


def test_a_run_of_leaves_renders_as_each_leaf_alone() -> None:
    class Colour(enum.Enum):
        RED = "red & <b>"

    values: dict[str, object] = {
        "plain": "text",
        "marked": 'a < b & "c"\r\x01',
        "number": 42,
        "flag": True,
        "off": False,
        "missing": None,
        "day": dt.date(2026, 3, 5),
        "moment": dt.datetime(2026, 3, 5, 22, 30, tzinfo=dt.UTC),
        "ratio": 2.50,
        "colour": Colour.RED,
    }
    leaves = [Leaf(name) for name in values]
    between = Node("between", Leaf("id", "number"))  # splits the leaves into two runs
    shape = Node("all", *leaves[:4], between, *leaves[4:], attr="all")
    tz = ZoneInfo("Europe/Moscow")
    for source in (values, _Rowlike(values)):
        one_by_one: list[str] = []
        for part in (*leaves[:4], between, *leaves[4:]):
            part.render(source, one_by_one, tz)
        rendered = encode.ok([shape], {"all": source}, tz).decode()
        assert '<response status="ok"><all>' + "".join(one_by_one) + "</all></response>" in rendered
        assert "<marked>a &lt; b &amp; &quot;c&quot;&#13;</marked>" in rendered
        assert "<moment>06-03-2026 01:30</moment><ratio>2.5</ratio>" in rendered
