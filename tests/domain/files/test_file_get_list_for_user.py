from __future__ import annotations

from planfix_server.app import Server
from tests.domain.files.helpers import entry, task_place, uploaded
from tests.domain.files.lists import counts, file_ids, listed
from tests.domain.projects.helpers import add_project
from tests.domain.tasks.helpers import employee, new_task, people
from tests.support import Api, provision

METHOD = "file.getListForUser"


def test_files_a_user_uploaded(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    project_id = add_project(api, "<title>P</title>")
    mine = [one[0] for one in uploaded(api, task_place(task_id), entry("a.txt"), entry("b.txt"))]
    mine += [one[0] for one in uploaded(api, f"<project><id>{project_id}</id></project>", entry("c.txt"))]
    (theirs,) = [one[0] for one in uploaded(worker_api, task_place(task_id), entry("w.txt"))]
    own = listed(api, METHOD, "")
    assert (file_ids(own), counts(own)) == (mine, (3, 3))
    assert file_ids(listed(api, METHOD, f"<user><id>{worker}</id></user>")) == [theirs]
    assert file_ids(listed(worker_api, METHOD, f"<user><id>{worker}</id></user>")) == [theirs]
    page = listed(api, METHOD, "<pageCurrent>2</pageCurrent><pageSize>2</pageSize>")
    assert (file_ids(page), counts(page)) == (mine[2:], (3, 1))
    assert b'<files totalCount="3" count="0"/>' in listed(api, METHOD, "<pageCurrent>0</pageCurrent>").raw


def test_errors(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    assert worker_api.call(METHOD, f"<user><id>{api.tenant.owner_id}</id></user>").code == "9001"
    assert api.call(METHOD, "<user><id>999999</id></user>").code == "6004"
    other = Api(api.client, provision(server, "other"))
    assert other.call(METHOD, f"<user><id>{worker}</id></user>").code == "6004"
    assert api.call(METHOD, "<user><id>x</id></user>").code == "0015"
