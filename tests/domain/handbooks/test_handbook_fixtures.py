"""Fixture sections ``handbook_groups`` and ``handbooks``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.domain.handbooks.fixtures import HANDBOOK_REF
from planfix_server.sandbox.fixtures import SECTIONS, FixtureError, SeedContext, section
from tests.domain.handbooks.helpers import get_record, keys_of, values_of
from tests.domain.projects.test_fixtures import api_of, load

ACCOUNT: dict[str, Any] = {
    "name": "acme",
    "owner": {"login": "owner"},
    "handbook_groups": [{"name": "Work types"}, {"name": "Products"}],
    "handbooks": [
        {
            "name": "Units",
            "fields": [{"name": "Name", "type": "STRING"}],
            "records": [{"values": {"Name": "minute"}}],
        },
        {
            "name": "Kinds of work",
            "group": "Work types",
            "fields": [
                {"name": "Name", "type": "STRING", "displayed": True},
                {"name": "Unit", "type": "HANDBOOK", "handbook": "Units"},
                {"name": "Size", "type": "LIST", "options": ["S", "L"]},
            ],
            "records": [
                {
                    "group": "Programming",
                    "records": [{"values": {"Name": "Coding", "Size": "L", "Unit": "1"}}],
                },
                {"values": {"Name": "Old"}, "archived": True},
            ],
        },
    ],
}


def test_a_full_fixture(server: Server, client: TestClient) -> None:
    loaded = load(server, ACCOUNT)
    account = loaded["accounts"][0]
    groups, made = account["handbook_groups"], account["handbooks"]
    assert list(groups) == ["Work types", "Products"]
    kinds, units = made["Kinds of work"], made["Units"]
    assert list(kinds["fields"]) == ["Name", "Unit", "Size"]
    minute = units["records"][0]
    assert minute == 1
    folder, coding, old = kinds["records"]
    api = api_of(client, loaded)
    listed = api.call("handbook.getList")
    assert [h.findtext("name") for h in listed.root.iterfind("handbooks/handbook")] == [
        "Units",
        "Kinds of work",
    ]
    structure = api.call("handbook.getStructure", f"<handbook><id>{kinds['id']}</id></handbook>")
    assert structure.text("handbook/group/id") == str(groups["Work types"])
    assert structure.text("handbook/fields/field[2]/handbook/id") == str(units["id"])
    top = api.call("handbook.getRecords", f"<handbook><id>{kinds['id']}</id></handbook>")
    assert keys_of(top) == [folder, old]
    assert get_record(api, kinds["id"], folder).text("record/name") == "Programming"
    assert get_record(api, kinds["id"], old).text("record/archived") == "1"
    coding_record = get_record(api, kinds["id"], coding)
    assert coding_record.text("record/parentKey") == str(folder)
    assert values_of(coding_record) == {
        kinds["fields"]["Name"]: ("Coding", "Coding"),
        kinds["fields"]["Unit"]: (str(minute), "minute"),
        kinds["fields"]["Size"]: ("L", "L"),
    }


def _probe(context: SeedContext, data: Any, where: str) -> None:
    """A later section (as analitics are) reading a handbook by the name it was remembered under."""
    context.result["probe"] = context.ref(HANDBOOK_REF, data, where)


@pytest.fixture
def probe() -> Iterator[None]:
    section("handbook_probe", order=99)(_probe)
    yield
    SECTIONS.pop("handbook_probe", None)


@pytest.mark.usefixtures("probe")
def test_handbooks_are_remembered_by_name(server: Server) -> None:
    account = load(server, {**ACCOUNT, "handbook_probe": "Units"})["accounts"][0]
    assert account["probe"] == account["handbooks"]["Units"]["id"]


@pytest.mark.parametrize(
    ("handbooks", "message"),
    [
        ([{"name": "H", "group": "Nope"}], "no handbook_groups entry 'Nope'"),
        ([{"name": "H", "fields": [{"name": "F", "type": "WHAT"}]}], "is not one of"),
        (
            [{"name": "H", "fields": [{"name": "F", "type": "HANDBOOK", "handbook": "Nope"}]}],
            "no handbook entry",
        ),
        ([{"name": "H", "fields": [{"name": "F", "type": "LIST"}]}], r"fields\[0\]: a LIST field needs"),
        ([{"name": "H", "fields": [{"name": "F", "type": "TEXT"}] * 2}], "appears twice"),
        (
            [{"name": "H", "records": [{"values": {"Nope": "1"}}]}],
            r"records\[0\]\.values\.Nope: no such field",
        ),
        (
            [{"name": "H", "fields": [{"name": "N", "type": "NUMBER"}], "records": [{"values": {"N": "x"}}]}],
            "0015",
        ),
        ([{"name": "H", "records": [{"records": []}]}], "only a group record"),
        ([{"name": "H"}, {"name": "H"}], "appears twice"),
        ([{"name": "H", "colour": "red"}], "unknown field"),
    ],
)
def test_bad_sections(server: Server, handbooks: Any, message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        load(server, {"name": "bad", "handbook_groups": [{"name": "G"}], "handbooks": handbooks})
