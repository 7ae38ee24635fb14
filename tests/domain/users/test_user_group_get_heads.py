from __future__ import annotations

import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.domain.users.service import set_group_head
from tests.domain.users.helpers import add_group, body, counts, ids, make_head, set_user, unit_of_work
from tests.support import Api, add_user, provision


def heads_of(api: Api, group_id: int) -> list[int]:
    reply = api.call("userGroup.getHeads", f"<userGroup><id>{group_id}</id></userGroup>")
    assert reply.ok, reply.raw
    return ids(reply)


def test_returns_the_heads_as_full_users(api: Api, server: Server) -> None:
    boss, _ = add_user(server, api.tenant, "boss")
    deputy, _ = add_user(server, api.tenant, "deputy")
    worker, _ = add_user(server, api.tenant, "worker")
    group_id = add_group(server, api.tenant, "Development", (boss, deputy, worker))
    set_user(server, api.tenant, boss, name="Zed", last_name="Boss")
    set_user(server, api.tenant, deputy, name="Ann", last_name="Adams")
    make_head(server, api.tenant, group_id, boss)
    make_head(server, api.tenant, group_id, deputy)

    reply = api.call("userGroup.getHeads", f"<userGroup><id>{group_id}</id></userGroup>")
    assert reply.ok, reply.raw
    assert body(reply).startswith('<users totalCount="2" count="2"><user><id>')
    assert ids(reply) == [deputy, boss]  # by name
    # The same user object as user.get renders.
    assert body(api.call("user.get", f"<user><id>{deputy}</id></user>")) in body(reply)


def test_a_head_need_not_be_a_member_and_is_set_once(api: Api, server: Server) -> None:
    outsider, _ = add_user(server, api.tenant, "outsider")
    group_id = add_group(server, api.tenant, "Development")
    make_head(server, api.tenant, group_id, outsider)
    make_head(server, api.tenant, group_id, outsider)
    assert heads_of(api, group_id) == [outsider]


def test_group_without_heads(api: Api, server: Server) -> None:
    group_id = add_group(server, api.tenant, "Development", (api.tenant.owner_id,))
    reply = api.call("userGroup.getHeads", f"<userGroup><id>{group_id}</id></userGroup>")
    assert body(reply) == '<users totalCount="0" count="0"/>'


def test_set_group_head_checks_group_and_user(api: Api, server: Server) -> None:
    group_id = add_group(server, api.tenant, "Development")
    other = provision(server, "other")
    with pytest.raises(errors.UserGroupNotFound), unit_of_work(server, api.tenant) as uow:
        set_group_head(uow, 4242, api.tenant.owner_id)
    with pytest.raises(errors.UserNotFound), unit_of_work(server, api.tenant) as uow:
        set_group_head(uow, group_id, other.owner_id)
    assert heads_of(api, group_id) == []


def test_plain_user_sees_only_visible_heads(api: Api, server: Server) -> None:
    hidden, _ = add_user(server, api.tenant, "hidden")
    shown, _ = add_user(server, api.tenant, "shown")
    _, token = add_user(server, api.tenant, "viewer")
    set_user(server, api.tenant, hidden, is_blind_out_of_group=True)
    group_id = add_group(server, api.tenant, "Development", (hidden, shown))
    make_head(server, api.tenant, group_id, hidden)
    make_head(server, api.tenant, group_id, shown)
    reply = api.as_user(token).call("userGroup.getHeads", f"<userGroup><id>{group_id}</id></userGroup>")
    assert reply.ok, reply.raw
    assert ids(reply) == [shown]
    assert counts(reply) == (1, 1)
    assert sorted(heads_of(api, group_id)) == sorted([hidden, shown])


def test_unknown_or_foreign_group_is_5001(api: Api, server: Server) -> None:
    assert api.call("userGroup.getHeads", "<userGroup><id>4242</id></userGroup>").code == "5001"
    other = provision(server, "other")
    foreign = add_group(server, other, "Theirs", (other.owner_id,))
    make_head(server, other, foreign, other.owner_id)
    assert api.call("userGroup.getHeads", f"<userGroup><id>{foreign}</id></userGroup>").code == "5001"


@pytest.mark.parametrize("inner", ["", "<userGroup/>", "<userGroup><id></id></userGroup>"])
def test_missing_id_is_0009(api: Api, inner: str) -> None:
    assert api.call("userGroup.getHeads", inner).code == "0009"


def test_non_numeric_id_is_0015(api: Api) -> None:
    assert api.call("userGroup.getHeads", "<userGroup><id>x1</id></userGroup>").code == "0015"
