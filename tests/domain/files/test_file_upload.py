from __future__ import annotations

import base64
import hashlib
from dataclasses import replace

import pytest
from sqlalchemy import select

from planfix_server.app import Server
from planfix_server.settings import Settings
from planfix_server.store.tables import action_unread, file_versions
from tests.domain.actions.helpers import comment
from tests.domain.actions.helpers import get as get_action
from tests.domain.contacts.helpers import make_contact
from tests.domain.files.helpers import (
    blobs,
    download,
    entry,
    get_file,
    row_counts,
    task_place,
    upload,
    uploaded,
)
from tests.domain.projects.helpers import add_project
from tests.domain.tasks.helpers import employee, new_task, people
from tests.domain.users.helpers import body
from tests.support import Api, provision, running


def test_files_go_into_a_new_file_action_of_the_task(api: Api, server: Server) -> None:
    task_id = new_task(api)
    reply = upload(api, task_place(task_id), entry("report.pdf", b"%PDF-1.4"), entry("notes.txt", b"abc"))
    assert reply.ok, reply.raw
    assert body(reply) == (
        "<files><file><id>1</id><uniqueId>1</uniqueId><name>report.pdf</name></file>"
        "<file><id>2</id><uniqueId>2</uniqueId><name>notes.txt</name></file></files>"
    )
    actions = api.call("action.getList", task_place(task_id))
    newest = actions.root.find("actions/action")
    assert newest is not None and newest.findtext("type") == "FILE"
    card = get_action(api, int(newest.findtext("id") or 0))
    assert [
        (one.findtext("id"), one.findtext("name")) for one in card.root.iterfind("action/files/file")
    ] == [
        ("1", "report.pdf"),
        ("2", "notes.txt"),
    ]
    assert download(api, "<id>1</id>").raw == b"%PDF-1.4"
    assert len(blobs(server)) == 2
    assert row_counts(server) == (2, 2)


def test_target_task_attaches_to_the_task_alone(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    before = len(api.call("action.getList", task_place(task_id)).root.findall("actions/action"))
    assert uploaded(api, task_place(task_id), entry("a.txt"), extra="<target>task</target>")
    after = len(api.call("action.getList", task_place(task_id)).root.findall("actions/action"))
    assert after == before
    # An assignee changes no task data: 3009; his upload as a new action is fine.
    assert (
        upload(worker_api, task_place(task_id), entry("b.txt"), extra="<target>task</target>").code == "3009"
    )
    assert uploaded(worker_api, task_place(task_id), entry("b.txt"))


def test_target_action(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    mine = comment(api, task_id, "See attached")
    other_task = new_task(api)
    elsewhere = comment(api, other_task, "Elsewhere")
    target = "<target>action</target>"
    ((file_id, _, _),) = uploaded(
        api, task_place(task_id), entry("a.txt"), extra=f"{target}<action><id>{mine}</id></action>"
    )
    card = get_action(api, mine)
    assert [one.findtext("id") for one in card.root.iterfind("action/files/file")] == [str(file_id)]
    assert upload(api, task_place(task_id), entry("b.txt"), extra=target).code == "0009"
    assert (
        upload(api, task_place(task_id), entry("b.txt"), extra=f"{target}<action><id>9999</id></action>").code
        == "4002"
    )
    assert (
        upload(
            api, task_place(task_id), entry("b.txt"), extra=f"{target}<action><id>{elsewhere}</id></action>"
        ).code
        == "4002"
    )
    # Another user's comment is not his to attach to.
    assert (
        upload(
            worker_api, task_place(task_id), entry("b.txt"), extra=f"{target}<action><id>{mine}</id></action>"
        ).code
        == "9001"
    )


def test_a_project_and_a_contact_take_files(api: Api, server: Server) -> None:
    project_id = add_project(api, "<title>Docs</title>")
    ((project_file, _, _),) = uploaded(api, f"<project><id>{project_id}</id></project>", entry("spec.doc"))
    got = get_file(api, f"<id>{project_file}</id>")
    assert got.text("file/project/id") == str(project_id)
    assert got.text("file/task/id") == "0"
    contact = make_contact(server, api.tenant, "Ivan")
    ((contact_file, _, _),) = uploaded(api, f"<contact><id>{contact.id}</id></contact>", entry("scan.png"))
    history = api.call("action.getList", f"<contact><general>{contact.general}</general></contact>")
    assert history.ok, history.raw
    (action,) = history.root.iterfind("actions/action")
    assert action.findtext("type") == "FILE"
    assert action.findtext("files/file/id") == str(contact_file)
    assert upload(api, "<project><id>9999</id></project>", entry("x.txt")).code == "2001"
    assert upload(api, "<contact><id>9999</id></contact>", entry("x.txt")).code == "8002"


def test_internet_files_are_links(api: Api) -> None:
    task_id = new_task(api)
    link = "<otherFile><url>https://example.com/a.pdf</url></otherFile>"
    ((file_id, _, _),) = uploaded(api, task_place(task_id), entry("a.pdf", source="INTERNET", extra=link))
    got = get_file(api, f"<id>{file_id}</id>")
    assert got.text("file/sourceType") == "INTERNET"
    assert got.text("file/size") == "0"
    assert upload(api, task_place(task_id), entry("b.pdf", source="INTERNET")).code == "0009"
    bad = "<otherFile><url>javascript:alert(1)</url></otherFile>"
    assert upload(api, task_place(task_id), entry("c.pdf", source="INTERNET", extra=bad)).code == "0015"


def test_project_files_are_shared_into_tasks_of_the_project(api: Api, server: Server) -> None:
    project_id = add_project(api, "<title>Docs</title>")
    other_project = add_project(api, "<title>Other</title>")
    ((source, source_unique, _),) = uploaded(
        api, f"<project><id>{project_id}</id></project>", entry("plan.txt", b"P")
    )
    task_id = new_task(api, f"<project><id>{project_id}</id></project>")
    ref = f"<otherFile><id>{source}</id></otherFile>"
    ((copy, copy_unique, name),) = uploaded(
        api, task_place(task_id), entry("ignored", source="PROJECT", extra=ref)
    )
    assert name == "plan.txt" and copy != source and copy_unique != source_unique
    assert download(api, f"<id>{copy}</id>").raw == b"P"
    assert len(blobs(server)) == 1  # the content is shared, not copied
    assert (
        upload(api, f"<project><id>{project_id}</id></project>", entry("x", source="PROJECT", extra=ref)).code
        == "9008"
    )
    elsewhere = new_task(api, f"<project><id>{other_project}</id></project>")
    assert upload(api, task_place(elsewhere), entry("x", source="PROJECT", extra=ref)).code == "9009"
    assert upload(api, task_place(new_task(api)), entry("x", source="PROJECT", extra=ref)).code == "9009"
    not_project = f"<otherFile><id>{copy}</id></otherFile>"
    assert upload(api, task_place(task_id), entry("x", source="PROJECT", extra=not_project)).code == "9002"


def test_names_and_versions(api: Api, server: Server) -> None:
    task_id = new_task(api)
    ((file_id, first, _),) = uploaded(api, task_place(task_id), entry("same.txt", b"one"))
    taken = upload(api, task_place(task_id), entry("same.txt", b"two"))
    assert taken.code == "9006"
    assert taken.raw.decode().startswith(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<response status="error"><code>9006</code>'
        f"<id>{file_id}</id><name>same.txt</name>"
    )
    again = entry("same.txt", b"two", extra="<newversion>1</newversion><description>v2</description>")
    ((same_id, second, _),) = uploaded(api, task_place(task_id), again)
    assert same_id == file_id and second != first
    got = get_file(api, f"<id>{file_id}</id>")
    assert (got.text("file/version"), got.text("file/uniqueId"), got.text("file/description")) == (
        "2",
        str(second),
        "v2",
    )
    assert download(api, f"<id>{file_id}</id>").raw == b"two"
    assert download(api, f"<uniqueId>{first}</uniqueId>").raw == b"one"
    # Names are kept per place: another task takes the same name.
    assert uploaded(api, task_place(new_task(api)), entry("same.txt"))
    # Twice in one request: the second is the one in the way.
    assert upload(api, task_place(task_id), entry("twice.txt"), entry("twice.txt")).code == "9006"
    assert row_counts(server) == (2, 3)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "a/b.txt",
        "a\\b",
        "c:d",
        "star*",
        "q?",
        'quote"',
        "&lt;x&gt;",
        "pipe|",
        "tab\tname",
        ".",
        "x" * 256,
    ],
)
def test_illegal_names(api: Api, server: Server, name: str) -> None:
    task_id = new_task(api)
    assert upload(api, task_place(task_id), entry(name)).code == "9005"
    assert row_counts(server) == (0, 0) and blobs(server) == []


def test_bad_or_large_content_stores_nothing(api: Api, server: Server, settings: Settings) -> None:
    task_id = new_task(api)
    bad = "<file><name>b.txt</name><sourceType>FILESYSTEM</sourceType><body>not base64!</body></file>"
    assert upload(api, task_place(task_id), entry("good.txt"), bad).code == "9003"
    assert row_counts(server) == (0, 0) and blobs(server) == []
    with running(replace(settings, max_file_bytes=8)) as (_, client):
        small = Api(client, api.tenant)
        assert upload(small, task_place(task_id), entry("big.bin", b"123456789")).code == "9003"
        assert uploaded(small, task_place(task_id), entry("fits.bin", b"12345678"))
    assert len(blobs(server)) == 1
    empty = "<file><name>empty.txt</name><sourceType>FILESYSTEM</sourceType><body></body></file>"
    ((file_id, _, _),) = uploaded(api, task_place(task_id), empty)
    assert get_file(api, f"<id>{file_id}</id>").text("file/size") == "0"
    assert download(api, f"<id>{file_id}</id>").raw == b""


def test_owner_notified_and_silent(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    watcher, _ = employee(server, api, "watcher")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    notified = f"<notifiedList><users><id>{watcher}</id></users></notifiedList>"
    ((file_id, _, _),) = uploaded(
        api, task_place(task_id), entry("a.txt"), extra=f"<owner><id>{worker}</id></owner>{notified}"
    )
    assert get_file(api, f"<id>{file_id}</id>").text("file/user/id") == str(worker)
    assert unread(server, watcher)
    assert (
        upload(
            worker_api,
            task_place(task_id),
            entry("b.txt"),
            extra=f"<owner><id>{api.tenant.owner_id}</id></owner>",
        ).code
        == "9001"
    )
    assert (
        upload(api, task_place(task_id), entry("c.txt"), extra="<owner><id>9999</id></owner>").code == "6004"
    )
    assert (
        upload(
            api,
            task_place(task_id),
            entry("c.txt"),
            extra="<notifiedList><users><id>9999</id></users></notifiedList>",
        ).code
        == "6004"
    )
    before = unread(server, worker)
    to_worker = f"<notifiedList><users><id>{worker}</id></users></notifiedList>"
    quiet = api.call(
        "file.upload", f"<silent>1</silent>{task_place(task_id)}<files>{entry('d.txt')}</files>{to_worker}"
    )
    assert quiet.ok, quiet.raw
    assert unread(server, worker) == before
    assert uploaded(api, task_place(task_id), entry("e.txt"), extra=to_worker)
    assert len(unread(server, worker)) == len(before) + 1


def unread(server: Server, user_id: int) -> set[int]:
    with server.engine.connect() as connection:
        rows = connection.execute(select(action_unread.c.action_id).where(action_unread.c.user_id == user_id))
        return {int(row.action_id) for row in rows}


def test_missing_and_conflicting_places(api: Api, server: Server) -> None:
    task_id = new_task(api)
    project_id = add_project(api, "<title>P</title>")
    assert api.call("file.upload", f"<files>{entry()}</files>").code == "0009"
    assert (
        upload(api, f"{task_place(task_id)}<project><id>{project_id}</id></project>", entry()).code == "0019"
    )
    assert upload(api, task_place(task_id)).code == "9004"
    assert api.call("file.upload", task_place(task_id)).code == "9004"
    assert upload(api, task_place(task_id), entry(source="SOMEWHERE")).code == "0015"
    # Empty elements are absent, as clients built from the documented template send them.
    templated = task_place(task_id) + "<project><id></id></project><owner><id></id></owner><target></target>"
    assert uploaded(api, templated, entry("t.txt"))


def test_task_rights_and_other_accounts(api: Api, server: Server) -> None:
    _, stranger_api = employee(server, api, "stranger")
    task_id = new_task(api)
    assert upload(stranger_api, task_place(task_id), entry()).code == "3008"
    assert upload(api, task_place(9999), entry()).code == "3001"
    other = Api(api.client, provision(server, "other"))
    foreign_task = new_task(other)
    foreign_project = add_project(other, "<title>Theirs</title>")
    assert upload(api, task_place(foreign_task), entry()).code == "3001"
    assert upload(api, f"<project><id>{foreign_project}</id></project>", entry()).code == "2001"
    assert blobs(server) == []


def test_stored_version_row(api: Api, server: Server) -> None:
    task_id = new_task(api)
    content = b"x" * 2049
    ((_, unique_id, _),) = uploaded(api, task_place(task_id), entry("data.json", content))
    with server.engine.connect() as connection:
        row = connection.execute(select(file_versions).where(file_versions.c.id == unique_id)).one()
    assert row.size_bytes == 2049
    assert row.content_type == "application/json"
    assert row.version == 1
    assert row.sha256 == hashlib.sha256(content).hexdigest()
    assert base64.b64encode(content)  # the entry carried it base64-encoded


def test_the_name_in_a_9006_answer_is_escaped(api: Api) -> None:
    task_id = new_task(api)
    ((file_id, _, _),) = uploaded(api, task_place(task_id), entry("R&amp;D.txt"))
    taken = upload(api, task_place(task_id), entry("R&amp;D.txt"))
    assert taken.code == "9006"
    assert f"<id>{file_id}</id><name>R&amp;D.txt</name>" in taken.raw.decode()
    assert taken.text("name") == "R&D.txt"
