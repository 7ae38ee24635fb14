"""Fixture sections of this area: processes, custom_fields, project_groups, projects."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.domain.statuses import service
from planfix_server.sandbox.fixtures import FixtureError, seed
from planfix_server.store.uow import AccountUnitOfWork
from tests.support import Api, Tenant, now

FIXTURE: dict[str, Any] = {
    "name": "acme",
    "owner": {"login": "owner"},
    "users": [{"login": "alice", "name": "Alice", "groups": ["Devs"]}, {"login": "bob"}],
    "user_groups": [{"name": "Devs"}],
    "processes": [
        {
            "name": "Sales",
            "statuses": [
                "ACTIVE",
                {"name": "Qualified", "name_ru": "Квалифицирован", "color": "#00aa00"},
                "COMPLETED",
            ],
            "accept": "Qualified",
            "transitions": [
                {"from": "ACTIVE", "to": "Qualified", "side": "worker"},
                {"from": "Qualified", "to": "COMPLETED"},
            ],
        },
        {"name": "Short", "statuses": ["Qualified", "CANCELED"], "default": True},
    ],
    "custom_fields": [
        {"object": "project", "name": "Stage", "type": "list", "options": ["A", "B"]},
        {"object": "project", "name": "Lead", "type": "employee"},
        {"object": "task", "name": "Hours", "type": "number", "unit": "h"},
    ],
    "project_groups": ["Clients", {"name": "Internal"}],
    "projects": [
        {"title": "Template", "template": True},
        {
            "title": "Site",
            "owner": "alice",
            "group": "Clients",
            "end_date": "31-12-2030",
            "hidden": True,
            "from_template": "Template",
            "workers": ["bob"],
            "worker_groups": ["Devs"],
            "managers": ["alice"],
            "custom_data": {"Stage": "B", "Lead": "1"},
        },
        {"title": "Sub", "parent": "Site", "status": "DRAFT"},
    ],
}


def load(server: Server, *accounts: dict[str, Any]) -> dict[str, Any]:
    return seed(
        server.engine,
        {"accounts": list(accounts)},
        passwords=server.passwords,
        now=now(),
        data_centre=server.settings.data_centre,
    )


def api_of(client: TestClient, loaded: dict[str, Any]) -> Api:
    account = loaded["accounts"][0]
    tenant = Tenant(
        account["name"],
        account["id"],
        account["api_keys"][0]["api_key"],
        account["api_keys"][0]["signature_key"],
        account["tokens"][0]["token"],
        account["owner"]["id"],
        "owner",
        account["owner"]["password"],
    )
    return Api(client, tenant)


def test_a_full_fixture(server: Server, client: TestClient) -> None:
    loaded = load(server, FIXTURE)
    account = loaded["accounts"][0]
    api = api_of(client, loaded)
    processes = account["processes"]
    assert set(processes) == {"Default process", "Sales", "Short"}
    assert account["task_statuses"] == {"Qualified": 100}
    sets = api.call("taskStatus.getSetList")
    assert [e.text for e in sets.root.iterfind("taskStatusSets/taskStatusSet/name")] == [
        "Default process",
        "Sales",
        "Short",
    ]
    sales = api.call(
        "taskStatus.getListOfSet", f"<taskStatusSet><id>{processes['Sales']}</id></taskStatusSet>"
    )
    assert [e.text for e in sales.root.iterfind("taskStatuses/taskStatus/id")] == ["1", "100", "3"]
    assert sales.text("taskStatuses/taskStatus[2]/color") == "#00aa00"
    assert sales.text("taskStatuses/taskStatus[2]/texts/text[1]/name") == "Квалифицирован"

    with server.engine.connect() as connection:
        uow = AccountUnitOfWork(connection, account["id"])
        assert service.default_process_id(uow) == processes["Short"]
        process = service.require_process(uow, processes["Sales"])
        assert process.accept_status_id == 100
        assert process.can_move(1, 100, {"worker"}) and process.can_move(100, 3, {"owner"})
        short = service.require_process(uow, processes["Short"])
        assert short.can_move(100, 7, {"owner"}) and short.can_move(7, 100, {"owner"})

    fields = account["custom_fields"]
    assert set(fields["project"]) == {"Stage", "Lead"} and set(fields["task"]) == {"Hours"}
    groups = account["project_groups"]
    assert list(groups) == ["Clients", "Internal"]
    projects = account["projects"]
    site = api.call("project.get", f"<project><id>{projects['Site']}</id></project>")
    assert site.ok, site.raw
    assert site.text("project/owner/name") == "Alice"
    assert site.text("project/group/name") == "Clients"
    assert site.text("project/template/id") == str(projects["Template"])
    assert site.text("project/hidden") == "1"
    assert site.text("project/endDate") == "31-12-2030"
    assert site.text("project/workers/users/user/id") == str(account["users"]["bob"])
    assert site.text("project/workers/groups/group/name") == "Devs"
    values = [
        (e.findtext("field/name"), e.findtext("value"))
        for e in site.root.iterfind("project/customData/customValue")
    ]
    assert values == [("Stage", "B"), ("Lead", "1")]
    templates = api.call("project.getList", "<pageCurrent>1</pageCurrent><target>template</target>")
    assert templates.text("projects/project/title") == "Template"
    # The draft belongs to the owner (the default), who sees it; its parent is Site.
    sub = api.call("project.get", f"<project><id>{projects['Sub']}</id></project>")
    assert sub.text("project/parent/id") == str(projects["Site"])


def test_every_account_gets_the_default_process(server: Server, client: TestClient) -> None:
    loaded = load(server, {"name": "bare"})
    assert list(loaded["accounts"][0]["processes"]) == ["Default process"]
    reply = api_of(client, loaded).call("taskStatus.getSetList")
    assert reply.text("taskStatusSets/taskStatusSet/name") == "Default process"


@pytest.mark.parametrize(
    ("section", "value", "message"),
    [
        ("processes", [{"name": "P", "statuses": []}], "at least one status"),
        ("processes", [{"name": "P", "statuses": ["NOPE"]}], "no task_statuses entry 'NOPE'"),
        ("processes", [{"name": "P", "statuses": [{"name": "DONE"}]}], "is a system status"),
        (
            "processes",
            [{"name": "P", "statuses": ["ACTIVE"], "transitions": [{"from": "ACTIVE", "to": "DONE"}]}],
            "leaves",
        ),
        ("processes", [{"name": "P", "statuses": ["ACTIVE"], "accept": "DONE"}], "accept status"),
        ("custom_fields", [{"object": "user", "name": "F", "type": "string"}], "is not one of"),
        ("custom_fields", [{"object": "task", "name": "F", "type": "list"}], "at least one option"),
        ("projects", [{"title": "P", "owner": "ghost"}], "no users entry 'ghost'"),
        ("projects", [{"title": "P", "group": "None"}], "no project_groups entry"),
        ("projects", [{"title": "P", "status": "OPEN"}], "is not one of"),
        ("projects", [{"title": "P", "end_date": "2030-01-01"}], "end_date"),
        ("projects", [{"title": "P", "custom_data": {"Missing": "1"}}], "no project_fields entry"),
        ("projects", [{"title": "P", "colour": "red"}], "unknown field"),
    ],
)
def test_bad_sections(server: Server, section: str, value: Any, message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        load(server, {"name": "bad", section: value})


def test_bad_custom_values_name_their_place(server: Server) -> None:
    account = {
        "name": "bad",
        "custom_fields": [{"object": "project", "name": "Budget", "type": "number"}],
        "projects": [{"title": "P", "custom_data": {"Budget": "lots"}}],
    }
    with pytest.raises(FixtureError, match=r"projects\[0\]\.custom_data"):
        load(server, account)
