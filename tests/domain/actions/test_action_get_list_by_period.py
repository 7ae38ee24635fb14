from __future__ import annotations

import datetime as dt

from planfix_server.app import Server
from tests.domain.actions.helpers import comment, counts, history, ids
from tests.domain.contacts.helpers import make_contact
from tests.domain.tasks.helpers import employee, new_task, people
from tests.support import Api, Reply, provision

DAY = dt.datetime(2030, 3, 5, tzinfo=dt.UTC)


def period(api: Api, inner: str) -> Reply:
    return api.call("action.getListByPeriod", inner)


def test_both_ends_are_included(api: Api, server: Server) -> None:
    task_id = new_task(api)

    def at(moment: dt.datetime) -> int:
        return history(server, api.tenant, 1, start=moment, task_id=task_id)[0]

    before = at(DAY - dt.timedelta(minutes=1))
    first = at(DAY)
    last = at(DAY + dt.timedelta(hours=23, minutes=59))
    after = at(DAY + dt.timedelta(days=1))
    reply = period(api, "<fromDate>05-03-2030</fromDate><toDate>05-03-2030</toDate>")
    assert reply.ok, reply.raw
    found = ids(reply)
    assert first in found and last in found  # a date-only toDate means the end of that day
    assert before not in found and after not in found
    assert found.index(last) < found.index(first)  # newest first by default
    asc = period(
        api, "<fromDate>05-03-2030 00:00</fromDate><toDate>05-03-2030 23:59</toDate><sort>asc</sort>"
    )
    assert ids(asc).index(first) < ids(asc).index(last)
    narrow = period(api, "<fromDate>05-03-2030 00:01</fromDate><toDate>05-03-2030 23:58</toDate>")
    assert first not in ids(narrow) and last not in ids(narrow)


def test_one_task_and_paging(api: Api, server: Server) -> None:
    first = new_task(api)
    second = new_task(api)
    made = history(server, api.tenant, 150, start=DAY, task_id=first)
    history(server, api.tenant, 3, start=DAY, task_id=second)
    inner = f"<fromDate>01-03-2030</fromDate><toDate>31-03-2030</toDate><task><id>{first}</id></task>"
    page_one = period(api, inner)
    page_two = period(api, inner + "<pageCurrent>2</pageCurrent>")
    assert counts(page_one) == (150, 100)
    assert counts(page_two) == (150, 50)
    assert ids(page_one) + ids(page_two) == list(reversed(made))
    assert counts(period(api, "<fromDate>01-03-2030</fromDate><toDate>31-03-2030</toDate>"))[0] == 153


def test_only_tasks_the_caller_sees(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    mine = new_task(api, f"<workers>{people([worker])}</workers>")
    others = new_task(api)
    seen = comment(api, mine, "Seen")
    unseen = comment(api, others, "Unseen")
    hidden = comment(api, mine, "Hidden", "<isHidden>1</isHidden>")
    contact = make_contact(server, api.tenant, "Client")
    api.call("action.add", f"<action><contact><general>{contact.general}</general></contact></action>")
    today = dt.datetime.now(dt.UTC).strftime("%d-%m-%Y")
    inner = f"<fromDate>{today}</fromDate><toDate>{today}</toDate>"
    found = ids(period(worker_api, inner))
    assert seen in found and unseen not in found and hidden not in found
    everything = period(api, inner)
    assert {seen, unseen, hidden} <= set(ids(everything))
    assert all(one.find("task") is not None for one in everything.root.iterfind("actions/action"))
    assert period(worker_api, inner + f"<task><id>{others}</id></task>").code == "4009"


def test_errors(api: Api) -> None:
    assert period(api, "<toDate>05-03-2030</toDate>").code == "0009"
    assert period(api, "<fromDate>05-03-2030</fromDate>").code == "0009"
    assert period(api, "<fromDate>2030-03-05</fromDate><toDate>05-03-2030</toDate>").code == "0015"
    assert period(api, "<fromDate>31-02-2030</fromDate><toDate>05-03-2030</toDate>").code == "0015"
    dates = "<fromDate>01-03-2030</fromDate><toDate>05-03-2030</toDate>"
    assert period(api, dates + "<task><id>99999</id></task>").code == "3001"


def test_another_accounts_actions(api: Api, server: Server) -> None:
    other_tenant = provision(server, "other")
    other = Api(api.client, other_tenant)
    foreign_task = new_task(other)
    history(server, other_tenant, 3, start=DAY, task_id=foreign_task)
    inner = "<fromDate>01-03-2030</fromDate><toDate>31-03-2030</toDate>"
    assert counts(period(api, inner)) == (0, 0)
    assert period(api, inner + f"<task><id>{foreign_task}</id></task>").code == "3001"
