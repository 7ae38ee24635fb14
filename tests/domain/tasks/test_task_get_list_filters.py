"""task.getList's complex filters (10-tasks.md §3.7)."""

from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.app import Server
from planfix_server.domain.statuses import service as status_service
from planfix_server.domain.statuses.defaults import ACCEPTED, CANCELED, DONE
from tests.domain.projects.helpers import make_field, make_project
from tests.domain.tasks.helpers import bulk, employee, ids, new_task, people, template
from tests.domain.users.helpers import add_group, set_user, unit_of_work
from tests.support import Api

UTC = dt.UTC


def listed(api: Api, *filters: str) -> list[int]:
    inner = "".join(f"<filter>{one}</filter>" for one in filters)
    reply = api.call("task.getList", f"<filters>{inner}</filters><sort>NUMBER_ASC</sort>")
    assert reply.ok, reply.raw
    return ids(reply)


def code(api: Api, *filters: str) -> str:
    inner = "".join(f"<filter>{one}</filter>" for one in filters)
    return api.call("task.getList", f"<filters>{inner}</filters>").code


def simple(kind: int, operator: str, value: object, field: int | None = None) -> str:
    extra = f"<field>{field}</field>" if field is not None else ""
    return f"<type>{kind}</type><operator>{operator}</operator><value>{value}</value>{extra}"


def dated(kind: int, operator: str, datetype: str, **parts: str) -> str:
    inner = "".join(f"<{name}>{value}</{name}>" for name, value in parts.items())
    head = f"<type>{kind}</type><operator>{operator}</operator>"
    return f"{head}<value><datetype>{datetype}</datetype>{inner}</value>"


def test_creation_date(api: Api, server: Server) -> None:
    old = bulk(server, api.tenant, 1, created_at=dt.datetime(2015, 1, 10, 12, tzinfo=UTC))
    older = bulk(server, api.tenant, 1, created_at=dt.datetime(2014, 6, 1, tzinfo=UTC))
    today = bulk(server, api.tenant, 1)
    assert listed(api, dated(12, "equal", "anotherdate", datefrom="10-01-2015")) == old
    assert listed(api, dated(12, "equal", "anotherperiod", datefrom="01-01-2015", dateto="01-02-2015")) == old
    assert listed(api, dated(12, "lt", "anotherdate", datefrom="10-01-2015")) == older
    assert listed(api, dated(12, "gt", "anotherdate", datefrom="10-01-2015")) == today
    assert listed(api, dated(12, "notequal", "anotherdate", datefrom="10-01-2015")) == older + today
    assert listed(api, dated(12, "equal", "today")) == today
    assert listed(api, dated(12, "equal", "last", datevalue="3")) == today
    assert listed(api, dated(12, "equal", "thismonth")) == today
    assert listed(api, dated(12, "equal", "anotherdate_withtime", datefrom="10-01-2015 12:00")) == old
    assert listed(api, dated(12, "equal", "yesterday")) == []


def test_dates_are_read_in_the_callers_zone(api: Api, server: Server) -> None:
    # 23:30 UTC on 10 Jan is 11 Jan in Moscow (UTC+3).
    late = bulk(server, api.tenant, 1, created_at=dt.datetime(2015, 1, 10, 23, 30, tzinfo=UTC))
    assert listed(api, dated(12, "equal", "anotherdate", datefrom="10-01-2015")) == late
    set_user(server, api.tenant, api.tenant.owner_id, timezone="Europe/Moscow")
    assert listed(api, dated(12, "equal", "anotherdate", datefrom="11-01-2015")) == late
    assert listed(api, dated(12, "equal", "anotherdate", datefrom="10-01-2015")) == []


def test_planned_dates(api: Api, server: Server) -> None:
    day_only = new_task(api, "<endDate>05-03-2030</endDate>")
    timed = new_task(
        api, "<endDate>05-03-2030</endDate><endTimeIsSet>1</endTimeIsSet><endTime>23:00</endTime>"
    )
    started = new_task(api, "<startDate>04-03-2030</startDate>")
    none = new_task(api)
    assert listed(api, dated(14, "equal", "anotherdate", datefrom="05-03-2030")) == [day_only, timed]
    assert listed(api, dated(14, "lt", "anotherdate", datefrom="06-03-2030")) == [day_only, timed]
    assert listed(api, dated(14, "gt", "anotherdate", datefrom="04-03-2030")) == [day_only, timed]
    assert listed(api, dated(13, "equal", "anotherdate", datefrom="04-03-2030")) == [started]
    assert listed(api, simple(23, "equal", 1)) == [started, none]
    assert listed(api, simple(26, "equal", 1)) == [day_only, timed]
    assert listed(api, simple(22, "equal", 1)) == [day_only, timed, none]
    assert listed(api, simple(25, "equal", 1)) == [started]


def test_other_dates(api: Api, server: Server) -> None:
    moment = dt.datetime(2016, 5, 5, 10, tzinfo=UTC)
    completed = bulk(server, api.tenant, 1, completed_at=moment)
    done = bulk(server, api.tenant, 1, done_at=moment)
    touched = bulk(
        server, api.tenant, 1, modified_at=moment, last_activity_at=dt.datetime(2015, 1, 1, tzinfo=UTC)
    )
    commented = bulk(
        server, api.tenant, 1, last_activity_at=moment, modified_at=dt.datetime(2015, 1, 1, tzinfo=UTC)
    )
    on = {"datefrom": "05-05-2016"}
    assert listed(api, dated(19, "equal", "anotherdate", **on)) == completed
    assert listed(api, dated(20, "equal", "anotherdate", **on)) == done
    assert listed(api, dated(38, "equal", "anotherdate", **on)) == touched
    assert listed(api, dated(21, "equal", "anotherdate", **on)) == commented
    assert listed(api, dated(79, "equal", "anotherdate", **on)) == touched + commented


def test_people(api: Api, server: Server) -> None:
    me = api.tenant.owner_id
    worker, worker_api = employee(server, api, "worker")
    member, _ = employee(server, api, "member")
    auditor, _ = employee(server, api, "auditor")
    group = add_group(server, api.tenant, "Team", (worker,))
    project = make_project(server, api.tenant, "Audited", people=[("auditor", "user", auditor)])
    assigned = new_task(api, f"<workers>{people([worker])}</workers>")
    via_group = new_task(api, f"<workers>{people([], [group])}</workers>")
    with_member = new_task(api, f"<members>{people([member])}</members>")
    with_auditor = new_task(api, f"<auditors>{people([auditor])}</auditors>")
    in_project = new_task(api, f"<project><id>{project}</id></project>")
    by_worker = new_task(worker_api)
    everything = [assigned, via_group, with_member, with_auditor, in_project, by_worker]
    assert listed(api, simple(1, "equal", worker)) == [by_worker]
    assert listed(api, simple(1, "notequal", worker)) == [t for t in everything if t != by_worker]
    assert listed(api, simple(2, "equal", worker)) == [assigned, via_group]
    assert listed(api, simple(2, "notequal", worker)) == [with_member, with_auditor, in_project, by_worker]
    assert listed(api, simple(39, "equal", member)) == [with_member]
    assert listed(api, simple(60, "equal", auditor)) == [with_auditor]
    assert listed(api, simple(59, "equal", auditor)) == [in_project]
    assert listed(api, simple(3, "equal", auditor)) == [with_auditor, in_project]
    assert listed(api, simple(59, "notequal", auditor)) == [t for t in everything if t != in_project]
    assert listed(api, simple(2, "equal", me)) == []
    assert code(api, simple(2, "gt", worker)) == "0015"


def test_flags(api: Api, server: Server) -> None:
    worker, _ = employee(server, api, "worker")
    assigned = new_task(api, f"<workers>{people([worker])}</workers>")
    with_member = new_task(api, f"<members>{people([worker])}</members>")
    recurring = new_task(api, "<periodicity><daily><type>EVERY</type></daily></periodicity>")
    late = bulk(server, api.tenant, 1, end_at=dt.datetime(2020, 1, 1, tzinfo=UTC))
    all_tasks = [assigned, with_member, recurring, *late]
    assert listed(api, simple(33, "equal", 1)) == [with_member, recurring, *late]
    assert listed(api, simple(41, "equal", 1)) == [assigned, recurring, *late]
    assert listed(api, simple(16, "equal", 1)) == [recurring]
    assert listed(api, simple(28, "equal", 1)) == [assigned, with_member, *late]
    assert listed(api, simple(17, "equal", 1)) == late
    assert listed(api, simple(29, "equal", 1)) == [assigned, with_member, recurring]
    assert listed(api, simple(71, "equal", 1)) == [assigned]
    assert listed(api, simple(72, "equal", 1)) == [with_member]
    assert listed(api, simple(34, "equal", 1)) == all_tasks
    for contact_kind in (35, 69, 70):
        assert listed(api, simple(contact_kind, "equal", 1)) == []
    # Data tags do not exist yet: no task contains one.
    assert listed(api, simple(11, "equal", 5)) == []
    assert listed(api, simple(18, "equal", 5)) == all_tasks
    assert code(api, simple(33, "notequal", 1)) == "0015"


def test_references(api: Api, server: Server) -> None:
    parent = new_task(api, title="parent")
    child = new_task(api, f"<parent><id>{parent}</id></parent>")
    grandchild = new_task(api, f"<parent><id>{child}</id></parent>")
    made = template(server, api.tenant, "T")
    from_template = new_task(api, f"<template>{made}</template>")
    assert listed(api, simple(73, "equal", parent)) == [child]
    assert listed(api, simple(73, "notequal", parent)) == [parent, grandchild, from_template]
    assert listed(api, simple(51, "equal", made)) == [from_template]
    with_client = bulk(server, api.tenant, 1, client_id=77)
    assert listed(api, simple(7, "equal", 77)) == with_client
    with unit_of_work(server, api.tenant) as uow:
        other_process = status_service.create_process(uow, "Other", [1, 2], [(1, 2, "owner")])
    in_process = new_task(api, f"<statusSet>{other_process}</statusSet>")
    assert listed(api, simple(24, "equal", other_process)) == [in_process]


def test_title_and_status(api: Api, server: Server) -> None:
    report = new_task(api, title="Quarterly Report")
    new_task(api, title="Call back")
    assert listed(api, simple(8, "equal", "report")) == [report]
    assert report not in listed(api, simple(8, "notequal", "REPORT"))
    progress = bulk(server, api.tenant, 1, status=ACCEPTED)
    done = bulk(server, api.tenant, 1, status=DONE)
    canceled = bulk(server, api.tenant, 1, status=CANCELED)
    assert listed(api, simple(10, "equal", f"{ACCEPTED};{DONE}")) == progress + done
    assert canceled[0] in listed(api, simple(10, "notequal", f"{ACCEPTED};{DONE}"))
    assert code(api, simple(10, "equal", "IN_WORK")) == "0015"


def test_custom_fields(api: Api, server: Server) -> None:
    tenant = api.tenant
    text = make_field(server, tenant, "task", "Text", "string")
    number = make_field(server, tenant, "task", "Number", "number")
    day = make_field(server, tenant, "task", "Day", "date")
    box = make_field(server, tenant, "task", "Box", "checkbox")
    choice = make_field(server, tenant, "task", "Choice", "list", options=["red", "green"])
    person = make_field(server, tenant, "task", "Person", "employee")
    persons = make_field(server, tenant, "task", "Persons", "employee_list")
    worker, _ = employee(server, api, "worker")

    def values(**given: object) -> str:
        fields = {
            "text": text,
            "number": number,
            "day": day,
            "box": box,
            "choice": choice,
            "person": person,
            "persons": persons,
        }
        inner = "".join(
            f"<customValue><id>{fields[k]}</id><value>{v}</value></customValue>" for k, v in given.items()
        )
        return f"<customData>{inner}</customData>"

    first = new_task(
        api,
        values(
            text="Alpha beta",
            number=10,
            day="05-03-2030",
            box=1,
            choice="red",
            person=worker,
            persons=f"[{worker},{tenant.owner_id}]",
        ),
    )
    second = new_task(api, values(text="gamma", number=2.5, choice="green"))
    empty = new_task(api)
    assert listed(api, simple(101, "equal", "BETA", text)) == [first]
    assert listed(api, simple(101, "notequal", "beta", text)) == [second, empty]
    assert listed(api, simple(102, "gt", 3, number)) == [first]
    assert listed(api, simple(102, "lt", 3, number)) == [second]
    assert listed(api, simple(102, "equal", "2.5", number)) == [second]
    assert listed(
        api, dated(103, "equal", "anotherdate", datefrom="05-03-2030") + f"<field>{day}</field>"
    ) == [first]
    assert listed(api, simple(105, "equal", 1, box)) == [first]
    assert listed(api, simple(105, "equal", 0, box)) == [second, empty]
    assert listed(api, simple(106, "equal", "green", choice)) == [second]
    assert listed(api, simple(109, "equal", worker, person)) == [first]
    assert listed(api, simple(113, "equal", tenant.owner_id, persons)) == [first]
    assert listed(api, simple(152, "equal", number)) == [first, second]
    assert listed(api, simple(153, "equal", day)) == [second, empty]
    assert code(api, simple(101, "equal", "x")) == "0009"  # no field
    assert code(api, simple(101, "equal", "x", 999999)) == "0015"
    assert code(api, simple(102, "equal", 1, text)) == "0015"  # a string field under the number kind
    assert code(api, simple(152, "equal", 999999)) == "0015"


def test_several_filters_and_blank_ones(api: Api) -> None:
    wanted = new_task(api, "<importance>HIGH</importance><endDate>05-03-2030</endDate>", title="needle")
    new_task(api, "<endDate>05-03-2030</endDate>", title="needle too")
    new_task(api, title="haystack")
    both = [simple(8, "equal", "needle"), dated(14, "equal", "anotherdate", datefrom="05-03-2030")]
    assert len(listed(api, *both)) == 2
    blank = "<type></type><operator></operator><value></value>"
    assert wanted in listed(api, blank, *both)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (simple(9999, "equal", 1), "0015"),
        (simple(12, "around", 1), "0015"),
        ("<operator>equal</operator><value>1</value>", "0009"),
        ("<type>1</type><value>1</value>", "0009"),
        ("<type>1</type><operator>equal</operator>", "0009"),
        (simple(1, "equal", "abc"), "0015"),
        (dated(12, "equal", "someday"), "0015"),
        ("<type>12</type><operator>equal</operator><value><datefrom>01-01-2020</datefrom></value>", "0009"),
        (dated(12, "equal", "anotherdate"), "0009"),
        (dated(12, "equal", "anotherdate", datefrom="32-01-2020"), "0015"),
        (dated(12, "equal", "last"), "0009"),
    ],
)
def test_filters_that_cannot_be_read(api: Api, given: str, expected: str) -> None:
    assert code(api, given) == expected
