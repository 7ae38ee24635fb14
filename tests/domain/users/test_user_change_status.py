from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.users.helpers import body, user_record
from tests.support import Api, Reply, add_user, provision


def change(api: Api, user_id: int, status: str | None = None) -> Reply:
    inner = f"<id>{user_id}</id>" + ("" if status is None else f"<status>{status}</status>")
    return api.call("user.changeStatus", f"<user>{inner}</user>")


def test_sets_the_given_status_and_answers_it(api: Api, server: Server) -> None:
    user_id, token = add_user(server, api.tenant, "ivan")
    reply = change(api, user_id, "UNACTIVE")
    assert reply.ok, reply.raw
    assert body(reply) == f"<user><id>{user_id}</id><status>UNACTIVE</status></user>"
    assert user_record(server, api.tenant, user_id).status == "UNACTIVE"
    assert api.as_user(token).call("user.get").code == "0014"  # an inactive user cannot call
    # Setting the status it already has is fine.
    assert (
        body(change(api, user_id, "UNACTIVE")) == f"<user><id>{user_id}</id><status>UNACTIVE</status></user>"
    )
    assert body(change(api, user_id, "ACTIVE")) == f"<user><id>{user_id}</id><status>ACTIVE</status></user>"
    assert api.as_user(token).call("user.get").ok


def test_without_status_toggles(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    assert change(api, user_id).text("user/status") == "UNACTIVE"
    assert change(api, user_id).text("user/status") == "ACTIVE"
    assert (
        api.call("user.changeStatus", f"<user><id>{user_id}</id><status></status></user>").text("user/status")
        == "UNACTIVE"
    )
    assert user_record(server, api.tenant, user_id).status == "UNACTIVE"


def test_nobody_deactivates_himself_or_the_owner(api: Api, server: Server) -> None:
    admin, admin_token = add_user(server, api.tenant, "admin", role="ADMIN")
    as_admin = api.as_user(admin_token)
    assert change(api, api.tenant.owner_id, "UNACTIVE").code == "0016"
    assert change(api, api.tenant.owner_id).code == "0016"  # toggling would deactivate
    assert change(as_admin, api.tenant.owner_id).code == "0016"
    assert change(as_admin, admin, "UNACTIVE").code == "0016"
    assert change(as_admin, api.tenant.owner_id, "ACTIVE").ok  # no change: allowed
    assert user_record(server, api.tenant, api.tenant.owner_id).status == "ACTIVE"


@pytest.mark.parametrize("role", ["USER", "TECHADMIN"])
def test_non_administrators_get_6001(api: Api, server: Server, role: str) -> None:
    _, token = add_user(server, api.tenant, "plain", role=role)
    victim, _ = add_user(server, api.tenant, "victim")
    assert change(api.as_user(token), victim, "UNACTIVE").code == "6001"
    assert user_record(server, api.tenant, victim).status == "ACTIVE"


def test_unknown_or_foreign_user_is_6004(api: Api, server: Server) -> None:
    assert change(api, 987654, "UNACTIVE").code == "6004"
    other = provision(server, "other")
    stranger, _ = add_user(server, other, "stranger")
    assert change(api, stranger, "UNACTIVE").code == "6004"
    assert user_record(server, other, stranger).status == "ACTIVE"


@pytest.mark.parametrize(
    "inner", ["", "<user/>", "<user><status>ACTIVE</status></user>", "<user><id></id></user>"]
)
def test_missing_id_is_0009(api: Api, inner: str) -> None:
    assert api.call("user.changeStatus", inner).code == "0009"


@pytest.mark.parametrize(
    "inner", ["<id>x</id>", "<id>1</id><status>INACTIVE</status>", "<id>1</id><status>active</status>"]
)
def test_invalid_values_are_0015(api: Api, inner: str) -> None:
    assert api.call("user.changeStatus", f"<user>{inner}</user>").code == "0015"
