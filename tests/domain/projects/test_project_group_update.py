from __future__ import annotations

from planfix_server.app import Server
from tests.domain.projects.helpers import make_group
from tests.domain.users.helpers import body
from tests.support import Api, add_user, provision


def test_renames_a_group(api: Api, server: Server) -> None:
    group = make_group(server, api.tenant, "Old")
    reply = api.call("projectGroup.update", f"<projectGroup><id>{group}</id><name>New</name></projectGroup>")
    assert reply.ok, reply.raw
    assert body(reply) == f"<projectGroup><id>{group}</id></projectGroup>"
    assert (
        api.call("projectGroup.get", f"<projectGroup><id>{group}</id></projectGroup>").text(
            "projectGroup/name"
        )
        == "New"
    )


def test_missing_parameters_are_0009(api: Api, server: Server) -> None:
    group = make_group(server, api.tenant, "Old")
    assert api.call("projectGroup.update", "<projectGroup><name>N</name></projectGroup>").code == "0009"
    assert api.call("projectGroup.update", f"<projectGroup><id>{group}</id></projectGroup>").code == "0009"


def test_unknown_or_foreign_group_is_0101(api: Api, server: Server) -> None:
    other = provision(server, "other")
    theirs = make_group(server, other, "Theirs")
    assert (
        api.call("projectGroup.update", "<projectGroup><id>999</id><name>N</name></projectGroup>").code
        == "0101"
    )
    assert (
        api.call("projectGroup.update", f"<projectGroup><id>{theirs}</id><name>N</name></projectGroup>").code
        == "0101"
    )
    assert (
        api.call("projectGroup.update", "<projectGroup><id>x</id><name>N</name></projectGroup>").code
        == "0015"
    )


def test_administrators_only(api: Api, server: Server) -> None:
    group = make_group(server, api.tenant, "Old")
    _, token = add_user(server, api.tenant, "plain")
    reply = api.as_user(token).call(
        "projectGroup.update", f"<projectGroup><id>{group}</id><name>N</name></projectGroup>"
    )
    assert reply.code == "2002"
