"""``planfix-server handbook …``, checked through the XML API."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.domain.handbooks.helpers import get_record, keys_of, values_of
from tests.support import Api
from tests.test_cli import Cli


@pytest.fixture
def run(db_url: str) -> Cli:
    return Cli(db_url)


def test_definitions_and_records(run: Cli, client: TestClient) -> None:
    tenant = run.account()
    group = run.json("handbook", "group-add", "acme", "Work types")["id"]
    units = run.json("handbook", "add", "acme", "Units")["id"]
    kinds = run.json("handbook", "add", "acme", "Kinds of work", "--group", str(group))["id"]

    def field(*args: str) -> int:
        return int(run.json("handbook", "field-add", "acme", "--handbook", str(kinds), *args)["id"])

    name = field("--name", "Name", "--type", "STRING", "--displayed")
    size = field("--name", "Size", "--type", "LIST", "--option", "S", "--option", "L")
    unit = field("--name", "Unit", "--type", "HANDBOOK", "--target-handbook", str(units))
    assert run.json("handbook", "list", "acme") == {
        "groups": [{"id": group, "name": "Work types"}],
        "handbooks": [
            {"id": units, "name": "Units", "group": None},
            {"id": kinds, "name": "Kinds of work", "group": group},
        ],
    }
    fields = run.json("handbook", "fields", "acme", str(kinds))["fields"]
    assert [(f["id"], f["num"], f["type"], f["options"], f["target_handbook"]) for f in fields] == [
        (name, 0, "STRING", [], None),
        (size, 1, "LIST", ["S", "L"], None),
        (unit, 2, "HANDBOOK", [], units),
    ]
    assert "Kinds of work" in run.invoke("handbook", "list", "acme").stdout
    folder = run.json("handbook", "record-add", "acme", "--handbook", str(kinds), "--group", "Building")[
        "key"
    ]
    key = run.json("handbook", "record-add", "acme", "--handbook", str(kinds), "--parent", str(folder),
                   "--value", f"{name}=Walls", "--value", f"{size}=L")["key"]  # fmt: skip
    api = Api(client, tenant)
    assert values_of(get_record(api, kinds, key))[size] == ("L", "L")
    reply = api.call(
        "handbook.getRecords", f"<handbook><id>{kinds}</id></handbook><parentKey>{folder}</parentKey>"
    )
    assert keys_of(reply) == [key]


def test_refusals(run: Cli) -> None:
    run.account()
    hb = str(run.json("handbook", "add", "acme", "H")["id"])
    assert "no handbook group 9" in run.fails("handbook", "add", "acme", "X", "--group", "9")
    assert "1 to 200 characters" in run.fails("handbook", "group-add", "acme", " ")
    assert "needs at least one option" in run.fails("handbook", "field-add", "acme", "--handbook", hb,
                                                   "--name", "L", "--type", "LIST")  # fmt: skip
    assert "target handbook" in run.fails("handbook", "field-add", "acme", "--handbook", hb,
                                          "--name", "R", "--type", "HANDBOOK")  # fmt: skip
    assert "no handbook 99" in run.fails("handbook", "field-add", "acme", "--handbook", "99", "--name", "N",
                                         "--type", "STRING")  # fmt: skip
    assert "0101" in run.fails("handbook", "record-add", "acme", "--handbook", "99")
    assert "FIELD_ID=VALUE" in run.fails("handbook", "record-add", "acme", "--handbook", hb, "--value", "x")
    assert "no handbook 42" in run.fails("handbook", "fields", "acme", "42")
    assert "no account named 'nope'" in run.fails("handbook", "list", "nope")
