from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.app import Server
from planfix_server.domain.projects.service import insert_project
from planfix_server.settings import Settings
from tests.domain.handbooks.helpers import add_record, make_handbook
from tests.domain.projects.helpers import add_project, list_ids, make_field, make_project, make_task
from tests.domain.users.helpers import add_group as add_user_group
from tests.domain.users.helpers import body, counts, strict_paging_api, texts, unit_of_work
from tests.support import Api, Reply, add_user, now, provision

PAGE_1 = "<pageCurrent>1</pageCurrent>"


def get_list(api: Api, inner: str = "", page: str = PAGE_1) -> Reply:
    return api.call("project.getList", page + inner)


def titles(reply: Reply) -> list[str]:
    assert reply.ok, reply.raw
    return texts(reply.root, "projects/project/title")


def test_items_carry_every_field_but_the_people(api: Api, server: Server) -> None:
    worker, _ = add_user(server, api.tenant, "w")
    stage = make_field(server, api.tenant, "project", "Stage", "string")
    project_id = add_project(
        api,
        f"<title>One</title><workers><id>{worker}</id></workers><customData>"
        f"<customValue><id>{stage}</id><value>early</value></customValue></customData>",
    )
    make_task(server, api.tenant, "t", project_id=project_id)
    reply = get_list(api)
    item = reply.root.find("projects/project")
    assert item is not None
    assert [child.tag for child in item] == [
        "id",
        "title",
        "description",
        "owner",
        "client",
        "group",
        "parent",
        "template",
        "status",
        "hidden",
        "hasEndDate",
        "endDate",
        "beginDate",
        "taskCount",
        "isOverdued",
        "isCloseToDeadline",
        "customData",
    ]
    assert item.findtext("taskCount") == "1"
    assert item.findtext("owner/name") == "owner@acme"
    assert item.findtext("customData/customValue/value") == "early"
    assert counts(reply, "projects") == (1, 1)


@pytest.mark.parametrize("page", ["", "<pageCurrent>0</pageCurrent>", "<pageCurrent>-1</pageCurrent>"])
def test_without_a_page_only_counts(api: Api, server: Server, page: str) -> None:
    make_project(server, api.tenant, "A")
    make_project(server, api.tenant, "B")
    assert body(get_list(api, page=page)) == '<projects totalCount="2" count="0"/>'


def test_an_empty_account(api: Api) -> None:
    assert body(get_list(api)) == '<projects totalCount="0" count="0"/>'


def test_paging_over_many_projects(api: Api, server: Server, settings: Settings) -> None:
    with unit_of_work(server, api.tenant) as uow:
        made = [
            insert_project(uow, now(), title=f"Project {n:03d}", owner_id=api.tenant.owner_id)
            for n in range(260)
        ]
    seen: list[int] = []
    for page in (1, 2, 3):
        reply = api.call("project.getList", f"<pageCurrent>{page}</pageCurrent><pageSize>100</pageSize>")
        assert counts(reply, "projects") == (260, 100 if page < 3 else 60)
        seen.extend(list_ids(reply))
    assert seen == made  # TITLE_ASC by default; titles sort like creation here
    past = api.call("project.getList", "<pageCurrent>4</pageCurrent><pageSize>100</pageSize>")
    assert body(past) == '<projects totalCount="260" count="0"/>'
    small = api.call("project.getList", "<pageCurrent>3</pageCurrent><pageSize>7</pageSize>")
    assert list_ids(small) == made[14:21]
    assert counts(api.call("project.getList", "<pageCurrent>1</pageCurrent>"), "projects") == (260, 100)
    assert counts(
        api.call("project.getList", "<pageCurrent>1</pageCurrent><pageSize>500</pageSize>"), "projects"
    ) == (
        260,
        100,
    )
    with strict_paging_api(settings, api.tenant) as strict:
        assert (
            strict.call("project.getList", "<pageCurrent>1</pageCurrent><pageSize>101</pageSize>").code
            == "0021"
        )


def test_sort_types(api: Api, server: Server) -> None:
    for title in ("beta", "Alpha", "gamma"):
        make_project(server, api.tenant, title)
    assert titles(get_list(api)) == ["Alpha", "beta", "gamma"]
    assert titles(get_list(api, "<sortType>TITLE_ASC</sortType>")) == ["Alpha", "beta", "gamma"]
    assert titles(get_list(api, "<sortType>TITLE_DESC</sortType>")) == ["gamma", "beta", "Alpha"]
    assert titles(get_list(api, "<sortType>NUMBER_ASC</sortType>")) == ["beta", "Alpha", "gamma"]
    assert titles(get_list(api, "<sortType>NUMBER_DESC</sortType>")) == ["gamma", "Alpha", "beta"]


def test_targets(api: Api, server: Server) -> None:
    alice, alice_token = add_user(server, api.tenant, "alice")
    team_mate, _ = add_user(server, api.tenant, "mate")
    team = add_user_group(server, api.tenant, "Team", (alice, team_mate))
    make_project(server, api.tenant, "Owned", owner_id=alice)
    make_project(server, api.tenant, "Worker", people=[("worker", "user", alice)])
    make_project(server, api.tenant, "Via group", people=[("member", "group", team)])
    via_task = make_project(server, api.tenant, "Via task")
    make_task(server, api.tenant, "t", project_id=via_task, people=(("worker", "user", alice),))
    make_project(server, api.tenant, "Other")
    make_project(server, api.tenant, "Template", is_template=True, owner_id=alice)
    as_alice = api.as_user(alice_token)
    every = ["Other", "Owned", "Via group", "Via task", "Worker"]
    assert titles(get_list(as_alice)) == every
    assert titles(get_list(as_alice, "<target>all</target>")) == every
    # "I participate": among the project's people (directly or through a group), not through its tasks.
    assert titles(get_list(as_alice, "<target>in</target>")) == ["Via group", "Worker"]
    assert titles(get_list(as_alice, "<target>out</target>")) == ["Owned"]
    assert titles(get_list(as_alice, "<target>template</target>")) == ["Template"]
    assert get_list(as_alice, "<target>mine</target>").code == "0015"


def test_status(api: Api, server: Server) -> None:
    make_project(server, api.tenant, "Active")
    make_project(server, api.tenant, "Done", status="COMPLETED")
    make_project(server, api.tenant, "Draft", status="DRAFT")
    assert titles(get_list(api)) == ["Active", "Done", "Draft"]
    assert titles(get_list(api, "<status>COMPLETED</status>")) == ["Done"]
    assert titles(get_list(api, "<status>DRAFT</status>")) == ["Draft"]
    assert get_list(api, "<status>OPEN</status>").code == "0015"


def test_visibility_for_employees(api: Api, server: Server) -> None:
    alice, alice_token = add_user(server, api.tenant, "alice")
    make_project(server, api.tenant, "Public")
    make_project(server, api.tenant, "Hidden", hidden=True)
    make_project(server, api.tenant, "Hidden, alice audits", hidden=True, people=[("auditor", "user", alice)])
    make_project(server, api.tenant, "Admin's draft", status="DRAFT")
    make_project(server, api.tenant, "Alice's draft", status="DRAFT", owner_id=alice)
    assert titles(get_list(api.as_user(alice_token))) == ["Alice's draft", "Hidden, alice audits", "Public"]
    assert titles(get_list(api)) == ["Admin's draft", "Hidden", "Hidden, alice audits", "Public"]


def test_the_user_parameter(api: Api, server: Server) -> None:
    alice, alice_token = add_user(server, api.tenant, "alice")
    bob, _ = add_user(server, api.tenant, "bob")
    make_project(server, api.tenant, "Alice's", owner_id=alice)
    make_project(server, api.tenant, "Bob works", people=[("worker", "user", bob)])
    make_project(server, api.tenant, "Nobody's")
    assert titles(get_list(api, f"<user><id>{bob}</id></user>")) == ["Bob works"]
    assert titles(get_list(api, f"<user><id>{alice}</id></user>")) == ["Alice's"]
    assert titles(get_list(api, f"<user><id>{alice}</id></user><target>out</target>")) == ["Alice's"]
    as_alice = api.as_user(alice_token)
    assert get_list(as_alice, f"<user><id>{bob}</id></user>").code == "2002"
    assert titles(get_list(as_alice, f"<user><id>{alice}</id></user>")) == ["Alice's"]
    assert get_list(api, "<user><id>9999</id></user>").code == "6004"
    other = provision(server, "other")
    assert get_list(api, f"<user><id>{other.owner_id}</id></user>").code == "6004"


def test_projects_of_another_account_never_appear(api: Api, server: Server) -> None:
    other = provision(server, "other")
    make_project(server, other, "Theirs")
    make_project(server, api.tenant, "Ours")
    assert titles(get_list(api)) == ["Ours"]


def test_client_filter(api: Api, server: Server) -> None:
    make_project(server, api.tenant, "P")
    assert titles(get_list(api, "<client><id>5</id></client>")) == []
    assert titles(get_list(api, "<client><id>0</id></client>")) == ["P"]


def _filter(kind: int, operator: str, value: str, field: int | None = None) -> str:
    field_xml = "" if field is None else f"<field>{field}</field>"
    head = f"<type>{kind}</type><operator>{operator}</operator>"
    return f"<filter>{head}<value>{value}</value>{field_xml}</filter>"


def filtered(api: Api, *filters: str) -> list[str]:
    return titles(get_list(api, f"<filters>{''.join(filters)}</filters>"))


def test_simple_filters(api: Api, server: Server) -> None:
    alice, _ = add_user(server, api.tenant, "alice")
    parent = make_project(server, api.tenant, "Parent")
    template = make_project(server, api.tenant, "Tmpl", is_template=True)
    make_project(server, api.tenant, "Child site", parent_id=parent, owner_id=alice)
    make_project(
        server, api.tenant, "From template", template_id=template, people=[("manager", "user", alice)]
    )
    assert filtered(api, _filter(5001, "equal", "SITE")) == ["Child site"]
    assert filtered(api, _filter(5001, "notequal", "site")) == ["From template", "Parent"]
    assert filtered(api, _filter(5004, "equal", str(alice))) == ["Child site"]
    assert filtered(api, _filter(5004, "notequal", str(alice))) == ["From template", "Parent"]
    assert filtered(api, _filter(5014, "equal", str(parent))) == ["Child site"]
    assert filtered(api, _filter(5014, "notequal", str(parent))) == ["From template", "Parent"]
    assert filtered(api, _filter(5010, "equal", str(template))) == ["From template"]
    assert filtered(api, _filter(5008, "equal", str(alice))) == ["From template"]
    assert filtered(api, _filter(5008, "notequal", str(alice))) == ["Child site", "Parent"]
    # ANDed, and template-client leftovers ignored.
    empty = "<filter><type></type><operator></operator><value></value></filter>"
    both = filtered(api, _filter(5001, "equal", "i"), _filter(5004, "equal", str(alice)), empty)
    assert both == ["Child site"]


def _date(datetype: str, date_from: str = "", date_to: str = "", value: str = "") -> str:
    return (
        f"<datetype>{datetype}</datetype><datevalue>{value}</datevalue>"
        f"<datefrom>{date_from}</datefrom><dateto>{date_to}</dateto>"
    )


def test_end_date_filter(api: Api, server: Server) -> None:
    today = now().date()
    for title, days in (("Yesterday", -1), ("Today", 0), ("In 5 days", 5), ("In 40 days", 40)):
        make_project(server, api.tenant, title, end_date=today + dt.timedelta(days=days))
    make_project(server, api.tenant, "No date")
    assert filtered(api, _filter(5005, "equal", _date("today"))) == ["Today"]
    assert filtered(api, _filter(5005, "equal", _date("yesterday"))) == ["Yesterday"]
    assert filtered(api, _filter(5005, "equal", _date("next", value="7"))) == ["In 5 days", "Today"]
    assert filtered(api, _filter(5005, "equal", _date("in", value="5"))) == ["In 5 days"]
    assert filtered(api, _filter(5005, "equal", _date("last", value="3"))) == ["Today", "Yesterday"]
    assert filtered(api, _filter(5005, "gt", _date("today"))) == ["In 40 days", "In 5 days"]
    assert filtered(api, _filter(5005, "lt", _date("today"))) == ["Yesterday"]
    assert filtered(api, _filter(5005, "notequal", _date("today"))) == [
        "In 40 days",
        "In 5 days",
        "Yesterday",
    ]
    day = (today + dt.timedelta(days=5)).strftime("%d-%m-%Y")
    assert filtered(api, _filter(5005, "equal", _date("anotherdate", day))) == ["In 5 days"]
    start = (today - dt.timedelta(days=1)).strftime("%d-%m-%Y")
    assert filtered(api, _filter(5005, "equal", _date("anotherperiod", start, day))) == [
        "In 5 days",
        "Today",
        "Yesterday",
    ]
    assert filtered(api, _filter(5005, "equal", _date("anotherdate_withtime", f"{day} 10:00"))) == []


def test_custom_field_filters(api: Api, server: Server) -> None:
    alice, _ = add_user(server, api.tenant, "alice")
    bob, _ = add_user(server, api.tenant, "bob")
    text = make_field(server, api.tenant, "project", "Note", "string")
    number = make_field(server, api.tenant, "project", "Budget", "number")
    flag = make_field(server, api.tenant, "project", "Urgent", "checkbox")
    choice = make_field(server, api.tenant, "project", "Stage", "list", options=["A", "B"])
    person = make_field(server, api.tenant, "project", "Lead", "employee")
    crew = make_field(server, api.tenant, "project", "Crew", "employee_list")
    records = make_field(server, api.tenant, "project", "Tags", "handbook_record_set")
    record = make_field(server, api.tenant, "project", "Tag", "handbook_record")
    tags = make_handbook(server, api.tenant, "Tags")
    key = [0, *(add_record(api, tags) for _ in range(12))]  # key[n]: the n-th record

    def values(**given: str) -> str:
        ids = {"text": text, "number": number, "flag": flag, "choice": choice, "person": person}
        ids |= {"crew": crew, "records": records, "record": record}
        parts = [f"<customValue><id>{ids[k]}</id><value>{v}</value></customValue>" for k, v in given.items()]
        return f"<customData>{''.join(parts)}</customData>"

    add_project(
        api,
        "<title>One</title>"
        + values(
            text="Hello World",
            number="1500",
            flag="1",
            choice="A",
            person=str(alice),
            crew=f"[{alice},{bob}]",
            records=f"[{key[5]},{key[12]}]",
            record=str(key[7]),
        ),
    )
    add_project(
        api, "<title>Two</title>" + values(number="99.5", choice="B", person=str(bob), crew=f"[{bob}]")
    )
    add_project(api, "<title>Three</title>")
    assert filtered(api, _filter(5101, "equal", "world", text)) == ["One"]
    assert filtered(api, _filter(5101, "notequal", "world", text)) == ["Three", "Two"]
    assert filtered(api, _filter(5102, "gt", "100", number)) == ["One"]
    assert filtered(api, _filter(5102, "lt", "100", number)) == ["Two"]
    assert filtered(api, _filter(5102, "equal", "99.5", number)) == ["Two"]
    assert filtered(api, _filter(5102, "notequal", "99.5", number)) == ["One", "Three"]
    assert filtered(api, _filter(5105, "equal", "1", flag)) == ["One"]
    assert filtered(api, _filter(5105, "equal", "0", flag)) == ["Three", "Two"]
    assert filtered(api, _filter(5105, "notequal", "0", flag)) == ["One"]
    assert filtered(api, _filter(5106, "equal", "B", choice)) == ["Two"]
    assert filtered(api, _filter(5109, "equal", str(alice), person)) == ["One"]
    assert filtered(api, _filter(5112, "equal", str(bob), person)) == ["Two"]
    assert filtered(api, _filter(5113, "equal", str(bob), crew)) == ["One", "Two"]
    assert filtered(api, _filter(5113, "notequal", str(alice), crew)) == ["Three", "Two"]
    assert filtered(api, _filter(5114, "equal", str(key[12]), records)) == ["One"]
    assert filtered(api, _filter(5114, "equal", f"{key[1]};{key[5]}", records)) == ["One"]
    assert filtered(api, _filter(5114, "equal", str(key[1]), records)) == []
    assert filtered(api, _filter(5107, "equal", str(key[7]), record)) == ["One"]


@pytest.mark.parametrize(
    ("inner", "code"),
    [
        (_filter(9999, "equal", "x"), "0015"),
        (_filter(5001, "like", "x"), "0015"),
        (_filter(5004, "gt", "1"), "0015"),
        (_filter(5004, "equal", "abc"), "0015"),
        (_filter(5005, "equal", _date("someday")), "0015"),
        (_filter(5005, "equal", _date("anotherdate", "32-01-2020")), "0015"),
        (_filter(5005, "equal", _date("anotherperiod", "05-01-2020", "01-01-2020")), "0015"),
        (_filter(5101, "equal", "x", 424242), "0015"),
        (_filter(5001, "equal", ""), "0009"),
        (_filter(5101, "equal", "x"), "0009"),
        (_filter(5005, "equal", _date("anotherdate")), "0009"),
        (_filter(5005, "equal", _date("last")), "0009"),
        ("<filter><operator>equal</operator><value>x</value></filter>", "0009"),
        ("<filter><type>5001</type><value>x</value></filter>", "0009"),
    ],
)
def test_bad_filters(api: Api, inner: str, code: str) -> None:
    assert get_list(api, f"<filters>{inner}</filters>").code == code


def test_a_filter_on_a_field_of_another_type_or_kind_is_0015(api: Api, server: Server) -> None:
    number = make_field(server, api.tenant, "project", "Budget", "number")
    task_text = make_field(server, api.tenant, "task", "Note", "string")
    assert get_list(api, f"<filters>{_filter(5101, 'equal', 'x', number)}</filters>").code == "0015"
    assert get_list(api, f"<filters>{_filter(5101, 'equal', 'x', task_text)}</filters>").code == "0015"
    assert get_list(api, f"<filters>{_filter(5102, 'equal', 'many', number)}</filters>").code == "0015"
