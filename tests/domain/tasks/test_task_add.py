from __future__ import annotations

import pytest

from planfix_server.app import Server
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import ACCEPTED, ACTIVE, DELAYED, DRAFT
from tests.domain.projects.helpers import make_field, make_project
from tests.domain.tasks.helpers import (
    add,
    employee,
    get,
    new_task,
    people,
    personal_statuses,
    refs,
    task_row,
    template,
)
from tests.domain.users.helpers import add_group, body, unit_of_work
from tests.support import Api, Tenant, provision


def test_answers_id_and_number(api: Api) -> None:
    reply = add(api, title="First")
    assert reply.ok, reply.raw
    assert body(reply) == f"<task><id>{reply.text('task/id')}</id><general>1</general></task>"
    second = add(api, title="Second")
    assert second.text("task/general") == "2"
    assert int(second.text("task/id")) > int(reply.text("task/id"))


def test_numbers_are_per_account(api: Api, server: Server, client: object) -> None:
    add(api)
    add(api)
    other = provision(server, "other")
    reply = Api(api.client, other).call("task.add", "<task><title>Elsewhere</title></task>")
    assert reply.text("task/general") == "1"


def test_the_card_shows_what_was_given(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    member, _ = employee(server, api, "member")
    auditor, _ = employee(server, api, "auditor")
    group = add_group(server, api.tenant, "Developers")
    project = make_project(server, api.tenant, "Site")
    field = make_field(server, api.tenant, "task", "Minutes", "number", unit="min")
    parent = new_task(api, title="Parent")
    task_id = new_task(
        api,
        "<description>&lt;p&gt;Body&lt;/p&gt;</description><importance>HIGH</importance>"
        "<checkResult>1</checkResult>"
        f"<parent><id>{parent}</id></parent><project><id>{project}</id></project>"
        "<startDateIsSet>1</startDateIsSet><startDate>01-02-2030</startDate>"
        "<startTimeIsSet>1</startTimeIsSet><startTime>09:30</startTime>"
        "<endDateIsSet>1</endDateIsSet><endDate>05-02-2030</endDate>"
        "<durationIsSet>1</durationIsSet><duration>3</duration><durationUnit>2</durationUnit>"
        "<isSummary>1</isSummary>"
        f"<workers>{people([worker], [group])}</workers><members>{people([member])}</members>"
        f"<auditors>{people([auditor])}</auditors>"
        f"<customData><customValue><id>{field}</id><value>548</value></customValue></customData>",
        title="Full",
    )
    card = get(api, task_id)
    task = "task/"
    assert card.text(task + "title") == "Full"
    assert card.text(task + "description") == "<p>Body</p>"
    assert b"<description>&lt;p&gt;Body&lt;/p&gt;</description>" in card.raw
    assert card.text(task + "importance") == "HIGH"
    assert card.text(task + "status") == str(ACTIVE)
    assert card.text(task + "checkResult") == "1"
    assert card.text(task + "type") == "task"
    assert card.text(task + "owner/id") == str(api.tenant.owner_id)
    assert card.text(task + "parent/id") == str(parent)
    assert card.text(task + "project/id") == str(project)
    assert card.text(task + "project/title") == "Site"
    assert card.text(task + "startTime") == "01-02-2030 09:30"
    assert card.text(task + "endTime") == "05-02-2030"
    assert card.text(task + "duration") == "3"
    assert card.text(task + "durationUnit") == "2"
    assert card.text(task + "isSummary") == "1"
    assert card.text(task + "general") == "2"
    assert refs(card, "task/workers/users/user") == [worker]
    assert refs(card, "task/workers/groups/group") == [group]
    assert card.text("task/workers/groups/group/name") == "Developers"
    assert refs(card, "task/members/users/user") == [member]
    assert refs(card, "task/auditors/users/user") == [auditor]
    assert card.text("task/auditors/users/user/name") == "auditor"
    assert card.text("task/customData/customValue/value") == "548"
    assert card.text("task/customData/customValue/text") == "548 min"


def test_defaults(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    reply = get(api, new_task(api, f"<workers>{people([worker])}</workers>"))
    assert reply.text("task/status") == str(ACTIVE)
    assert reply.text("task/importance") == "AVERAGE"
    # Assigned to someone else: the result is checked (the task_check_result_default setting: auto).
    assert reply.text("task/checkResult") == "1"
    assert reply.text("task/description") == ""
    assert reply.root.find("task/startTime") is None and reply.root.find("task/endTime") is None
    assert reply.text("task/duration") == "0"
    own = get(api, new_task(api))
    assert own.text("task/checkResult") == "0"
    assert b"<members/><auditors/>" in own.raw and b"<workers/>" in own.raw


def test_the_owner_assigning_himself_starts_in_progress(api: Api, server: Server) -> None:
    owner = api.tenant.owner_id
    alone = new_task(api, f"<workers>{people([owner])}</workers>")
    assert get(api, alone).text("task/status") == str(ACCEPTED)
    worker, _ = employee(server, api, "worker")
    shared = new_task(api, f"<workers>{people([owner, worker])}</workers>")
    assert task_row(server, api.tenant, shared).status == ACTIVE
    assert personal_statuses(server, api.tenant, shared) == {
        ("user", owner): ACCEPTED,
        ("user", worker): ACTIVE,
    }


@pytest.mark.parametrize(
    ("given", "expected"), [("DRAFT", DRAFT), ("DELAYED", DELAYED), ("ACTIVE", ACTIVE), ("1", 1)]
)
def test_initial_status(api: Api, given: str, expected: int) -> None:
    assert get(api, new_task(api, f"<status>{given}</status>")).text("task/status") == str(expected)


@pytest.mark.parametrize(
    ("given", "code"),
    [("COMPLETED", "0016"), ("REJECTED", "0016"), ("5", "0016"), ("NOPE", "0015"), ("999", "0015")],
)
def test_statuses_a_task_cannot_start_in(api: Api, given: str, code: str) -> None:
    assert add(api, f"<status>{given}</status>").code == code


def test_process(api: Api, server: Server) -> None:
    with unit_of_work(server, api.tenant) as uow:
        custom = status_service.add_status(uow, "Review")
        process = status_service.create_process(
            uow, "Short", [1, custom, 3], [(1, custom, "owner")], accept_status_id=custom
        )
    reply = get(api, new_task(api, f"<statusSet>{process}</statusSet><status>{custom}</status>"))
    assert reply.text("task/statusSet") == str(process)
    assert reply.text("task/status") == str(custom)
    assert add(api, "<statusSet>999999</statusSet>").code == "0015"
    assert add(api, f"<statusSet>{process}</statusSet><status>DRAFT</status>").code == "0016"


def test_dates_are_read_and_shown_in_the_callers_zone(api: Api, server: Server) -> None:
    _, east = employee(server, api, "east", timezone="Asia/Yekaterinburg")  # UTC+5
    task_id = new_task(
        east,
        "<startDate>01-02-2030</startDate><startTimeIsSet>1</startTimeIsSet><startTime>10:00</startTime>"
        "<endDate>03-02-2030</endDate>",
    )
    assert get(east, task_id).text("task/startTime") == "01-02-2030 10:00"
    shown_utc = get(api, task_id)  # the owner reads in UTC; a date alone is the same date everywhere
    assert shown_utc.text("task/startTime") == "01-02-2030 05:00"
    assert shown_utc.text("task/endTime") == "03-02-2030"


def test_date_flags_and_leniency(api: Api) -> None:
    not_set = get(api, new_task(api, "<startDateIsSet>0</startDateIsSet><startDate>01-02-2030</startDate>"))
    assert not_set.root.find("task/startTime") is None
    no_time = get(
        api,
        new_task(api, "<endDate>01-02-2030</endDate><endTimeIsSet>0</endTimeIsSet><endTime>12:00</endTime>"),
    )
    assert no_time.text("task/endTime") == "01-02-2030"
    # The captured client sends a whole date in endTime; empty template elements are ignored.
    captured = get(
        api, new_task(api, "<endTime>06-08-2030</endTime><startDate></startDate><parent><id></id></parent>")
    )
    assert captured.text("task/endTime") == "06-08-2030"
    timed = get(api, new_task(api, "<endTime>06-08-2030 18:45</endTime>"))
    assert timed.text("task/endTime") == "06-08-2030 18:45"
    assert add(api, "<startTimeIsSet>1</startTimeIsSet><startTime>10:00</startTime>").code == "0017"
    assert add(api, "<endDate>31-02-2030</endDate>").code == "0015"


def test_start_after_end(api: Api) -> None:
    assert add(api, "<startDate>05-02-2030</startDate><endDate>01-02-2030</endDate>").code == "3006"
    same_day = (
        "<startDate>05-02-2030</startDate><startTimeIsSet>1</startTimeIsSet><startTime>18:00</startTime>"
    )
    assert add(api, same_day + "<endDate>05-02-2030</endDate>").ok


def test_begin_date_time_only_from_administrators(api: Api, server: Server) -> None:
    admin = get(api, new_task(api, "<beginDateTime>03-02-2018 17:09</beginDateTime>"))
    assert admin.text("task/beginDateTime") == "03-02-2018 17:09"
    _, user = employee(server, api, "user")
    ignored = get(user, new_task(user, "<beginDateTime>03-02-2018 17:09</beginDateTime>"))
    assert ignored.text("task/beginDateTime") != "03-02-2018 17:09"


def test_from_a_template(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    auditor, _ = employee(server, api, "auditor")
    field = make_field(server, api.tenant, "task", "Kind", "string")
    made = template(
        server,
        api.tenant,
        "Standard",
        description="From the template",
        importance="HIGH",
        people=[("worker", "user", worker), ("auditor", "user", auditor)],
    )
    with unit_of_work(server, api.tenant) as uow:
        from planfix_server.domain.customfields.repository import CustomFieldRepository

        uow.get(CustomFieldRepository).replace_values("task", made, [], {field: "copied"})
    # The captured request gives the template id bare and no title.
    reply = api.call("task.add", f"<task><template>{made}</template></task>")
    assert reply.ok, reply.raw
    card = get(api, int(reply.text("task/id")))
    assert card.text("task/title") == "Standard"
    assert card.text("task/template/id") == str(made)
    assert card.text("task/description") == "From the template"
    assert card.text("task/importance") == "HIGH"
    assert refs(card, "task/workers/users/user") == [worker]
    assert refs(card, "task/auditors/users/user") == []  # auditors are not copied
    assert card.text("task/customData/customValue/value") == "copied"
    assert card.text("task/type") == "task"
    # The request's own assignees and values win.
    own = get(
        api,
        new_task(
            api,
            f"<template><id>{made}</id></template><workers>{people([api.tenant.owner_id])}</workers>"
            f"<customData><customValue><id>{field}</id><value>mine</value></customValue></customData>",
            title="Own",
        ),
    )
    assert refs(own, "task/workers/users/user") == [api.tenant.owner_id]
    assert own.text("task/customData/customValue/value") == "mine"
    assert own.text("task/title") == "Own"


def test_template_that_is_not_one(api: Api) -> None:
    task_id = new_task(api)
    assert add(api, f"<template>{task_id}</template>").code == "3001"
    assert add(api, "<template>999999</template>").code == "3001"


def test_recurrence(api: Api) -> None:
    task_id = new_task(
        api,
        "<periodicity><weekly><type>EVERY</type><shift>1</shift><days>1,3,5</days></weekly>"
        "<startDate>01-02-2030</startDate><endCondition><type>BYCOUNT</type><repeatCount>10</repeatCount>"
        "</endCondition><notify><type>0</type><day>2</day></notify></periodicity>",
    )
    card = get(api, task_id)
    assert card.text("task/periodicity/weekly/type") == "EVERY"
    assert card.text("task/periodicity/weekly/days") == "1,3,5"
    assert card.text("task/periodicity/startDate") == "01-02-2030"
    assert card.text("task/periodicity/endCondition/type") == "BYCOUNT"
    assert card.text("task/periodicity/endCondition/repeatCount") == "10"
    assert card.text("task/periodicity/notify/day") == "2"
    assert card.root.find("task/periodicity/daily") is None
    assert get(api, new_task(api)).root.find("task/periodicity") is None


@pytest.mark.parametrize(
    "periodicity",
    [
        "<startDate>01-02-2030</startDate>",
        "<daily><type>EVERY</type></daily><weekly><type>EVERY</type><days>1</days></weekly>",
        "<weekly><type>EVERY</type></weekly>",
        "<monthly><type>EXACT</type><day>2</day></monthly>",
        "<daily><type>EVERY</type></daily><endCondition><type>BYENDDATE</type></endCondition>",
    ],
)
def test_undefined_recurrence(api: Api, periodicity: str) -> None:
    assert add(api, f"<periodicity>{periodicity}</periodicity>").code == "3007"


def test_bad_recurrence_values(api: Api) -> None:
    assert add(api, "<periodicity><daily><type>SOMETIMES</type></daily></periodicity>").code == "0015"


def test_missing_parameters(api: Api) -> None:
    assert api.call("task.add").code == "0009"
    assert api.call("task.add", "<task></task>").code == "0009"
    assert add(api, "<description>no title</description>", title=None).code == "0009"
    assert add(api, title="").code == "0009"


def test_bad_values(api: Api) -> None:
    assert add(api, "<importance>LOW</importance>").code == "0015"
    assert add(api, "<durationUnit>7</durationUnit>").code == "0015"
    assert add(api, "<checkResult>maybe</checkResult>").code == "0015"


def test_references_that_do_not_exist(api: Api, server: Server) -> None:
    assert add(api, "<parent><id>999999</id></parent>").code == "3001"
    assert add(api, "<project><id>999999</id></project>").code == "3003"
    assert add(api, f"<workers>{people([999999])}</workers>").code == "6004"
    assert add(api, f"<members>{people([], [999999])}</members>").code == "5001"
    assert add(api, "<owner><id>999999</id></owner>").code == "6004"
    assert add(api, "<client><id>123</id></client>").code == "8002"
    assert add(api, "<parent><id>0</id></parent><project><id>0</id></project><client><id>0</id></client>").ok


def test_parent_and_project_the_caller_cannot_see(api: Api, server: Server) -> None:
    _, user = employee(server, api, "user")
    private = new_task(api, title="Private")
    hidden = make_project(server, api.tenant, "Hidden", hidden=True)
    assert add(user, f"<parent><id>{private}</id></parent>").code == "3002"
    assert add(user, f"<project><id>{hidden}</id></project>").code == "3004"
    mine = new_task(user, title="Mine")
    assert add(user, f"<parent><id>{mine}</id></parent>").ok


def test_foreign_ids_are_not_found(api: Api, server: Server) -> None:
    other: Tenant = provision(server, "other")
    foreign = Api(api.client, other)
    foreign_task = int(foreign.call("task.add", "<task><title>Theirs</title></task>").text("task/id"))
    foreign_project = make_project(server, other, "Theirs")
    foreign_group = add_group(server, other, "Theirs")
    assert add(api, f"<parent><id>{foreign_task}</id></parent>").code == "3001"
    assert add(api, f"<template>{foreign_task}</template>").code == "3001"
    assert add(api, f"<project><id>{foreign_project}</id></project>").code == "3003"
    assert add(api, f"<workers>{people([other.owner_id])}</workers>").code == "6004"
    assert add(api, f"<auditors>{people([], [foreign_group])}</auditors>").code == "5001"
    assert add(api, f"<owner><id>{other.owner_id}</id></owner>").code == "6004"


def test_another_owner(api: Api, server: Server) -> None:
    boss, boss_api = employee(server, api, "boss")
    task_id = new_task(api, f"<owner><id>{boss}</id></owner>")
    assert get(boss_api, task_id).text("task/owner/id") == str(boss)


def test_silent(api: Api) -> None:
    reply = api.call("task.add", "<silent>1</silent><task><title>Quiet</title></task>")
    assert reply.ok, reply.raw
