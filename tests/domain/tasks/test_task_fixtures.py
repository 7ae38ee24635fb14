"""The fixture section ``tasks``: tasks and templates a sandbox account starts with."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.sandbox.fixtures import FixtureError, seed
from tests.domain.tasks.helpers import ids
from tests.support import Api, Tenant, now

FIXTURE: dict[str, Any] = {
    "name": "acme",
    "timezone": "Europe/Moscow",
    "owner": {"login": "owner"},
    "users": [{"login": "alice", "groups": ["Devs"]}, {"login": "bob"}],
    "user_groups": [{"name": "Devs"}],
    "custom_fields": [{"object": "task", "name": "Hours", "type": "number", "unit": "h"}],
    "projects": [{"title": "Site"}],
    "tasks": [
        {"title": "Standard", "template": True, "workers": ["bob"], "custom_data": {"Hours": "3"}},
        {
            "title": "Launch",
            "owner": "alice",
            "importance": "HIGH",
            "description": "<p>Go</p>",
            "project": "Site",
            "from_template": "Standard",
            "start": "01-03-2030",
            "end": "05-03-2030 18:00",
            "duration": 2,
            "duration_unit": 2,
            "check_result": True,
            "workers": ["bob"],
            "worker_groups": ["Devs"],
            "auditors": ["owner"],
            "starred_by": ["owner"],
            "custom_data": {"Hours": "5"},
        },
        {"title": "Child", "parent": "Launch", "status": "COMPLETED"},
    ],
}


def load(server: Server, account: dict[str, Any]) -> dict[str, Any]:
    return seed(
        server.engine, {"accounts": [account]}, passwords=server.passwords, now=now(), data_centre="local"
    )


def test_tasks_and_templates(server: Server, client: TestClient) -> None:
    loaded = load(server, FIXTURE)["accounts"][0]
    tasks = loaded["tasks"]
    api = Api(
        client,
        Tenant(
            "acme",
            loaded["id"],
            loaded["api_keys"][0]["api_key"],
            "",
            loaded["tokens"][0]["token"],
            0,
            "",
            "",
        ),
    )
    assert ids(api.call("task.getList", "<target>template</target>")) == [tasks["Standard"]]
    card = api.call("task.get", f"<task><id>{tasks['Launch']}</id></task>")
    assert card.text("task/importance") == "HIGH"
    assert card.text("task/description") == "<p>Go</p>"
    assert card.text("task/project/title") == "Site"
    assert card.text("task/template/id") == str(tasks["Standard"])
    assert card.text("task/startTime") == "01-03-2030"
    assert card.text("task/endTime") == "05-03-2030 18:00"  # the owner has no zone of his own: the account's
    assert card.text("task/duration") == "2" and card.text("task/checkResult") == "1"
    assert card.text("task/status") == "1"
    assert card.text("task/starred") == "1"
    assert card.text("task/workers/groups/group/name") == "Devs"
    assert card.text("task/customData/customValue/value") == "5"
    child = api.call("task.get", f"<task><id>{tasks['Child']}</id></task>")
    assert child.text("task/parent/id") == str(tasks["Launch"]) and child.text("task/status") == "3"
    assert child.text("task/general") == "3"


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ({"title": "X", "owner": "nobody"}, "owner"),
        ({"title": "X", "status": "SOMETIMES"}, "status"),
        ({"title": "X", "parent": "Missing"}, "parent"),
        ({"title": "X", "end": "31-02-2030"}, "end"),
        ({"title": "X", "duration_unit": 5}, "duration_unit"),
        ({"title": "X", "colour": "red"}, "colour"),
    ],
)
def test_bad_tasks_are_refused(server: Server, task: dict[str, Any], message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        load(server, {"name": "bad", "tasks": [task]})
