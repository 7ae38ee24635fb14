"""``task.*`` typed calls against canned answers shaped as in 10-tasks.md (no server, no network)."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from lxml import etree

from planfix_server.client import Ref, Task
from planfix_server.client.functions.tasks import ExpectDateChange, StatusChoice, TaskFilter
from tests.client.conftest import canned_client, ok

CARD = """<task><id>1128468</id><title>Integration &amp; tests</title>
<description>&lt;p&gt;HTML text&lt;br/&gt;</description><importance>AVERAGE</importance>
<status>4</status><statusSet>2</statusSet><checkResult>1</checkResult><type>task</type>
<owner><id>9230</id><name>Stan Popov</name></owner><parent><id>0</id></parent>
<template><id>61566</id></template><project><id>9830</id><title>Standards</title></project>
<client><id>0</id><name></name></client><beginDateTime>03-02-2018 17:09</beginDateTime>
<startTime>03-02-2018</startTime><endTime>05-03-2018 12:00</endTime><duration>480</duration>
<durationUnit>0</durationUnit><general>525330</general><isOverdued>0</isOverdued>
<isCloseToDeadline>1</isCloseToDeadline><isNotAcceptedInTime>0</isNotAcceptedInTime><isSummary>0</isSummary>
<starred>1</starred><additionalDescriptionData></additionalDescriptionData>
<workers><users><user><id>9230</id><name>Stan Popov</name></user></users>
<groups><group><id>4717</id><name>Programmers</name></group><group><id>4718</id><name>QA</name></group>
</groups></workers>
<members><users/><groups/></members>
<auditors><users><user><id>1</id><name>Boss</name></user></users><groups/></auditors>
<customData><customValue><field><id>72</id><name>Minutes</name></field><value>548</value>
<text>548 min</text></customValue>
<customValue><field><id>32</id><name>Contact</name></field><value>0</value><text/></customValue>
</customData>
</task>"""


def sent(requests: list[httpx.Request]) -> etree._Element:
    return etree.fromstring(requests[-1].content)


def test_task_get() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok(CARD), requests)
    task = client.task.get(general=525330)
    assert sent(requests).findtext("task/general") == "525330"
    assert sent(requests).find("task/id") is None
    assert isinstance(task, Task)
    assert (task.id, task.general, task.title) == (1128468, 525330, "Integration & tests")
    assert task.description == "<p>HTML text<br/>"
    assert (task.status, task.status_set, task.check_result, task.type) == (4, 2, True, "task")
    assert task.owner == Ref(9230, "Stan Popov")
    assert (task.parent_id, task.template_id, task.client) == (None, 61566, None)
    assert task.project == Ref(9830, "Standards")
    assert task.begin_date_time == dt.datetime(2018, 2, 3, 17, 9)
    assert task.start_time == dt.date(2018, 2, 3) and not isinstance(task.start_time, dt.datetime)
    assert task.end_time == dt.datetime(2018, 3, 5, 12, 0)
    assert (task.duration, task.duration_unit) == (480, 0)
    assert (task.is_overdued, task.is_close_to_deadline, task.starred, task.is_summary) == (
        False,
        True,
        True,
        False,
    )
    assert task.workers.users == [Ref(9230, "Stan Popov")]
    assert task.workers.groups == [Ref(4717, "Programmers"), Ref(4718, "QA")]
    assert task.members.users == [] and task.members.groups == []
    assert task.auditors.users == [Ref(1, "Boss")]
    assert [(c.field_id, c.field_name, c.value, c.text) for c in task.custom_data] == [
        (72, "Minutes", "548", "548 min"),
        (32, "Contact", "0", ""),
    ]
    assert task.periodicity is None
    assert task.additional_description_data == ""
    with pytest.raises(ValueError, match="id or general"):
        client.task.get()


def test_task_get_list_one_item_is_still_a_list() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok(f'<tasks totalCount="1" count="1">{CARD}</tasks>'), requests)
    page = client.task.get_list(
        target="in", project_id=9830, with_subprojects=True, filter="ACTIVE MY", sort="NUMBER_DESC"
    )
    body = sent(requests)
    assert body.findtext("target") == "in"
    assert body.findtext("project/id") == "9830" and body.findtext("project/withSubprojects") == "1"
    assert (body.findtext("filter"), body.findtext("sort")) == ("ACTIVE MY", "NUMBER_DESC")
    assert (body.findtext("pageCurrent"), body.findtext("pageSize")) == ("1", "100")
    assert isinstance(page.items, list) and len(page.items) == 1
    assert (page.count, page.total) == (1, 1)
    assert page.items[0].id == 1128468


def test_task_add_request_and_answer() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok("<task><id>17</id><general>33</general></task>"), requests)
    created = client.task.add(
        "Call back",
        description="<b>now</b>",
        importance="HIGH",
        project_id=9830,
        start=dt.date(2024, 5, 2),
        end=dt.datetime(2024, 5, 3, 18, 30),
        duration=2,
        duration_unit=1,
        workers=[1, 2],
        worker_groups=[7],
        auditors=[3],
        custom={72: 15, 80: [1, 2], 81: ["a", "b"]},
        check_result=False,
    )
    assert (created.id, created.general) == (17, 33)
    task = sent(requests).find("task")
    assert task is not None
    assert task.findtext("title") == "Call back" and task.findtext("description") == "<b>now</b>"
    assert (task.findtext("startDateIsSet"), task.findtext("startDate"), task.find("startTime")) == (
        "1",
        "02-05-2024",
        None,
    )
    assert (task.findtext("endDate"), task.findtext("endTimeIsSet"), task.findtext("endTime")) == (
        "03-05-2024",
        "1",
        "18:30",
    )
    assert (task.findtext("duration"), task.findtext("durationUnit"), task.findtext("durationIsSet")) == (
        "2",
        "1",
        "1",
    )
    assert [e.text for e in task.findall("workers/users/id")] == ["1", "2"]
    assert [e.text for e in task.findall("workers/groups/id")] == ["7"]
    assert [e.text for e in task.findall("auditors/users/id")] == ["3"]
    assert task.find("members") is None and task.find("template") is None
    values = [(v.findtext("id"), v.findtext("value")) for v in task.findall("customData/customValue")]
    assert values == [("72", "15"), ("80", "[1,2]"), ("81", '["a", "b"]')]
    assert task.findtext("checkResult") == "0"


def test_task_update() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok("<task><id>17</id></task>"), requests)
    assert client.task.update(17, silent=True, title="New", status="COMPLETED", workers=[]) == 17
    body = sent(requests)
    assert body.findtext("silent") == "1"
    task = body.find("task")
    assert task is not None
    assert [child.tag for child in task] == ["id", "title", "status", "workers"]
    assert [e.text for e in task.findall("workers/users/id")] == ["0"] and task.find("workers/groups") is None
    with pytest.raises(ValueError, match="id or general"):
        client.task.update(title="x")


def test_recurring_task_keeps_its_rule() -> None:
    card = CARD.replace(
        "</task>", "<periodicity><daily><type>EVERY</type><shift>2</shift></daily></periodicity></task>"
    )
    task = canned_client(ok(card)).task.get(1)
    assert task.periodicity is not None
    assert task.periodicity.text_of("daily/shift") == "2"


def test_status_and_workers_calls() -> None:
    requests: list[httpx.Request] = []
    answer = ok(
        '<statusList totalCount="2"><status><title>Выполненная</title><value>6</value></status>'
        "<status><title>Отложенная</title><value>4</value></status></statusList>"
    )
    choices = canned_client(answer, requests).task.get_possible_status_to_change(17)
    assert sent(requests).findtext("task/id") == "17"
    assert choices == [StatusChoice(6, "Выполненная"), StatusChoice(4, "Отложенная")]

    client = canned_client(ok("<task><id>17</id></task>"), requests)
    assert (
        client.task.change_status(general=33, status="DELAYED", date_time=dt.datetime(2024, 1, 2, 9, 0)) == 17
    )
    body = sent(requests)
    assert (body.findtext("task/general"), body.findtext("status"), body.findtext("dateTime")) == (
        "33",
        "DELAYED",
        "02-01-2024 09:00",
    )
    assert client.task.change_workers(17, add_users=[1, 2], del_groups=[5]) == 17
    workers = sent(requests).find("task/workers")
    assert workers is not None and [child.tag for child in workers] == ["addUsers", "delGroups"]
    assert [e.text for e in workers.findall("addUsers/id")] == ["1", "2"]
    assert client.task.reject(17, "busy") == 17 and sent(requests).findtext("reason") == "busy"


def test_change_expect_date_and_filters() -> None:
    applied = canned_client(ok("<task><id>5</id><endTime>04-03-2030 18:00</endTime></task>"))
    assert applied.task.change_expect_date(5, dt.date(2030, 3, 4)) == ExpectDateChange(
        5, dt.datetime(2030, 3, 4, 18, 0)
    )
    asked = canned_client(ok("<task><id>5</id></task>")).task.change_expect_date(5, dt.date(2030, 3, 4))
    assert asked.end_time is None and not asked.applied
    answer = ok(
        '<taskFilterList totalCount="2"><taskFilter><ID>:all</ID><Name>All</Name></taskFilter>'
        "<taskFilter><ID>5123</ID><Name>Mine</Name></taskFilter></taskFilterList>"
    )
    assert canned_client(answer).task.get_filter_list() == [
        TaskFilter(":all", "All"),
        TaskFilter("5123", "Mine"),
    ]
