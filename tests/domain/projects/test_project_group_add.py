from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.users.helpers import body
from tests.support import Api, add_user


def test_adds_a_group_last_in_the_order(api: Api) -> None:
    reply = api.call("projectGroup.add", "<projectGroup><name>Clients</name></projectGroup>")
    assert reply.ok, reply.raw
    first = int(reply.text("projectGroup/id"))
    assert body(reply) == f"<projectGroup><id>{first}</id></projectGroup>"
    second = int(
        api.call("projectGroup.add", "<projectGroup><name> Internal </name></projectGroup>").text(
            "projectGroup/id"
        )
    )
    listed = api.call("projectGroup.getList")
    assert [e.text for e in listed.root.iterfind("projectGroups/projectGroup/id")] == [
        str(first),
        str(second),
    ]
    assert [e.text for e in listed.root.iterfind("projectGroups/projectGroup/name")] == [
        "Clients",
        "Internal",
    ]


@pytest.mark.parametrize("inner", ["", "<projectGroup/>", "<projectGroup><name></name></projectGroup>"])
def test_missing_name_is_0009(api: Api, inner: str) -> None:
    assert api.call("projectGroup.add", inner).code == "0009"


def test_too_long_name_is_0015(api: Api) -> None:
    assert (
        api.call("projectGroup.add", f"<projectGroup><name>{'x' * 201}</name></projectGroup>").code == "0015"
    )


def test_administrators_only(api: Api, server: Server) -> None:
    _, token = add_user(server, api.tenant, "plain")
    assert (
        api.as_user(token).call("projectGroup.add", "<projectGroup><name>G</name></projectGroup>").code
        == "2002"
    )
    assert body(api.call("projectGroup.getList")) == '<projectGroups totalCount="0"/>'
