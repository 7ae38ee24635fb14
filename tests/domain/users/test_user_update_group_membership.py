from __future__ import annotations

import pytest

from planfix_server.app import Server
from tests.domain.users.helpers import add_group, body, ids, texts
from tests.support import Api, Reply, add_user, provision

METHOD = "user.updateGroupMembership"


def membership(api: Api, user_id: int, add: tuple[int, ...] = (), remove: tuple[int, ...] = ()) -> Reply:
    parts = [f"<id>{user_id}</id>"]
    if add:
        parts.append("<addUserGroup>" + "".join(f"<id>{g}</id>" for g in add) + "</addUserGroup>")
    if remove:
        parts.append("<delUserGroup>" + "".join(f"<id>{g}</id>" for g in remove) + "</delUserGroup>")
    return api.call(METHOD, f"<user>{''.join(parts)}</user>")


def groups_of(api: Api, user_id: int) -> list[str]:
    reply = api.call("user.get", f"<user><id>{user_id}</id></user>")
    assert reply.ok, reply.raw
    return texts(reply.root, "user/userGroups/userGroup/name")


def test_adds_and_removes(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    dev = add_group(server, api.tenant, "Development")
    ops = add_group(server, api.tenant, "Operations")
    sales = add_group(server, api.tenant, "Sales", (user_id,))

    reply = membership(api, user_id, add=(dev, ops), remove=(sales,))
    assert reply.ok, reply.raw
    assert body(reply) == f"<user><id>{user_id}</id></user>"
    assert groups_of(api, user_id) == ["Development", "Operations"]
    assert ids(api.call("user.getList", f"<userGroup><id>{dev}</id></userGroup>")) == [user_id]
    assert ids(api.call("user.getList", f"<userGroup><id>{sales}</id></userGroup>")) == []


def test_repeating_a_change_is_no_error(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    dev = add_group(server, api.tenant, "Development", (user_id,))
    ops = add_group(server, api.tenant, "Operations")
    assert membership(api, user_id, add=(dev, dev)).ok  # already a member, and twice in the list
    assert membership(api, user_id, remove=(ops,)).ok  # not a member
    assert groups_of(api, user_id) == ["Development"]


def test_empty_lists_change_nothing(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    add_group(server, api.tenant, "Development", (user_id,))
    template = f"<user><id>{user_id}</id><addUserGroup><id></id></addUserGroup><delUserGroup/></user>"
    assert api.call(METHOD, template).ok
    assert api.call(METHOD, f"<user><id>{user_id}</id></user>").ok
    assert groups_of(api, user_id) == ["Development"]


def test_unknown_group_is_6006_and_changes_nothing(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    dev = add_group(server, api.tenant, "Development")
    sales = add_group(server, api.tenant, "Sales", (user_id,))
    assert membership(api, user_id, add=(dev, 424242)).code == "6006"
    assert membership(api, user_id, add=(dev,), remove=(sales, 424242)).code == "6006"
    assert groups_of(api, user_id) == ["Sales"]


def test_group_of_another_account_is_6006(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    other = provision(server, "other")
    foreign = add_group(server, other, "Theirs")
    assert membership(api, user_id, add=(foreign,)).code == "6006"
    assert groups_of(api, user_id) == []


def test_same_group_in_both_lists_is_0019(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    dev = add_group(server, api.tenant, "Development")
    assert membership(api, user_id, add=(dev,), remove=(dev,)).code == "0019"


def test_legacy_user_group_list_replaces_the_membership(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    dev = add_group(server, api.tenant, "Development", (user_id,))
    ops = add_group(server, api.tenant, "Operations")
    sales = add_group(server, api.tenant, "Sales", (user_id,))
    groups = f"<userGroup><id>{ops}</id><id>{sales}</id></userGroup>"
    legacy = f"<user><id>{user_id}</id>{groups}<status></status></user>"
    assert api.call(METHOD, legacy).ok
    assert groups_of(api, user_id) == ["Operations", "Sales"]
    assert api.call(METHOD, f"<user><id>{user_id}</id><userGroup/></user>").ok  # empty: leaves every group
    assert groups_of(api, user_id) == []
    bad = f"<user><id>{user_id}</id><userGroup><id>{dev}</id><id>999999</id></userGroup></user>"
    assert api.call(METHOD, bad).code == "6006"
    # With addUserGroup or delUserGroup present, the legacy list is not used.
    mixed = f"<user><id>{user_id}</id><addUserGroup><id>{dev}</id></addUserGroup><userGroup/></user>"
    assert api.call(METHOD, mixed).ok
    assert groups_of(api, user_id) == ["Development"]


def test_method_name_with_trailing_space_as_in_the_docs(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    dev = add_group(server, api.tenant, "Development")
    reply = api.call(
        METHOD + " ", f"<user><id>{user_id}</id><addUserGroup><id>{dev}</id></addUserGroup></user>"
    )
    assert reply.ok, reply.raw


@pytest.mark.parametrize("role", ["USER", "TECHADMIN"])
def test_non_administrators_get_6001(api: Api, server: Server, role: str) -> None:
    user_id, token = add_user(server, api.tenant, "ivan", role=role)
    dev = add_group(server, api.tenant, "Development")
    assert membership(api.as_user(token), user_id, add=(dev,)).code == "6001"
    assert groups_of(api, user_id) == []


def test_unknown_or_foreign_user_is_6004(api: Api, server: Server) -> None:
    dev = add_group(server, api.tenant, "Development")
    assert membership(api, 987654, add=(dev,)).code == "6004"
    other = provision(server, "other")
    stranger, _ = add_user(server, other, "stranger")
    assert membership(api, stranger, add=(dev,)).code == "6004"


@pytest.mark.parametrize("inner", ["", "<user/>", "<user><addUserGroup><id>1</id></addUserGroup></user>"])
def test_missing_user_id_is_0009(api: Api, inner: str) -> None:
    assert api.call(METHOD, inner).code == "0009"


@pytest.mark.parametrize(
    "inner",
    [
        "<id>x</id>",
        "<id>1</id><addUserGroup><id>g</id></addUserGroup>",
        "<id>1</id><delUserGroup><id>-2</id></delUserGroup>",
    ],
)
def test_invalid_ids_are_0015(api: Api, inner: str) -> None:
    assert api.call(METHOD, f"<user>{inner}</user>").code == "0015"
