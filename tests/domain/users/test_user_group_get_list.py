from __future__ import annotations

import pytest

from planfix_server.app import Server
from planfix_server.settings import Settings
from tests.domain.users.helpers import add_group, body, counts, ids, strict_paging_api, texts
from tests.support import Api, add_user, provision


def groups(server: Server, api: Api) -> dict[str, int]:
    """Four groups: beta (3 members), Alpha (1), gamma (0), delta (1)."""
    users = [add_user(server, api.tenant, f"u{n}")[0] for n in range(3)]
    return {
        "beta": add_group(server, api.tenant, "beta", tuple(users)),
        "Alpha": add_group(server, api.tenant, "Alpha", (users[0],)),
        "gamma": add_group(server, api.tenant, "gamma"),
        "delta": add_group(server, api.tenant, "delta", (api.tenant.owner_id,)),
    }


def test_lists_every_group_by_name(api: Api, server: Server) -> None:
    made = groups(server, api)
    reply = api.call(
        "userGroup.getList",
        "<sortType>NAME_ASC</sortType><pageCurrent>1</pageCurrent><pageSize>100</pageSize>",
    )
    assert reply.ok, reply.raw
    assert body(reply) == (
        '<userGroups totalCount="4" count="4">'
        f"<userGroup><id>{made['Alpha']}</id><name>Alpha</name><userCount>1</userCount></userGroup>"
        f"<userGroup><id>{made['beta']}</id><name>beta</name><userCount>3</userCount></userGroup>"
        f"<userGroup><id>{made['delta']}</id><name>delta</name><userCount>1</userCount></userGroup>"
        f"<userGroup><id>{made['gamma']}</id><name>gamma</name><userCount>0</userCount></userGroup>"
        "</userGroups>"
    )


def test_without_parameters_returns_the_first_page_by_name(api: Api, server: Server) -> None:
    groups(server, api)
    reply = api.call("userGroup.getList")
    assert texts(reply.root, "userGroups/userGroup/name") == ["Alpha", "beta", "delta", "gamma"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("NAME_ASC", ["Alpha", "beta", "delta", "gamma"]),
        ("NAME_DESC", ["gamma", "delta", "beta", "Alpha"]),
        ("USERCOUNT_ASC", ["gamma", "Alpha", "delta", "beta"]),  # ties by name
        ("USERCOUNT_DESC", ["beta", "Alpha", "delta", "gamma"]),
    ],
)
def test_sort_types(api: Api, server: Server, sort: str, expected: list[str]) -> None:
    groups(server, api)
    reply = api.call("userGroup.getList", f"<sortType>{sort}</sortType>")
    assert texts(reply.root, "userGroups/userGroup/name") == expected


def test_ties_are_broken_by_id(api: Api, server: Server) -> None:
    made = [add_group(server, api.tenant, "Same") for _ in range(3)]
    for sort in ("NAME_ASC", "NAME_DESC", "USERCOUNT_ASC", "USERCOUNT_DESC"):
        assert (
            ids(api.call("userGroup.getList", f"<sortType>{sort}</sortType>"), "userGroups/userGroup") == made
        )


def test_paging(api: Api, server: Server) -> None:
    groups(server, api)
    reply = api.call("userGroup.getList", "<pageCurrent>2</pageCurrent><pageSize>3</pageSize>")
    assert counts(reply, "userGroups") == (4, 1)
    assert texts(reply.root, "userGroups/userGroup/name") == ["gamma"]
    past = api.call("userGroup.getList", "<pageCurrent>3</pageCurrent><pageSize>3</pageSize>")
    assert body(past) == '<userGroups totalCount="4" count="0"/>'
    clamped = api.call("userGroup.getList", "<pageSize>1000</pageSize>")
    assert counts(clamped, "userGroups") == (4, 4)


@pytest.mark.parametrize("page", ["0", "-3"])
def test_page_below_one_only_counts(api: Api, server: Server, page: str) -> None:
    groups(server, api)
    reply = api.call("userGroup.getList", f"<pageCurrent>{page}</pageCurrent>")
    assert body(reply) == '<userGroups totalCount="4" count="0"/>'


def test_empty_account(api: Api) -> None:
    assert body(api.call("userGroup.getList")) == '<userGroups totalCount="0" count="0"/>'


def test_non_administrators_see_every_group_with_user_count_0(api: Api, server: Server) -> None:
    groups(server, api)
    _, token = add_user(server, api.tenant, "plain")
    as_plain = api.as_user(token)
    reply = as_plain.call("userGroup.getList")
    assert reply.ok, reply.raw
    assert counts(reply, "userGroups") == (4, 4)
    assert set(texts(reply.root, "userGroups/userGroup/userCount")) == {"0"}
    # Sorting by a count they cannot see sorts by name: the order tells nothing either.
    by_count = as_plain.call("userGroup.getList", "<sortType>USERCOUNT_DESC</sortType>")
    assert texts(by_count.root, "userGroups/userGroup/name") == ["Alpha", "beta", "delta", "gamma"]


def test_groups_of_another_account_never_appear(api: Api, server: Server) -> None:
    other = provision(server, "other")
    add_group(server, other, "Theirs", (other.owner_id,))
    mine = add_group(server, api.tenant, "Ours")
    reply = api.call("userGroup.getList")
    assert ids(reply, "userGroups/userGroup") == [mine]
    assert reply.text("userGroups/userGroup/userCount") == "0"


@pytest.mark.parametrize(
    "inner",
    [
        "<sortType>NAME</sortType>",
        "<sortType>name_asc</sortType>",
        "<pageCurrent>one</pageCurrent>",
        "<pageSize>-1</pageSize>",
    ],
)
def test_invalid_values_are_0015(api: Api, inner: str) -> None:
    assert api.call("userGroup.getList", inner).code == "0015"


def test_page_size_above_100_is_0021_when_configured(api: Api, settings: Settings) -> None:
    with strict_paging_api(settings, api.tenant) as strict:
        assert strict.call("userGroup.getList", "<pageSize>500</pageSize>").code == "0021"
        assert strict.call("userGroup.getList", "<pageSize>100</pageSize>").ok
