from __future__ import annotations

import datetime as dt

from planfix_server.app import Server
from planfix_server.settings import Settings
from tests.domain.actions.helpers import add, comment, counts, history, ids, listed
from tests.domain.contacts.helpers import make_contact
from tests.domain.tasks.helpers import employee, new_task, people
from tests.domain.users.helpers import strict_paging_api
from tests.support import Api, provision

START = dt.datetime(2030, 1, 1, 8, 0, tzinfo=dt.UTC)


def test_a_long_history_page_by_page(api: Api, server: Server) -> None:
    task_id = new_task(api)  # its TASKCREATED entry comes first
    made = history(server, api.tenant, 260, start=START, task_id=task_id)
    everything = [*made]
    pages = []
    for number in (1, 2, 3):
        reply = listed(
            api, f"<task><id>{task_id}</id></task><pageCurrent>{number}</pageCurrent><pageSize>100</pageSize>"
        )
        pages.append(ids(reply))
        total, count = counts(reply)
        assert total == 261
        assert count == len(pages[-1])
    assert [len(page) for page in pages] == [100, 100, 61]
    newest_first = [one for page in pages for one in page]
    assert newest_first[:260] == list(reversed(everything))  # desc by date is the default
    assert len(set(newest_first)) == 261
    raw = listed(api, f"<task><id>{task_id}</id></task>").raw.decode()
    assert '<actions totalCount="261" count="100">' in raw
    ascending = listed(api, f"<task><id>{task_id}</id></task><sort>ASC</sort><pageCurrent>3</pageCurrent>")
    assert ids(ascending) == everything[199:]
    beyond = listed(api, f"<task><id>{task_id}</id></task><pageCurrent>4</pageCurrent>")
    assert '<actions totalCount="261" count="0"/>' in beyond.raw.decode()
    only_count = listed(api, f"<task><id>{task_id}</id></task><pageCurrent>0</pageCurrent>")
    assert counts(only_count) == (261, 0)
    assert counts(listed(api, f"<task><id>{task_id}</id></task><pageSize>500</pageSize>")) == (261, 100)


def test_equal_times_keep_the_order_of_ids(api: Api, server: Server) -> None:
    task_id = new_task(api)
    made = history(server, api.tenant, 5, start=START, step=dt.timedelta(0), task_id=task_id)
    asc = ids(listed(api, f"<task><id>{task_id}</id></task><sort>asc</sort>"))
    assert asc[1:] == made
    desc = ids(listed(api, f"<task><id>{task_id}</id></task><sort>desc</sort>"))
    assert desc[:5] == list(reversed(made))


def test_a_bad_sort_and_strict_paging(api: Api, settings: Settings) -> None:
    task_id = new_task(api)
    assert api.call("action.getList", f"<task><id>{task_id}</id></task><sort>sideways</sort>").code == "0015"
    assert (
        api.call("action.getList", f"<task><id>{task_id}</id></task><pageSize>-1</pageSize>").code == "0015"
    )
    with strict_paging_api(settings, api.tenant) as strict:
        assert (
            strict.call("action.getList", f"<task><id>{task_id}</id></task><pageSize>101</pageSize>").code
            == "0021"
        )


def test_hidden_actions_are_listed_to_author_and_notified(api: Api, server: Server) -> None:
    notified, notified_api = employee(server, api, "notified")
    other, other_api = employee(server, api, "other")
    task_id = new_task(api, f"<workers>{people([notified, other])}</workers>")
    visible = comment(api, task_id, "For all")
    hidden = comment(
        api,
        task_id,
        "Hidden",
        f"<isHidden>1</isHidden><notifiedList><user><id>{notified}</id></user></notifiedList>",
    )
    inner = f"<task><id>{task_id}</id></task>"
    assert {visible, hidden} <= set(ids(listed(api, inner)))
    assert {visible, hidden} <= set(ids(listed(notified_api, inner)))
    others = listed(other_api, inner)
    assert visible in ids(others) and hidden not in ids(others)
    assert counts(others)[0] == counts(listed(api, inner))[0] - 1


def test_a_contacts_actions(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Acme Ltd", is_company=True)
    other = make_contact(server, api.tenant, "Other")
    first = add(api, f"<description>One</description><contact><general>{contact.general}</general></contact>")
    add(api, f"<description>Elsewhere</description><contact><general>{other.general}</general></contact>")
    reply = listed(api, f"<contact><general>{contact.general}</general></contact>")
    assert ids(reply) == [int(first.text("action/id"))]
    assert reply.text("actions/action/contact/name") == "Acme Ltd"
    assert reply.root.find("actions/action/task") is None


def test_errors(api: Api, server: Server) -> None:
    task_id = new_task(api)
    contact = make_contact(server, api.tenant, "Client")
    _, stranger = employee(server, api, "stranger")
    assert api.call("action.getList", "").code == "0009"
    both = f"<task><id>{task_id}</id></task><contact><general>{contact.general}</general></contact>"
    assert api.call("action.getList", both).code == "0019"
    assert api.call("action.getList", "<task><id>99999</id></task>").code == "3001"
    assert api.call("action.getList", "<contact><general>99999</general></contact>").code == "8002"
    assert stranger.call("action.getList", f"<task><id>{task_id}</id></task>").code == "4009"


def test_another_accounts_task(api: Api, server: Server) -> None:
    other = Api(api.client, provision(server, "other"))
    foreign = new_task(other)
    comment(other, foreign, "Secret")
    reply = api.call("action.getList", f"<task><id>{foreign}</id></task>")
    assert reply.code == "3001"
    assert b"Secret" not in reply.raw
