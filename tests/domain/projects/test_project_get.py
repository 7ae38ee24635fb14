from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.app import Server
from tests.domain.projects.helpers import get_project, make_field, make_group, make_project, make_task
from tests.domain.users.helpers import add_group as add_user_group
from tests.domain.users.helpers import body
from tests.support import Api, Reply, add_user, now, provision


def get(api: Api, inner: str) -> Reply:
    return api.call("project.get", f"<project>{inner}</project>")


def test_the_full_card(api: Api, server: Server) -> None:
    worker, _ = add_user(server, api.tenant, "w", name="Wendy", last_name="Worker")
    auditor, _ = add_user(server, api.tenant, "a", name="Aud")
    devs = add_user_group(server, api.tenant, "Devs")
    group = make_group(server, api.tenant, "Clients")
    parent = make_project(server, api.tenant, "Parent")
    stage = make_field(server, api.tenant, "project", "Stage", "list", options=["A", "B"])
    created = dt.datetime(2024, 2, 1, 10, 0, tzinfo=dt.UTC)
    project_id = make_project(
        server,
        api.tenant,
        "Site <1>",
        when=created,
        description="a & b",
        group_id=group,
        parent_id=parent,
        end_date=dt.date(2024, 12, 31),
        status="COMPLETED",
        people=[
            ("worker", "user", worker),
            ("worker", "group", devs),
            ("member", "user", auditor),
            ("auditor", "user", auditor),
            ("manager", "user", worker),
        ],
    )
    for _ in range(3):
        make_task(server, api.tenant, "T", project_id=project_id)
    make_task(server, api.tenant, "Template", project_id=project_id, template=True)
    reply = api.call("project.get", f"<project><id>{project_id}</id></project>")
    assert reply.ok, reply.raw
    assert body(reply) == (
        f"<project><id>{project_id}</id><title>Site &lt;1&gt;</title><description>a &amp; b</description>"
        f"<owner><id>{api.tenant.owner_id}</id><name>owner@acme</name></owner>"
        "<client><id>0</id><name></name></client>"
        f"<group><id>{group}</id><name>Clients</name></group>"
        f"<parent><id>{parent}</id></parent><template><id>0</id></template>"
        "<status>COMPLETED</status><hidden>0</hidden><hasEndDate>1</hasEndDate>"
        "<endDate>31-12-2024</endDate><beginDate>01-02-2024</beginDate><taskCount>3</taskCount>"
        "<isOverdued>0</isOverdued><isCloseToDeadline>0</isCloseToDeadline>"
        f"<workers><users><user><id>{worker}</id><name>Wendy Worker</name></user></users>"
        f"<groups><group><id>{devs}</id><name>Devs</name></group></groups></workers>"
        f"<members><users><user><id>{auditor}</id><name>Aud</name></user></users><groups/></members>"
        f"<auditors><users><user><id>{auditor}</id><name>Aud</name></user></users></auditors>"
        f"<customData><customValue><field><id>{stage}</id><name>Stage</name></field>"
        "<value></value><text></text></customValue></customData></project>"
    )


def test_by_number_when_there_is_no_id(api: Api, server: Server) -> None:
    first = make_project(server, api.tenant, "First")
    second = make_project(server, api.tenant, "Second")
    assert get(api, "<general>2</general>").text("project/id") == str(second)
    # Projects prefer the id (tasks prefer the number).
    reply = get(api, f"<id>{first}</id><general>2</general>")
    assert reply.text("project/id") == str(first)
    assert get(api, "<id></id><general>1</general>").text("project/id") == str(first)


@pytest.mark.parametrize("inner", ["", "<id></id>", "<id>0</id><general>0</general>"])
def test_without_identifiers_is_0009(api: Api, inner: str) -> None:
    assert get(api, inner).code == "0009"
    assert api.call("project.get").code == "0009"


def test_unknown_foreign_or_invalid(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_project(server, other, "Theirs")
    assert get(api, "<id>9999</id>").code == "2001"
    assert get(api, f"<id>{theirs}</id>").code == "2001"
    assert get(api, "<general>1</general>").code == "2001"
    assert get(api, "<id>abc</id>").code == "0015"


def test_visibility_of_a_hidden_project(api: Api, server: Server) -> None:
    owner, owner_token = add_user(server, api.tenant, "owner1")
    direct, direct_token = add_user(server, api.tenant, "direct")
    member, member_token = add_user(server, api.tenant, "member")
    tasked, tasked_token = add_user(server, api.tenant, "tasked")
    task_group_member, task_group_token = add_user(server, api.tenant, "tgm")
    _, stranger_token = add_user(server, api.tenant, "stranger")
    team = add_user_group(server, api.tenant, "Team", (member,))
    task_team = add_user_group(server, api.tenant, "Task team", (task_group_member,))
    hidden = make_project(
        server,
        api.tenant,
        "Hidden",
        owner_id=owner,
        hidden=True,
        people=[("auditor", "user", direct), ("member", "group", team)],
    )
    make_task(server, api.tenant, "T", project_id=hidden, people=(("worker", "user", tasked),))
    make_task(server, api.tenant, "T2", project_id=hidden, people=(("auditor", "group", task_team),))
    for token in (owner_token, direct_token, member_token, tasked_token, task_group_token):
        assert get_project(api.as_user(token), hidden).text("project/title") == "Hidden"
    assert get(api.as_user(stranger_token), f"<id>{hidden}</id>").code == "2002"
    assert get_project(api, hidden).ok  # administrators see every project but others' drafts
    public = make_project(server, api.tenant, "Public", owner_id=owner)
    assert get_project(api.as_user(stranger_token), public).ok


def test_a_draft_is_seen_only_by_its_owner(api: Api, server: Server) -> None:
    owner, owner_token = add_user(server, api.tenant, "author")
    worker, worker_token = add_user(server, api.tenant, "worker")
    draft = make_project(
        server, api.tenant, "Draft", owner_id=owner, status="DRAFT", people=[("worker", "user", worker)]
    )
    assert get_project(api.as_user(owner_token), draft).text("project/status") == "DRAFT"
    assert get(api.as_user(worker_token), f"<id>{draft}</id>").code == "2002"
    assert get(api, f"<id>{draft}</id>").code == "2002"


@pytest.mark.parametrize(
    ("created_days_ago", "end_in_days", "status", "overdue", "close"),
    [
        (10, 100, "ACTIVE", "0", "0"),
        (100, 10, "ACTIVE", "0", "1"),  # over 75 % of the time gone
        (30, 10, "ACTIVE", "0", "1"),  # exactly 75 %
        (29, 10, "ACTIVE", "0", "0"),
        (0, 0, "ACTIVE", "0", "1"),  # due today
        (10, -1, "ACTIVE", "1", "0"),
        (10, -1, "DRAFT", "1", "0"),
        (10, -1, "COMPLETED", "0", "0"),
        (100, 10, "COMPLETED", "0", "0"),
    ],
)
def test_deadline_flags(
    api: Api, server: Server, created_days_ago: int, end_in_days: int, status: str, overdue: str, close: str
) -> None:
    today = now().date()
    created = now() - dt.timedelta(days=created_days_ago)
    project_id = make_project(
        server, api.tenant, "P", when=created, end_date=today + dt.timedelta(days=end_in_days), status=status
    )
    card = get_project(api, project_id)
    assert (card.text("project/isOverdued"), card.text("project/isCloseToDeadline")) == (overdue, close)


def test_dates_are_in_the_callers_time_zone(api: Api, server: Server) -> None:
    _, token = add_user(server, api.tenant, "tokyo", timezone="Asia/Tokyo")
    created = dt.datetime(2024, 3, 31, 20, 0, tzinfo=dt.UTC)  # already 1 April in Tokyo
    project_id = make_project(server, api.tenant, "P", when=created)
    assert get_project(api, project_id).text("project/beginDate") == "31-03-2024"
    assert get_project(api.as_user(token), project_id).text("project/beginDate") == "01-04-2024"


def test_task_count_counts_only_this_projects_tasks(api: Api, server: Server) -> None:
    mine = make_project(server, api.tenant, "Mine")
    other_project = make_project(server, api.tenant, "Other")
    make_task(server, api.tenant, "a", project_id=mine)
    make_task(server, api.tenant, "b", project_id=other_project)
    make_task(server, api.tenant, "c")
    assert get_project(api, mine).text("project/taskCount") == "1"
