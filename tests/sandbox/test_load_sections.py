"""``load_sections``: fixture sections loaded into an account that exists already."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from planfix_server.app import Server
from planfix_server.sandbox.fixtures import FixtureError, load_sections
from planfix_server.store import accounts
from planfix_server.store.db import WRITE
from planfix_server.store.tables import api_keys, handbooks, tokens
from tests.support import Api, Tenant

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)

SECTIONS: dict[str, Any] = {
    "users": [{"login": "ivan", "name": "Ivan"}],
    "handbooks": [
        {
            "name": "Units",
            "fields": [{"name": "Name", "type": "STRING", "displayed": True}],
            "records": [{"values": {"Name": "minute"}}, {"values": {"Name": "hour"}}],
        }
    ],
    "analitics": [
        {"name": "Work log", "fields": [{"name": "Unit", "type": "HANDBOOK", "handbook": "Units"}]}
    ],
    "tasks": [{"title": "Report", "workers": ["ivan"]}, {"title": "Mine", "owner": "owner@acme"}],
}


def load(server: Server, tenant: Tenant, data: Any, *, commit: bool = True) -> dict[str, Any]:
    with server.engine.connect() as connection:
        connection.info[WRITE] = True
        account = accounts.get(connection, tenant.account_id)
        loaded = load_sections(connection, account, data, passwords=server.passwords, now=NOW)
        if commit:
            connection.commit()
    return loaded


def count(server: Server, table: Any, tenant: Tenant) -> int:
    with server.engine.connect() as connection:
        query = select(func.count()).select_from(table).where(table.c.account_id == tenant.account_id)
        return int(connection.execute(query).scalar_one())


def test_sections_join_the_existing_account(server: Server, tenant: Tenant, api: Api) -> None:
    keys, issued = count(server, api_keys, tenant), count(server, tokens, tenant)
    loaded = load(server, tenant, SECTIONS)
    # The owner (user 1) is referable by login; the new user follows it.
    assert loaded["users"] == {"owner@acme": tenant.owner_id, "ivan": tenant.owner_id + 1}
    assert loaded["tasks"] == {"Report": 1, "Mine": 2}
    units = loaded["handbooks"]["Units"]
    assert loaded["analitics"]["Work log"]["id"] == 1 and units["id"] == 1 and len(units["records"]) == 2
    # Sections left out are not loaded with their defaults: no extra key or token.
    assert (count(server, api_keys, tenant), count(server, tokens, tenant)) == (keys, issued)

    # What was loaded is there for the API, with the account's own credentials.
    task = api.call("task.get", "<task><id>1</id></task>")
    assert task.ok and task.text("task/title") == "Report"
    assert task.text("task/workers/users/user/id") == str(tenant.owner_id + 1)
    records = api.call("handbook.getRecords", f"<handbook><id>{units['id']}</id></handbook>")
    assert records.ok
    assert [one.text for one in records.root.iterfind("records/record/customData/customValue/value")] == [
        "minute",
        "hour",
    ]


def test_json_text_is_accepted(server: Server, tenant: Tenant) -> None:
    loaded = load(server, tenant, '{"handbook_groups": [{"name": "Work"}]}')
    assert loaded == {"handbook_groups": {"Work": 1}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "other"}, "unknown section 'name'"),
        ({"handbooks": [{"name": "X", "group": "Nope"}]}, "sections.handbooks[0].group: no handbook_groups"),
        ({"tasks": [{"title": "T", "owner": "nobody"}]}, "no users entry 'nobody'"),
        ('["handbooks"]', "a fixture is a mapping"),
    ],
)
def test_refusals_name_the_place(server: Server, tenant: Tenant, data: Any, message: str) -> None:
    with pytest.raises(FixtureError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load(server, tenant, data, commit=False)


def test_a_refused_load_leaves_nothing_when_rolled_back(server: Server, tenant: Tenant) -> None:
    bad = {"handbooks": [{"name": "Units"}], "tasks": [{"title": "T", "owner": "nobody"}]}
    with pytest.raises(FixtureError):
        load(server, tenant, bad, commit=False)
    assert count(server, handbooks, tenant) == 0
