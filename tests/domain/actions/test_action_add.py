from __future__ import annotations

from sqlalchemy import func, select

from planfix_server.app import Server
from planfix_server.domain.statuses.defaults import ACCEPTED, ACTIVE, CANCELED, COMPLETED, DONE
from planfix_server.store.tables import action_unread, actions, contacts
from tests.domain.actions.helpers import add, children, comment, get, listed
from tests.domain.contacts.helpers import make_contact
from tests.domain.tasks.helpers import employee, new_task, people, task_row
from tests.domain.users.helpers import body
from tests.support import Api, Tenant, provision

ORDER = [
    "id",
    "description",
    "type",
    "isNotRead",
    "dateTime",
    "fromEmail",
    "task",
    "project",
    "owner",
    "notifiedList",
]


def action_count(server: Server) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(actions)).scalar_one())


def unread_of(server: Server, user_id: int) -> set[int]:
    with server.engine.connect() as connection:
        rows = connection.execute(select(action_unread.c.action_id).where(action_unread.c.user_id == user_id))
        return {int(row.action_id) for row in rows}


def test_adds_a_comment_to_a_task(api: Api, server: Server) -> None:
    task_id = new_task(api, title="Integration")
    before = task_row(server, api.tenant, task_id).last_activity_at
    reply = add(
        api,
        f"<description>&lt;p&gt;Done &amp; checked&lt;/p&gt;</description><task><id>{task_id}</id></task>",
    )
    assert reply.ok, reply.raw
    action_id = int(reply.text("action/id"))
    assert body(reply) == f"<action><id>{action_id}</id></action>"
    card = get(api, action_id)
    assert children(card) == ORDER
    assert card.text("action/description") == "<p>Done & checked</p>"
    assert "&lt;p&gt;Done &amp;amp; checked&lt;/p&gt;" not in card.raw.decode()
    assert "<description>&lt;p&gt;Done &amp; checked&lt;/p&gt;</description>" in card.raw.decode()
    assert card.text("action/type") == "ACTION"
    assert card.text("action/isNotRead") == "0"
    assert card.text("action/fromEmail") == "0"
    assert card.text("action/task/id") == str(task_id)
    assert card.text("action/task/title") == "Integration"
    assert card.text("action/project/id") == "0"
    assert card.text("action/owner/id") == str(api.tenant.owner_id)
    assert "<notifiedList/>" in card.raw.decode()
    assert task_row(server, api.tenant, task_id).last_activity_at >= before


def test_the_captured_request_shape_without_analitics(api: Api) -> None:
    task_id = new_task(api)
    general = task_row_general(api, task_id)
    reply = add(
        api,
        "<description>Действие, добавленное через api!</description>"
        f"<task><general>{general}</general></task><contact></contact><notifiedList></notifiedList>"
        "<isHidden>0</isHidden><owner></owner>",
    )
    assert reply.ok, reply.raw
    card = get(api, int(reply.text("action/id")))
    assert card.text("action/task/id") == str(task_id)
    assert card.text("action/description") == "Действие, добавленное через api!"


def task_row_general(api: Api, task_id: int) -> int:
    reply = api.call("task.get", f"<task><id>{task_id}</id></task>")
    return int(reply.text("task/general"))


def test_the_number_wins_over_the_id(api: Api) -> None:
    first = new_task(api)
    second = new_task(api)
    reply = add(api, f"<task><id>{first}</id><general>{task_row_general(api, second)}</general></task>")
    assert get(api, int(reply.text("action/id"))).text("action/task/id") == str(second)


def test_analitics_are_unknown_and_nothing_is_stored(api: Api, server: Server) -> None:
    task_id = new_task(api)
    before = action_count(server)
    reply = add(
        api,
        f"<description></description><task><id>{task_id}</id></task><analitics><analitic><id>263</id>"
        "<analiticData><itemData><fieldId>741</fieldId><value>725</value></itemData></analiticData>"
        "</analitic></analitics>",
    )
    assert reply.code == "4010"
    assert action_count(server) == before


def test_a_comment_on_a_contact(api: Api, server: Server) -> None:
    contact = make_contact(server, api.tenant, "Ivan", last_name="Petrov")
    reply = add(
        api, f"<description>Called him</description><contact><general>{contact.general}</general></contact>"
    )
    assert reply.ok, reply.raw
    card = get(api, int(reply.text("action/id")))
    assert children(card) == [
        "id",
        "description",
        "type",
        "isNotRead",
        "dateTime",
        "fromEmail",
        "contact",
        "owner",
        "notifiedList",
    ]
    assert card.text("action/contact/general") == str(contact.general)
    assert card.text("action/contact/name") == "Petrov Ivan"
    with server.engine.connect() as connection:
        stamp = connection.execute(
            select(contacts.c.last_comment_at).where(contacts.c.id == contact.id)
        ).scalar()
    assert stamp is not None


def test_target_errors(api: Api, server: Server) -> None:
    task_id = new_task(api)
    contact = make_contact(server, api.tenant, "Ivan")
    before = action_count(server)
    assert add(api, "<description>x</description>").code == "0009"
    assert add(api, "<task><id>0</id></task><contact><general>0</general></contact>").code == "0009"
    both = f"<task><id>{task_id}</id></task><contact><general>{contact.general}</general></contact>"
    assert add(api, both).code == "0019"
    assert add(api, "<task><id>99999</id></task>").code == "3001"
    assert add(api, "<task><general>99999</general></task>").code == "3001"
    assert add(api, "<contact><general>99999</general></contact>").code == "8002"
    assert add(api, "<task><id>abc</id></task>").code == "0015"
    assert action_count(server) == before


def test_a_task_the_caller_does_not_see(api: Api, server: Server) -> None:
    _, stranger = employee(server, api, "stranger")
    task_id = new_task(api)
    assert add(stranger, f"<task><id>{task_id}</id></task>").code == "4009"


def test_another_accounts_task_and_contact(api: Api, server: Server) -> None:
    other: Tenant = provision(server, "other")
    other_api = Api(api.client, other)
    foreign_task = new_task(other_api)
    foreign_contact = make_contact(server, other, "Foreign")
    before = action_count(server)
    assert add(api, f"<task><id>{foreign_task}</id></task>").code == "3001"
    assert add(api, f"<contact><general>{foreign_contact.general + 1000}</general></contact>").code == "8002"
    assert action_count(server) == before
    # The same number in this account names this account's contact, never the other's.
    mine = make_contact(server, api.tenant, "Mine")
    reply = add(api, f"<contact><general>{mine.general}</general></contact>")
    assert get(api, int(reply.text("action/id"))).text("action/contact/name") == "Mine"


def test_notified_list_in_both_shapes(api: Api, server: Server) -> None:
    first, first_api = employee(server, api, "first")
    second, second_api = employee(server, api, "second")
    task_id = new_task(api, f"<workers>{people([first, second])}</workers>")
    documented = comment(
        api, task_id, extra=f"<notifiedList><user><id>{first}</id><id>{second}</id></user></notifiedList>"
    )
    go_style = comment(
        api,
        task_id,
        extra=f"<notifiedList><user><id>{first}</id><name></name><login></login></user>"
        f"<user><id>{second}</id><name></name><email></email></user><user><id>0</id></user></notifiedList>",
    )
    for action_id in (documented, go_style):
        card = get(api, action_id)
        assert [int(one.text or 0) for one in card.root.iterfind("action/notifiedList/user/id")] == [
            first,
            second,
        ]
        assert card.text("action/notifiedList/user/name") == "first"
        assert card.text("action/isNotRead") == "0"  # the author is not notified of his own comment
    assert {documented, go_style} <= unread_of(server, first)
    assert get(first_api, documented).text("action/isNotRead") == "1"
    assert get(second_api, go_style).text("action/isNotRead") == "1"
    assert (
        add(
            api, f"<task><id>{task_id}</id></task><notifiedList><user><id>99999</id></user></notifiedList>"
        ).code
        == "6004"
    )


def test_silent_comments_leave_nothing_unread(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    reply = api.call(
        "action.add",
        f"<action><task><id>{task_id}</id></task><notifiedList><user><id>{worker}</id></user></notifiedList></action>"
        "<silent>1</silent>",
    )
    assert reply.ok, reply.raw
    assert int(reply.text("action/id")) not in unread_of(server, worker)


def test_owner_and_time_are_for_administrators(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    contact = make_contact(server, api.tenant, "Client")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    reply = add(
        api,
        f"<task><id>{task_id}</id></task><owner><id>{worker}</id></owner>"
        "<dateTime>05-03-2030 12:30</dateTime>",
    )
    assert reply.ok, reply.raw
    card = get(api, int(reply.text("action/id")))
    assert card.text("action/owner/id") == str(worker)
    assert card.text("action/dateTime") == "05-03-2030 12:30"
    as_contact = add(api, f"<task><id>{task_id}</id></task><owner><id>{contact.user_id}</id></owner>")
    assert get(api, int(as_contact.text("action/id"))).text("action/owner/id") == str(contact.user_id)
    assert add(api, f"<task><id>{task_id}</id></task><owner><id>99999</id></owner>").code == "6004"
    before = action_count(server)
    assert (
        add(worker_api, f"<task><id>{task_id}</id></task><owner><id>{api.tenant.owner_id}</id></owner>").code
        == "4001"
    )
    assert (
        add(worker_api, f"<task><id>{task_id}</id></task><dateTime>05-03-2030 12:30</dateTime>").code
        == "4001"
    )
    assert action_count(server) == before
    own = add(worker_api, f"<task><id>{task_id}</id></task><owner><id>{worker}</id></owner>")
    assert own.ok, own.raw


def test_the_time_is_shown_in_the_callers_zone(api: Api, server: Server) -> None:
    _, moscow = employee(server, api, "moscow", role="ADMIN", timezone="Europe/Moscow")
    task_id = new_task(api)
    reply = add(moscow, f"<task><id>{task_id}</id></task><dateTime>05-03-2030 12:30</dateTime>")
    action_id = int(reply.text("action/id"))
    assert get(moscow, action_id).text("action/dateTime") == "05-03-2030 12:30"
    assert get(api, action_id).text("action/dateTime") == "05-03-2030 09:30"  # the owner's zone is UTC


def test_a_status_change_through_a_comment(api: Api, server: Server) -> None:
    task_id = new_task(api)
    before = action_count(server)
    reply = add(
        api,
        f"<description>Finished</description><task><id>{task_id}</id></task><taskNewStatus>COMPLETED</taskNewStatus>",
    )
    assert reply.ok, reply.raw
    assert task_row(server, api.tenant, task_id).status == COMPLETED
    card = get(api, int(reply.text("action/id")))
    assert children(card)[:5] == ["id", "description", "type", "statusChange", "isNotRead"]
    assert card.text("action/statusChange/oldStatus") == str(ACTIVE)
    assert card.text("action/statusChange/newStatus") == str(COMPLETED)
    # One entry: the comment carries the change (no separate STATUSCHANGED).
    assert action_count(server) == before + 1
    # By id; the status the task already has changes nothing and the comment carries no change.
    other = new_task(api)
    by_id = add(api, f"<task><id>{other}</id></task><taskNewStatus>{CANCELED}</taskNewStatus>")
    assert get(api, int(by_id.text("action/id"))).text("action/statusChange/newStatus") == str(CANCELED)
    assert task_row(server, api.tenant, other).status == CANCELED
    same = add(api, f"<task><id>{other}</id></task><taskNewStatus>CANCELED</taskNewStatus>")
    assert same.ok and "statusChange" not in get(api, int(same.text("action/id"))).raw.decode()


def test_a_status_the_rules_refuse(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    assert add(worker_api, f"<task><id>{task_id}</id></task><taskNewStatus>ACCEPTED</taskNewStatus>").ok
    assert task_row(server, api.tenant, task_id).status == ACCEPTED
    before = action_count(server)
    for status in ("COMPLETED", "REJECTED", "NOSUCH", "DELAYED", "12345"):
        reply = add(worker_api, f"<task><id>{task_id}</id></task><taskNewStatus>{status}</taskNewStatus>")
        assert reply.code == "4006", (status, reply.raw)
    assert action_count(server) == before
    assert task_row(server, api.tenant, task_id).status == ACCEPTED
    done = add(worker_api, f"<task><id>{task_id}</id></task><taskNewStatus>DONE</taskNewStatus>")
    assert done.ok
    assert task_row(server, api.tenant, task_id).status == DONE
    contact = make_contact(server, api.tenant, "Client")
    on_contact = f"<contact><general>{contact.general}</general></contact><taskNewStatus>DONE</taskNewStatus>"
    assert add(api, on_contact).code == "4006"
    assert add(
        api, f"<contact><general>{contact.general}</general></contact><taskNewStatus>0</taskNewStatus>"
    ).ok


def test_the_comment_shows_in_the_tasks_list(api: Api) -> None:
    task_id = new_task(api)
    action_id = comment(api, task_id, "Listed")
    reply = listed(api, f"<task><id>{task_id}</id></task>")
    assert action_id in [int(one.findtext("id") or 0) for one in reply.root.iterfind("actions/action")]
