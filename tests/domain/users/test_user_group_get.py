from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.users.helpers import add_group, body
from tests.support import Api, add_user, provision


def test_returns_id_name_and_member_count(api: Api, server: Server) -> None:
    first, _ = add_user(server, api.tenant, "ivan")
    second, _ = add_user(server, api.tenant, "petr")
    group_id = add_group(server, api.tenant, "Development <core>", (first, second, api.tenant.owner_id))
    reply = api.call("userGroup.get", f"<userGroup><id>{group_id}</id></userGroup>")
    assert reply.ok, reply.raw
    assert body(reply) == (
        f"<userGroup><id>{group_id}</id><name>Development &lt;core&gt;</name>"
        "<userCount>3</userCount></userGroup>"
    )


def test_member_count_follows_membership_changes(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    group_id = add_group(server, api.tenant, "Development")
    get = f"<userGroup><id>{group_id}</id></userGroup>"
    assert api.call("userGroup.get", get).text("userGroup/userCount") == "0"
    api.call(
        "user.updateGroupMembership",
        f"<user><id>{user_id}</id><addUserGroup><id>{group_id}</id></addUserGroup></user>",
    )
    assert api.call("userGroup.get", get).text("userGroup/userCount") == "1"


@pytest.mark.parametrize("role", ["USER", "TECHADMIN"])
def test_non_administrators_see_user_count_0(api: Api, server: Server, role: str) -> None:
    user_id, token = add_user(server, api.tenant, "plain", role=role)
    group_id = add_group(server, api.tenant, "Development", (user_id, api.tenant.owner_id))
    reply = api.as_user(token).call("userGroup.get", f"<userGroup><id>{group_id}</id></userGroup>")
    assert reply.ok, reply.raw
    assert (
        body(reply)
        == f"<userGroup><id>{group_id}</id><name>Development</name><userCount>0</userCount></userGroup>"
    )


def test_unknown_or_foreign_group_is_5001(api: Api, server: Server) -> None:
    assert api.call("userGroup.get", "<userGroup><id>4242</id></userGroup>").code == "5001"
    other = provision(server, "other")
    foreign = add_group(server, other, "Theirs")
    assert api.call("userGroup.get", f"<userGroup><id>{foreign}</id></userGroup>").code == "5001"


@pytest.mark.parametrize(
    "inner", ["", "<userGroup/>", "<userGroup><id></id></userGroup>", "<userGroup><id>0</id></userGroup>"]
)
def test_missing_id_is_0009(api: Api, inner: str) -> None:
    assert api.call("userGroup.get", inner).code == "0009"


def test_non_numeric_id_is_0015(api: Api) -> None:
    assert api.call("userGroup.get", "<userGroup><id>dev</id></userGroup>").code == "0015"
