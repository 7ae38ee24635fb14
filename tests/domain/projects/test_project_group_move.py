from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.projects.helpers import make_group
from tests.support import Api, Reply, add_user, provision


def move(api: Api, group: object, after: object | None) -> Reply:
    after_xml = "" if after is None else f"<after><projectGroup><id>{after}</id></projectGroup></after>"
    return api.call(
        "projectGroup.move", f"<move><projectGroup><id>{group}</id></projectGroup></move>{after_xml}"
    )


def order(api: Api) -> list[str]:
    return [
        e.text or ""
        for e in api.call("projectGroup.getList").root.iterfind("projectGroups/projectGroup/name")
    ]


@pytest.fixture
def groups(api: Api, server: Server) -> dict[str, int]:
    return {name: make_group(server, api.tenant, name) for name in ("A", "B", "C", "D")}


def test_moves_a_group_after_another(api: Api, groups: dict[str, int]) -> None:
    reply = move(api, groups["A"], groups["C"])
    assert reply.ok, reply.raw
    assert reply.text("projectGroup/id") == str(groups["A"])
    assert order(api) == ["B", "C", "A", "D"]
    assert move(api, groups["D"], groups["B"]).ok
    assert order(api) == ["B", "D", "C", "A"]
    assert move(api, groups["B"], groups["A"]).ok  # to the end
    assert order(api) == ["D", "C", "A", "B"]


@pytest.mark.parametrize("after", [None, 0])
def test_without_after_the_group_goes_first(api: Api, groups: dict[str, int], after: int | None) -> None:
    assert move(api, groups["C"], after).ok
    assert order(api) == ["C", "A", "B", "D"]


def test_after_itself_changes_nothing(api: Api, groups: dict[str, int]) -> None:
    assert move(api, groups["B"], groups["B"]).ok
    assert order(api) == ["A", "B", "C", "D"]


def test_errors(api: Api, server: Server, groups: dict[str, int]) -> None:
    other = provision(server, "other")
    theirs = make_group(server, other, "Theirs")
    assert api.call("projectGroup.move", "").code == "0009"
    assert move(api, 9999, groups["A"]).code == "0101"
    assert move(api, groups["A"], 9999).code == "0101"
    assert move(api, theirs, groups["A"]).code == "0101"
    assert move(api, groups["A"], theirs).code == "0101"
    assert move(api, "x", groups["A"]).code == "0015"
    _, token = add_user(server, api.tenant, "plain")
    assert move(api.as_user(token), groups["A"], groups["B"]).code == "2002"
    assert order(api) == ["A", "B", "C", "D"]
