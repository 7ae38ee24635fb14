from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.projects.helpers import (
    add_project,
    custom,
    get_project,
    make_field,
    make_group,
    make_project,
)
from tests.domain.users.helpers import add_group as add_user_group
from tests.support import Api, Reply, add_user, provision


def update(api: Api, project_id: int, inner: str) -> Reply:
    return api.call("project.update", f"<project><id>{project_id}</id>{inner}</project>")


def people(reply: Reply, role: str) -> list[int]:
    return sorted(int(e.text or 0) for e in reply.root.iterfind(f"project/{role}/users/user/id"))


def test_changes_what_is_sent_and_keeps_the_rest(api: Api, server: Server) -> None:
    worker, _ = add_user(server, api.tenant, "worker")
    project_id = add_project(
        api,
        "<title>Old</title><description>Keep me</description><hidden>1</hidden>"
        f"<hasEndDate>1</hasEndDate><endDate>01-01-2030</endDate><workers><id>{worker}</id></workers>",
    )
    reply = update(api, project_id, "<title>New</title><status>COMPLETED</status>")
    assert reply.ok, reply.raw
    assert reply.text("project/id") == str(project_id)
    card = get_project(api, project_id)
    assert card.text("project/title") == "New"
    assert card.text("project/status") == "COMPLETED"
    assert card.text("project/description") == "Keep me"
    assert card.text("project/hidden") == "1"
    assert card.text("project/endDate") == "01-01-2030"
    assert people(card, "workers") == [worker]


def test_every_field(api: Api, server: Server) -> None:
    alice, alice_token = add_user(server, api.tenant, "alice")
    bob, _ = add_user(server, api.tenant, "bob")
    group = make_group(server, api.tenant, "G")
    parent = add_project(api, "<title>Parent</title>")
    project_id = add_project(api, "<title>P</title>")
    reply = update(
        api,
        project_id,
        "<title>T2</title><description>D2</description>"
        f"<owner><id>{alice}</id></owner><client><id>0</id></client><status>DRAFT</status>"
        "<hidden>1</hidden><hasEndDate>1</hasEndDate><endDate>15-06-2031</endDate>"
        f"<group><id>{group}</id></group><parent><id>{parent}</id></parent>"
        f"<auditors><id>{bob}</id></auditors><managers><id>{bob}</id></managers>"
        f"<workers><id>{alice}</id></workers><members><id>{bob}</id><id>{alice}</id></members>",
    )
    assert reply.ok, reply.raw
    # A draft is its owner's only.
    assert api.call("project.get", f"<project><id>{project_id}</id></project>").code == "2002"
    card = get_project(api.as_user(alice_token), project_id)
    assert card.text("project/title") == "T2"
    assert card.text("project/description") == "D2"
    assert card.text("project/owner/id") == str(alice)
    assert card.text("project/status") == "DRAFT"
    assert card.text("project/hidden") == "1"
    assert card.text("project/endDate") == "15-06-2031"
    assert card.text("project/group/id") == str(group)
    assert card.text("project/parent/id") == str(parent)
    assert people(card, "auditors") == [bob]
    assert people(card, "workers") == [alice]
    assert people(card, "members") == sorted([alice, bob])


def test_lists_replace_empty_lists_are_left_alone_and_zero_empties(api: Api, server: Server) -> None:
    alice, _ = add_user(server, api.tenant, "alice")
    bob, _ = add_user(server, api.tenant, "bob")
    project_id = add_project(api, f"<title>P</title><workers><id>{alice}</id></workers>")
    assert update(api, project_id, f"<workers><id>{bob}</id></workers>").ok
    assert people(get_project(api, project_id), "workers") == [bob]
    assert update(api, project_id, "<workers/>").ok
    assert update(api, project_id, "<workers><id></id></workers>").ok
    assert people(get_project(api, project_id), "workers") == [bob]
    assert update(api, project_id, "<workers><id>0</id></workers>").ok
    assert people(get_project(api, project_id), "workers") == []


def test_empty_elements_change_nothing(api: Api) -> None:
    project_id = add_project(api, "<title>Keep</title><description>D</description>")
    reply = update(
        api, project_id, "<title></title><status></status><hidden></hidden><owner><id></id></owner>"
    )
    assert reply.ok, reply.raw
    card = get_project(api, project_id)
    assert (card.text("project/title"), card.text("project/status")) == ("Keep", "ACTIVE")


def test_general_is_used_only_without_id(api: Api) -> None:
    first = add_project(api, "<title>First</title>")
    second = add_project(api, "<title>Second</title>")
    reply = api.call("project.update", "<project><general>2</general><title>By number</title></project>")
    assert reply.text("project/id") == str(second)
    reply = api.call(
        "project.update", f"<project><id>{first}</id><general>2</general><title>By id</title></project>"
    )
    assert reply.text("project/id") == str(first)
    assert get_project(api, first).text("project/title") == "By id"
    assert get_project(api, second).text("project/title") == "By number"


def test_end_dates(api: Api) -> None:
    project_id = add_project(api, "<title>P</title>")
    assert update(api, project_id, "<hasEndDate>1</hasEndDate>").code == "0017"
    assert update(api, project_id, "<endDate>01-01-2030</endDate>").ok  # ignored: no end date yet
    assert get_project(api, project_id).text("project/hasEndDate") == "0"
    assert update(api, project_id, "<hasEndDate>1</hasEndDate><endDate>02-02-2030</endDate>").ok
    assert update(api, project_id, "<hasEndDate>1</hasEndDate>").ok  # keeps the date it has
    assert update(api, project_id, "<endDate>03-03-2030</endDate>").ok
    assert get_project(api, project_id).text("project/endDate") == "03-03-2030"
    assert update(api, project_id, "<hasEndDate>0</hasEndDate><endDate>04-04-2030</endDate>").ok
    card = get_project(api, project_id)
    assert (card.text("project/hasEndDate"), card.text("project/endDate")) == ("0", "")


def test_custom_data_changes_only_the_listed_fields(api: Api, server: Server) -> None:
    stage = make_field(server, api.tenant, "project", "Stage", "string")
    budget = make_field(server, api.tenant, "project", "Budget", "number", unit="EUR")
    project_id = add_project(
        api,
        "<title>P</title><customData>"
        f"<customValue><id>{stage}</id><value>one</value></customValue>"
        f"<customValue><id>{budget}</id><value>100</value></customValue></customData>",
    )
    inner = f"<customData><customValue><id>{stage}</id><value>two</value></customValue></customData>"
    assert update(api, project_id, inner).ok
    assert custom(get_project(api, project_id)) == {"Stage": ("two", "two"), "Budget": ("100", "100 EUR")}


def test_missing_identifiers_are_0009(api: Api) -> None:
    assert api.call("project.update", "<project><title>T</title></project>").code == "0009"
    assert api.call("project.update", "<project><id></id><general>0</general></project>").code == "0009"


def test_unknown_or_foreign_project_is_2001(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_project(server, other, "Theirs")
    assert update(api, 9999, "<title>T</title>").code == "2001"
    assert update(api, theirs, "<title>T</title>").code == "2001"
    assert (
        api.call("project.update", "<project><general>7</general><title>T</title></project>").code == "2001"
    )


def test_who_may_change_a_project(api: Api, server: Server) -> None:
    owner, owner_token = add_user(server, api.tenant, "owner1")
    manager, manager_token = add_user(server, api.tenant, "manager1")
    group_manager, group_manager_token = add_user(server, api.tenant, "gm")
    _, worker_token = add_user(server, api.tenant, "worker1")
    bosses = add_user_group(server, api.tenant, "Bosses", (group_manager,))
    project_id = make_project(
        server,
        api.tenant,
        "P",
        owner_id=owner,
        people=[("manager", "user", manager), ("manager", "group", bosses)],
    )
    assert update(api.as_user(worker_token), project_id, "<title>No</title>").code == "2002"
    for token, title in ((owner_token, "o"), (manager_token, "m"), (group_manager_token, "g")):
        assert update(api.as_user(token), project_id, f"<title>{title}</title>").ok
    assert update(api, project_id, "<title>admin</title>").ok  # administrators
    hidden = make_project(server, api.tenant, "Hidden", owner_id=owner, hidden=True)
    assert update(api.as_user(worker_token), hidden, "<title>No</title>").code == "2002"


def test_a_draft_is_changed_only_by_its_owner(api: Api, server: Server) -> None:
    owner, owner_token = add_user(server, api.tenant, "author")
    draft = make_project(server, api.tenant, "Draft", owner_id=owner, status="DRAFT")
    assert update(api, draft, "<title>admin</title>").code == "2002"
    assert update(api.as_user(owner_token), draft, "<status>ACTIVE</status>").ok
    assert update(api, draft, "<title>admin now</title>").ok


def test_a_project_cannot_sit_inside_itself(api: Api) -> None:
    top = add_project(api, "<title>Top</title>")
    middle = add_project(api, f"<title>Middle</title><parent><id>{top}</id></parent>")
    bottom = add_project(api, f"<title>Bottom</title><parent><id>{middle}</id></parent>")
    assert update(api, top, f"<parent><id>{bottom}</id></parent>").code == "0016"
    assert update(api, top, f"<parent><id>{top}</id></parent>").code == "0016"
    assert update(api, bottom, f"<parent><id>{top}</id></parent>").ok


@pytest.mark.parametrize(
    ("inner", "code"),
    [
        ("<status>CLOSED</status>", "0015"),
        ("<group><id>9999</id></group>", "0101"),
        ("<parent><id>9999</id></parent>", "2001"),
        ("<owner><id>9999</id></owner>", "6004"),
        ("<auditors><id>9999</id></auditors>", "6004"),
        ("<client><id>3</id></client>", "8002"),
        ("<customData><customValue><id>9999</id><value>1</value></customValue></customData>", "0015"),
    ],
)
def test_bad_values_change_nothing(api: Api, inner: str, code: str) -> None:
    project_id = add_project(api, "<title>Same</title>")
    assert update(api, project_id, f"<title>Changed</title>{inner}").code == code
    assert get_project(api, project_id).text("project/title") == "Same"
