from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.domain.users.repository import UserRepository
from tests.domain.users.helpers import body, counts, integrity_error
from tests.support import Api, add_user, provision


def test_creates_a_group(api: Api) -> None:
    reply = api.call("userGroup.add", "<userGroup><name>Support</name></userGroup>")
    assert reply.ok, reply.raw
    group_id = int(reply.text("userGroup/id"))
    assert body(reply) == f"<userGroup><id>{group_id}</id></userGroup>"
    got = api.call("userGroup.get", f"<userGroup><id>{group_id}</id></userGroup>")
    assert (
        body(got) == f"<userGroup><id>{group_id}</id><name>Support</name><userCount>0</userCount></userGroup>"
    )


def test_names_are_trimmed_and_may_repeat(api: Api) -> None:
    first = api.call("userGroup.add", "<userGroup><name>  Support &amp; sales </name></userGroup>")
    second = api.call("userGroup.add", "<userGroup><name>Support &amp; sales</name></userGroup>")
    assert first.ok and second.ok
    assert first.text("userGroup/id") != second.text("userGroup/id")
    got = api.call("userGroup.get", f"<userGroup><id>{first.text('userGroup/id')}</id></userGroup>")
    assert got.text("userGroup/name") == "Support & sales"
    assert counts(api.call("userGroup.getList"), "userGroups") == (2, 2)


@pytest.mark.parametrize(
    "inner",
    ["", "<userGroup/>", "<userGroup><name></name></userGroup>", "<userGroup><name> </name></userGroup>"],
)
def test_missing_name_is_0009(api: Api, inner: str) -> None:
    assert api.call("userGroup.add", inner).code == "0009"


def test_too_long_name_is_0015(api: Api) -> None:
    assert api.call("userGroup.add", f"<userGroup><name>{'g' * 201}</name></userGroup>").code == "0015"


@pytest.mark.parametrize("role", ["USER", "TECHADMIN"])
def test_non_administrators_get_5002(api: Api, server: Server, role: str) -> None:
    _, token = add_user(server, api.tenant, "plain", role=role)
    assert api.as_user(token).call("userGroup.add", "<userGroup><name>X</name></userGroup>").code == "5002"
    assert counts(api.call("userGroup.getList"), "userGroups") == (0, 0)


def test_groups_belong_to_one_account(api: Api, server: Server, client: TestClient) -> None:
    other = provision(server, "other")
    api.call("userGroup.add", "<userGroup><name>Ours</name></userGroup>")
    assert counts(api.call("userGroup.getList"), "userGroups") == (1, 1)
    assert counts(Api(client, other).call("userGroup.getList"), "userGroups") == (0, 0)


def test_failed_insert_is_5003(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(UserRepository, "add_group", integrity_error)
    assert api.call("userGroup.add", "<userGroup><name>X</name></userGroup>").code == "5003"
