from __future__ import annotations

from planfix_server.app import Server
from planfix_server.domain.statuses.defaults import ACTIVE, CANCELED, COMPLETED
from tests.domain.actions.helpers import comment, get, ids, listed
from tests.domain.tasks.helpers import employee, new_task, people, task_row
from tests.domain.users.helpers import body
from tests.support import Api, Reply, provision


def update(api: Api, action_id: int, inner: str = "") -> Reply:
    return api.call("action.update", f"<action><id>{action_id}</id>{inner}</action>")


def test_changes_what_is_given(api: Api, server: Server) -> None:
    task_id = new_task(api)
    action_id = comment(api, task_id, "First text", "<isHidden>1</isHidden>")
    reply = update(api, action_id, "<description>&lt;b&gt;Second&lt;/b&gt;</description>")
    assert reply.ok, reply.raw
    assert body(reply) == f"<action><id>{action_id}</id></action>"
    card = get(api, action_id)
    assert card.text("action/description") == "<b>Second</b>"
    _, worker_api = employee(server, api, "worker", role="ADMIN")
    assert get(worker_api, action_id).code == "4008"  # isHidden absent: still hidden
    assert update(api, action_id, "<isHidden>0</isHidden>").ok
    assert get(worker_api, action_id).ok
    assert get(api, action_id).text("action/description") == "<b>Second</b>"  # description absent: kept


def test_the_notified_list_is_replaced(api: Api, server: Server) -> None:
    first, first_api = employee(server, api, "first")
    second, second_api = employee(server, api, "second")
    task_id = new_task(api, f"<workers>{people([first, second])}</workers>")
    action_id = comment(api, task_id, extra=f"<notifiedList><user><id>{first}</id></user></notifiedList>")
    assert update(api, action_id, f"<notifiedList><user><id>{second}</id></user></notifiedList>").ok
    card = get(api, action_id)
    assert [one.text for one in card.root.iterfind("action/notifiedList/user/id")] == [str(second)]
    assert get(second_api, action_id).text("action/isNotRead") == "1"
    assert get(first_api, action_id).text("action/isNotRead") == "0"
    assert update(
        api, action_id, f"<notifiedList><user><id>{first}</id><id>{second}</id></user></notifiedList>"
    ).ok
    assert get(first_api, action_id).text("action/isNotRead") == "1"
    assert update(api, action_id, "<notifiedList><user><id>99999</id></user></notifiedList>").code == "6004"


def test_rights(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    _, admin_api = employee(server, api, "admin", role="ADMIN")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    owners = comment(api, task_id, "By the owner")
    workers = comment(worker_api, task_id, "By the worker")
    assert update(worker_api, owners, "<description>No</description>").code == "4001"
    assert update(worker_api, workers, "<description>Mine</description>").ok
    assert update(worker_api, workers, "<dateTime>01-03-2030 10:00</dateTime>").code == "4001"
    assert update(admin_api, workers, "<dateTime>01-03-2030 10:00</dateTime>").ok
    assert get(api, workers).text("action/dateTime") == "01-03-2030 10:00"
    assert get(api, owners).text("action/description") == "By the owner"


def test_system_entries_are_not_changed(api: Api) -> None:
    task_id = new_task(api)
    created = ids(listed(api, f"<task><id>{task_id}</id></task>"))[-1]
    assert update(api, created, "<description>Rewritten</description>").code == "4004"


def test_the_status_only_from_the_latest_action(api: Api, server: Server) -> None:
    task_id = new_task(api)
    older = comment(api, task_id, "Older")
    latest = comment(api, task_id, "Latest")
    assert update(api, older, "<taskNewStatus>COMPLETED</taskNewStatus>").code == "4007"
    assert task_row(server, api.tenant, task_id).status == ACTIVE
    assert update(api, latest, "<taskNewStatus>COMPLETED</taskNewStatus>").ok
    assert task_row(server, api.tenant, task_id).status == COMPLETED
    card = get(api, latest)
    assert card.text("action/statusChange/oldStatus") == str(ACTIVE)
    assert card.text("action/statusChange/newStatus") == str(COMPLETED)


def test_a_status_the_rules_refuse(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    task_id = new_task(api, f"<workers>{people([worker])}</workers>")
    action_id = comment(worker_api, task_id, "Mine")
    assert update(worker_api, action_id, "<taskNewStatus>COMPLETED</taskNewStatus>").code == "4006"
    assert update(worker_api, action_id, "<taskNewStatus>NOSUCH</taskNewStatus>").code == "4006"
    assert task_row(server, api.tenant, task_id).status == ACTIVE
    assert update(api, comment(api, task_id), f"<taskNewStatus>{CANCELED}</taskNewStatus>").ok


def test_analitics(api: Api) -> None:
    action_id = comment(api, new_task(api))
    given = "<analitics><analitic><id>263</id><analiticData><itemData><fieldId>1</fieldId><value>5</value>"
    assert update(api, action_id, given + "</itemData></analiticData></analitic></analitics>").code == "4010"
    assert update(api, action_id, "<deletedAnalitics><key>612000</key></deletedAnalitics>").code == "4016"
    assert update(api, action_id, "<deletedAnalitics></deletedAnalitics><description>ok</description>").ok


def test_unknown_hidden_and_foreign(api: Api, server: Server) -> None:
    other = Api(api.client, provision(server, "other"))
    foreign = comment(other, new_task(other), "Theirs")
    assignee, assignee_api = employee(server, api, "assignee")
    _, stranger_api = employee(server, api, "stranger")
    task_id = new_task(api, f"<workers>{people([assignee])}</workers>")
    hidden = comment(api, task_id, "Hidden", "<isHidden>1</isHidden>")
    assert update(api, 99999, "<description>x</description>").code == "4002"
    assert update(api, foreign, "<description>x</description>").code == "4002"
    assert get(other, foreign).text("action/description") == "Theirs"
    assert update(assignee_api, hidden, "<description>x</description>").code == "4008"
    assert update(stranger_api, comment(api, task_id), "<description>x</description>").code == "4009"
    assert api.call("action.update", "<action><description>x</description></action>").code == "0009"
