from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from planfix_server.app import Server
from planfix_server.domain.users.repository import UserRepository
from planfix_server.settings import Settings
from tests.domain.users.helpers import (
    add_group,
    add_post,
    body,
    counts,
    ids,
    set_user,
    strict_paging_api,
    texts,
    unit_of_work,
)
from tests.support import Api, Tenant, add_user, provision


def people(server: Server, tenant: Tenant) -> dict[str, int]:
    """Five users besides the owner (whose last name is empty, so he sorts first by name)."""
    rows = [
        ("anna", "Anna", "Berg", "USER", "ACTIVE"),
        ("boris", "Boris", "Adams", "ADMIN", "ACTIVE"),
        ("clara", "clara", "Zorn", "USER", "UNACTIVE"),
        ("dmitry", "Дмитрий", "Попов", "TECHADMIN", "ACTIVE"),
        ("eva", "Eva", "adams", "USER", "UNACTIVE"),
    ]
    found = {}
    for login, name, last_name, role, status in rows:
        user_id, _ = add_user(server, tenant, login, role=role)
        set_user(server, tenant, user_id, status=status, name=name, last_name=last_name)
        found[login] = user_id
    return found


def test_lists_every_user_by_name(api: Api, server: Server) -> None:
    users = people(server, api.tenant)
    reply = api.call("user.getList", "<pageCurrent>1</pageCurrent><pageSize>100</pageSize>")
    assert reply.ok, reply.raw
    assert body(reply).startswith('<users totalCount="6" count="6"><user><id>')
    # Last name, then name, ignoring case; the owner has no last name.
    expected = ["owner", "boris", "eva", "anna", "clara", "dmitry"]
    assert ids(reply) == [api.tenant.owner_id if key == "owner" else users[key] for key in expected]
    # Items are full user objects.
    first = reply.root.find("users/user")
    assert first is not None and first.find("phones") is not None and first.find("userGroups") is not None


def test_without_any_parameter(api: Api, server: Server) -> None:
    people(server, api.tenant)
    reply = api.call("user.getList")
    assert counts(reply)[0] == 6
    assert len(ids(reply)) == 6


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("NAME_ASC", ["owner", "boris", "eva", "anna", "clara", "dmitry"]),
        ("NAME_DESC", ["dmitry", "clara", "anna", "eva", "boris", "owner"]),
        ("ISACTIVE_ASC", ["eva", "clara", "owner", "boris", "anna", "dmitry"]),
        ("ISACTIVE_DESC", ["owner", "boris", "anna", "dmitry", "eva", "clara"]),
        ("ROLE_ASC", ["owner", "boris", "dmitry", "eva", "anna", "clara"]),
        ("ROLE_DESC", ["eva", "anna", "clara", "dmitry", "owner", "boris"]),
        ("PROJECTS_ASC", ["owner", "boris", "eva", "anna", "clara", "dmitry"]),
        ("PROJECTS_DESC", ["dmitry", "clara", "anna", "eva", "boris", "owner"]),
    ],
)
def test_sort_types(api: Api, server: Server, sort: str, expected: list[str]) -> None:
    users = {"owner": api.tenant.owner_id, **people(server, api.tenant)}
    reply = api.call("user.getList", f"<sortType>{sort}</sortType>")
    assert reply.ok, reply.raw
    assert ids(reply) == [users[key] for key in expected]


def test_sort_by_group_name(api: Api, server: Server) -> None:
    users = {"owner": api.tenant.owner_id, **people(server, api.tenant)}
    add_group(server, api.tenant, "beta", (users["anna"], users["clara"]))
    add_group(server, api.tenant, "Alpha", (users["clara"], users["eva"]))
    add_group(server, api.tenant, "gamma", (users["boris"],))
    # Key: a user's alphabetically first group (case-insensitive), users without a group first;
    # ties by name.
    asc = ["owner", "dmitry", "eva", "clara", "anna", "boris"]
    reply = api.call("user.getList", "<sortType>GROUP_ASC</sortType>")
    assert ids(reply) == [users[key] for key in asc]
    desc = ["boris", "anna", "eva", "clara", "owner", "dmitry"]
    reply = api.call("user.getList", "<sortType>GROUP_DESC</sortType>")
    assert ids(reply) == [users[key] for key in desc]


def test_ties_are_broken_by_id_so_pages_are_stable(api: Api, server: Server) -> None:
    same = [add_user(server, api.tenant, f"twin{n}")[0] for n in range(5)]
    for user_id in same:
        set_user(server, api.tenant, user_id, name="Twin", last_name="Same")
    pages = []
    for page in (1, 2, 3):
        reply = api.call(
            "user.getList",
            f"<sortType>NAME_DESC</sortType><pageCurrent>{page}</pageCurrent><pageSize>2</pageSize>",
        )
        pages += ids(reply)
    assert pages == [*sorted(same), api.tenant.owner_id]


def test_paging(api: Api, server: Server) -> None:
    users = {"owner": api.tenant.owner_id, **people(server, api.tenant)}
    reply = api.call("user.getList", "<pageCurrent>2</pageCurrent><pageSize>4</pageSize>")
    assert body(reply).startswith('<users totalCount="6" count="2">')
    assert ids(reply) == [users["clara"], users["dmitry"]]
    past_the_end = api.call("user.getList", "<pageCurrent>3</pageCurrent><pageSize>4</pageSize>")
    assert body(past_the_end) == '<users totalCount="6" count="0"/>'


@pytest.mark.parametrize("page", ["0", "-1"])
def test_page_below_one_only_counts(api: Api, server: Server, page: str) -> None:
    people(server, api.tenant)
    reply = api.call("user.getList", f"<pageCurrent>{page}</pageCurrent><status>ACTIVE</status>")
    assert reply.ok, reply.raw
    assert body(reply) == '<users totalCount="4" count="0"/>'


def test_page_size_above_100_is_clamped(api: Api, server: Server) -> None:
    for n in range(101):
        add_user(server, api.tenant, f"u{n:03d}")
    reply = api.call("user.getList", "<pageSize>500</pageSize>")
    assert body(reply).startswith('<users totalCount="102" count="100">')
    default = api.call("user.getList")
    assert len(ids(default)) == 100


def test_status_filter(api: Api, server: Server) -> None:
    users = people(server, api.tenant)
    inactive = api.call("user.getList", "<status>UNACTIVE</status>")
    assert ids(inactive) == [users["eva"], users["clara"]]
    assert {element.text for element in inactive.root.iterfind("users/user/status")} == {"UNACTIVE"}
    active = api.call("user.getList", "<status>ACTIVE</status>")
    assert len(ids(active)) == 4


def test_group_filter_ignores_status(api: Api, server: Server) -> None:
    users = people(server, api.tenant)
    group = add_group(server, api.tenant, "Team", (users["anna"], users["clara"]))
    add_group(server, api.tenant, "Other", (users["boris"],))
    reply = api.call("user.getList", f"<userGroup><id>{group}</id></userGroup><status>ACTIVE</status>")
    assert reply.ok, reply.raw
    assert ids(reply) == [users["anna"], users["clara"]]  # clara is inactive: status was ignored
    empty = add_group(server, api.tenant, "Empty")
    assert body(api.call("user.getList", f"<userGroup><id>{empty}</id></userGroup>")) == (
        '<users totalCount="0" count="0"/>'
    )


def test_unknown_or_foreign_group_is_5001(api: Api, server: Server) -> None:
    assert api.call("user.getList", "<userGroup><id>4242</id></userGroup>").code == "5001"
    other = provision(server, "other")
    foreign = add_group(server, other, "Theirs", (other.owner_id,))
    assert api.call("user.getList", f"<userGroup><id>{foreign}</id></userGroup>").code == "5001"


def test_only_online(api: Api, server: Server) -> None:
    users = people(server, api.tenant)
    start = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    set_user(server, api.tenant, users["anna"], last_seen_at=start - dt.timedelta(minutes=2))
    set_user(server, api.tenant, users["boris"], last_seen_at=start - dt.timedelta(minutes=30))
    set_user(server, api.tenant, api.tenant.owner_id, last_seen_at=start - dt.timedelta(minutes=1))
    with time_machine.travel(start, tick=False):
        reply = api.call("user.getList", "<onlyOnline>1</onlyOnline>")
        assert ids(reply) == [api.tenant.owner_id, users["anna"]]
        assert [e.text for e in reply.root.iterfind("users/user/isOnline")] == ["1", "1"]
        assert len(ids(api.call("user.getList", "<onlyOnline>0</onlyOnline>"))) == 6
        assert ids(api.call("user.getList", "<onlyOnline>true</onlyOnline>")) == ids(reply)


def filters(*parts: tuple[str, str, str]) -> str:
    items = "".join(
        f"<filter><type>{kind}</type><operator>{op}</operator><value>{value}</value></filter>"
        for kind, op, value in parts
    )
    return f"<filters>{items}</filters>"


def test_email_filter_contains_ignoring_case(api: Api, server: Server) -> None:
    users = people(server, api.tenant)
    set_user(server, api.tenant, users["boris"], email="Boris@Corp.example", email_key="boris@corp.example")
    reply = api.call("user.getList", filters(("9003", "equal", "@CORP.")))
    assert ids(reply) == [users["boris"]]
    others = api.call("user.getList", filters(("9003", "notequal", "corp")))
    # The owner has no e-mail at all: he does not contain it either.
    assert set(ids(others)) == {api.tenant.owner_id, *users.values()} - {users["boris"]}


def test_name_filter_matches_name_or_last_name(api: Api, server: Server) -> None:
    users = people(server, api.tenant)
    assert ids(api.call("user.getList", filters(("9006", "equal", "ADAMS")))) == [
        users["boris"],
        users["eva"],
    ]
    assert ids(api.call("user.getList", filters(("9006", "equal", "clar")))) == [users["clara"]]
    assert ids(api.call("user.getList", filters(("9006", "equal", "дмитр")))) == [users["dmitry"]]
    assert ids(api.call("user.getList", filters(("9006", "equal", "ПОП")))) == [users["dmitry"]]
    excluded = ids(api.call("user.getList", filters(("9006", "notequal", "a"))))
    assert excluded == [users["dmitry"]]  # every other name or last name has an "a"


def test_like_wildcards_are_plain_characters(api: Api, server: Server) -> None:
    people(server, api.tenant)
    assert ids(api.call("user.getList", filters(("9006", "equal", "%")))) == []
    assert ids(api.call("user.getList", filters(("9006", "equal", "_")))) == []


def test_filters_are_combined_with_and(api: Api, server: Server) -> None:
    users = people(server, api.tenant)
    both = filters(("9006", "equal", "adams"), ("9003", "equal", "eva@"))
    assert ids(api.call("user.getList", both)) == [users["eva"]]
    with_status = (
        filters(("9006", "equal", "adams")) + "<status>ACTIVE</status><sortType>NAME_DESC</sortType>"
    )
    reply = api.call("user.getList", with_status)
    assert ids(reply) == [users["boris"]]
    assert body(reply).startswith('<users totalCount="1" count="1">')


def test_empty_template_filter_is_ignored(api: Api, server: Server) -> None:
    people(server, api.tenant)
    template = "<filters><filter><type></type><operator></operator><value></value></filter></filters>"
    assert len(ids(api.call("user.getList", template))) == 6
    assert len(ids(api.call("user.getList", "<filters/>"))) == 6


@pytest.mark.parametrize(
    "inner",
    [
        filters(("9101", "equal", "x")),  # a REST API filter, not one of the XML API
        filters(("9003", "gt", "x")),
        filters(("9006", "like", "x")),
        filters(("abc", "equal", "x")),
        "<status>INACTIVE</status>",
        "<sortType>NAME</sortType>",
        "<onlyOnline>2</onlyOnline>",
        "<pageCurrent>x</pageCurrent>",
        "<pageSize>-1</pageSize>",
        "<userGroup><id>x</id></userGroup>",
    ],
)
def test_invalid_values_are_0015(api: Api, inner: str) -> None:
    reply = api.call("user.getList", inner)
    assert not reply.ok
    assert reply.code == "0015"


@pytest.mark.parametrize(
    "inner",
    [
        "<filters><filter><operator>equal</operator><value>x</value></filter></filters>",
        "<filters><filter><type>9003</type><value>x</value></filter></filters>",
        "<filters><filter><type>9003</type><operator>equal</operator></filter></filters>",
    ],
)
def test_incomplete_filter_is_0009(api: Api, inner: str) -> None:
    assert api.call("user.getList", inner).code == "0009"


def test_users_of_another_account_never_appear(api: Api, server: Server) -> None:
    other = provision(server, "other")
    add_user(server, other, "stranger")
    reply = api.call("user.getList")
    assert ids(reply) == [api.tenant.owner_id]
    assert counts(api.call("user.getList", filters(("9006", "equal", "stranger")))) == (0, 0)


def test_plain_user_sees_only_visible_users_and_counts_right(api: Api, server: Server) -> None:
    users = people(server, api.tenant)
    viewer, token = add_user(server, api.tenant, "viewer")
    set_user(server, api.tenant, users["anna"], is_blind_out_of_group=True)
    set_user(server, api.tenant, users["clara"], is_blind_out_of_group=True)
    add_group(server, api.tenant, "Shared", (viewer, users["clara"]))
    as_viewer = api.as_user(token)

    reply = as_viewer.call("user.getList", "<pageCurrent>1</pageCurrent><pageSize>3</pageSize>")
    assert reply.ok, reply.raw
    # anna is blind and shares no group with the viewer; clara shares one.
    assert body(reply).startswith('<users totalCount="6" count="3">')
    visible = ids(reply) + ids(
        as_viewer.call("user.getList", "<pageCurrent>2</pageCurrent><pageSize>3</pageSize>")
    )
    assert users["anna"] not in visible and users["clara"] in visible and viewer in visible
    assert (
        body(as_viewer.call("user.getList", "<pageCurrent>0</pageCurrent>"))
        == '<users totalCount="6" count="0"/>'
    )
    # Administrators see everybody.
    assert counts(api.call("user.getList")) == (7, 7)


def test_user_invisible_out_of_group_lists_only_his_groups(api: Api, server: Server) -> None:
    users = people(server, api.tenant)
    viewer, token = add_user(server, api.tenant, "viewer")
    set_user(server, api.tenant, viewer, is_invisible_out_of_group=True)
    add_group(server, api.tenant, "Team", (viewer, users["eva"]))
    reply = api.as_user(token).call("user.getList")
    assert sorted(ids(reply)) == sorted([viewer, users["eva"]])
    assert counts(reply)[0] == 2
    # Other users see the flags of others as 0.
    assert {e.text for e in reply.root.iterfind("users/user/isBlindOutOfGroup")} == {"0"}


def test_page_size_above_100_is_0021_when_configured(api: Api, settings: Settings) -> None:
    with strict_paging_api(settings, api.tenant) as strict:
        assert strict.call("user.getList", "<pageSize>101</pageSize>").code == "0021"
        assert counts(strict.call("user.getList", "<pageSize>100</pageSize>")) == (1, 1)


def test_each_listed_user_carries_only_his_own_details(api: Api, server: Server) -> None:
    # The details of a page are read together: each phone, e-mail, group and post must land on its
    # own user.
    anna, _ = add_user(server, api.tenant, "anna", phones=[("111", 1), ("112", 2)])
    boris, _ = add_user(server, api.tenant, "boris", phones=[("221", 3)])
    writer, editor = add_post(server, api.tenant, "Writer"), add_post(server, api.tenant, "Editor")
    set_user(server, api.tenant, anna, last_name="A", post_id=writer)
    set_user(server, api.tenant, boris, last_name="B", post_id=editor)
    both = add_group(server, api.tenant, "Both", (anna, boris))
    only_boris = add_group(server, api.tenant, "Boris only", (boris,))
    with unit_of_work(server, api.tenant) as uow:
        uow.get(UserRepository).add_emails(anna, ["a2@example.com", "a3@example.com"])
        uow.get(UserRepository).add_emails(boris, ["b2@example.com"])
    other = provision(server, "other")
    stranger, _ = add_user(server, other, "stranger", phones=[("999", 1)])
    with unit_of_work(server, other) as uow:
        uow.get(UserRepository).add_emails(stranger, ["stranger@example.com"])

    reply = api.call("user.getList")

    assert reply.ok, reply.raw
    cards = {int(card.findtext("id") or 0): card for card in reply.root.iterfind("users/user")}
    assert set(cards) == {api.tenant.owner_id, anna, boris}
    assert texts(cards[anna], "phones/phone/number") == ["111", "112"]
    assert texts(cards[boris], "phones/phone/number") == ["221"]
    assert texts(cards[anna], "secondaryEmails/email") == ["a2@example.com", "a3@example.com"]
    assert texts(cards[boris], "secondaryEmails/email") == ["b2@example.com"]
    assert texts(cards[anna], "userGroups/userGroup/id") == [str(both)]
    assert texts(cards[boris], "userGroups/userGroup/id") == [str(both), str(only_boris)]
    assert (cards[anna].findtext("post/id"), cards[anna].findtext("post/name")) == (str(writer), "Writer")
    assert (cards[boris].findtext("post/id"), cards[boris].findtext("post/name")) == (str(editor), "Editor")
    owner = cards[api.tenant.owner_id]
    assert texts(owner, "phones/phone/number") == [] and texts(owner, "secondaryEmails/email") == []
    assert owner.findtext("post/id") == "0" and owner.findtext("post/name") == ""
