"""``planfix-server customfield create|list``, checked through the XML API."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.support import Api
from tests.test_cli import Cli


@pytest.fixture
def run(db_url: str) -> Cli:
    return Cli(db_url)


def test_create_and_list(run: Cli, client: TestClient) -> None:
    tenant = run.account()
    made = run.json(
        "customfield",
        "create",
        "acme",
        "--object",
        "project",
        "--name",
        "Time spent",
        "--type",
        "number",
        "--unit",
        "min",
    )
    assert set(made) == {"id"} and made["id"] > 0
    stage = run.json(
        "customfield",
        "create",
        "acme",
        "--object",
        "project",
        "--name",
        "Stage",
        "--type",
        "list",
        "--option",
        "A",
        "--option",
        "B",
    )["id"]
    task_field = run.json(
        "customfield", "create", "acme", "--object", "task", "--name", "Hours", "--type", "number"
    )
    listed = run.json("customfield", "list", "acme")["fields"]
    assert [(f["object"], f["name"], f["type"]) for f in listed] == [
        ("task", "Hours", "number"),
        ("project", "Time spent", "number"),
        ("project", "Stage", "list"),
    ]
    assert (
        listed[1]["unit"] == "min"
        and listed[2]["options"] == ["A", "B"]
        and listed[0]["id"] == task_field["id"]
    )
    only = run.json("customfield", "list", "acme", "--object", "project")["fields"]
    assert [f["name"] for f in only] == ["Time spent", "Stage"]
    human = run.invoke("customfield", "list", "acme")
    assert human.exit_code == 0 and "Time spent" in human.stdout

    api = Api(client, tenant)
    reply = api.call(
        "project.add",
        f"<project><title>P</title><customData><customValue><id>{made['id']}</id><value>548</value></customValue>"
        f"<customValue><id>{stage}</id><value>B</value></customValue></customData></project>",
    )
    assert reply.ok, reply.raw
    card = api.call("project.get", f"<project><id>{reply.text('project/id')}</id></project>")
    assert [e.text for e in card.root.iterfind("project/customData/customValue/text")] == ["548 min", "B"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--object", "task", "--name", "L", "--type", "list"), "needs at least one option"),
        (("--object", "task", "--name", "N", "--type", "string", "--option", "x"), "options are for"),
        (("--object", "task", "--name", "N", "--type", "string", "--unit", "kg"), "unit is for number"),
        (("--object", "task", "--name", "N", "--type", "string", "--handbook", "3"), "handbook is for"),
        (("--object", "task", "--name", " ", "--type", "string"), "1 to 200 characters"),
    ],
)
def test_bad_definitions(run: Cli, args: tuple[str, ...], message: str) -> None:
    run.account()
    assert message in run.fails("customfield", "create", "acme", *args)
    assert run.json("customfield", "list", "acme") == {"fields": []}


def test_unknown_account_type_or_kind(run: Cli) -> None:
    run.account()
    assert "no account named 'nope'" in run.fails(
        "customfield", "create", "nope", "--object", "task", "--name", "N", "--type", "string"
    )
    for args in (("--object", "user", "--type", "string"), ("--object", "task", "--type", "colour")):
        result = run.invoke("customfield", "create", "acme", "--name", "N", *args)
        assert result.exit_code == 2  # click's usage error
