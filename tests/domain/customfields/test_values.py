"""Custom field values through <customData>: every type written and read back, and refusals."""

from __future__ import annotations

from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server, create_app
from planfix_server.settings import Settings
from tests.domain.projects.helpers import (
    add_project,
    custom,
    get_project,
    make_field,
    make_project,
    make_task,
)
from tests.support import Api, Reply, add_user, provision


def value_xml(field_id: int, value: str) -> str:
    return f"<customValue><id>{field_id}</id><value>{value}</value></customValue>"


def with_values(api: Api, *values: str) -> int:
    return add_project(api, f"<title>P</title><customData>{''.join(values)}</customData>")


def update(api: Api, project_id: int, *values: str) -> Reply:
    return api.call(
        "project.update",
        f"<project><id>{project_id}</id><customData>{''.join(values)}</customData></project>",
    )


@pytest.mark.parametrize(
    ("field_type", "extra", "written", "value", "text"),
    [
        ("string", {}, "Hello &lt;b&gt;", "Hello <b>", "Hello <b>"),
        ("text", {}, "line 1\nline 2", "line 1\nline 2", "line 1\nline 2"),
        ("number", {}, "548", "548", "548"),
        ("number", {"unit": "min"}, "548", "548", "548 min"),
        ("number", {}, "12,50", "12.5", "12.5"),
        ("number", {}, "-3.0", "-3", "-3"),
        ("date", {}, "5-3-2024", "05-03-2024", "05-03-2024"),
        ("datetime", {}, "05-03-2024 09:30", "05-03-2024 09:30", "05-03-2024 09:30"),
        ("datetime", {}, "05-03-2024", "05-03-2024 00:00", "05-03-2024 00:00"),
        ("time", {}, "9:05", "09:05", "09:05"),
        ("checkbox", {}, "1", "1", "Yes"),
        ("checkbox", {}, "false", "0", "No"),
        ("list", {"options": ["Small", "Big"]}, "Big", "Big", "Big"),
        ("value_set", {"options": ["a", "b", "c"]}, '["c", "a"]', '["c", "a"]', "c, a"),
        ("value_set", {"options": ["a", "b"]}, "b", '["b"]', "b"),
    ],
)
def test_plain_types_round_trip(
    api: Api, server: Server, field_type: str, extra: dict[str, object], written: str, value: str, text: str
) -> None:
    field_id = make_field(server, api.tenant, "project", "F", field_type, **extra)
    project_id = with_values(api, value_xml(field_id, written))
    assert custom(get_project(api, project_id)) == {"F": (value, text)}


def test_references_show_names_and_titles(api: Api, server: Server) -> None:
    alice, _ = add_user(server, api.tenant, "alice", name="Alice", last_name="Liddell")
    bob, _ = add_user(server, api.tenant, "bob", name="Bob")
    lead = make_field(server, api.tenant, "project", "Lead", "employee")
    crew = make_field(server, api.tenant, "project", "Crew", "employee_list")
    task = make_field(server, api.tenant, "project", "Task", "task")
    tasks = make_field(server, api.tenant, "project", "Tasks", "task_set")
    related = make_field(server, api.tenant, "project", "Related", "project")
    first = make_task(server, api.tenant, "First task")
    second = make_task(server, api.tenant, "Second task")
    other = make_project(server, api.tenant, "Other project")
    project_id = with_values(
        api,
        value_xml(lead, str(alice)),
        value_xml(crew, f"[{bob}, {alice}]"),
        value_xml(task, str(first)),
        value_xml(tasks, f"[{first},{second}]"),
        value_xml(related, str(other)),
    )
    assert custom(get_project(api, project_id)) == {
        "Lead": (str(alice), "Alice Liddell"),
        "Crew": (f"[{bob},{alice}]", "Bob, Alice Liddell"),
        "Task": (str(first), "First task"),
        "Tasks": (f"[{first},{second}]", "First task, Second task"),
        "Related": (str(other), "Other project"),
    }


def test_unset_fields_read_empty(api: Api, server: Server) -> None:
    kinds = [
        "string",
        "number",
        "date",
        "checkbox",
        "employee",
        "contact",
        "employee_list",
        "handbook_record",
    ]
    for kind in kinds:
        make_field(server, api.tenant, "project", kind, kind)
    make_field(server, api.tenant, "task", "Only on tasks", "string")
    project_id = add_project(api, "<title>P</title>")
    assert custom(get_project(api, project_id)) == {
        "string": ("", ""),
        "number": ("", ""),
        "date": ("", ""),
        "checkbox": ("0", "No"),
        "employee": ("0", ""),
        "contact": ("0", ""),
        "employee_list": ("", ""),
        "handbook_record": ("0", ""),
    }


def test_fields_keep_their_form_order(api: Api, server: Server) -> None:
    names = ["Zeta", "Alpha", "Mid"]
    for name in names:
        make_field(server, api.tenant, "project", name, "string")
    reply = get_project(api, add_project(api, "<title>P</title>"))
    assert [e.text for e in reply.root.iterfind("project/customData/customValue/field/name")] == names


def test_clearing_values(api: Api, server: Server) -> None:
    alice, _ = add_user(server, api.tenant, "alice")
    note = make_field(server, api.tenant, "project", "Note", "string")
    lead = make_field(server, api.tenant, "project", "Lead", "employee")
    crew = make_field(server, api.tenant, "project", "Crew", "employee_list")
    project_id = with_values(
        api, value_xml(note, "x"), value_xml(lead, str(alice)), value_xml(crew, f"[{alice}]")
    )
    reply = update(api, project_id, value_xml(note, ""), value_xml(lead, "0"), value_xml(crew, "[]"))
    assert reply.ok, reply.raw
    assert custom(get_project(api, project_id)) == {"Note": ("", ""), "Lead": ("0", ""), "Crew": ("", "")}


def test_the_last_value_of_a_field_wins(api: Api, server: Server) -> None:
    note = make_field(server, api.tenant, "project", "Note", "string")
    project_id = with_values(api, value_xml(note, "first"), value_xml(note, "second"))
    assert custom(get_project(api, project_id)) == {"Note": ("second", "second")}


def test_empty_template_entries_are_ignored(api: Api, server: Server) -> None:
    note = make_field(server, api.tenant, "project", "Note", "string")
    project_id = with_values(api, value_xml(note, "kept"))
    assert update(api, project_id, "<customValue><id></id><value></value></customValue>").ok
    assert custom(get_project(api, project_id)) == {"Note": ("kept", "kept")}


def test_a_value_without_a_field_id_is_0009(api: Api, server: Server) -> None:
    make_field(server, api.tenant, "project", "Note", "string")
    reply = api.call(
        "project.add",
        "<project><title>P</title><customData><customValue><value>x</value></customValue></customData></project>",
    )
    assert reply.code == "0009"


@pytest.mark.parametrize(
    ("field_type", "extra", "written"),
    [
        ("number", {}, "12 apples"),
        ("number", {}, "NaN"),
        ("date", {}, "2024-03-05"),
        ("date", {}, "31-02-2024"),
        ("datetime", {}, "05-03-2024 25:00"),
        ("time", {}, "24:00"),
        ("checkbox", {}, "yes"),
        ("list", {"options": ["A"]}, "B"),
        ("value_set", {"options": ["A"]}, '["A", "B"]'),
        ("value_set", {"options": ["A"]}, '["A"'),
        ("employee", {}, "abc"),
        ("employee", {}, "[1,2]"),
        ("employee", {}, "999999"),
        ("employee_list", {}, "1,2"),
        ("employee_list", {}, "[999999]"),
        ("contact", {}, "5"),
        ("task", {}, "999999"),
        ("task_set", {}, "[999999]"),
        ("project", {}, "999999"),
        ("handbook_record_set", {}, "[a]"),
    ],
)
def test_bad_values_are_0015_and_change_nothing(
    api: Api, server: Server, field_type: str, extra: dict[str, object], written: str
) -> None:
    note = make_field(server, api.tenant, "project", "Note", "string")
    field_id = make_field(server, api.tenant, "project", "F", field_type, **extra)
    project_id = with_values(api, value_xml(note, "before"))
    assert update(api, project_id, value_xml(note, "after"), value_xml(field_id, written)).code == "0015"
    assert custom(get_project(api, project_id))["Note"] == ("before", "before")


def test_fields_and_ids_of_another_account_or_kind_are_0015(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_field(server, other, "project", "Theirs", "string")
    task_field = make_field(server, api.tenant, "task", "Task field", "string")
    lead = make_field(server, api.tenant, "project", "Lead", "employee")
    their_task = make_task(server, other, "Their task")
    related = make_field(server, api.tenant, "project", "Task", "task")
    for values in (
        value_xml(theirs, "x"),
        value_xml(task_field, "x"),
        value_xml(lead, str(other.owner_id)),
        value_xml(related, str(their_task)),
    ):
        reply = api.call(
            "project.add", f"<project><title>P</title><customData>{values}</customData></project>"
        )
        assert reply.code == "0015", values


def test_datetimes_are_read_and_written_in_the_callers_zone(api: Api, server: Server) -> None:
    _, tokyo = add_user(server, api.tenant, "tokyo", timezone="Asia/Tokyo")
    moment = make_field(server, api.tenant, "project", "Meeting", "datetime")
    project_id = with_values(api.as_user(tokyo), value_xml(moment, "05-03-2024 09:30"))
    assert custom(get_project(api, project_id)) == {"Meeting": ("05-03-2024 00:30", "05-03-2024 00:30")}
    assert custom(get_project(api.as_user(tokyo), project_id))["Meeting"][0] == "05-03-2024 09:30"


def test_checkbox_texts_in_russian(api: Api, server: Server, settings: Settings) -> None:
    flag = make_field(server, api.tenant, "project", "Flag", "checkbox")
    checked = with_values(api, value_xml(flag, "1"))
    unchecked = add_project(api, "<title>Q</title>")
    russian = Server.start(replace(settings, language="ru"))
    try:
        with TestClient(create_app(server=russian), base_url="https://testserver") as client:
            ru = Api(client, api.tenant)
            assert custom(get_project(ru, checked)) == {"Flag": ("1", "Да")}
            assert custom(get_project(ru, unchecked)) == {"Flag": ("0", "Нет")}
    finally:
        russian.engine.dispose()


def test_values_are_per_object(api: Api, server: Server) -> None:
    note = make_field(server, api.tenant, "project", "Note", "string")
    first = with_values(api, value_xml(note, "one"))
    second = with_values(api, value_xml(note, "two"))
    reply = api.call("project.getList", "<pageCurrent>1</pageCurrent><sortType>NUMBER_ASC</sortType>")
    values = [e.text for e in reply.root.iterfind("projects/project/customData/customValue/value")]
    assert values == ["one", "two"]
    assert (first, second) != (0, 0)
