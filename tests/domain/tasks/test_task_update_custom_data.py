from __future__ import annotations

from planfix_server.app import Server
from tests.domain.projects.helpers import make_field
from tests.domain.tasks.helpers import employee, get, new_task, people
from tests.domain.users.helpers import body
from tests.support import Api, provision


def values(api: Api, task_id: int) -> dict[str, str]:
    card = get(api, task_id)
    return {
        one.findtext("field/name") or "": one.findtext("value") or ""
        for one in card.root.iterfind("task/customData/customValue")
    }


def custom(field: int, value: str) -> str:
    return f"<customData><customValue><id>{field}</id><value>{value}</value></customValue></customData>"


def test_changes_only_the_listed_fields(api: Api, server: Server) -> None:
    number = make_field(server, api.tenant, "task", "Number", "number")
    note = make_field(server, api.tenant, "task", "Note", "string")
    persons = make_field(server, api.tenant, "task", "Persons", "employee_list")
    choices = make_field(server, api.tenant, "task", "Choices", "value_set", options=["a", "b", "c"])
    task_id = new_task(api, custom(note, "kept"), title="Custom")
    reply = api.call("task.updateCustomData", f"<task><id>{task_id}</id>{custom(number, '42')}</task>")
    assert body(reply) == f"<task><id>{task_id}</id></task>"
    assert values(api, task_id)["Number"] == "42"
    assert values(api, task_id)["Note"] == "kept"
    owner = api.tenant.owner_id
    assert api.call(
        "task.updateCustomData", f"<task><id>{task_id}</id>{custom(persons, f'[{owner}]')}</task>"
    ).ok
    assert values(api, task_id)["Persons"] == f"[{owner}]"
    assert api.call(
        "task.updateCustomData",
        f"<task><id>{task_id}</id>{custom(choices, '[&quot;a&quot;,&quot;c&quot;]')}</task>",
    ).ok
    assert values(api, task_id)["Choices"] == '["a", "c"]'
    # An empty value clears the field.
    assert api.call("task.updateCustomData", f"<task><general>1</general>{custom(number, '')}</task>").ok
    assert values(api, task_id)["Number"] == ""


def test_assignees_may_participants_may_not(api: Api, server: Server) -> None:
    field = make_field(server, api.tenant, "task", "Number", "number")
    worker, worker_api = employee(server, api, "worker")
    member, member_api = employee(server, api, "member")
    _, stranger = employee(server, api, "stranger")
    task_id = new_task(api, f"<workers>{people([worker])}</workers><members>{people([member])}</members>")
    assert worker_api.call("task.updateCustomData", f"<task><id>{task_id}</id>{custom(field, '1')}</task>").ok
    assert (
        member_api.call("task.updateCustomData", f"<task><id>{task_id}</id>{custom(field, '2')}</task>").code
        == "3009"
    )
    assert (
        stranger.call("task.updateCustomData", f"<task><id>{task_id}</id>{custom(field, '3')}</task>").code
        == "3008"
    )


def test_errors(api: Api, server: Server) -> None:
    field = make_field(server, api.tenant, "task", "Number", "number")
    project_field = make_field(server, api.tenant, "project", "Budget", "number")
    task_id = new_task(api)
    assert (
        api.call("task.updateCustomData", f"<task><id>999999</id>{custom(field, '1')}</task>").code == "3001"
    )
    assert (
        api.call("task.updateCustomData", f"<task><id>{task_id}</id>{custom(field, 'many')}</task>").code
        == "0015"
    )
    assert (
        api.call("task.updateCustomData", f"<task><id>{task_id}</id>{custom(999999, '1')}</task>").code
        == "0015"
    )
    assert (
        api.call("task.updateCustomData", f"<task><id>{task_id}</id>{custom(project_field, '1')}</task>").code
        == "0015"
    )
    assert api.call("task.updateCustomData", f"<task><id>{task_id}</id></task>").code == "0009"
    assert api.call("task.updateCustomData", custom(field, "1")).code == "0009"
    other = provision(server, "other")
    theirs = int(Api(api.client, other).call("task.add", "<task><title>T</title></task>").text("task/id"))
    assert (
        api.call("task.updateCustomData", f"<task><id>{theirs}</id>{custom(field, '1')}</task>").code
        == "3001"
    )
