"""Fixture sections analitic_groups and analitics."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.sandbox.fixtures import FixtureError, seed
from tests.domain.projects.test_fixtures import api_of
from tests.support import now


def load(server: Server, *accounts: dict[str, Any]) -> dict[str, Any]:
    return seed(
        server.engine,
        {"accounts": list(accounts)},
        passwords=server.passwords,
        now=now(),
        data_centre=server.settings.data_centre,
    )


FIXTURE: dict[str, Any] = {
    "name": "acme",
    "owner": {"login": "owner"},
    "analitic_groups": [{"name": "Time management"}],
    "analitics": [
        {
            "name": "Work log",
            "group": "Time management",
            "fields": [
                {"name": "Date", "type": "DATE"},
                {"name": "Stage", "type": "LIST", "options": ["A", "B"]},
            ],
        },
        {"name": "Loose"},
    ],
}


def test_loads_groups_analitics_and_fields(server: Server, client: TestClient) -> None:
    loaded = load(server, FIXTURE)
    account = loaded["accounts"][0]
    group = account["analitic_groups"]["Time management"]
    log = account["analitics"]["Work log"]
    assert set(log["fields"]) == {"Date", "Stage"}
    api = api_of(client, loaded)
    listed = api.call("analitic.getList")
    assert [
        (e.findtext("name"), e.findtext("group/id")) for e in listed.root.iterfind("analitics/analitic")
    ] == [
        ("Work log", str(group)),
        ("Loose", "0"),
    ]
    options = api.call("analitic.getOptions", f"<analitic><id>{log['id']}</id></analitic>")
    assert [e.findtext("id") for e in options.root.iterfind("analitic/fields/field")] == [
        str(log["fields"]["Date"]),
        str(log["fields"]["Stage"]),
    ]


@pytest.mark.parametrize(
    ("analitic", "message"),
    [
        ({"name": "A", "group": "Nope"}, "no analitic_groups entry 'Nope'"),
        ({"name": "A", "fields": [{"name": "F", "type": "COLOUR"}]}, "is not one of"),
        ({"name": "A", "fields": [{"name": "F", "type": "LIST"}]}, "needs at least one option"),
        ({"name": "A", "fields": [{"name": "F", "type": "HANDBOOK", "handbook": 999}]}, "no handbook 999"),
        (
            {"name": "A", "fields": [{"name": "F", "type": "HANDBOOK", "handbook": "Kinds"}]},
            "no handbook entry",
        ),
        (
            {"name": "A", "fields": [{"name": "F", "type": "DATE"}, {"name": "F", "type": "DATE"}]},
            "appears twice",
        ),
        ({"name": "A", "colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_refusals_load_nothing(server: Server, analitic: dict[str, Any], message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        load(server, {"name": "acme", "analitic_groups": [{"name": "G"}], "analitics": [analitic]})
    with pytest.raises(FixtureError, match="acme"):
        load(server, {"name": "acme", "analitics": [{"name": "A"}, {"name": "A"}]})
