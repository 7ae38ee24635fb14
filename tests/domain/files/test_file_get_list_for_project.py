from __future__ import annotations

from planfix_server.app import Server
from tests.domain.contacts.access_helpers import contact_with_access
from tests.domain.files.helpers import entry, task_place, uploaded
from tests.domain.files.lists import counts, file_ids, listed
from tests.domain.projects.helpers import add_project
from tests.domain.tasks.helpers import employee, new_task
from tests.support import Api, provision

METHOD = "file.getListForProject"


def project(project_id: int) -> str:
    return f"<project><id>{project_id}</id></project>"


def test_the_projects_own_files(api: Api) -> None:
    project_id = add_project(api, "<title>Docs</title>")
    made = [
        one[0] for one in uploaded(api, project(project_id), entry("a.txt"), entry("b.txt"), entry("c.txt"))
    ]
    task_id = new_task(api, project(project_id))
    uploaded(api, task_place(task_id), entry("in-a-task.txt"))
    reply = listed(api, METHOD, project(project_id))
    assert (file_ids(reply), counts(reply)) == (made, (3, 3))
    first = reply.root.find("files/file")
    assert first is not None
    assert (first.findtext("project/id"), first.findtext("task/id")) == (str(project_id), "0")
    page = listed(api, METHOD, f"{project(project_id)}<pageCurrent>2</pageCurrent><pageSize>2</pageSize>")
    assert (file_ids(page), counts(page)) == (made[2:], (3, 1))
    assert (
        b'<files totalCount="3" count="0"/>'
        in listed(api, METHOD, f"{project(project_id)}<pageCurrent>0</pageCurrent>").raw
    )


def test_errors(api: Api, server: Server) -> None:
    _, stranger_api = employee(server, api, "stranger")
    hidden = add_project(api, "<title>Secret</title><hidden>1</hidden>")
    uploaded(api, project(hidden), entry())
    assert api.call(METHOD, project(9999)).code == "2001"
    assert api.call(METHOD, "").code == "0009"
    assert stranger_api.call(METHOD, project(hidden)).code == "2002"
    other = Api(api.client, provision(server, "other"))
    assert other.call(METHOD, project(hidden)).code == "2001"
    visible = add_project(api, "<title>Open</title>")
    contact = contact_with_access(server, api, "Ivan", "ivan@example.com")
    sid = api.login("ivan@example.com", "contact-pass")
    assert api.call_sid(sid, METHOD, project(visible)).code == "9001"
    assert contact
