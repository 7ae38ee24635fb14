from __future__ import annotations

from planfix_server.app import Server
from tests.domain.files.helpers import entry, get_file, task_place, uploaded
from tests.domain.projects.helpers import add_project
from tests.domain.tasks.helpers import employee, new_task
from tests.domain.users.helpers import body, set_user
from tests.support import Api, provision

CHILDREN = [
    "id", "uniqueId", "name", "version", "description", "date", "sourceType", "size",
    "task", "project", "user",
]  # fmt: skip


def test_every_documented_element(api: Api, server: Server) -> None:
    set_user(server, api.tenant, api.tenant.owner_id, name="Ann", last_name="Lee", timezone="Europe/Moscow")
    project_id = add_project(api, "<title>Standards</title>")
    task_id = new_task(api, f"<project><id>{project_id}</id></project>", title="Toggl &amp; co")
    described = entry("report.pdf", b"x" * 1025, extra="<description>Monthly &lt;report&gt;</description>")
    ((file_id, unique_id, _),) = uploaded(api, task_place(task_id), described)
    reply = get_file(api, f"<id>{file_id}</id>")
    assert reply.ok, reply.raw
    (file,) = reply.root.iterfind("file")
    assert [child.tag for child in file] == CHILDREN
    assert reply.text("file/id") == str(file_id)
    assert reply.text("file/uniqueId") == str(unique_id)
    assert reply.text("file/name") == "report.pdf"
    assert reply.text("file/version") == "1"
    assert reply.text("file/description") == "Monthly <report>"
    assert reply.text("file/sourceType") == "FILESYSTEM"
    assert reply.text("file/size") == "2"  # kilobytes, a started one counting whole
    assert (reply.text("file/task/id"), reply.text("file/task/title")) == (str(task_id), "Toggl & co")
    assert (reply.text("file/project/id"), reply.text("file/project/title")) == (str(project_id), "Standards")
    assert (reply.text("file/user/id"), reply.text("file/user/name")) == (str(api.tenant.owner_id), "Ann Lee")
    date = reply.text("file/date")
    assert len(date) == 16 and date[2] == "-" and date[5] == "-" and date[10] == " "
    assert "downloadLink" not in reply.raw.decode()


def test_dates_in_the_callers_zone(api: Api, server: Server) -> None:
    task_id = new_task(api)
    ((file_id, _, _),) = uploaded(api, task_place(task_id), entry())
    set_user(server, api.tenant, api.tenant.owner_id, timezone="UTC")
    utc = get_file(api, f"<id>{file_id}</id>").text("file/date")
    set_user(server, api.tenant, api.tenant.owner_id, timezone="Asia/Tokyo")
    tokyo = get_file(api, f"<id>{file_id}</id>").text("file/date")
    assert (int(tokyo[11:13]) - int(utc[11:13])) % 24 == 9


def test_by_unique_id_and_id_wins(api: Api) -> None:
    task_id = new_task(api)
    ((file_id, first, _),) = uploaded(api, task_place(task_id), entry("a.txt", b"1"))
    newer = entry("a.txt", b"2", extra="<newversion>1</newversion>")
    ((_, second, _),) = uploaded(api, task_place(task_id), newer)
    old = get_file(api, f"<uniqueId>{first}</uniqueId>")
    assert (old.text("file/uniqueId"), old.text("file/version")) == (str(first), "1")
    both = get_file(api, f"<id>{file_id}</id><uniqueId>{first}</uniqueId>")
    assert (both.text("file/uniqueId"), both.text("file/version")) == (str(second), "2")
    templated = get_file(
        api, f"<id></id><uniqueId>{first}</uniqueId>", "<returnDownloadLinks>0</returnDownloadLinks>"
    )
    assert templated.text("file/uniqueId") == str(first)


def test_errors(api: Api, server: Server) -> None:
    _, stranger_api = employee(server, api, "stranger")
    task_id = new_task(api)
    ((file_id, unique_id, _),) = uploaded(api, task_place(task_id), entry())
    assert get_file(api, "<id>9999</id>").code == "9002"
    assert get_file(api, "<uniqueId>9999</uniqueId>").code == "9002"
    assert get_file(api, "").code == "0009"
    assert api.call("file.get").code == "0009"
    assert get_file(api, "<id>x</id>").code == "0015"
    assert get_file(stranger_api, f"<id>{file_id}</id>").code == "9001"
    other = Api(api.client, provision(server, "other"))
    assert get_file(other, f"<id>{file_id}</id>").code == "9002"
    assert get_file(other, f"<uniqueId>{unique_id}</uniqueId>").code == "9002"
    assert body(get_file(api, f"<id>{file_id}</id>")).startswith(f"<file><id>{file_id}</id>")


def test_hidden_action_files_follow_the_action(api: Api, server: Server) -> None:
    watcher, watcher_api = employee(server, api, "watcher", role="ADMIN")
    task_id = new_task(api)
    reply = api.call(
        "action.add",
        f"<action><task><id>{task_id}</id></task><description>h</description><isHidden>1</isHidden></action>",
    )
    hidden = int(reply.text("action/id"))
    target = f"<target>action</target><action><id>{hidden}</id></action>"
    ((file_id, _, _),) = uploaded(api, task_place(task_id), entry(), extra=target)
    assert get_file(api, f"<id>{file_id}</id>").ok
    assert get_file(watcher_api, f"<id>{file_id}</id>").code == "9001"
    assert watcher
