from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planfix_server.app import Server
from planfix_server.store.tables import projects
from tests.domain.projects.helpers import (
    add_project,
    custom,
    get_project,
    make_field,
    make_group,
    make_project,
)
from tests.domain.users.helpers import add_group as add_user_group
from tests.support import Api, add_user, provision


def project_count(server: Server) -> int:
    with server.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(projects)).scalar_one())


def test_adds_a_project_with_every_documented_field(api: Api, server: Server) -> None:
    worker, _ = add_user(server, api.tenant, "worker", name="Wendy", last_name="Worker")
    auditor, _ = add_user(server, api.tenant, "auditor")
    manager, _ = add_user(server, api.tenant, "manager")
    group = make_group(server, api.tenant, "Clients")
    parent = add_project(api, "<title>Parent</title>")
    stage = make_field(server, api.tenant, "project", "Stage", "list", options=["A", "B"])
    reply = api.call(
        "project.add",
        "<project><title>Site &amp; shop</title><description>The new site</description>"
        f"<owner><id>{worker}</id></owner><client><id>0</id></client><status>ACTIVE</status>"
        "<hidden>1</hidden><hasEndDate>1</hasEndDate><endDate>31-12-2030</endDate>"
        f"<group><id>{group}</id></group><parent><id>{parent}</id></parent>"
        f"<auditors><id>{auditor}</id></auditors><managers><id>{manager}</id></managers>"
        f"<workers><id>{worker}</id><id>{api.tenant.owner_id}</id></workers>"
        f"<customData><customValue><id>{stage}</id><value>B</value></customValue></customData>"
        "</project>",
    )
    assert reply.ok, reply.raw
    project_id = int(reply.text("project/id"))
    assert [child.tag for child in reply.root.find("project")] == ["id"]  # type: ignore[union-attr]
    card = get_project(api, project_id)
    assert card.text("project/title") == "Site & shop"
    assert card.text("project/description") == "The new site"
    assert card.text("project/owner/id") == str(worker)
    assert card.text("project/owner/name") == "Wendy Worker"
    assert card.text("project/client/id") == "0"
    assert card.text("project/group/id") == str(group)
    assert card.text("project/group/name") == "Clients"
    assert card.text("project/parent/id") == str(parent)
    assert card.text("project/template/id") == "0"
    assert card.text("project/status") == "ACTIVE"
    assert card.text("project/hidden") == "1"
    assert card.text("project/hasEndDate") == "1"
    assert card.text("project/endDate") == "31-12-2030"
    workers = sorted(int(e.text or 0) for e in card.root.iterfind("project/workers/users/user/id"))
    assert workers == sorted([worker, api.tenant.owner_id])
    assert [e.text for e in card.root.iterfind("project/auditors/users/user/id")] == [str(auditor)]
    assert b"<managers" not in card.raw  # stored, not written
    assert custom(card) == {"Stage": ("B", "B")}


def test_defaults(api: Api) -> None:
    card = get_project(api, add_project(api, "<title>Plain</title>"))
    assert card.text("project/owner/id") == str(api.tenant.owner_id)
    assert card.text("project/status") == "ACTIVE"
    assert card.text("project/hidden") == "0"
    assert card.text("project/hasEndDate") == "0"
    assert card.text("project/endDate") == ""
    assert card.text("project/description") == ""
    assert card.text("project/group/id") == "0"
    assert card.text("project/parent/id") == "0"


def test_owner_zero_means_the_caller(api: Api, server: Server) -> None:
    _, token = add_user(server, api.tenant, "plain")
    as_plain = api.as_user(token)
    project_id = add_project(as_plain, "<title>Mine</title><owner><id>0</id></owner>")
    assert get_project(as_plain, project_id).text("project/owner/name") == "plain"


def test_end_date_is_ignored_without_has_end_date(api: Api) -> None:
    card = get_project(api, add_project(api, "<title>P</title><endDate>01-01-2030</endDate>"))
    assert card.text("project/hasEndDate") == "0" and card.text("project/endDate") == ""
    card = get_project(
        api, add_project(api, "<title>P</title><hasEndDate>0</hasEndDate><endDate>01-01-2030</endDate>")
    )
    assert card.text("project/endDate") == ""


def test_has_end_date_without_a_date_is_0017(api: Api) -> None:
    assert (
        api.call("project.add", "<project><title>P</title><hasEndDate>1</hasEndDate></project>").code
        == "0017"
    )


@pytest.mark.parametrize("status", ["DRAFT", "ACTIVE", "COMPLETED"])
def test_statuses(api: Api, status: str) -> None:
    project_id = add_project(api, f"<title>P</title><status>{status}</status>")
    assert get_project(api, project_id).text("project/status") == status


def test_general_numbers_are_sequential(api: Api) -> None:
    first = add_project(api, "<title>One</title>")
    second = add_project(api, "<title>Two</title>")
    for general, project_id in ((1, first), (2, second)):
        reply = api.call("project.get", f"<project><general>{general}</general></project>")
        assert reply.text("project/id") == str(project_id)


@pytest.mark.parametrize(
    "inner",
    ["", "<project/>", "<project><title></title></project>", "<project><title>  </title></project>"],
)
def test_missing_title_is_0009(api: Api, server: Server, inner: str) -> None:
    assert api.call("project.add", inner).code == "0009"
    assert project_count(server) == 0


@pytest.mark.parametrize(
    "inner",
    [
        "<title>P</title><status>OPEN</status>",
        "<title>P</title><status>active</status>",
        "<title>P</title><hidden>maybe</hidden>",
        "<title>P</title><hasEndDate>1</hasEndDate><endDate>31-02-2030</endDate>",
        "<title>P</title><group><id>x</id></group>",
        f"<title>{'x' * 501}</title>",
    ],
)
def test_invalid_values_are_0015(api: Api, inner: str) -> None:
    assert api.call("project.add", f"<project>{inner}</project>").code == "0015"


def test_unknown_or_foreign_group_is_0101(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_group(server, other, "Theirs")
    assert (
        api.call("project.add", "<project><title>P</title><group><id>9999</id></group></project>").code
        == "0101"
    )
    assert (
        api.call("project.add", f"<project><title>P</title><group><id>{theirs}</id></group></project>").code
        == "0101"
    )


def test_unknown_or_foreign_parent_is_2001(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_project(server, other, "Theirs")
    for parent in (9999, theirs):
        reply = api.call(
            "project.add", f"<project><title>P</title><parent><id>{parent}</id></parent></project>"
        )
        assert reply.code == "2001"


def test_a_parent_the_caller_cannot_see_is_2002(api: Api, server: Server) -> None:
    hidden = make_project(server, api.tenant, "Hidden", hidden=True)
    _, token = add_user(server, api.tenant, "plain")
    reply = api.as_user(token).call(
        "project.add", f"<project><title>P</title><parent><id>{hidden}</id></parent></project>"
    )
    assert reply.code == "2002"


def test_a_client_is_a_contact_that_does_not_exist_yet(api: Api) -> None:
    assert (
        api.call("project.add", "<project><title>P</title><client><id>5</id></client></project>").code
        == "8002"
    )


def test_unknown_or_foreign_people_are_6004(api: Api, server: Server) -> None:
    other = provision(server, "other")
    for role in ("workers", "auditors", "managers", "members"):
        for user_id in (9999, other.owner_id):
            inner = f"<project><title>P</title><{role}><id>{user_id}</id></{role}></project>"
            assert api.call("project.add", inner).code == "6004", role
    assert (
        api.call("project.add", "<project><title>P</title><owner><id>9999</id></owner></project>").code
        == "6004"
    )
    assert project_count(server) == 0


def test_a_bad_custom_value_adds_nothing(api: Api, server: Server) -> None:
    number = make_field(server, api.tenant, "project", "Budget", "number")
    task_field = make_field(server, api.tenant, "task", "Hours", "number")
    for field_id, value in ((number, "lots"), (task_field, "5"), (424242, "5")):
        value_xml = f"<customValue><id>{field_id}</id><value>{value}</value></customValue>"
        inner = f"<project><title>P</title><customData>{value_xml}</customData></project>"
        assert api.call("project.add", inner).code == "0015"
    assert project_count(server) == 0


def test_employees_may_add_projects(api: Api, server: Server) -> None:
    _, token = add_user(server, api.tenant, "plain")
    as_plain = api.as_user(token)
    project_id = add_project(as_plain, "<title>Theirs</title><hidden>1</hidden>")
    assert get_project(as_plain, project_id).text("project/owner/name") == "plain"


def test_people_lists_of_zero_are_empty(api: Api) -> None:
    card = get_project(
        api, add_project(api, "<title>P</title><workers><id>0</id></workers><members><id></id></members>")
    )
    assert card.root.find("project/workers/users/user") is None


def test_groups_show_in_people_lists_when_stored(api: Api, server: Server) -> None:
    devs = add_user_group(server, api.tenant, "Developers")
    project_id = make_project(
        server, api.tenant, "P", people=[("worker", "group", devs), ("member", "group", devs)]
    )
    card = get_project(api, project_id)
    assert card.text("project/workers/groups/group/name") == "Developers"
    assert card.text("project/members/groups/group/id") == str(devs)
