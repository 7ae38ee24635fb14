from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from sqlalchemy import event

from planfix_server.app import Server
from planfix_server.domain.users.repository import UserRepository
from tests.domain.users.helpers import (
    PNG,
    add_group,
    add_post,
    body,
    set_user,
    unit_of_work,
    user_record,
)
from tests.support import Api, add_user, provision


def test_user_get_without_id_returns_the_caller(api: Api) -> None:
    reply = api.call("user.get", "<user></user>")
    assert reply.ok, reply.raw
    assert reply.text("user/id") == str(api.tenant.owner_id)
    assert reply.text("user/login") == api.tenant.owner_login
    assert reply.text("user/role") == "ADMIN"


def test_user_get_without_user_element_returns_the_caller(api: Api) -> None:
    reply = api.call("user.get")
    assert reply.ok, reply.raw
    assert reply.text("user/id") == str(api.tenant.owner_id)


def test_empty_identifiers_mean_the_caller(api: Api) -> None:
    reply = api.call("user.get", "<user><id></id><general></general></user>")
    assert reply.text("user/id") == str(api.tenant.owner_id)
    reply = api.call("user.get", "<user><id>0</id></user>")
    assert reply.text("user/id") == str(api.tenant.owner_id)


def test_login_then_sid_call(api: Api) -> None:
    sid = api.login(api.tenant.owner_login, api.tenant.owner_password)
    assert len(sid) == 32
    reply = api.call_sid(sid, "user.get")
    assert reply.ok, reply.raw
    assert reply.text("user/id") == str(api.tenant.owner_id)


def test_by_id_renders_every_field_exactly(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan", phones=[("+7 900 000-00-00", 1), ("12-34", 2)])
    post_id = add_post(server, api.tenant, "Developer & tester")
    group_b = add_group(server, api.tenant, "Programmers", (user_id,))
    group_a = add_group(server, api.tenant, "Development", (user_id,))
    set_user(
        server,
        api.tenant,
        user_id,
        name="Ivan",
        last_name="Ivanov",
        mid_name="Ivanovich",
        birthdate=dt.date(1987, 3, 13),
        sex="MALE",
        telegram_id=123456789,
        timezone="Asia/Yekaterinburg",
        post_id=post_id,
        is_blind_out_of_group=True,
        userpic_version="cf6a1c72aeb86097e2411550870e94a0",
    )
    with unit_of_work(server, api.tenant) as uow:
        uow.get(UserRepository).add_emails(user_id, ["second@example.com"])
        uow.get(UserRepository).set_picture(user_id, "image/png", PNG)
    general = user_record(server, api.tenant, user_id).general

    reply = api.call("user.get", f"<user><id>{user_id}</id></user>")

    assert reply.ok, reply.raw
    assert body(reply) == (
        f"<user><id>{user_id}</id><general>{general}</general><name>Ivan</name><lastName>Ivanov</lastName>"
        "<midName>Ivanovich</midName><login>ivan</login><email>ivan@example.com</email>"
        "<secondaryEmails><email>second@example.com</email></secondaryEmails>"
        "<role>USER</role><status>ACTIVE</status><birthdate>13-03-1987</birthdate><sex>MALE</sex>"
        "<telegramId>123456789</telegramId><timezone>Asia/Yekaterinburg</timezone>"
        "<isInvisibleOutOfGroup>0</isInvisibleOutOfGroup><isBlindOutOfGroup>1</isBlindOutOfGroup>"
        f"<post><id>{post_id}</id><name>Developer &amp; tester</name></post>"
        "<userPic>https://testserver/?action=getuserpic&amp;account=acme&amp;"
        f"id={user_id}&amp;h=cf6a1c72aeb86097e2411550870e94a0</userPic>"
        "<isOnline>0</isOnline>"
        f"<userGroups><userGroup><id>{group_b}</id><name>Programmers</name></userGroup>"
        f"<userGroup><id>{group_a}</id><name>Development</name></userGroup></userGroups>"
        "<phones><phone><number>+7 900 000-00-00</number><typeId>1</typeId>"
        "<typeName>Mobile</typeName></phone>"
        "<phone><number>12-34</number><typeId>2</typeId><typeName>Work</typeName></phone></phones>"
        "</user>"
    )


def test_empty_values_render_as_empty_elements(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "bare")
    reply = api.call("user.get", f"<user><id>{user_id}</id></user>")
    text = body(reply)
    for empty in (
        "<lastName></lastName>",
        "<midName></midName>",
        "<secondaryEmails/>",
        "<birthdate></birthdate>",
        "<sex></sex>",
        "<post><id>0</id><name></name></post>",
        "<userPic></userPic>",
        "<userGroups/>",
        "<phones/>",
    ):
        assert empty in text
    assert "<telegramId>" not in text
    assert reply.text("user/timezone") == "UTC"  # the account's zone when the user has none


def test_the_card_details_are_read_in_one_statement(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan", phones=[("12-34", 2)])
    set_user(server, api.tenant, user_id, post_id=add_post(server, api.tenant, "Tester"))
    add_group(server, api.tenant, "Testers", (user_id,))
    with unit_of_work(server, api.tenant) as uow:
        uow.get(UserRepository).add_emails(user_id, ["second@example.com"])
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(server.engine, "before_cursor_execute", seen)
    try:
        reply = api.call("user.get", f"<user><id>{user_id}</id></user>")
    finally:
        event.remove(server.engine, "before_cursor_execute", seen)
    assert reply.ok, reply.raw
    assert reply.text("user/phones/phone/number") == "12-34"
    assert reply.text("user/secondaryEmails/email") == "second@example.com"
    assert reply.text("user/userGroups/userGroup/name") == "Testers"
    assert reply.text("user/post/name") == "Tester"
    details = ("user_phones", "user_emails", "user_group_members", "posts")
    assert len([s for s in statements if any(table in s for table in details)]) == 1, statements


def test_by_general(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "petr")
    general = user_record(server, api.tenant, user_id).general
    reply = api.call("user.get", f"<user><general>{general}</general></user>")
    assert reply.ok, reply.raw
    assert reply.text("user/id") == str(user_id)
    assert reply.text("user/general") == str(general)


def test_general_wins_over_id(api: Api, server: Server) -> None:
    first, _ = add_user(server, api.tenant, "first")
    second, _ = add_user(server, api.tenant, "second")
    general = user_record(server, api.tenant, second).general
    reply = api.call("user.get", f"<user><id>{first}</id><general>{general}</general></user>")
    assert reply.text("user/id") == str(second)
    # An unknown general is not rescued by a valid id.
    assert api.call("user.get", f"<user><id>{first}</id><general>999</general></user>").code == "6004"


def test_unknown_user_is_6004(api: Api) -> None:
    reply = api.call("user.get", "<user><id>999999</id></user>")
    assert not reply.ok
    assert reply.code == "6004"
    assert api.call("user.get", "<user><general>999999</general></user>").code == "6004"


def test_user_of_another_account_is_6004(api: Api, server: Server) -> None:
    other = provision(server, "other")
    stranger, _ = add_user(server, other, "stranger")
    general = user_record(server, other, stranger).general + 100
    assert api.call("user.get", f"<user><id>{stranger}</id></user>").code == "6004"
    assert api.call("user.get", f"<user><id>{other.owner_id}</id></user>").code == "6004"
    assert api.call("user.get", f"<user><general>{general}</general></user>").code == "6004"


def test_non_numeric_id_is_0015(api: Api) -> None:
    assert api.call("user.get", "<user><id>abc</id></user>").code == "0015"
    assert api.call("user.get", "<user><general>1x</general></user>").code == "0015"
    assert api.call("user.get", "<user><id>-5</id></user>").code == "0015"


def test_plain_user_sees_others_without_their_visibility_flags(api: Api, server: Server) -> None:
    viewer, token = add_user(server, api.tenant, "viewer")
    target, _ = add_user(server, api.tenant, "target")
    set_user(server, api.tenant, target, is_invisible_out_of_group=True)
    set_user(server, api.tenant, viewer, is_blind_out_of_group=True)
    as_viewer = api.as_user(token)

    other = as_viewer.call("user.get", f"<user><id>{target}</id></user>")
    assert other.ok, other.raw
    assert other.text("user/isInvisibleOutOfGroup") == "0"  # admin-only information
    own = as_viewer.call("user.get")
    assert own.text("user/isBlindOutOfGroup") == "1"  # one's own flags are shown
    admin = api.call("user.get", f"<user><id>{target}</id></user>")
    assert admin.text("user/isInvisibleOutOfGroup") == "1"


def test_blind_user_is_hidden_outside_his_groups(api: Api, server: Server) -> None:
    viewer, token = add_user(server, api.tenant, "viewer")
    hidden, _ = add_user(server, api.tenant, "hidden")
    set_user(server, api.tenant, hidden, is_blind_out_of_group=True)
    as_viewer = api.as_user(token)

    assert as_viewer.call("user.get", f"<user><id>{hidden}</id></user>").code == "6001"
    assert api.call("user.get", f"<user><id>{hidden}</id></user>").ok  # administrators see everybody
    add_group(server, api.tenant, "Shared", (viewer, hidden))
    assert as_viewer.call("user.get", f"<user><id>{hidden}</id></user>").ok


def test_user_invisible_out_of_group_sees_only_his_groups(api: Api, server: Server) -> None:
    viewer, token = add_user(server, api.tenant, "viewer")
    colleague, _ = add_user(server, api.tenant, "colleague")
    stranger, _ = add_user(server, api.tenant, "stranger")
    set_user(server, api.tenant, viewer, is_invisible_out_of_group=True)
    add_group(server, api.tenant, "Team", (viewer, colleague))
    as_viewer = api.as_user(token)

    assert as_viewer.call("user.get", f"<user><id>{colleague}</id></user>").ok
    assert as_viewer.call("user.get", f"<user><id>{stranger}</id></user>").code == "6001"
    assert as_viewer.call("user.get").ok  # himself, always


def test_online_flag_follows_the_last_request(api: Api, server: Server) -> None:
    user_id, token = add_user(server, api.tenant, "active")
    start = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        query = f"<user><id>{user_id}</id></user>"
        assert api.call("user.get", query).text("user/isOnline") == "0"
        assert api.as_user(token).call("user.get").ok
        assert api.call("user.get", query).text("user/isOnline") == "1"
        clock.shift(dt.timedelta(minutes=4))
        assert api.call("user.get", query).text("user/isOnline") == "1"
        clock.shift(dt.timedelta(minutes=2))
        assert api.call("user.get", query).text("user/isOnline") == "0"
