from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.users.helpers import add_group, body
from tests.support import Api, add_user, provision


def name_of(api: Api, group_id: int) -> str:
    return api.call("userGroup.get", f"<userGroup><id>{group_id}</id></userGroup>").text("userGroup/name")


def test_renames_a_group(api: Api, server: Server) -> None:
    group_id = add_group(server, api.tenant, "Support")
    reply = api.call(
        "userGroup.update", f"<userGroup><id>{group_id}</id><name>Customer support</name></userGroup>"
    )
    assert reply.ok, reply.raw
    assert body(reply) == f"<userGroup><id>{group_id}</id></userGroup>"
    assert name_of(api, group_id) == "Customer support"


def test_members_see_the_new_name(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    group_id = add_group(server, api.tenant, "Support", (user_id,))
    api.call("userGroup.update", f"<userGroup><id>{group_id}</id><name>Helpdesk</name></userGroup>")
    got = api.call("user.get", f"<user><id>{user_id}</id></user>")
    assert got.text("user/userGroups/userGroup/name") == "Helpdesk"


def test_unknown_or_foreign_group_is_5001(api: Api, server: Server) -> None:
    assert api.call("userGroup.update", "<userGroup><id>4242</id><name>X</name></userGroup>").code == "5001"
    other = provision(server, "other")
    foreign = add_group(server, other, "Theirs")
    reply = api.call("userGroup.update", f"<userGroup><id>{foreign}</id><name>Mine now</name></userGroup>")
    assert reply.code == "5001"
    assert name_of(Api(api.client, other), foreign) == "Theirs"


@pytest.mark.parametrize("role", ["USER", "TECHADMIN"])
def test_non_administrators_get_5002(api: Api, server: Server, role: str) -> None:
    group_id = add_group(server, api.tenant, "Support")
    _, token = add_user(server, api.tenant, "plain", role=role)
    reply = api.as_user(token).call(
        "userGroup.update", f"<userGroup><id>{group_id}</id><name>X</name></userGroup>"
    )
    assert reply.code == "5002"
    assert name_of(api, group_id) == "Support"


@pytest.mark.parametrize(
    "inner",
    [
        "",
        "<userGroup><name>X</name></userGroup>",
        "<userGroup><id></id><name>X</name></userGroup>",
        "<userGroup><id>{group}</id></userGroup>",
        "<userGroup><id>{group}</id><name></name></userGroup>",
    ],
)
def test_missing_parameters_are_0009(api: Api, server: Server, inner: str) -> None:
    group_id = add_group(server, api.tenant, "Support")
    assert api.call("userGroup.update", inner.format(group=group_id)).code == "0009"
    assert name_of(api, group_id) == "Support"


@pytest.mark.parametrize(
    "inner", ["<id>x</id><name>X</name>", "<id>{group}</id><name>" + "n" * 201 + "</name>"]
)
def test_invalid_values_are_0015(api: Api, server: Server, inner: str) -> None:
    group_id = add_group(server, api.tenant, "Support")
    assert (
        api.call("userGroup.update", f"<userGroup>{inner.format(group=group_id)}</userGroup>").code == "0015"
    )
