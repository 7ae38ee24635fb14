"""``action.*`` typed calls against canned answers shaped as in 20-actions.md."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from lxml import etree

from planfix_server.client import Ref
from planfix_server.client.functions.actions import AnaliticRow, DateChange, StatusChange
from tests.client.conftest import canned_client, ok

ACTION = """<action><id>6379544</id><description>&lt;p&gt;text&lt;br/&gt;</description><type>ACTION</type>
<statusChange><oldStatus>2</oldStatus><newStatus>4</newStatus></statusChange><isNotRead>0</isNotRead>
<dateTime>18-02-2018 21:12</dateTime><fromEmail>1</fromEmail><task><id>1128468</id>
<title>Task title</title></task>
<project><id>9830</id><title>Project title</title></project><owner><id>9230</id><name>Author</name></owner>
<taskExpectDateChanged><oldDate>16-02-2018 23:59</oldDate><newDate>05-03-2018 12:00</newDate>
</taskExpectDateChanged>
<files><file><id>161854</id><name>report.xml</name></file></files>
<analitics><analitic><id>263</id><key>612122</key><name>Work log</name></analitic></analitics>
<notifiedList/></action>"""


def sent(requests: list[httpx.Request]) -> etree._Element:
    return etree.fromstring(requests[-1].content)


def test_action_get() -> None:
    action = canned_client(ok(ACTION)).action.get(6379544)
    assert (action.id, action.description, action.type) == (6379544, "<p>text<br/>", "ACTION")
    assert action.status_change == StatusChange(2, 4)
    assert (action.is_not_read, action.from_email) == (False, True)
    assert action.date_time == dt.datetime(2018, 2, 18, 21, 12)
    assert action.task == Ref(1128468, "Task title") and action.project == Ref(9830, "Project title")
    assert action.owner == Ref(9230, "Author")
    assert action.task_expect_date_changed == DateChange(
        dt.datetime(2018, 2, 16, 23, 59), dt.datetime(2018, 3, 5, 12, 0)
    )
    assert action.task_start_time_changed is None
    assert action.files == [Ref(161854, "report.xml")]
    assert action.notified == []
    assert action.analitics == [AnaliticRow(263, 612122, "Work log")]
    assert (action.contact_general, action.contact_name) == (None, "")


def test_action_get_list() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok(f'<actions totalCount="2" count="2">{ACTION}{ACTION}</actions>'), requests)
    page = client.action.get_list(task_general=525330, sort="asc")
    body = sent(requests)
    assert (body.findtext("task/general"), body.find("task/id"), body.findtext("sort")) == (
        "525330",
        None,
        "asc",
    )
    assert [action.id for action in page] == [6379544, 6379544]
    contact_actions = client.action.iterate(contact_general=12300)
    assert len(list(contact_actions)) == 2
    assert sent(requests).findtext("contact/general") == "12300"
    with pytest.raises(ValueError, match="not both"):
        client.action.get_list(task_id=1, contact_general=2)
    with pytest.raises(ValueError, match="not both"):
        client.action.iterate()


def test_action_add() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok("<action><id>123</id></action>"), requests)
    new_id = client.action.add(
        "Done &amp; <b>dusted</b>",
        task_id=5,
        task_new_status=3,
        notified=[1, 2],
        hidden=True,
        date_time=dt.datetime(2024, 1, 2, 3, 4),
    )
    assert new_id == 123
    action = sent(requests).find("action")
    assert action is not None
    assert action.findtext("description") == "Done &amp; <b>dusted</b>"
    assert (action.findtext("task/id"), action.findtext("taskNewStatus"), action.findtext("isHidden")) == (
        "5",
        "3",
        "1",
    )
    assert [e.text for e in action.findall("notifiedList/user/id")] == ["1", "2"]
    assert action.findtext("dateTime") == "02-01-2024 03:04"
    assert action.find("contact") is None


def test_action_update_and_delete() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok("<action><id>6379544</id></action>"), requests)
    assert client.action.update(6379544, hidden=False, notified=[3], task_new_status=4) == 6379544
    action = sent(requests).find("action")
    assert action is not None
    assert [child.tag for child in action] == ["id", "taskNewStatus", "notifiedList", "isHidden"]
    assert (action.findtext("isHidden"), [e.text for e in action.findall("notifiedList/user/id")]) == (
        "0",
        ["3"],
    )
    assert client.action.delete(6379544) == 6379544
    assert sent(requests).findtext("action/id") == "6379544"


def test_actions_by_period() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok(f'<actions totalCount="1" count="1">{ACTION}</actions>'), requests)
    page = client.action.get_list_by_period(dt.date(2018, 2, 1), dt.datetime(2018, 2, 28, 23, 59), task_id=5)
    body = sent(requests)
    assert (body.findtext("fromDate"), body.findtext("toDate"), body.findtext("task/id")) == (
        "01-02-2018",
        "28-02-2018 23:59",
        "5",
    )
    assert [action.id for action in page] == [6379544]
