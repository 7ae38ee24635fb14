from __future__ import annotations

import datetime as dt

import pytest

from planfix_server.app import Server
from tests.domain.users.helpers import add_action, add_group, body, set_user
from tests.support import Api, Reply, add_user, provision

UTC = dt.UTC


def at(day: int, hour: int = 12, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 2, day, hour, minute, second, tzinfo=UTC)


def count(api: Api, user_id: int | None, begin: str, end: str, action_type: str = "") -> Reply:
    user = "" if user_id is None else f"<user><id>{user_id}</id></user>"
    kind = f"<actionType>{action_type}</actionType>" if action_type else ""
    return api.call(
        "user.actionsAdded", f"{user}<period><begin>{begin}</begin><end>{end}</end></period>{kind}"
    )


def number(reply: Reply) -> int:
    assert reply.ok, reply.raw
    return int(reply.text("count"))


def test_counts_the_actions_of_a_user_in_a_period(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    other, _ = add_user(server, api.tenant, "petr")
    for day, kind in [(1, "COMMENT"), (10, "COMMENT"), (10, "ACTION"), (28, "TASKCREATED"), (2, "FILE")]:
        add_action(server, api.tenant, user_id, at(day), kind)
    add_action(server, api.tenant, other, at(10), "COMMENT")
    add_action(server, api.tenant, user_id, dt.datetime(2026, 3, 1, 0, 0, tzinfo=UTC), "COMMENT")

    reply = count(api, user_id, "01-02-2026", "28-02-2026 23:59")
    assert body(reply) == "<count>5</count>"
    assert number(count(api, user_id, "01-02-2026", "28-02-2026", "COMMENT")) == 2
    assert number(count(api, user_id, "01-02-2026", "28-02-2026", "TASKCHECKCHANGED")) == 0
    assert number(count(api, user_id, "03-02-2026", "09-02-2026")) == 0
    assert number(count(api, other, "01-02-2026", "28-02-2026")) == 1


def test_date_only_bounds_cover_whole_days(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    add_action(server, api.tenant, user_id, at(5, 0, 0, 0), "COMMENT")
    add_action(server, api.tenant, user_id, at(5, 23, 59, 59), "COMMENT")
    add_action(server, api.tenant, user_id, at(6, 0, 0, 0), "COMMENT")
    add_action(server, api.tenant, user_id, at(4, 23, 59, 59), "COMMENT")
    assert number(count(api, user_id, "05-02-2026", "05-02-2026")) == 2


def test_times_are_inclusive_to_the_minute(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    add_action(server, api.tenant, user_id, at(5, 9, 59, 59), "COMMENT")
    add_action(server, api.tenant, user_id, at(5, 10, 0, 0), "COMMENT")
    add_action(server, api.tenant, user_id, at(5, 12, 30, 45), "COMMENT")
    add_action(server, api.tenant, user_id, at(5, 12, 31, 0), "COMMENT")
    assert number(count(api, user_id, "05-02-2026 10:00", "05-02-2026 12:30")) == 2
    assert number(count(api, user_id, "05-02-2026 12:30", "05-02-2026 12:30")) == 1


def test_period_is_read_in_the_callers_time_zone(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    set_user(server, api.tenant, api.tenant.owner_id, timezone="Europe/Moscow")  # UTC+3
    add_action(server, api.tenant, user_id, at(4, 21, 30), "COMMENT")  # 5 Feb, 00:30 in Moscow
    add_action(server, api.tenant, user_id, at(5, 21, 30), "COMMENT")  # 6 Feb, 00:30 in Moscow
    assert number(count(api, user_id, "05-02-2026", "05-02-2026")) == 1
    assert number(count(api, user_id, "05-02-2026 00:00", "05-02-2026 00:30")) == 1


def test_without_user_counts_the_callers_actions(api: Api, server: Server) -> None:
    add_action(server, api.tenant, api.tenant.owner_id, at(5), "ACTION")
    assert number(count(api, None, "01-02-2026", "28-02-2026")) == 1
    assert (
        number(
            api.call(
                "user.actionsAdded",
                "<user><id></id></user><period><begin>01-02-2026</begin><end>28-02-2026</end></period>",
            )
        )
        == 1
    )


def test_actions_of_another_account_are_not_counted(api: Api, server: Server) -> None:
    other = provision(server, "other")
    add_action(server, other, other.owner_id, at(5), "COMMENT")
    assert count(api, other.owner_id, "01-02-2026", "28-02-2026").code == "6004"
    assert number(count(api, None, "01-02-2026", "28-02-2026")) == 0


def test_unknown_user_is_6004(api: Api) -> None:
    assert count(api, 987654, "01-02-2026", "28-02-2026").code == "6004"


def test_begin_after_end_is_0019(api: Api) -> None:
    assert count(api, None, "02-02-2026", "01-02-2026").code == "0019"
    assert count(api, None, "01-02-2026 10:01", "01-02-2026 10:00").code == "0019"


@pytest.mark.parametrize(
    "inner",
    [
        "",
        "<period><begin>01-02-2026</begin></period>",
        "<period><end>01-02-2026</end></period>",
        "<period><begin></begin><end>01-02-2026</end></period>",
        "<period/>",
    ],
)
def test_missing_period_is_0009(api: Api, inner: str) -> None:
    assert api.call("user.actionsAdded", inner).code == "0009"


@pytest.mark.parametrize(
    ("begin", "end", "kind"),
    [
        ("2026-02-01", "28-02-2026", ""),
        ("01-02-2026", "30-02-2026", ""),
        ("01-02-2026 25:00", "28-02-2026", ""),
        ("01-02-2026", "28-02-2026", "comment"),
        ("01-02-2026", "28-02-2026", "TASK"),
    ],
)
def test_invalid_dates_and_action_types_are_0015(api: Api, begin: str, end: str, kind: str) -> None:
    assert count(api, None, begin, end, kind).code == "0015"
    reply = api.call(
        "user.actionsAdded",
        "<user><id>x</id></user><period><begin>01-02-2026</begin><end>01-02-2026</end></period>",
    )
    assert reply.code == "0015"


def test_plain_user_counts_visible_users_only(api: Api, server: Server) -> None:
    viewer, token = add_user(server, api.tenant, "viewer")
    colleague, _ = add_user(server, api.tenant, "colleague")
    hidden, _ = add_user(server, api.tenant, "hidden")
    set_user(server, api.tenant, hidden, is_blind_out_of_group=True)
    add_action(server, api.tenant, colleague, at(5), "COMMENT")
    add_action(server, api.tenant, viewer, at(5), "COMMENT")
    as_viewer = api.as_user(token)
    assert number(count(as_viewer, colleague, "01-02-2026", "28-02-2026")) == 1
    assert number(count(as_viewer, None, "01-02-2026", "28-02-2026")) == 1
    assert count(as_viewer, hidden, "01-02-2026", "28-02-2026").code == "6001"
    add_group(server, api.tenant, "Shared", (viewer, hidden))
    assert number(count(as_viewer, hidden, "01-02-2026", "28-02-2026")) == 0
