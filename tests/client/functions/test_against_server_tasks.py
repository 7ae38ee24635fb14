"""The typed ``task.*`` calls against this server's own functions (sync and async clients).

Each scenario checks the request the SDK built (``pf.sent()``) and what it read from the answer.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.client import Filter
from planfix_server.client.functions.tasks import ExpectDateChange, StatusChoice
from planfix_server.domain.statuses.defaults import ACCEPTED, ACTIVE, COMPLETED, DELAYED, DONE, REJECTED
from tests.client.functions.server import Run, Session
from tests.domain.projects.helpers import make_field, make_project
from tests.domain.users.helpers import add_group
from tests.support import Tenant, add_user, provision


def test_add_get_update(run: Run, server: Server, tenant: Tenant) -> None:
    worker, _ = add_user(server, tenant, "worker")
    auditor, _ = add_user(server, tenant, "auditor")
    group = add_group(server, tenant, "Developers")
    project = make_project(server, tenant, "Site")
    minutes = make_field(server, tenant, "task", "Minutes", "number", unit="min")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        created = await pf.task.add(
            "Call back",
            description="<p>soon &amp; sure</p>",
            importance="HIGH",
            check_result=False,
            project_id=project,
            start=dt.date(2030, 1, 2),
            end=dt.datetime(2030, 1, 3, 12, 30),
            duration=3,
            duration_unit=1,
            workers=[worker],
            worker_groups=[group],
            auditors=[auditor],
            custom={minutes: 548},
        )
        task = pf.sent().find("task")
        assert task is not None
        assert (task.findtext("startDateIsSet"), task.findtext("startDate"), task.find("startTime")) == (
            "1",
            "02-01-2030",
            None,
        )
        assert (task.findtext("endDate"), task.findtext("endTimeIsSet"), task.findtext("endTime")) == (
            "03-01-2030",
            "1",
            "12:30",
        )
        assert [e.text for e in task.findall("workers/users/id")] == [str(worker)]
        assert [e.text for e in task.findall("workers/groups/id")] == [str(group)]

        card = await pf.task.get(created.id)
        assert pf.sent().findtext("task/id") == str(created.id)
        assert (card.id, card.general) == (created.id, created.general)
        assert (card.title, card.description, card.importance) == (
            "Call back",
            "<p>soon &amp; sure</p>",
            "HIGH",
        )
        assert (card.status, card.check_result, card.type) == (ACTIVE, False, "task")
        assert card.owner is not None and card.owner.id == session.tenant.owner_id
        assert card.project is not None and (card.project.id, card.project.name) == (project, "Site")
        assert (card.parent_id, card.template_id, card.client) == (None, None, None)
        assert card.start_time == dt.date(2030, 1, 2) and not isinstance(card.start_time, dt.datetime)
        assert card.end_time == dt.datetime(2030, 1, 3, 12, 30)
        assert isinstance(card.begin_date_time, dt.datetime)
        assert (card.duration, card.duration_unit) == (3, 1)
        assert [(u.id, u.name) for u in card.workers.users] == [(worker, "worker")]
        assert [(g.id, g.name) for g in card.workers.groups] == [(group, "Developers")]
        assert [u.id for u in card.auditors.users] == [auditor]
        assert card.members.users == [] and card.members.groups == []
        assert [(c.field_id, c.field_name, c.value, c.text) for c in card.custom_data] == [
            (minutes, "Minutes", "548", "548 min")
        ]
        assert (card.is_overdued, card.is_summary, card.starred, card.additional_description_data) == (
            False,
            False,
            False,
            "",
        )
        assert card.periodicity is None

        # By number; an empty list clears the assignees.
        assert await pf.task.update(
            general=created.general, title="Call now", workers=[], members=[worker]
        ) == (created.id)
        sent = pf.sent()
        assert sent.findtext("task/general") == str(created.general) and sent.find("task/id") is None
        assert [e.text for e in sent.findall("task/workers/users/id")] == ["0"]
        again = await pf.task.get(general=created.general)
        assert pf.sent().findtext("task/general") == str(created.general)
        assert (again.title, again.description, again.importance) == ("Call now", card.description, "HIGH")
        assert again.workers.users == [] and again.workers.groups == []
        assert [u.id for u in again.members.users] == [worker]

        # silent: the change is made, and the history does not grow.
        history = len(await pf.action.iterate(task_id=created.id))
        assert await pf.task.update(created.id, silent=True, description="quiet") == created.id
        assert pf.sent().findtext("silent") == "1"
        assert (await pf.task.get(created.id)).description == "quiet"
        assert len(await pf.action.iterate(task_id=created.id)) == history

        assert await pf.task.update_custom_data(created.id, custom={minutes: 15}) == created.id
        assert pf.sent().findtext("task/customData/customValue/value") == "15"
        assert [c.value for c in (await pf.task.get(created.id)).custom_data] == ["15"]

    run(scenario)


def test_list_pages_filters_and_multi(run: Run) -> None:
    async def scenario(session: Session) -> None:
        pf = await session.client()
        made = [await pf.task.add(f"Task {n}") for n in range(5)]
        numbers = [task.general for task in made]

        walked = await pf.task.iterate(sort="NUMBER_ASC", page_size=2)
        assert [task.general for task in walked] == numbers
        pages = pf.sent_all("task.getList")[-3:]
        assert [(page.findtext("pageCurrent"), page.findtext("pageSize")) for page in pages] == [
            ("1", "2"),
            ("2", "2"),
            ("3", "2"),
        ]
        assert {page.findtext("sort") for page in pages} == {"NUMBER_ASC"}

        page = await pf.task.get_list(sort="NUMBER_DESC", page=2, page_size=2)
        assert (page.count, page.total, page.number, page.size) == (2, 5, 2, 2)
        assert [task.general for task in page] == numbers[::-1][2:4]
        assert all(task.members.users == [] for task in page)  # the list leaves them out

        titled = await pf.task.get_list(filters=[Filter(8, "equal", "Task 3")])
        assert pf.sent().findtext("filters/filter/type") == "8"
        assert [task.id for task in titled] == [made[3].id]

        cards = await pf.task.get_multi([made[0].id], generals=[made[4].general])
        sent = pf.sent()
        assert [e.text for e in sent.findall("tasks/id")] == [str(made[0].id)]
        assert [e.text for e in sent.findall("tasks/general")] == [str(made[4].general)]
        assert {card.id for card in cards} == {made[0].id, made[4].id}

        filters = await pf.task.get_filter_list()
        assert filters and all(f.id and f.name for f in filters)
        target = next(f.id for f in filters if f.id == ":all")
        assert {task.id for task in await pf.task.iterate(target=target)} == {task.id for task in made}

    run(scenario)


def test_status_calls(run: Run, server: Server, tenant: Tenant) -> None:
    worker, worker_token = add_user(server, tenant, "worker")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        staff = await session.client(token=worker_token)
        created = await pf.task.add("Status", workers=[worker], check_result=True)

        choices = await pf.task.get_possible_status_to_change(created.id)
        assert pf.sent().findtext("task/id") == str(created.id)
        assert all(isinstance(choice, StatusChoice) and choice.title for choice in choices)
        values = [choice.value for choice in choices]
        assert COMPLETED in values and ACTIVE not in values

        assert await staff.task.accept(created.id) == created.id
        assert (await pf.task.get(created.id)).status == ACCEPTED
        with pytest.raises(errors.TaskCannotBeAccepted):
            await staff.task.accept(created.id)
        with pytest.raises(errors.NotTaskAssignee):
            await pf.task.accept(created.id)

        # a token as status; DELAYED needs its date
        with pytest.raises(errors.DependentParameterMissing):
            await pf.task.change_status(created.id, status="DELAYED")
        wake = dt.datetime(2030, 5, 6, 7, 8)
        assert await pf.task.change_status(created.id, status="DELAYED", date_time=wake) == created.id
        assert (pf.sent().findtext("status"), pf.sent().findtext("dateTime")) == (
            "DELAYED",
            "06-05-2030 07:08",
        )
        assert (await pf.task.get(created.id)).status == DELAYED
        with pytest.raises(errors.StatusNotAllowed):
            await staff.task.change_status(created.id, status=COMPLETED)

        # by the task's number
        assert await pf.task.change_status(general=created.general, status=ACCEPTED) == created.id
        assert (pf.sent().findtext("task/general"), pf.sent().find("task/id")) == (str(created.general), None)
        assert await staff.task.change_status(created.id, status=DONE) == created.id
        assert (await pf.task.get(created.id)).status == DONE

        refused = await pf.task.add("Refused", workers=[worker])
        assert await staff.task.reject(refused.id, "no time") == refused.id
        assert staff.sent().findtext("reason") == "no time"
        assert (await pf.task.get(refused.id)).status == REJECTED
        with pytest.raises(errors.MissingParameter):
            await staff.task.reject(refused.id, "")

        with pytest.raises(errors.TaskNotFound):
            await pf.task.change_status(987654, status=COMPLETED)

    run(scenario)


def test_change_workers_and_expect_date(run: Run, server: Server, tenant: Tenant) -> None:
    worker, worker_token = add_user(server, tenant, "worker")
    helper, helper_token = add_user(server, tenant, "helper")
    group = add_group(server, tenant, "Support")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        staff = await session.client(token=worker_token)
        member = await session.client(token=helper_token)
        created = await pf.task.add("Team", workers=[worker], end=dt.date(2030, 3, 1), check_result=False)

        assert await pf.task.change_workers(created.id, add_users=[helper], add_groups=[group]) == created.id
        workers = pf.sent().find("task/workers")
        assert workers is not None
        assert [child.tag for child in workers] == ["addUsers", "addGroups"]
        card = await pf.task.get(created.id)
        assert {u.id for u in card.workers.users} == {worker, helper}
        assert [g.id for g in card.workers.groups] == [group]

        await pf.task.change_workers(created.id, del_users=[helper], del_groups=[group])
        card = await pf.task.get(created.id)
        assert [u.id for u in card.workers.users] == [worker] and card.workers.groups == []
        with pytest.raises(ValueError, match="add or remove"):
            await pf.task.change_workers(created.id)
        with pytest.raises(errors.UserNotFound):
            await pf.task.change_workers(created.id, add_users=[987654])

        await staff.task.accept(created.id)
        moved = await staff.task.change_expect_date(created.id, dt.datetime(2030, 3, 4, 18, 0))
        assert staff.sent().findtext("expectDate") == "04-03-2030 18:00"
        assert moved == ExpectDateChange(created.id, dt.datetime(2030, 3, 4, 18, 0)) and moved.applied
        assert (await pf.task.get(created.id)).end_time == dt.datetime(2030, 3, 4, 18, 0)

        # With the result checked, an assignee only asks the assigner: no endTime in the answer.
        checked = await pf.task.add("Checked", workers=[worker], members=[helper], check_result=True)
        await staff.task.accept(checked.id)
        asked = await staff.task.change_expect_date(checked.id, dt.date(2030, 4, 1))
        assert asked == ExpectDateChange(checked.id, None) and not asked.applied
        with pytest.raises(errors.NotTaskAssignee):
            await member.task.change_expect_date(checked.id, dt.date(2030, 4, 2))

    run(scenario)


def test_errors_and_other_accounts(run: Run, server: Server) -> None:
    other = provision(server, "other")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        theirs = await (await session.client(other)).task.add("Theirs")
        with pytest.raises(errors.TaskNotFound) as caught:
            await pf.task.get(theirs.id)
        assert (caught.value.code, caught.value.function) == ("3001", "task.get")
        with pytest.raises(errors.TaskNotFound):
            await pf.task.update(theirs.id, title="Mine")
        with pytest.raises(errors.TaskNotFound):
            await pf.task.get_possible_status_to_change(theirs.id)
        assert await pf.task.get_multi([theirs.id]) == []
        assert await pf.task.iterate() == []
        with pytest.raises(errors.InvalidParameterValue):
            await pf.task.add("Bad", importance="LOW")
        with pytest.raises(errors.TaskProjectNotFound):
            await pf.task.add("Nowhere", project_id=987654)
        with pytest.raises(ValueError, match="id or general"):
            await pf.task.change_status(status=COMPLETED)

    run(scenario)
