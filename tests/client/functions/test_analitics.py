"""``analitic.*`` typed calls against canned answers shaped as in 22-handbooks-analitics.md."""

from __future__ import annotations

import datetime as dt

import httpx
from lxml import etree

from planfix_server.client import Ref
from planfix_server.client.functions.analitics import (
    AnaliticDataFilter,
    AnaliticRecordValue,
    AnaliticRowIn,
    TimePeriod,
    rows_params,
)
from tests.client.conftest import canned_client, ok

OPTIONS = """<analitic><id>263</id><name>Work log</name><group><id>1</id></group><fields>
<field><id>741</id><num>0</num><name>Kind of work</name><type>HANDBOOK</type>
<handbook><id>131</id></handbook></field>
<field><id>750</id><num>1</num><name>Stage</name><type>LIST</type>
<list><value>A</value><value>B</value></list></field>
</fields></analitic>"""


def sent(requests: list[httpx.Request]) -> etree._Element:
    return etree.fromstring(requests[-1].content)


def test_groups_list_and_options() -> None:
    groups = canned_client(
        ok(
            '<analiticGroups totalCount="1" count="1">'
            "<group><id>1</id><name>T</name></group></analiticGroups>"
        )
    )
    assert groups.analitic.get_group_list() == [Ref(1, "T")]
    listed = canned_client(
        ok(
            '<analitics totalCount="2" count="2"><analitic><id>330</id><name>Sale</name><group><id>14</id>'
            "<name>Sales</name></group></analitic><analitic><id>5</id><name>Loose</name><group><id>0</id>"
            "<name></name></group></analitic></analitics>"
        )
    )
    sale, loose = listed.analitic.get_list()
    assert (sale.id, sale.name, sale.group, sale.fields) == (330, "Sale", Ref(14, "Sales"), [])
    assert loose.group is None
    requests: list[httpx.Request] = []
    options = canned_client(ok(OPTIONS), requests).analitic.get_options(263)
    assert sent(requests).findtext("analitic/id") == "263"
    assert options.group == Ref(1, "")
    kind, stage = options.fields
    assert (kind.id, kind.num, kind.type, kind.handbook_id, kind.options) == (741, 0, "HANDBOOK", 131, [])
    assert (stage.num, stage.options, stage.handbook_id) == (1, ["A", "B"], None)


def test_handbook_and_data() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(
        ok(
            "<records><record><parentKey>0</parentKey><isGroup>1</isGroup><key>389</key>"
            '<value value="Programming" name="" isDisplayed="0"/></record></records>'
        ),
        requests,
    )
    [record] = client.analitic.get_handbook(131)
    assert sent(requests).findtext("handbook/id") == "131"
    assert (record.key, record.parent_key, record.is_group) == (389, None, True)
    assert record.values == [AnaliticRecordValue("", "Programming", False)]
    data = canned_client(
        ok(
            "<analiticDatas><analiticData><key>612122</key><itemData><id>741</id><name>Kind</name>"
            "<value>Minute</value><valueId>725</valueId></itemData></analiticData>"
            "<analiticData><key>9</key></analiticData></analiticDatas>"
        ),
        requests,
    )
    known, unknown = data.analitic.get_data([612122, 9])
    assert [e.text for e in sent(requests).iterfind("analiticKeys/key")] == ["612122", "9"]
    assert (known.key, known.items[0].value, known.items[0].value_id, known.task_id) == (
        612122,
        "Minute",
        "725",
        None,
    )
    assert (unknown.key, unknown.items) == (9, [])


def test_data_by_condition_page() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(
        ok(
            '<analiticDatas totalCount="3" count="1"><analiticData><key>1</key><task><id>7</id></task>'
            "<action><id>8</id></action></analiticData></analiticDatas>"
        ),
        requests,
    )
    page = client.analitic.get_data_by_condition(
        263,
        task_general=525330,
        filters=[
            AnaliticDataFilter(743, dt.date(2018, 2, 1), dt.date(2018, 2, 28)),
            AnaliticDataFilter(846, user_id=5),
        ],
        page=2,
        page_size=1,
    )
    body = sent(requests)
    assert body.findtext("analitic/id") == "263" and body.findtext("task/general") == "525330"
    assert body.find("task/id") is None
    first, second = body.findall("filters/filter")
    assert (first.findtext("field"), first.findtext("fromDate"), first.findtext("toDate")) == (
        "743",
        "01-02-2018",
        "28-02-2018",
    )
    assert (second.findtext("userid"), second.find("fromDate")) == ("5", None)
    assert (body.findtext("pageCurrent"), body.findtext("pageSize")) == ("2", "1")
    assert (page.total, page.count) == (3, 1)
    assert (page.items[0].task_id, page.items[0].action_id) == (7, 8)


def test_rows_params_and_action_calls() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok("<action><id>5</id></action>"), requests)
    rows = rows_params(
        [
            AnaliticRowIn(
                263,
                {
                    741: 725,
                    743: dt.date(2018, 2, 19),
                    824: TimePeriod(dt.time(9), dt.time(10, 30)),
                    846: [5, 9],
                    749: None,
                },
            ),
            AnaliticRowIn(263, {747: 30}, key=612122),
        ]
    )
    assert client.action.add("Work", task_id=7, analitics=rows) == 5
    first, second = sent(requests).findall("action/analitics/analitic")
    items = {e.findtext("fieldId"): e.find("value") for e in first.iterfind("analiticData/itemData")}
    assert items["741"].text == "725" and items["743"].text == "19-02-2018"  # type: ignore[union-attr]
    assert (items["824"].findtext("begin"), items["824"].findtext("end")) == ("09:00", "10:30")  # type: ignore[union-attr]
    assert [e.text for e in items["846"].iterfind("id")] == ["5", "9"]  # type: ignore[union-attr]
    assert not (items["749"].text or "")  # type: ignore[union-attr]
    assert first.find("analiticData/key") is None and second.findtext("analiticData/key") == "612122"
    listing = canned_client(ok('<actions totalCount="0" count="0"/>'), requests)
    page = listing.action.get_list_with_analitic(263, task_id=7, sort="asc")
    body = sent(requests)
    assert body.get("method") == "action.getListWithAnalitic"
    assert (body.findtext("analitic/id"), body.findtext("task/id"), body.findtext("sort")) == (
        "263",
        "7",
        "asc",
    )
    assert page.items == [] and page.total == 0
