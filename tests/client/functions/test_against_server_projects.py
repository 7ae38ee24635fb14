"""The typed ``project.*`` calls against this server's own functions (sync and async clients)."""

from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.client import Filter
from tests.client.functions.server import Run, Session
from tests.domain.contacts.helpers import make_contact
from tests.domain.projects.helpers import make_field, make_group
from tests.support import Tenant, add_user, provision


def test_add_get_update(run: Run, server: Server, tenant: Tenant) -> None:
    worker, _ = add_user(server, tenant, "worker")
    auditor, _ = add_user(server, tenant, "auditor")
    client = make_contact(server, tenant, "Acme", is_company=True)
    group = make_group(server, tenant, "Clients")
    budget = make_field(server, tenant, "project", "Budget", "number")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        project_id = await pf.project.add(
            "Launch",
            description="first",
            end_date=dt.date(2030, 1, 31),
            client_id=client.id,
            group_id=group,
            workers=[worker],
            auditors=[auditor],
            managers=[session.tenant.owner_id],
            custom={budget: 1000},
        )
        sent = pf.sent().find("project")
        assert sent is not None
        assert (sent.findtext("hasEndDate"), sent.findtext("endDate")) == ("1", "31-01-2030")
        assert [e.text for e in sent.findall("workers/id")] == [str(worker)]
        assert sent.find("members") is None

        project = await pf.project.get(project_id)
        assert pf.sent().findtext("project/id") == str(project_id)
        assert (project.id, project.title, project.description, project.status) == (
            project_id,
            "Launch",
            "first",
            "ACTIVE",
        )
        assert (project.has_end_date, project.end_date, project.hidden) == (True, dt.date(2030, 1, 31), False)
        assert isinstance(project.begin_date, dt.date)
        assert project.owner is not None and project.owner.id == session.tenant.owner_id
        assert project.client is not None and (project.client.id, project.client.name) == (client.id, "Acme")
        assert project.group is not None and (project.group.id, project.group.name) == (group, "Clients")
        assert (project.parent_id, project.template_id, project.task_count) == (None, None, 0)
        assert [(u.id, u.name) for u in project.workers.users] == [(worker, "worker")]
        assert [u.id for u in project.auditors.users] == [auditor]
        assert project.members.users == []
        assert [(c.field_name, c.value) for c in project.custom_data] == [("Budget", "1000")]

        await pf.task.add("Inside", project_id=project_id)
        assert (await pf.project.get(project_id)).task_count == 1

        # Only what is given changes; an empty list clears; has_end_date=False drops the date.
        assert (
            await pf.project.update(
                project_id,
                title="Launch 2",
                workers=[],
                members=[worker],
                has_end_date=False,
                status="COMPLETED",
            )
            == project_id
        )
        sent = pf.sent().find("project")
        assert sent is not None
        assert [e.text for e in sent.findall("workers/id")] == ["0"] and sent.findtext("hasEndDate") == "0"
        project = await pf.project.get(project_id)
        assert (project.title, project.description, project.status) == ("Launch 2", "first", "COMPLETED")
        assert (project.has_end_date, project.end_date) == (False, None)
        assert project.workers.users == [] and [u.id for u in project.members.users] == [worker]
        assert [u.id for u in project.auditors.users] == [auditor]

        sub = await pf.project.add("Sub", parent_id=project_id, hidden=True)
        assert (await pf.project.get(sub)).parent_id == project_id
        assert (await pf.project.get(sub)).hidden is True
        with pytest.raises(ValueError, match="id or general"):
            await pf.project.update(title="x")

    run(scenario)


def test_list_pages_and_filters(run: Run, server: Server, tenant: Tenant) -> None:
    client = make_contact(server, tenant, "Acme", is_company=True)

    async def scenario(session: Session) -> None:
        pf = await session.client()
        made = [await pf.project.add(f"Project {n}") for n in range(5)]
        walked = await pf.project.iterate(sort="TITLE_DESC", page_size=2)
        assert [project.id for project in walked] == made[::-1]
        pages = pf.sent_all("project.getList")
        assert [(p.findtext("pageCurrent"), p.findtext("sortType")) for p in pages] == [
            ("1", "TITLE_DESC"),
            ("2", "TITLE_DESC"),
            ("3", "TITLE_DESC"),
        ]
        page = await pf.project.get_list(sort="TITLE_ASC", page=3, page_size=2)
        assert (page.count, page.total, [project.id for project in page]) == (1, 5, [made[4]])
        assert all(project.workers.users == [] for project in page)

        mine = await pf.project.add("For Acme", client_id=client.id)
        assert [p.id for p in await pf.project.iterate(client_id=client.id)] == [mine]
        assert pf.sent().findtext("client/id") == str(client.id)
        named = await pf.project.get_list(filters=[Filter(5001, "equal", "Project 3")])
        assert [p.id for p in named] == [made[3]]
        await pf.project.update(made[0], status="COMPLETED")
        assert [p.id for p in await pf.project.iterate(status="COMPLETED")] == [made[0]]

    run(scenario)


def test_errors_and_other_accounts(run: Run, server: Server) -> None:
    other = provision(server, "other")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        theirs = await (await session.client(other)).project.add("Theirs")
        with pytest.raises(errors.ProjectNotFound) as caught:
            await pf.project.get(theirs)
        assert (caught.value.code, caught.value.function) == ("2001", "project.get")
        with pytest.raises(errors.ProjectNotFound):
            await pf.project.update(theirs, title="Mine")
        assert await pf.project.iterate() == []
        with pytest.raises(errors.InvalidParameterValue):
            await pf.project.add("Bad", status="UNKNOWN")
        with pytest.raises(errors.UserNotFound):
            await pf.project.add("Nobody", workers=[987654])

    run(scenario)
