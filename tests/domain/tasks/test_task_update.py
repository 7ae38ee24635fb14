from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import ACTIVE, CANCELED, COMPLETED
from planfix_server.settings import Settings
from tests.domain.projects.helpers import make_field, make_project
from tests.domain.tasks.helpers import employee, get, new_task, people, personal_statuses, refs
from tests.domain.users.helpers import add_group, body, unit_of_work
from tests.support import Api, provision


def update(api: Api, task_id: int, inner: str, *, root: str = "") -> str:
    reply = api.call("task.update", f"{root}<task><id>{task_id}</id>{inner}</task>")
    return "ok" if reply.ok else reply.code


def test_changes_only_what_is_given(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    field = make_field(server, api.tenant, "task", "Minutes", "number")
    other_field = make_field(server, api.tenant, "task", "Note", "string")
    task_id = new_task(
        api,
        "<description>Keep me</description><importance>HIGH</importance><endDate>05-03-2030</endDate>"
        f"<workers>{people([worker])}</workers><durationIsSet>1</durationIsSet><duration>5</duration>"
        f"<customData><customValue><id>{other_field}</id><value>stays</value></customValue></customData>",
        title="Before",
    )
    reply = api.call("task.update", f"<task><id>{task_id}</id><title>After</title></task>")
    assert body(reply) == f"<task><id>{task_id}</id></task>"
    assert (
        update(
            api,
            task_id,
            f"<customData><customValue><id>{field}</id><value>7</value></customValue></customData>",
        )
        == "ok"
    )
    card = get(api, task_id)
    assert card.text("task/title") == "After"
    assert card.text("task/description") == "Keep me"
    assert card.text("task/importance") == "HIGH"
    assert card.text("task/endTime") == "05-03-2030"
    assert card.text("task/duration") == "5"
    assert refs(card, "task/workers/users/user") == [worker]
    values = {
        one.findtext("field/name"): one.findtext("value")
        for one in card.root.iterfind("task/customData/customValue")
    }
    assert values == {"Minutes": "7", "Note": "stays"}


def test_every_field(api: Api, server: Server) -> None:
    member, _ = employee(server, api, "member")
    boss, _ = employee(server, api, "boss")
    group = add_group(server, api.tenant, "Team")
    project = make_project(server, api.tenant, "Project")
    parent = new_task(api, title="Parent")
    task_id = new_task(api)
    assert (
        update(
            api,
            task_id,
            "<description>New</description><importance>HIGH</importance><checkResult>1</checkResult>"
            f"<owner><id>{boss}</id></owner><parent><id>{parent}</id></parent><project><id>{project}</id></project>"
            "<startDate>01-03-2030</startDate><startTimeIsSet>1</startTimeIsSet><startTime>08:15</startTime>"
            "<endDate>02-03-2030</endDate><isSummary>1</isSummary><duration>2</duration><durationUnit>1</durationUnit>"
            f"<members>{people([member], [group])}</members><auditors>{people([boss])}</auditors>"
            "<periodicity><monthly><type>EXACT</type><month>1</month><day>2</day><dayType>FRIDAY</dayType></monthly>"
            "</periodicity>",
        )
        == "ok"
    )
    card = get(api, task_id)
    assert card.text("task/description") == "New"
    assert card.text("task/importance") == "HIGH"
    assert card.text("task/checkResult") == "1"
    assert card.text("task/owner/id") == str(boss)
    assert card.text("task/parent/id") == str(parent)
    assert card.text("task/project/id") == str(project)
    assert card.text("task/startTime") == "01-03-2030 08:15"
    assert card.text("task/endTime") == "02-03-2030"
    assert card.text("task/isSummary") == "1"
    assert card.text("task/duration") == "2" and card.text("task/durationUnit") == "1"
    assert refs(card, "task/members/users/user") == [member]
    assert refs(card, "task/members/groups/group") == [group]
    assert card.text("task/periodicity/monthly/dayType") == "FRIDAY"


def test_clearing(api: Api) -> None:
    parent = new_task(api)
    task_id = new_task(
        api,
        f"<parent><id>{parent}</id></parent><startDate>01-03-2030</startDate><endDate>02-03-2030</endDate>"
        "<duration>4</duration><periodicity><daily><type>EVERY</type></daily></periodicity>",
    )
    assert (
        update(
            api,
            task_id,
            "<parent><id>0</id></parent><startDateIsSet>0</startDateIsSet><endDateIsSet>0</endDateIsSet>"
            '<durationIsSet>0</durationIsSet><periodicity unset="1"/><workers><users></users></workers>',
        )
        == "ok"
    )
    card = get(api, task_id)
    assert card.text("task/parent/id") == "0"
    assert card.root.find("task/startTime") is None and card.root.find("task/endTime") is None
    assert card.text("task/duration") == "0"
    assert card.root.find("task/periodicity") is None


def test_time_alone_moves_the_time(api: Api) -> None:
    task_id = new_task(api, "<endDate>02-03-2030</endDate>")
    assert update(api, task_id, "<endTimeIsSet>1</endTimeIsSet><endTime>17:30</endTime>") == "ok"
    assert get(api, task_id).text("task/endTime") == "02-03-2030 17:30"
    assert update(api, task_id, "<endTimeIsSet>0</endTimeIsSet>") == "ok"
    assert get(api, task_id).text("task/endTime") == "02-03-2030"


def test_empty_elements_keep_by_default_and_clear_by_setting(api: Api, settings: Settings) -> None:
    template_body = (
        "<description></description><parent><id></id></parent><endDate></endDate><workers></workers>"
    )
    worker = api.tenant.owner_id
    task_id = new_task(
        api,
        f"<description>Text</description><endDate>02-03-2030</endDate><workers>{people([worker])}</workers>",
    )
    assert update(api, task_id, template_body + "<title></title>") == "ok"
    kept = get(api, task_id)
    assert kept.text("task/description") == "Text" and kept.text("task/endTime") == "02-03-2030"
    assert kept.text("task/title") == "Task"
    clearing = Server.start(replace(settings, task_update_empty="clear"))
    with TestClient(create_app(server=clearing), base_url="https://testserver") as client:
        assert update(Api(client, api.tenant), task_id, template_body) == "ok"
    clearing.engine.dispose()
    cleared = get(api, task_id)
    assert cleared.text("task/description") == ""
    assert cleared.root.find("task/endTime") is None
    assert b"<workers/>" in cleared.raw
    assert cleared.text("task/title") == "Task"  # a task keeps its title


def test_new_assignees_accept_for_themselves(api: Api, server: Server) -> None:
    first, first_api = employee(server, api, "first")
    second, _ = employee(server, api, "second")
    task_id = new_task(api, f"<workers>{people([first])}</workers>")
    assert first_api.call("task.accept", f"<task><id>{task_id}</id></task>").ok
    assert update(api, task_id, f"<workers>{people([first, second])}</workers>") == "ok"
    statuses = personal_statuses(server, api.tenant, task_id)
    assert statuses[("user", second)] == ACTIVE
    assert statuses[("user", first)] != ACTIVE


def test_status_goes_through_the_rules(api: Api, server: Server) -> None:
    task_id = new_task(api)
    assert update(api, task_id, "<status>COMPLETED</status>") == "ok"
    assert get(api, task_id).text("task/status") == str(COMPLETED)
    assert update(api, task_id, "<status>CANCELED</status>") == "4006"
    assert update(api, task_id, "<status>REJECTED</status>") == "0016"
    with unit_of_work(server, api.tenant) as uow:
        custom = status_service.add_status(uow, "Review")
        process = status_service.create_process(uow, "Other", [1, 2, custom], [], accept_status_id=2)
    moving = new_task(api)
    assert update(api, moving, f"<statusSet>{process}</statusSet>") == "ok"  # New is in both
    assert get(api, moving).text("task/statusSet") == str(process)
    assert update(api, moving, "<statusSet>999999</statusSet>") == "0015"
    cancelled = new_task(api, "<status>DELAYED</status>")
    assert update(api, cancelled, f"<statusSet>{process}</statusSet>") == "0016"
    assert update(api, cancelled, f"<statusSet>{process}</statusSet><status>{custom}</status>") == "ok"
    assert get(api, cancelled).text("task/status") == str(custom)
    assert get(api, task_id).text("task/status") != str(CANCELED)


def test_rights(api: Api, server: Server) -> None:
    worker, worker_api = employee(server, api, "worker")
    auditor, auditor_api = employee(server, api, "auditor")
    _, stranger = employee(server, api, "stranger")
    task_id = new_task(api, f"<workers>{people([worker])}</workers><auditors>{people([auditor])}</auditors>")
    assert update(worker_api, task_id, "<title>Mine now</title>") == "3009"
    assert update(stranger, task_id, "<title>Mine now</title>") == "3008"
    assert update(auditor_api, task_id, "<title>Audited</title>") == "ok"


def test_errors(api: Api, server: Server) -> None:
    _, user = employee(server, api, "user")
    task_id = new_task(user, title="Users")
    child = new_task(user, f"<parent><id>{task_id}</id></parent>")
    private = new_task(api, title="Private")
    hidden = make_project(server, api.tenant, "Hidden", hidden=True)
    assert update(api, 999999, "<title>x</title>") == "3001"
    assert update(user, task_id, f"<parent><id>{private}</id></parent>") == "3002"
    assert update(user, task_id, f"<parent><id>{child}</id></parent>") == "0016"
    assert update(user, task_id, f"<parent><id>{task_id}</id></parent>") == "0016"
    assert update(user, task_id, "<project><id>999999</id></project>") == "3003"
    assert update(user, task_id, f"<project><id>{hidden}</id></project>") == "3004"
    assert update(user, task_id, "<startDate>05-03-2030</startDate><endDate>01-03-2030</endDate>") == "3006"
    assert update(user, task_id, "<periodicity><daily/></periodicity>") == "3007"
    assert update(user, task_id, f"<workers>{people([999999])}</workers>") == "6004"
    assert update(user, task_id, f"<workers>{people([], [999999])}</workers>") == "5001"
    assert update(user, task_id, "<client><id>5</id></client>") == "8002"
    assert update(user, task_id, "<importance>LOW</importance>") == "0015"
    assert api.call("task.update", "<task><title>x</title></task>").code == "0009"
    assert api.call("task.update").code == "0009"


def test_by_number(api: Api) -> None:
    first = new_task(api, title="first")
    second = new_task(api, title="second")
    reply = api.call(
        "task.update", f"<task><id>{first}</id><general>2</general><title>renamed</title></task>"
    )
    assert reply.text("task/id") == str(second)
    assert get(api, second).text("task/title") == "renamed"


def test_foreign_ids(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = Api(api.client, other)
    their_task = int(theirs.call("task.add", "<task><title>T</title></task>").text("task/id"))
    task_id = new_task(api)
    assert update(api, their_task, "<title>x</title>") == "3001"
    assert update(api, task_id, f"<parent><id>{their_task}</id></parent>") == "3001"
    assert update(api, task_id, f"<owner><id>{other.owner_id}</id></owner>") == "6004"
    assert update(api, task_id, f"<project><id>{make_project(server, other, 'P')}</id></project>") == "3003"


def test_silent(api: Api) -> None:
    task_id = new_task(api)
    assert update(api, task_id, "<title>Quiet</title>", root="<silent>1</silent>") == "ok"
    assert get(api, task_id).text("task/title") == "Quiet"


def test_a_task_held_by_another_writer(api: Api, server: Server) -> None:
    """PostgreSQL: a write that waits more than 3 s for another writer of the task answers 3014
    (clients retry it); SQLite runs one writer at a time, so it never waits on a row."""
    if server.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has no row locks")
    task_id = new_task(api)
    with server.engine.connect() as blocker:
        blocker.execute(text("SELECT id FROM tasks WHERE id = :id FOR UPDATE"), {"id": task_id})
        assert update(api, task_id, "<title>Later</title>") == "3014"
        blocker.rollback()
    assert update(api, task_id, "<title>Later</title>") == "ok"
