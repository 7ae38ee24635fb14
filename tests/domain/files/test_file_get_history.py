from __future__ import annotations

from planfix_server.app import Server
from tests.domain.files.helpers import entry, task_place, uploaded
from tests.domain.tasks.helpers import counts, employee, new_task
from tests.support import Api, provision


def history(api: Api, file_id: int | str) -> object:
    return api.call("file.getHistory", f"<file><id>{file_id}</id></file>")


def test_every_version_oldest_first(api: Api, server: Server) -> None:
    editor, editor_api = employee(server, api, "editor", role="ADMIN")
    task_id = new_task(api)
    ((file_id, first, _),) = uploaded(
        api, task_place(task_id), entry("a.txt", b"1", extra="<description>one</description>")
    )
    again = entry("a.txt", b"2" * 3000, extra="<newversion>1</newversion><description>two</description>")
    ((_, second, _),) = uploaded(editor_api, task_place(task_id), again)
    reply = api.call("file.getHistory", f"<file><id>{file_id}</id></file>")
    assert reply.ok, reply.raw
    assert counts(reply, "files") == (2, 2)
    rows = [
        (one.findtext("id"), one.findtext("uniqueId"), one.findtext("version"), one.findtext("description"),
         one.findtext("size"), one.findtext("user/id"))
        for one in reply.root.iterfind("files/file")
    ]  # fmt: skip
    assert rows == [
        (str(file_id), str(first), "1", "one", "1", str(api.tenant.owner_id)),
        (str(file_id), str(second), "2", "two", "3", str(editor)),
    ]


def test_errors(api: Api, server: Server) -> None:
    _, stranger_api = employee(server, api, "stranger")
    ((file_id, _, _),) = uploaded(api, task_place(new_task(api)), entry())
    assert api.call("file.getHistory", "<file><id>9999</id></file>").code == "9002"
    assert api.call("file.getHistory", "<file><id></id></file>").code == "0009"
    assert api.call("file.getHistory", "<file><id>one</id></file>").code == "0015"
    assert api.call("file.getHistory", f"<file><id>{file_id}</id></file>", sid="").ok
    assert stranger_api.call("file.getHistory", f"<file><id>{file_id}</id></file>").code == "9001"
    other = Api(api.client, provision(server, "other"))
    assert other.call("file.getHistory", f"<file><id>{file_id}</id></file>").code == "9002"
