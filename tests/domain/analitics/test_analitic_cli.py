"""``planfix-server analitic group-add|add|field-add|list``, checked through the XML API."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.support import Api
from tests.test_cli import Cli


@pytest.fixture
def run(db_url: str) -> Cli:
    return Cli(db_url)


def test_define_and_list(run: Cli, client: TestClient) -> None:
    tenant = run.account()
    group = run.json("analitic", "group-add", "acme", "Time management")["id"]
    made = run.json("analitic", "add", "acme", "Work log", "--group", str(group))["id"]
    date = run.json(
        "analitic", "field-add", "acme", "--analitic", str(made), "--name", "Date", "--type", "DATE"
    )["id"]
    stage = run.json(
        "analitic",
        "field-add",
        "acme",
        "--analitic",
        str(made),
        "--name",
        "Stage",
        "--type",
        "LIST",
        "--option",
        "A",
        "--option",
        "B",
    )["id"]
    listed = run.json("analitic", "list", "acme")
    assert listed["groups"] == [{"id": group, "name": "Time management"}]
    [one] = listed["analitics"]
    assert (one["id"], one["name"], one["group"]) == (
        made,
        "Work log",
        {"id": group, "name": "Time management"},
    )
    assert [(f["id"], f["num"], f["type"], f["options"]) for f in one["fields"]] == [
        (date, 0, "DATE", []),
        (stage, 1, "LIST", ["A", "B"]),
    ]
    human = run.invoke("analitic", "list", "acme")
    assert human.exit_code == 0 and "Work log" in human.stdout

    reply = Api(client, tenant).call("analitic.getOptions", f"<analitic><id>{made}</id></analitic>")
    assert reply.ok, reply.raw
    assert [e.text for e in reply.root.iterfind("analitic/fields/field/name")] == ["Date", "Stage"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--name", "L", "--type", "LIST"), "needs at least one option"),
        (("--name", "N", "--type", "STRING", "--option", "x"), "options are for"),
        (("--name", "N", "--type", "STRING", "--handbook", "3"), "a handbook is for"),
        (("--name", "H", "--type", "HANDBOOK"), "names its handbook"),
        (("--name", "H", "--type", "HANDBOOK", "--handbook", "999"), "no handbook 999"),
        (("--name", " ", "--type", "STRING"), "1 to 200 characters"),
    ],
)
def test_bad_fields(run: Cli, args: tuple[str, ...], message: str) -> None:
    run.account()
    made = run.json("analitic", "add", "acme", "A")["id"]
    assert message in run.fails("analitic", "field-add", "acme", "--analitic", str(made), *args)
    assert run.json("analitic", "list", "acme")["analitics"][0]["fields"] == []


def test_bad_analitics(run: Cli) -> None:
    run.account()
    assert "no analitic group 5" in run.fails("analitic", "add", "acme", "A", "--group", "5")
    assert "no analitic 7" in run.fails(
        "analitic", "field-add", "acme", "--analitic", "7", "--name", "N", "--type", "DATE"
    )
    assert "no account named 'nope'" in run.fails("analitic", "group-add", "nope", "G")
    assert (
        run.invoke(
            "analitic", "field-add", "acme", "--analitic", "1", "--name", "N", "--type", "COLOUR"
        ).exit_code
        == 2
    )
