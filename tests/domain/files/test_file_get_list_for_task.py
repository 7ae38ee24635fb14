from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.files.helpers import entry, task_place, uploaded
from tests.domain.files.lists import counts, file_ids, listed
from tests.domain.tasks.helpers import employee, new_task, task_row
from tests.support import Api, provision

METHOD = "file.getListForTask"


def three_files(api: Api) -> tuple[int, list[int]]:
    task_id = new_task(api)
    made = uploaded(api, task_place(task_id), entry("b.txt", b"x" * 5000), entry("c.pdf"), entry("A.zip"))
    return task_id, [one[0] for one in made]


def test_files_of_the_task_by_number(api: Api) -> None:
    task_id, (b, c, a) = three_files(api)
    uploaded(api, task_place(new_task(api)), entry("elsewhere.txt"))
    reply = listed(api, METHOD, task_place(task_id))
    assert counts(reply) == (3, 3)
    assert file_ids(reply) == [b, c, a]
    first = reply.root.find("files/file")
    assert first is not None and first.findtext("size") == "5" and first.findtext("task/id") == str(task_id)
    assert reply.raw.decode().count("<uniqueId>") == 3


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("NUMBER_ASC", "bca"), ("NUMBER_DESC", "acb"), ("NAME_ASC", "abc"), ("NAME_DESC", "cba"),
        ("DATE_ASC", "bca"), ("DATE_DESC", "acb"), ("EXT_ASC", "cba"), ("EXT_DESC", "abc"),
        ("name_asc", "abc"),
    ],
)  # fmt: skip
def test_sorts(api: Api, sort: str, order: str) -> None:
    task_id, (b, c, a) = three_files(api)
    by_letter = {"a": a, "b": b, "c": c}
    reply = listed(api, METHOD, f"{task_place(task_id)}<sort>{sort}</sort>")
    assert file_ids(reply) == [by_letter[one] for one in order]


def test_paging_and_general(api: Api, server: Server) -> None:
    task_id, (b, c, a) = three_files(api)
    general = task_row(server, api.tenant, task_id).general
    by_general = f"<task><general>{general}</general></task>"
    assert file_ids(listed(api, METHOD, f"{by_general}<pageSize>2</pageSize>")) == [b, c]
    second = listed(api, METHOD, f"{by_general}<pageSize>2</pageSize><pageCurrent>2</pageCurrent>")
    assert (file_ids(second), counts(second)) == ([a], (3, 1))
    only_count = listed(api, METHOD, f"{by_general}<pageCurrent>0</pageCurrent>")
    assert b'<files totalCount="3" count="0"/>' in only_count.raw
    assert api.call(METHOD, f"{task_place(task_id)}<sort>SIZE_ASC</sort>").code == "0015"


def test_errors(api: Api, server: Server) -> None:
    _, stranger_api = employee(server, api, "stranger")
    task_id, _ = three_files(api)
    assert api.call(METHOD, "<task><id>9999</id></task>").code == "3001"
    assert api.call(METHOD, "").code == "0009"
    assert stranger_api.call(METHOD, task_place(task_id)).code == "3008"
    other = Api(api.client, provision(server, "other"))
    assert other.call(METHOD, task_place(task_id)).code == "3001"
    empty = listed(api, METHOD, task_place(new_task(api)))
    assert b'<files totalCount="0" count="0"/>' in empty.raw


def test_files_of_hidden_actions_are_left_out(api: Api, server: Server) -> None:
    _, admin_api = employee(server, api, "admin", role="ADMIN")
    task_id, made = three_files(api)
    reply = api.call(
        "action.add",
        f"<action><task><id>{task_id}</id></task><description>h</description><isHidden>1</isHidden></action>",
    )
    hidden = int(reply.text("action/id"))
    ((secret, _, _),) = uploaded(
        api,
        task_place(task_id),
        entry("secret.txt"),
        extra=f"<target>action</target><action><id>{hidden}</id></action>",
    )
    assert file_ids(listed(api, METHOD, task_place(task_id))) == [*made, secret]
    seen = listed(admin_api, METHOD, task_place(task_id))
    assert (file_ids(seen), counts(seen)) == (made, (3, 3))
