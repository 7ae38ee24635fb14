from __future__ import annotations

from planfix_server.app import Server
from tests.domain.files.helpers import blobs, entry, get_file, row_counts, task_place, uploaded
from tests.domain.projects.helpers import add_project
from tests.domain.tasks.helpers import employee, new_task, people
from tests.domain.users.helpers import body
from tests.support import Api, Reply, provision


def delete(api: Api, inner: str) -> Reply:
    return api.call("file.delete", f"<files>{inner}</files>")


def ids(*values: int, tag: str = "id") -> str:
    return "".join(f"<{tag}>{one}</{tag}>" for one in values)


def test_whole_files_by_id(api: Api, server: Server) -> None:
    task_id = new_task(api)
    (one, two) = uploaded(api, task_place(task_id), entry("a.txt", b"a"), entry("b.txt", b"b"))
    uploaded(api, task_place(task_id), entry("a.txt", b"a2", extra="<newversion>1</newversion>"))
    assert len(blobs(server)) == 3
    reply = delete(api, ids(one[0], two[0], 9999))
    assert reply.ok, reply.raw
    assert body(reply) == "<count>2</count>"
    assert get_file(api, f"<id>{one[0]}</id>").code == "9002"
    assert row_counts(server) == (0, 0)
    assert blobs(server) == []
    assert body(delete(api, ids(one[0]))) == "<count>0</count>"


def test_versions_by_unique_id(api: Api, server: Server) -> None:
    task_id = new_task(api)
    ((file_id, first, _),) = uploaded(api, task_place(task_id), entry("a.txt", b"1"))
    ((_, second, _),) = uploaded(
        api, task_place(task_id), entry("a.txt", b"2", extra="<newversion>1</newversion>")
    )
    assert body(delete(api, ids(second, tag="uniqueId"))) == "<count>1</count>"
    got = get_file(api, f"<id>{file_id}</id>")
    assert (got.text("file/uniqueId"), got.text("file/version")) == (str(first), "1")
    assert len(blobs(server)) == 1
    assert body(delete(api, ids(first, first, 9999, tag="uniqueId"))) == "<count>1</count>"
    assert get_file(api, f"<id>{file_id}</id>").code == "9002"
    assert row_counts(server) == (0, 0) and blobs(server) == []


def test_shared_content_stays_while_named(api: Api, server: Server) -> None:
    project_id = add_project(api, "<title>Docs</title>")
    ((source, _, _),) = uploaded(api, f"<project><id>{project_id}</id></project>", entry("plan.txt", b"P"))
    task_id = new_task(api, f"<project><id>{project_id}</id></project>")
    ref = f"<otherFile><id>{source}</id></otherFile>"
    ((copy, _, _),) = uploaded(api, task_place(task_id), entry("x", source="PROJECT", extra=ref))
    assert body(delete(api, ids(source))) == "<count>1</count>"
    assert len(blobs(server)) == 1
    assert body(delete(api, ids(copy))) == "<count>1</count>"
    assert blobs(server) == []


def test_rights(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    _, stranger_api = employee(server, api, "stranger")
    _, admin_api = employee(server, api, "admin", role="ADMIN")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    ((owners, _, _),) = uploaded(api, task_place(task_id), entry("by-owner.txt"))
    ((workers, _, _),) = uploaded(worker_api, task_place(task_id), entry("by-worker.txt"))
    assert delete(worker_api, ids(owners)).code == "9001"  # an assignee is no editor of the task
    assert delete(stranger_api, ids(workers)).code == "9001"
    assert delete(worker_api, ids(workers, owners)).code == "9001"  # all or nothing
    assert get_file(api, f"<id>{workers}</id>").ok
    assert body(delete(worker_api, ids(workers))) == "<count>1</count>"
    ((again, _, _),) = uploaded(worker_api, task_place(task_id), entry("by-worker.txt"))
    assert body(delete(api, ids(again))) == "<count>1</count>"  # the task's assigner may
    assert body(delete(admin_api, ids(owners))) == "<count>1</count>"


def test_parameters_and_other_accounts(api: Api, server: Server) -> None:
    ((file_id, unique_id, _),) = uploaded(api, task_place(new_task(api)), entry())
    assert delete(api, "").code == "0009"
    assert api.call("file.delete").code == "0009"
    assert delete(api, ids(file_id) + ids(unique_id, tag="uniqueId")).code == "0019"
    assert delete(api, "<id>x</id>").code == "0015"
    other = Api(api.client, provision(server, "other"))
    assert body(delete(other, ids(file_id))) == "<count>0</count>"
    assert body(delete(other, ids(unique_id, tag="uniqueId"))) == "<count>0</count>"
    assert get_file(api, f"<id>{file_id}</id>").ok
    assert len(blobs(server)) == 1
