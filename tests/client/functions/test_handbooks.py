"""``handbook.*`` typed calls against canned answers shaped as in 22-handbooks-analitics.md."""

from __future__ import annotations

import httpx
import pytest
from lxml import etree

from planfix_server.client import Ref
from planfix_server.client.functions.handbooks import (
    Handbook,
    HandbookField,
    RecordValue,
    get_record_multi,
)
from tests.client.conftest import canned_client, ok

RECORD = """<record><parentKey>389</parentKey><isGroup>0</isGroup><key>725</key><name></name>
<archived>1</archived><customData><customValue><field><id>501</id></field><value>7</value>
<text>seven</text></customValue></customData></record>"""


def sent(requests: list[httpx.Request]) -> etree._Element:
    return etree.fromstring(requests[-1].content)


def test_groups_and_handbooks() -> None:
    requests: list[httpx.Request] = []
    groups = canned_client(
        ok(
            '<handbookGroups count="1" totalCount="1">'
            "<group><id>1</id><name>Products</name></group></handbookGroups>"
        ),
        requests,
    ).handbook.get_group_list()
    assert groups == [Ref(1, "Products")]
    answer = ok(
        '<handbooks count="2" totalCount="2"><handbook><id>131</id><name>Kinds</name><group><id>2</id>'
        "<name>Work</name></group></handbook><handbook><id>9</id><name>Loose</name><group><id>0</id><name>"
        "</name></group></handbook></handbooks>"
    )
    found = canned_client(answer, requests).handbook.get_list(group_id=2)
    assert sent(requests).findtext("group/id") == "2"
    assert found == [Handbook(131, "Kinds", Ref(2, "Work")), Handbook(9, "Loose", None)]


def test_structure() -> None:
    requests: list[httpx.Request] = []
    answer = ok(
        "<handbook><id>131</id><name>Kinds</name><group><id>2</id></group><fields>"
        "<field><id>741</id><num>0</num><name>Unit</name><type>HANDBOOK</type><handbook><id>5</id></handbook>"
        "</field><field><id>742</id><num>1</num><name>Size</name><type>LIST</type><list><value>S</value>"
        "<value>L</value></list></field></fields></handbook>"
    )
    structure = canned_client(answer, requests).handbook.get_structure(131)
    assert sent(requests).findtext("handbook/id") == "131"
    assert (structure.id, structure.name, structure.group_id) == (131, "Kinds", 2)
    assert structure.fields == [
        HandbookField(741, 0, "Unit", "HANDBOOK", [], 5),
        HandbookField(742, 1, "Size", "LIST", ["S", "L"], None),
    ]


def test_records() -> None:
    requests: list[httpx.Request] = []
    page = canned_client(
        ok(f'<records totalCount="3" count="1">{RECORD}</records>'), requests
    ).handbook.get_records(131, parent_key=389, page=2, page_size=1)
    body = sent(requests)
    assert (body.findtext("handbook/id"), body.findtext("parentKey")) == ("131", "389")
    assert (body.findtext("pageCurrent"), body.findtext("pageSize")) == ("2", "1")
    assert (page.total, page.count) == (3, 1)
    record = page.items[0]
    assert (record.key, record.parent_key, record.is_group, record.name, record.archived) == (
        725,
        389,
        False,
        "",
        True,
    )
    assert record.values == [RecordValue(501, "7", "seven")]
    top = canned_client(ok(RECORD.replace("<parentKey>389", "<parentKey>0")), requests).handbook.get_record(
        131, 725
    )
    assert sent(requests).findtext("key") == "725"
    assert top.parent_key is None
    many = canned_client(ok(f"<records>{RECORD}{RECORD}</records>"), requests).handbook.get_record_multi(
        131, [725, 1]
    )
    assert [e.text for e in sent(requests).findall("records/key")] == ["725", "1"]
    assert len(many) == 2
    with pytest.raises(ValueError, match="at least one key"):
        get_record_multi(131, [])


def test_add_and_update() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok("<key>900</key>"), requests)
    assert client.handbook.add_record(131, {501: "x", 502: [3, 7]}, parent_key=389) == 900
    body = sent(requests)
    assert body.get("method") == "handbook.addRecord"
    assert [(v.findtext("id"), v.findtext("value")) for v in body.findall("customData/customValue")] == [
        ("501", "x"),
        ("502", "[3,7]"),
    ]
    assert (body.findtext("parentKey"), body.find("isGroup")) == ("389", None)
    assert client.handbook.add_record(131, group_name="Roofs") == 900
    body = sent(requests)
    assert (body.findtext("isGroup"), body.findtext("name")) == ("1", "Roofs")
    assert client.handbook.update_record(131, 900, {501: ""}, archived=True, parent_key=0) == 900
    body = sent(requests)
    assert (body.findtext("key"), body.findtext("archived"), body.findtext("parentKey")) == ("900", "1", "0")
