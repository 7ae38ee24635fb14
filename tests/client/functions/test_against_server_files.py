"""The typed ``file.*`` calls against this server's own functions (sync and async clients)."""

from __future__ import annotations

import pytest

from planfix_server.api import errors
from planfix_server.client.functions.files import NewFile
from tests.client.functions.server import Run, Session


def test_upload_read_list_and_delete(run: Run) -> None:
    async def scenario(session: Session) -> None:
        pf = await session.client()
        task = await pf.task.add("With files")
        stored = await pf.file.upload(
            [NewFile("a.txt", b"first", description="one"), NewFile("b.html", url="https://example.com/")],
            task_id=task.id,
        )
        assert [one.name for one in stored] == ["a.txt", "b.html"]
        first = stored[0]
        again = await pf.file.upload([NewFile("a.txt", b"second", new_version=True)], task_id=task.id)
        assert again[0].id == first.id and again[0].unique_id != first.unique_id

        info = await pf.file.get(first.id)
        assert (info.name, info.version, info.source_type, info.size_kb) == ("a.txt", 2, "FILESYSTEM", 1)
        assert info.task is not None and info.task.id == task.id
        old = await pf.file.get(unique_id=first.unique_id)
        assert (old.version, old.description) == (1, "one")
        history = await pf.file.get_history(first.id)
        assert [one.version for one in history] == [1, 2]

        listed = await pf.file.iterate_for_task(task_id=task.id, page_size=1)
        assert [one.name for one in listed] == ["a.txt", "b.html"]
        assert len(pf.sent_all("file.getListForTask")) == 2
        page = await pf.file.get_list_for_task(task_id=task.id, sort="NAME_DESC")
        assert (page.total, [one.name for one in page]) == (2, ["b.html", "a.txt"])
        mine = await pf.file.iterate_for_user()
        assert {one.id for one in mine} == {one.id for one in stored}

        with pytest.raises(errors.FileNameNotUnique):
            await pf.file.upload([NewFile("a.txt", b"x")], task_id=task.id)
        assert await pf.file.delete(unique_ids=[first.unique_id]) == 1
        assert await pf.file.delete([one.id for one in stored]) == 2
        with pytest.raises(errors.FileNotFound):
            await pf.file.get(first.id)

    run(scenario)


def test_project_and_contact_files(run: Run) -> None:
    async def scenario(session: Session) -> None:
        pf = await session.client()
        project = await pf.project.add("Docs")
        (spec,) = await pf.file.upload([NewFile("spec.doc", b"S")], project_id=project)
        listed = await pf.file.iterate_for_project(project)
        assert [one.id for one in listed] == [spec.id]
        contact = await pf.contact.add(name="Ivan")
        (scan,) = await pf.file.upload([NewFile("scan.png", b"P")], contact_id=contact.id, target="task")
        assert [one.id for one in await pf.file.iterate_for_client(contact.id)] == [scan.id]

    run(scenario)
