"""``project.*`` typed calls against canned answers shaped as in 11-projects.md."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from lxml import etree

from planfix_server.client import Ref
from tests.client.conftest import canned_client, ok

CARD = """<project><id>9830</id><title>Standards</title><description>text</description>
<owner><id>9230</id><name>Full Name</name></owner><client><id>0</id><name></name></client>
<group><id>12</id><name>Internal</name></group><parent><id>0</id></parent><template><id>0</id></template>
<status>ACTIVE</status><hidden>0</hidden><hasEndDate>1</hasEndDate><endDate>31-12-2024</endDate>
<beginDate>01-02-2024</beginDate><taskCount>42</taskCount><isOverdued>0</isOverdued>
<isCloseToDeadline>1</isCloseToDeadline>
<workers><users><user><id>5</id><name>Ann</name></user></users><groups><group><id>4</id><name>Dev</name>
</group></groups></workers>
<members><users/><groups/></members><auditors><users><user><id>6</id><name>Bob</name></user></users>
</auditors>
<customData><customValue><field><id>1</id><name>Budget</name></field><value>100</value><text>100 $</text>
</customValue></customData>
</project>"""


def sent(requests: list[httpx.Request]) -> etree._Element:
    return etree.fromstring(requests[-1].content)


def test_project_get() -> None:
    requests: list[httpx.Request] = []
    project = canned_client(ok(CARD), requests).project.get(9830)
    assert sent(requests).findtext("project/id") == "9830"
    assert (project.id, project.title, project.description, project.status) == (
        9830,
        "Standards",
        "text",
        "ACTIVE",
    )
    assert project.owner == Ref(9230, "Full Name")
    assert (project.client, project.parent_id, project.template_id) == (None, None, None)
    assert project.group == Ref(12, "Internal")
    assert (project.hidden, project.has_end_date, project.is_overdued, project.is_close_to_deadline) == (
        False,
        True,
        False,
        True,
    )
    assert (project.end_date, project.begin_date, project.task_count) == (
        dt.date(2024, 12, 31),
        dt.date(2024, 2, 1),
        42,
    )
    assert project.workers.users == [Ref(5, "Ann")] and project.workers.groups == [Ref(4, "Dev")]
    assert project.auditors.users == [Ref(6, "Bob")] and project.auditors.groups == []
    assert project.custom_data[0].text == "100 $"
    with pytest.raises(ValueError, match="id or general"):
        canned_client(ok(CARD)).project.get()


def test_project_get_list_and_iterate() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok(f'<projects totalCount="1" count="1">{CARD}</projects>'), requests)
    page = client.project.get_list(target="in", status="ACTIVE", sort="TITLE_ASC", client_id=3)
    body = sent(requests)
    assert (body.findtext("target"), body.findtext("status"), body.findtext("sortType")) == (
        "in",
        "ACTIVE",
        "TITLE_ASC",
    )
    assert body.findtext("client/id") == "3"
    assert body.findtext("pageCurrent") == "1"  # always sent: without it the real service only counts
    assert [project.id for project in page] == [9830]
    assert [project.title for project in client.project.iterate()] == ["Standards"]


def test_project_add() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok("<project><id>77</id></project>"), requests)
    new_id = client.project.add(
        "Launch", end_date=dt.date(2025, 1, 31), workers=[1, 2], auditors=[3], hidden=True, group_id=12
    )
    assert new_id == 77
    project = sent(requests).find("project")
    assert project is not None
    assert (project.findtext("title"), project.findtext("hasEndDate"), project.findtext("endDate")) == (
        "Launch",
        "1",
        "31-01-2025",
    )
    assert [e.text for e in project.findall("workers/id")] == ["1", "2"]
    assert [e.text for e in project.findall("auditors/id")] == ["3"]
    assert (project.findtext("hidden"), project.findtext("group/id")) == ("1", "12")
    assert project.find("managers") is None


def test_project_update() -> None:
    requests: list[httpx.Request] = []
    client = canned_client(ok("<project><id>9830</id></project>"), requests)
    assert client.project.update(general=12, title="New", members=[], has_end_date=False) == 9830
    project = sent(requests).find("project")
    assert project is not None
    assert [child.tag for child in project] == ["general", "title", "hasEndDate", "members"]
    assert (project.findtext("hasEndDate"), [e.text for e in project.findall("members/id")]) == ("0", ["0"])
    with pytest.raises(ValueError, match="id or general"):
        client.project.update(title="x")
