"""The shared reading and writing rules of the typed calls."""

from __future__ import annotations

from planfix_server.client import Filter
from planfix_server.client.element import parse_xml
from planfix_server.client.functions.common import (
    Phone,
    Ref,
    camel,
    custom_params,
    fields_of,
    filters_params,
    id_list,
    people_of,
    people_params,
    phones_params,
    ref_of,
    refs_of,
)


def test_camel() -> None:
    assert camel("last_name") == "lastName"
    assert camel("is_invisible_out_of_group") == "isInvisibleOutOfGroup"
    assert camel("isCompany") == "isCompany"
    assert camel("userid") == "userid"
    assert fields_of({"can_be_worker": True, "site": "x"}) == {"canBeWorker": True, "site": "x"}


def test_zero_and_empty_ids_are_none() -> None:
    el = parse_xml(
        b"<t><owner><id>0</id><name></name></owner><client><id></id></client><p><id>3</id><title>T</title></p>"
        b"<list><x><id>0</id></x><x><id>4</id><name>Four</name></x></list></t>"
    )
    assert ref_of(el, "owner") is None and ref_of(el, "client") is None and ref_of(el, "absent") is None
    assert ref_of(el, "p", "title") == Ref(3, "T")
    assert refs_of(el, "list/x") == [Ref(4, "Four")]
    assert people_of(el, "workers").users == []


def test_request_shapes() -> None:
    assert people_params(None, None) is None
    assert people_params([1, 2], None) == {"users": {"id": [1, 2]}}
    # An empty list is one id 0 ("none"): an empty element would mean "not given".
    assert people_params([], [3]) == {"users": {"id": [0]}, "groups": {"id": [3]}}
    assert id_list(None) is None and id_list([]) == {"id": [0]} and id_list([4, 5]) == {"id": [4, 5]}
    assert phones_params([Phone("1"), Phone("2", 3, "Work")]) == {
        "phone": [{"number": "1"}, {"number": "2", "typeId": 3, "typeName": "Work"}]
    }
    assert custom_params({1: "a", 2: [5, 6], 3: ["x", "y"]}) == {
        "customValue": [
            {"id": 1, "value": "a"},
            {"id": 2, "value": "[5,6]"},
            {"id": 3, "value": '["x", "y"]'},
        ]
    }
    assert filters_params(
        [Filter(9003, "equal", "x"), {"type": 1, "operator": "gt", "value": 2, "field": 7}]
    ) == {
        "filter": [
            {"type": 9003, "operator": "equal", "value": "x"},
            {"type": 1, "operator": "gt", "value": 2, "field": 7},
        ]
    }
    assert filters_params([]) is None
