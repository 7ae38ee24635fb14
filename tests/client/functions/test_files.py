"""``file.*`` typed calls against canned answers shaped as in 23-files-and-other.md."""

from __future__ import annotations

import base64
import datetime as dt

import httpx
import pytest
from lxml import etree

from planfix_server.api import errors
from planfix_server.client import Ref
from planfix_server.client.functions.files import NewFile, Uploaded
from tests.client.conftest import canned_client, error, ok

FILE = """<file><id>161854</id><uniqueId>170001</uniqueId><name>report.pdf</name><version>2</version>
<description>monthly</description><date>18-02-2018 21:12</date><sourceType>FILESYSTEM</sourceType>
<size>120</size><task><id>1128468</id><title>Task title</title></task>
<project><id>0</id><title></title></project><user><id>9230</id><name>Uploader</name></user>
<downloadLink>https://example.com/f</downloadLink></file>"""


def sent(requests: list[httpx.Request]) -> etree._Element:
    return etree.fromstring(requests[-1].content)


def test_file_get() -> None:
    requests: list[httpx.Request] = []
    info = canned_client(ok(FILE), requests).file.get(unique_id=170001, download_links=True)
    body = sent(requests)
    assert (body.findtext("file/uniqueId"), body.find("file/id"), body.findtext("returnDownloadLinks")) == (
        "170001",
        None,
        "1",
    )
    assert (info.id, info.unique_id, info.name, info.version) == (161854, 170001, "report.pdf", 2)
    assert (info.description, info.source_type, info.size_kb) == ("monthly", "FILESYSTEM", 120)
    assert info.date == dt.datetime(2018, 2, 18, 21, 12)
    assert info.task == Ref(1128468, "Task title") and info.project is None
    assert info.user == Ref(9230, "Uploader")
    assert info.download_link == "https://example.com/f"
    with pytest.raises(ValueError, match="id or unique_id"):
        canned_client(ok(FILE)).file.get()


def test_upload_builds_the_documented_request() -> None:
    requests: list[httpx.Request] = []
    answer = ok("<files><file><id>1</id><uniqueId>7</uniqueId><name>a.txt</name></file></files>")
    made = canned_client(answer, requests).file.upload(
        [
            NewFile("a.txt", b"hello", description="d", new_version=True),
            NewFile("b.html", url="https://example.com/b"),
            NewFile(project_file_id=5),
        ],
        task_id=3,
        target="action",
        action_id=9,
        owner_id=2,
        notified=[4, 5],
    )
    assert made == [Uploaded(1, 7, "a.txt")]
    body = sent(requests)
    assert body.get("method") == "file.upload"
    assert (body.findtext("task/id"), body.findtext("target"), body.findtext("action/id")) == (
        "3",
        "action",
        "9",
    )
    assert body.findtext("owner/id") == "2"
    assert [one.text for one in body.findall("notifiedList/users/id")] == ["4", "5"]
    first, second, third = body.findall("files/file")
    assert base64.b64decode(first.findtext("body") or "") == b"hello"
    assert (first.findtext("sourceType"), first.findtext("newversion"), first.findtext("description")) == (
        "FILESYSTEM",
        "1",
        "d",
    )
    assert (second.findtext("sourceType"), second.findtext("otherFile/url")) == (
        "INTERNET",
        "https://example.com/b",
    )
    assert (third.findtext("sourceType"), third.findtext("otherFile/id"), third.find("name")) == (
        "PROJECT",
        "5",
        None,
    )
    with pytest.raises(ValueError, match="exactly one"):
        NewFile("x", b"1", url="https://example.com").params()


def test_upload_error_is_typed() -> None:
    with pytest.raises(errors.FileNameNotUnique):
        canned_client(error("9006")).file.upload([NewFile("a", b"")], task_id=1)


def test_history_delete_and_lists() -> None:
    requests: list[httpx.Request] = []
    history = canned_client(
        ok(f'<files totalCount="2" count="2">{FILE}{FILE}</files>'), requests
    ).file.get_history(1)
    assert [one.id for one in history] == [161854, 161854]
    assert sent(requests).findtext("file/id") == "1"
    assert canned_client(ok("<count>2</count>"), requests).file.delete(unique_ids=[1, 2]) == 2
    assert [one.text for one in sent(requests).findall("files/uniqueId")] == ["1", "2"]
    with pytest.raises(ValueError, match="ids or unique_ids"):
        canned_client(ok("<count>0</count>")).file.delete()
    page = canned_client(
        ok(f'<files totalCount="3" count="1">{FILE}</files>'), requests
    ).file.get_list_for_task(task_general=12, sort="NAME_DESC", page=3, page_size=1)
    assert (page.total, [one.id for one in page]) == (3, [161854])
    body = sent(requests)
    assert (body.findtext("task/general"), body.findtext("sort"), body.findtext("pageCurrent")) == (
        "12",
        "NAME_DESC",
        "3",
    )
    canned_client(ok('<files totalCount="0" count="0"/>'), requests).file.get_list_for_client(8)
    assert sent(requests).findtext("client/id") == "8"
    canned_client(ok('<files totalCount="0" count="0"/>'), requests).file.get_list_for_user()
    assert sent(requests).find("user") is None
    canned_client(ok('<files totalCount="0" count="0"/>'), requests).file.get_list_for_project(4)
    assert sent(requests).findtext("project/id") == "4"
