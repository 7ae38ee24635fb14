"""The typed ``action.*`` calls against this server's own functions (sync and async clients)."""

from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.client.functions.actions import StatusChange
from planfix_server.domain.statuses.defaults import ACTIVE, CANCELED
from tests.client.functions.server import Run, Session
from tests.domain.contacts.helpers import make_contact
from tests.support import Tenant, add_user, provision


def test_comments_of_a_task(run: Run, server: Server, tenant: Tenant) -> None:
    worker, _ = add_user(server, tenant, "worker")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        task = await pf.task.add("Talk", workers=[worker])
        written = dt.datetime(2030, 2, 3, 4, 5)
        comment = await pf.action.add(
            "<b>hello</b> &amp; bye", task_id=task.id, notified=[worker], date_time=written
        )
        sent = pf.sent().find("action")
        assert sent is not None
        assert [e.text for e in sent.findall("notifiedList/user/id")] == [str(worker)]
        assert (sent.findtext("task/id"), sent.find("contact"), sent.findtext("dateTime")) == (
            str(task.id),
            None,
            "03-02-2030 04:05",
        )

        action = await pf.action.get(comment)
        assert pf.sent().findtext("action/id") == str(comment)
        assert (action.id, action.description, action.type) == (comment, "<b>hello</b> &amp; bye", "ACTION")
        assert (action.status_change, action.is_not_read, action.from_email) == (None, False, False)
        assert action.date_time == written
        assert action.task is not None and (action.task.id, action.task.name) == (task.id, "Talk")
        assert action.owner is not None and action.owner.id == session.tenant.owner_id
        assert [(u.id, u.name) for u in action.notified] == [(worker, "worker")]
        assert (action.contact_general, action.project, action.files, action.analitics) == (
            None,
            None,
            [],
            [],
        )

        # The task's creation is in its history too, with its dates.
        history = await pf.action.iterate(task_general=task.general, sort="asc", page_size=1)
        assert pf.sent().findtext("task/general") == str(task.general)
        assert history[0].type == "TASKCREATED" and history[-1].id == comment
        assert len(pf.sent_all("action.getList")) == len(history)
        assert [a.id for a in await pf.action.iterate(task_id=task.id)] == [a.id for a in history][::-1]
        page = await pf.action.get_list(task_id=task.id, sort="asc", page=2, page_size=1)
        assert (page.total, [a.id for a in page]) == (len(history), [history[1].id])

        # A comment that moves the task.
        moving = await pf.action.add("cancelled", task_id=task.id, task_new_status=CANCELED)
        assert pf.sent().findtext("action/taskNewStatus") == str(CANCELED)
        assert (await pf.action.get(moving)).status_change == StatusChange(ACTIVE, CANCELED)
        assert (await pf.task.get(task.id)).status == CANCELED
        with pytest.raises(errors.StatusChangeForbidden):
            await pf.action.delete(moving)

        owner = session.tenant.owner_id
        assert await pf.action.update(comment, description="edited", notified=[owner]) == comment
        sent = pf.sent().find("action")
        assert sent is not None and [child.tag for child in sent] == ["id", "description", "notifiedList"]
        assert [e.text for e in sent.findall("notifiedList/user/id")] == [str(owner)]
        edited = await pf.action.get(comment)
        assert (edited.description, [u.id for u in edited.notified]) == ("edited", [owner])

        assert await pf.action.delete(comment) == comment
        with pytest.raises(errors.ActionNotFound) as caught:
            await pf.action.get(comment)
        assert (caught.value.code, caught.value.function) == ("4002", "action.get")

        since = await pf.action.iterate_by_period(dt.date(2030, 1, 1), dt.date(2030, 12, 31), task_id=task.id)
        assert pf.sent().findtext("fromDate") == "01-01-2030" and pf.sent().findtext("toDate") == "31-12-2030"
        assert since == []  # the comment dated 2030 is deleted
        today = dt.date.today()
        recent = await pf.action.get_list_by_period(
            today - dt.timedelta(days=2), today + dt.timedelta(days=2), sort="asc"
        )
        assert moving in [a.id for a in recent]

    run(scenario)


def test_hidden_comments(run: Run, server: Server, tenant: Tenant) -> None:
    worker, worker_token = add_user(server, tenant, "worker")
    member, member_token = add_user(server, tenant, "member")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        staff = await session.client(token=worker_token)
        other = await session.client(token=member_token)
        task = await pf.task.add("Secrets", workers=[worker], members=[member])
        hidden = await pf.action.add("for the worker only", task_id=task.id, hidden=True, notified=[worker])
        assert pf.sent().findtext("action/isHidden") == "1"

        assert (await staff.action.get(hidden)).description == "for the worker only"
        with pytest.raises(errors.CommentAccessDenied):
            await other.action.get(hidden)
        assert hidden not in [a.id for a in await other.action.iterate(task_id=task.id)]

        assert await pf.action.update(hidden, hidden=False) == hidden
        assert pf.sent().findtext("action/isHidden") == "0"
        assert (await other.action.get(hidden)).id == hidden

    run(scenario)


def test_comments_of_a_contact(run: Run, server: Server, tenant: Tenant) -> None:
    async def scenario(session: Session) -> None:
        pf = await session.client()
        contact = await pf.contact.add("Ivan", last_name="Petrov")
        assert contact.general is not None
        note = await pf.action.add("called him", contact_general=contact.general)
        assert pf.sent().findtext("action/contact/general") == str(contact.general)
        action = await pf.action.get(note)
        assert (action.contact_general, action.contact_name, action.task) == (
            contact.general,
            "Petrov Ivan",
            None,
        )
        listed = await pf.action.iterate(contact_general=contact.general)
        assert pf.sent().findtext("contact/general") == str(contact.general)
        assert [a.id for a in listed] == [note, contact.action_id]

    run(scenario)


def test_errors_and_other_accounts(run: Run, server: Server) -> None:
    other = provision(server, "other")
    stranger = make_contact(server, other, "Stranger")

    async def scenario(session: Session) -> None:
        pf = await session.client()
        theirs = await (await session.client(other)).task.add("Theirs")
        their_note = await (await session.client(other)).action.add("x", task_id=theirs.id)
        with pytest.raises(errors.ActionNotFound):
            await pf.action.get(their_note)
        with pytest.raises(errors.ActionNotFound):
            await pf.action.update(their_note, description="mine")
        with pytest.raises(errors.ActionNotFound):
            await pf.action.delete(their_note)
        with pytest.raises(errors.TaskNotFound):
            await pf.action.add("x", task_id=theirs.id)
        with pytest.raises(errors.TaskNotFound):
            await pf.action.iterate(task_id=theirs.id)
        with pytest.raises(errors.ContactNotFound) as caught:
            await pf.action.add("x", contact_general=stranger.general)
        assert caught.value.code == "8002"
        with pytest.raises(ValueError, match="not both"):
            await pf.action.add("x", task_id=1, contact_general=2)
        mine = await pf.task.add("Mine")
        with pytest.raises(errors.StatusNotAllowed):
            await pf.action.add("x", task_id=mine.id, task_new_status="NOPE")
        assert [a.type for a in await pf.action.iterate(task_id=mine.id)] == ["TASKCREATED"]

    run(scenario)
