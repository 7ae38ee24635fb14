from __future__ import annotations

import base64
import re

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.domain.users.repository import UserRepository
from tests.domain.users.helpers import (
    GIF,
    JPEG,
    PNG,
    WEBP,
    add_post,
    body,
    integrity_error,
    unit_of_work,
    user_record,
)
from tests.support import Api, Reply, add_user, provision


def update(api: Api, user_id: int, fields: str) -> Reply:
    return api.call("user.update", f"<user><id>{user_id}</id>{fields}</user>")


def get(api: Api, user_id: int) -> Reply:
    reply = api.call("user.get", f"<user><id>{user_id}</id></user>")
    assert reply.ok, reply.raw
    return reply


def phones(reply: Reply) -> list[tuple[str, str]]:
    return [
        (p.findtext("number") or "", p.findtext("typeId") or "")
        for p in reply.root.iterfind("user/phones/phone")
    ]


def test_administrator_updates_every_field(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    post = add_post(server, api.tenant, "Tester")
    reply = update(
        api,
        user_id,
        "<name>Ivan</name><midName>Petrovich</midName><lastName>Sidorov</lastName>"
        "<email>sidorov@example.com</email><role>ADMIN</role><status>UNACTIVE</status>"
        "<password>new-secret</password><birthdate>13-03-1987</birthdate><sex>FEMALE</sex>"
        "<phones><phone><number>+1 555</number><typeId>2</typeId><typeName>Work</typeName></phone></phones>"
        "<isInvisibleOutOfGroup>1</isInvisibleOutOfGroup><isBlindOutOfGroup>true</isBlindOutOfGroup>"
        f"<post><id>{post}</id></post>",
    )
    assert reply.ok, reply.raw
    assert body(reply) == f"<user><id>{user_id}</id></user>"

    got = get(api, user_id)
    assert got.text("user/name") == "Ivan"
    assert got.text("user/midName") == "Petrovich"
    assert got.text("user/lastName") == "Sidorov"
    assert got.text("user/email") == "sidorov@example.com"
    assert got.text("user/role") == "ADMIN"
    assert got.text("user/status") == "UNACTIVE"
    assert got.text("user/birthdate") == "13-03-1987"
    assert got.text("user/sex") == "FEMALE"
    assert phones(got) == [("+1 555", "2")]
    assert got.text("user/isInvisibleOutOfGroup") == "1"
    assert got.text("user/isBlindOutOfGroup") == "1"
    assert got.text("user/post/name") == "Tester"
    record = user_record(server, api.tenant, user_id)
    assert record.password_hash is not None and record.password_hash.startswith("$argon2")


def test_absent_and_empty_fields_stay_unchanged(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan", phones=[("111", 1)])
    assert update(api, user_id, "<lastName>Ivanov</lastName><birthdate>01-02-2000</birthdate>").ok
    before = body(get(api, user_id))
    template = (
        "<name></name><midName></midName><lastName></lastName><email></email><role></role><status></status>"
        "<password></password><birthdate></birthdate><sex></sex>"
        "<phones><phone><number></number><typeId></typeId><typeName></typeName></phone></phones>"
        "<isInvisibleOutOfGroup></isInvisibleOutOfGroup><isBlindOutOfGroup></isBlindOutOfGroup>"
        "<userPic></userPic><post><id></id></post>"
    )
    assert update(api, user_id, template).ok
    assert update(api, user_id, "").ok
    assert body(get(api, user_id)) == before


def test_phones_are_replaced_or_cleared(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan", phones=[("111", 1), ("222", 2)])
    fields = "<phones><phone><number>333</number><typeId>3</typeId></phone></phones>"
    assert update(api, user_id, fields).ok
    assert phones(get(api, user_id)) == [("333", "3")]
    assert update(api, user_id, "<lastName>X</lastName>").ok
    assert phones(get(api, user_id)) == [("333", "3")]
    assert update(api, user_id, "<phones/>").ok
    assert phones(get(api, user_id)) == []
    assert "<phones/>" in body(get(api, user_id))


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")],
)
def test_user_pic_is_a_base64_image(api: Api, server: Server, data: bytes, content_type: str) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    assert get(api, user_id).text("user/userPic") == ""
    assert update(api, user_id, f"<userPic>{base64.b64encode(data).decode()}</userPic>").ok
    url = get(api, user_id).text("user/userPic")
    assert re.fullmatch(
        rf"https://testserver/\?action=getuserpic&account=acme&id={user_id}&h=[0-9a-f]{{32}}", url
    )
    with unit_of_work(server, api.tenant) as uow:
        assert uow.get(UserRepository).picture(user_id) == (content_type, data)
    # A new picture gets a new URL, so caches fetch it again.
    assert update(api, user_id, f"<userPic>{base64.b64encode(PNG).decode()}</userPic>").ok
    assert get(api, user_id).text("user/userPic") != url


def test_user_pic_may_be_wrapped_or_a_data_url(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    encoded = base64.b64encode(PNG).decode()
    wrapped = "\n".join(encoded[i : i + 20] for i in range(0, len(encoded), 20))
    assert update(api, user_id, f"<userPic>\n{wrapped}\n</userPic>").ok
    assert update(api, user_id, f"<userPic>data:image/png;base64,{encoded}</userPic>").ok


@pytest.mark.parametrize(
    "picture",
    [
        "not base64!",
        base64.b64encode(b"plain text, not an image").decode(),
        "QUJD=",
        base64.b64encode(b"RIFF1234WAVE").decode(),
    ],
)
def test_bad_user_pic_is_0015(api: Api, server: Server, picture: str) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    assert update(api, user_id, f"<userPic>{picture}</userPic><lastName>Changed</lastName>").code == "0015"
    assert get(api, user_id).text("user/lastName") == ""  # nothing of the request was applied


def test_password_change_lets_the_user_sign_in(api: Api, server: Server) -> None:
    user_id, token = add_user(server, api.tenant, "ivan", password="old-pass")
    assert (
        api.as_user(token)
        .call("user.update", f"<user><id>{user_id}</id><password>brand-new</password></user>")
        .ok
    )
    sid = api.login("ivan", "brand-new")
    assert len(sid) == 32


def test_email_change_moves_an_email_login(api: Api) -> None:
    created = api.call("user.add", "<user><name>P</name><email>petr@example.com</email></user>")
    user_id = int(created.text("user/id"))
    assert update(api, user_id, "<email>petr.new@example.com</email>").ok
    got = get(api, user_id)
    assert got.text("user/email") == "petr.new@example.com"
    assert got.text("user/login") == "petr.new@example.com"
    # The old address is free again.
    assert api.call("user.add", "<user><name>Q</name><email>petr@example.com</email></user>").ok


def test_email_of_another_user_is_6002(api: Api, server: Server) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    add_user(server, api.tenant, "petr")
    assert update(api, user_id, "<email>PETR@example.com</email>").code == "6002"
    assert update(api, user_id, "<email>Ivan@Example.com</email>").ok  # his own, other case
    assert get(api, user_id).text("user/email") == "Ivan@Example.com"


@pytest.mark.parametrize(
    "fields",
    [
        "<role>ROOT</role>",
        "<status>INACTIVE</status>",
        "<sex>M</sex>",
        "<birthdate>31-02-2000</birthdate>",
        "<birthdate>2000-01-01</birthdate>",
        "<isInvisibleOutOfGroup>yes</isInvisibleOutOfGroup>",
        "<isBlindOutOfGroup>2</isBlindOutOfGroup>",
        "<post><id>999</id></post>",
        "<phones><phone><number>1</number><typeId>42</typeId></phone></phones>",
        "<email>no-at-sign</email>",
    ],
)
def test_invalid_values_are_0015(api: Api, server: Server, fields: str) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    assert update(api, user_id, fields).code == "0015"


def test_non_numeric_id_is_0015(api: Api) -> None:
    assert api.call("user.update", "<user><id>x</id><name>X</name></user>").code == "0015"


def test_missing_id_is_0009(api: Api) -> None:
    assert api.call("user.update", "<user><name>X</name></user>").code == "0009"
    assert api.call("user.update", "<user><id></id><name>X</name></user>").code == "0009"
    assert api.call("user.update", "").code == "0009"
    fields = "<phones><phone><number>5</number></phone></phones>"
    assert api.call("user.update", f"<user><id>{api.tenant.owner_id}</id>{fields}</user>").code == "0009"


def test_unknown_or_foreign_user_is_6004(api: Api, server: Server) -> None:
    assert update(api, 987654, "<name>X</name>").code == "6004"
    other = provision(server, "other")
    stranger, _ = add_user(server, other, "stranger")
    assert update(api, stranger, "<name>X</name>").code == "6004"
    assert update(api, other.owner_id, "<name>X</name>").code == "6004"


def test_plain_user_updates_his_own_profile(api: Api, server: Server) -> None:
    user_id, token = add_user(server, api.tenant, "ivan")
    post = add_post(server, api.tenant, "Clerk")
    mine = api.as_user(token)
    fields = (
        f"<name>Ivan</name><lastName>Own</lastName><email>own@example.com</email><post><id>{post}</id></post>"
        "<phones><phone><number>9</number><typeId>1</typeId></phone></phones>"
        f"<userPic>{base64.b64encode(GIF).decode()}</userPic>"
        # Echoing the current values of admin-only fields is no change.
        "<role>USER</role><status>ACTIVE</status><isBlindOutOfGroup>0</isBlindOutOfGroup>"
    )
    reply = update(mine, user_id, fields)
    assert reply.ok, reply.raw
    got = get(api, user_id)
    assert got.text("user/lastName") == "Own"
    assert got.text("user/email") == "own@example.com"
    assert got.text("user/post/name") == "Clerk"


@pytest.mark.parametrize(
    "fields",
    [
        "<role>ADMIN</role>",
        "<status>UNACTIVE</status>",
        "<isInvisibleOutOfGroup>1</isInvisibleOutOfGroup>",
        "<isBlindOutOfGroup>1</isBlindOutOfGroup>",
    ],
)
def test_plain_user_may_not_change_admin_only_fields(api: Api, server: Server, fields: str) -> None:
    user_id, token = add_user(server, api.tenant, "ivan")
    assert update(api.as_user(token), user_id, f"<lastName>X</lastName>{fields}").code == "6001"
    assert get(api, user_id).text("user/lastName") == ""


def test_plain_user_may_not_update_others(api: Api, server: Server) -> None:
    _, token = add_user(server, api.tenant, "ivan")
    other, _ = add_user(server, api.tenant, "petr")
    assert update(api.as_user(token), other, "<name>X</name>").code == "6001"
    assert update(api.as_user(token), api.tenant.owner_id, "<name>X</name>").code == "6001"


def test_owner_keeps_his_role_and_nobody_deactivates_himself(api: Api, server: Server) -> None:
    admin, admin_token = add_user(server, api.tenant, "admin", role="ADMIN")
    as_admin = api.as_user(admin_token)
    assert update(as_admin, api.tenant.owner_id, "<role>USER</role>").code == "0016"
    assert update(api, api.tenant.owner_id, "<role>USER</role>").code == "0016"
    assert update(as_admin, api.tenant.owner_id, "<status>UNACTIVE</status>").code == "0016"
    assert update(as_admin, admin, "<status>UNACTIVE</status>").code == "0016"
    assert update(as_admin, api.tenant.owner_id, "<name>Boss</name>").ok  # other fields are fine
    assert update(api, admin, "<status>UNACTIVE</status>").ok
    assert as_admin.call("user.get").code == "0014"  # the deactivated admin is locked out


def test_techadmin_role_needs_a_corporate_plan(api: Api, server: Server, client: TestClient) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    assert update(api, user_id, "<role>TECHADMIN</role>").ok
    small = provision(server, "small", plan="standard")
    other_user, _ = add_user(server, small, "ivan")
    assert update(Api(client, small), other_user, "<role>TECHADMIN</role>").code == "0023"


def test_lost_race_on_the_email_is_6005(api: Api, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    user_id, _ = add_user(server, api.tenant, "ivan")
    monkeypatch.setattr(UserRepository, "update_user", integrity_error)
    assert update(api, user_id, "<email>new@example.com</email>").code == "6005"
