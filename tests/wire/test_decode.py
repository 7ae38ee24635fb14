"""Field kinds and request decoding: text on the wire -> typed request, 0009 and 0015."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from lxml import etree

from planfix_server.api import errors
from planfix_server.wire.decode import decode, describe_request
from planfix_server.wire.fields import Bool01, Date, DateTime, Enum, Id, Int, Moment, Str, xml


def request(inner: str) -> etree._Element:
    return etree.fromstring(f'<request method="x"><account>a</account>{inner}</request>'.encode())


def code_of(cls: type, inner: str) -> str:
    try:
        decode(cls, request(inner))
    except errors.ApiError as exc:
        return exc.code
    return "ok"


@dataclass(frozen=True, slots=True)
class Scalars:
    count: int | None = xml("count", Int(minimum=1, maximum=100))
    id: int | None = xml("thing/id", Id())
    flag: bool | None = xml("flag", Bool01())
    sort: str | None = xml("sort", Enum("NAME_ASC", "NAME_DESC"))
    day: dt.date | None = xml("day", Date())
    moment: Moment | None = xml("moment", DateTime())
    title: str | None = xml("title", Str(max_length=5))


@dataclass(frozen=True, slots=True)
class Phone:
    number: str = xml("number", Str(), required=True)
    type_id: int | None = xml("typeId", Id())


@dataclass(frozen=True, slots=True)
class Person:
    id: int = xml("user/id", Id(), required=True)
    name: str | None = xml("user/name", Str())
    groups: list[int] | None = xml("user/userGroups", Id(), many="id")
    phones: list[Phone] | None = xml("user/phones", struct=Phone, many="phone")
    boss: Phone | None = xml("user/boss", struct=Phone)


@dataclass(frozen=True, slots=True)
class Required:
    login: str = xml("login", Str(), required=True)
    ids: list[int] = xml("ids", Id(), many="id", required=True)


# -- kinds -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("1", 1), (" 42 ", 42), ("+7", 7), ("100", 100), ("\n5\n", 5)])
def test_int(text: str, value: int) -> None:
    assert decode(Scalars, request(f"<count>{text}</count>")).count == value


@pytest.mark.parametrize(
    "text", ["0", "101", "-1", "1.5", "1e3", "0x10", "ten", "1 2", "9" * 19, "٣", "１２"]
)
def test_int_invalid_or_out_of_range_is_0015(text: str) -> None:
    assert code_of(Scalars, f"<count>{text}</count>") == "0015"


@pytest.mark.parametrize(("text", "value"), [("7", 7), (" 12 ", 12), ("0", None), ("", None), ("00", None)])
def test_id_zero_and_empty_mean_absent(text: str, value: int | None) -> None:
    assert decode(Scalars, request(f"<thing><id>{text}</id></thing>")).id == value


@pytest.mark.parametrize("text", ["-3", "abc", "1.0"])
def test_id_invalid_is_0015(text: str) -> None:
    assert code_of(Scalars, f"<thing><id>{text}</id></thing>") == "0015"


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", True), ("0", False), ("true", True), ("false", False), ("TRUE", True), (" False ", False)],
)
def test_bool01_accepts_digits_and_words(text: str, value: bool) -> None:
    assert decode(Scalars, request(f"<flag>{text}</flag>")).flag is value


@pytest.mark.parametrize("text", ["2", "yes", "on", "-1", "t"])
def test_bool01_invalid_is_0015(text: str) -> None:
    assert code_of(Scalars, f"<flag>{text}</flag>") == "0015"


def test_enum() -> None:
    assert decode(Scalars, request("<sort> NAME_DESC </sort>")).sort == "NAME_DESC"
    assert code_of(Scalars, "<sort>name_asc</sort>") == "0015"
    assert code_of(Scalars, "<sort>NAME</sort>") == "0015"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("05-03-2024", dt.date(2024, 3, 5)),
        ("5-3-2024", dt.date(2024, 3, 5)),
        ("29.02.2024", dt.date(2024, 2, 29)),
    ],
)
def test_date(text: str, value: dt.date) -> None:
    assert decode(Scalars, request(f"<day>{text}</day>")).day == value


@pytest.mark.parametrize(
    "text", ["2024-03-05", "31-02-2024", "29-02-2023", "00-01-2024", "05-13-2024", "05-03-24", "٠٥-٠٣-٢٠٢٤"]
)
def test_date_invalid_is_0015(text: str) -> None:
    assert code_of(Scalars, f"<day>{text}</day>") == "0015"


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("05-03-2024", Moment(dt.date(2024, 3, 5))),
        ("05-03-2024 09:07", Moment(dt.date(2024, 3, 5), dt.time(9, 7))),
        ("05-03-2024 23:59:30", Moment(dt.date(2024, 3, 5), dt.time(23, 59, 30))),
        (" 5-3-2024  0:00 ", Moment(dt.date(2024, 3, 5), dt.time(0, 0))),
    ],
)
def test_datetime_with_and_without_time(text: str, moment: Moment) -> None:
    assert decode(Scalars, request(f"<moment>{text}</moment>")).moment == moment


def test_moment_local_bounds() -> None:
    day = Moment(dt.date(2024, 3, 5))
    assert day.local() == dt.datetime(2024, 3, 5, 0, 0)
    assert day.local(end_of_day=True) == dt.datetime(2024, 3, 5, 23, 59, 59, 999999)
    timed = Moment(dt.date(2024, 3, 5), dt.time(9, 7))
    assert timed.local(end_of_day=True) == dt.datetime(2024, 3, 5, 9, 7)


@pytest.mark.parametrize(
    "text",
    ["05-03-2024 24:00", "05-03-2024 10:60", "05-03-2024 10", "31-04-2024 10:00", "now", "05-03-2024 ١٠:٠٠"],
)
def test_datetime_invalid_is_0015(text: str) -> None:
    assert code_of(Scalars, f"<moment>{text}</moment>") == "0015"


def test_string_limit() -> None:
    assert decode(Scalars, request("<title>Иван!</title>")).title == "Иван!"
    assert code_of(Scalars, "<title>Иванов</title>") == "0015"


def test_string_keeps_its_whitespace() -> None:
    assert decode(Person, request("<user><id>1</id><name> a b </name></user>")).name == " a b "


def test_absent_and_empty_elements_leave_defaults() -> None:
    assert decode(Scalars, request("")) == Scalars()
    empty = "<count></count><thing><id/></thing><flag> </flag><sort/><day></day><moment>\n</moment><title/>"
    assert decode(Scalars, request(empty)) == Scalars()


def test_element_with_children_instead_of_text_is_absent() -> None:
    assert decode(Scalars, request("<count><x>5</x></count>")).count is None


# -- required --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "inner",
    [
        pytest.param("<ids><id>1</id></ids>", id="login-absent"),
        pytest.param("<login></login><ids><id>1</id></ids>", id="login-empty"),
        pytest.param("<login>  </login><ids><id>1</id></ids>", id="login-blank"),
        pytest.param("<login>x</login>", id="list-absent"),
        pytest.param("<login>x</login><ids/>", id="list-empty"),
        pytest.param("<login>x</login><ids><id>0</id><id></id></ids>", id="list-only-absent-ids"),
    ],
)
def test_required_missing_or_empty_is_0009(inner: str) -> None:
    assert code_of(Required, inner) == "0009"


def test_required_present() -> None:
    assert decode(Required, request("<login>x</login><ids><id>3</id><id>0</id><id>1</id></ids>")) == Required(
        "x", [3, 1]
    )


def test_missing_parameter_names_the_path() -> None:
    with pytest.raises(errors.MissingParameter) as caught:
        decode(Person, request("<user><name>x</name></user>"))
    assert caught.value.detail == "user/id"


def test_missing_parameter_in_a_struct_names_the_path() -> None:
    with pytest.raises(errors.MissingParameter) as caught:
        decode(Person, request("<user><id>1</id><phones><phone><typeId>2</typeId></phone></phones></user>"))
    assert caught.value.detail == "user/phones/phone/number"


def test_invalid_value_names_the_path() -> None:
    with pytest.raises(errors.InvalidParameterValue) as caught:
        decode(
            Person,
            request(
                "<user><id>1</id><phones><phone><number>1</number><typeId>x</typeId></phone></phones></user>"
            ),
        )
    assert caught.value.detail.startswith("user/phones/phone/typeId: ")


# -- lists and structs -----------------------------------------------------------------------------


def test_list_absent_container_is_none_and_empty_container_is_empty_list() -> None:
    assert decode(Person, request("<user><id>1</id></user>")).groups is None
    assert decode(Person, request("<user><id>1</id><userGroups/></user>")).groups == []
    assert decode(Person, request("<user><id>1</id><userGroups></userGroups></user>")).groups == []


def test_list_keeps_document_order_and_ignores_other_children() -> None:
    inner = "<user><id>1</id><userGroups><id>7</id><other>9</other><id>3</id><id>0</id></userGroups></user>"
    assert decode(Person, request(inner)).groups == [7, 3]


def test_list_item_invalid_is_0015() -> None:
    assert code_of(Person, "<user><id>1</id><userGroups><id>7</id><id>x</id></userGroups></user>") == "0015"


def test_nested_structs() -> None:
    inner = (
        "<user><id>1</id>"
        "<phones><phone><number>+1 555</number><typeId>2</typeId></phone><phone><number>7</number></phone>"
        "<phone></phone></phones>"
        "<boss><number>9</number></boss></user>"
    )
    person = decode(Person, request(inner))
    assert person.phones == [Phone("+1 555", 2), Phone("7", None)]
    assert person.boss == Phone("9", None)


def test_empty_struct_is_absent_but_a_partial_one_checks_required_fields() -> None:
    assert decode(Person, request("<user><id>1</id><boss/></user>")).boss is None
    assert decode(Person, request("<user><id>1</id><boss>\n</boss></user>")).boss is None
    assert code_of(Person, "<user><id>1</id><boss><typeId>2</typeId></boss></user>") == "0009"


def test_describe_request_flattens_structs() -> None:
    assert describe_request(Person) == [
        ("user/id", "id", True),
        ("user/name", "string", False),
        ("user/userGroups/id", "id[]", False),
        ("user/phones/phone/number", "string", False),
        ("user/phones/phone/typeId", "id", False),
        ("user/boss/number", "string", False),
        ("user/boss/typeId", "id", False),
    ]


def test_a_class_without_declarations_is_a_programming_error() -> None:
    @dataclass
    class Plain:
        x: int = 0

    with pytest.raises(TypeError):
        decode(Plain, request(""))
