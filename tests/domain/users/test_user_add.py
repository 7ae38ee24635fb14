from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from planfix_server.app import Server
from planfix_server.domain.users.repository import UserRepository
from tests.domain.users.helpers import add_post, body, counts, integrity_error, user_record
from tests.support import Api, add_user, provision

FULL = """<user>
  <name>Ivan</name>
  <midName>Ivanovich</midName>
  <lastName>Ivanov</lastName>
  <email>ivan@example.com</email>
  <role>ADMIN</role>
  <status>UNACTIVE</status>
  <post><id>{post}</id></post>
  <phones>
    <phone><number>+7 900 000-00-00</number><typeId>1</typeId><typeName>Mobile</typeName></phone>
    <phone><number>555-12</number><typeId>3</typeId><typeName>ignored</typeName></phone>
  </phones>
</user>"""


def test_adds_an_employee_with_every_field(api: Api, server: Server) -> None:
    post = add_post(server, api.tenant, "Developer")
    reply = api.call("user.add", FULL.format(post=post))
    assert reply.ok, reply.raw
    user_id = int(reply.text("user/id"))
    assert body(reply) == f"<user><id>{user_id}</id></user>"

    got = api.call("user.get", f"<user><id>{user_id}</id></user>")
    assert got.text("user/name") == "Ivan"
    assert got.text("user/midName") == "Ivanovich"
    assert got.text("user/lastName") == "Ivanov"
    assert got.text("user/email") == "ivan@example.com"
    assert got.text("user/login") == "ivan@example.com"  # the login is the e-mail
    assert got.text("user/role") == "ADMIN"
    assert got.text("user/status") == "UNACTIVE"
    assert got.text("user/post/id") == str(post)
    assert got.text("user/post/name") == "Developer"
    assert [
        (p.findtext("number"), p.findtext("typeId"), p.findtext("typeName"))
        for p in got.root.iterfind("user/phones/phone")
    ] == [("+7 900 000-00-00", "1", "Mobile"), ("555-12", "3", "Home")]
    assert int(got.text("user/general")) > user_record(server, api.tenant, api.tenant.owner_id).general


def test_defaults_role_user_and_status_active(api: Api) -> None:
    reply = api.call("user.add", "<user><name>Petr</name><email>petr@example.com</email></user>")
    assert reply.ok, reply.raw
    got = api.call("user.get", f"<user><id>{reply.text('user/id')}</id></user>")
    assert got.text("user/role") == "USER"
    assert got.text("user/status") == "ACTIVE"
    assert body(got).count("<phones/>") == 1
    assert got.text("user/post/id") == "0"


def test_template_with_empty_elements_uses_the_defaults(api: Api) -> None:
    reply = api.call(
        "user.add",
        "<user><name>Petr</name><midName></midName><lastName></lastName><email>petr@example.com</email>"
        "<role></role><status></status><post><id></id></post>"
        "<phones><phone><number></number><typeId></typeId><typeName></typeName></phone></phones></user>",
    )
    assert reply.ok, reply.raw
    got = api.call("user.get", f"<user><id>{reply.text('user/id')}</id></user>")
    assert got.text("user/role") == "USER"
    assert got.text("user/lastName") == ""


def test_new_user_appears_in_the_list(api: Api) -> None:
    api.call("user.add", "<user><name>Petr</name><email>petr@example.com</email></user>")
    assert counts(api.call("user.getList")) == (2, 2)


@pytest.mark.parametrize(
    "inner",
    [
        "<user><email>x@example.com</email></user>",
        "<user><name></name><email>x@example.com</email></user>",
        "<user><name>   </name><email>x@example.com</email></user>",
        "<user><name>X</name></user>",
        "<user><name>X</name><email></email></user>",
        "",
        "<user/>",
        "<user><name>X</name><email>x@example.com</email><phones><phone><number>1</number></phone></phones></user>",
        "<user><name>X</name><email>x@example.com</email><phones><phone><typeId>1</typeId></phone></phones></user>",
    ],
)
def test_missing_required_parameter_is_0009(api: Api, inner: str) -> None:
    reply = api.call("user.add", inner)
    assert not reply.ok
    assert reply.code == "0009"


@pytest.mark.parametrize(
    "fields",
    [
        "<role>OWNER</role>",
        "<status>INACTIVE</status>",
        "<post><id>999</id></post>",
        "<post><id>abc</id></post>",
        "<phones><phone><number>1</number><typeId>9</typeId></phone></phones>",
        "<phones><phone><number>1</number><typeId>one</typeId></phone></phones>",
        "<phones><phone><number>1</number><typeId>0</typeId></phone></phones>",
    ],
)
def test_invalid_values_are_0015(api: Api, fields: str) -> None:
    reply = api.call("user.add", f"<user><name>X</name><email>x@example.com</email>{fields}</user>")
    assert reply.code == "0015"
    assert counts(api.call("user.getList")) == (1, 1)  # nothing was added


@pytest.mark.parametrize("email", ["not-an-address", "a@b@c", "two words@example.com", "x" * 250 + "@ex.com"])
def test_malformed_email_is_0015(api: Api, email: str) -> None:
    assert api.call("user.add", f"<user><name>X</name><email>{email}</email></user>").code == "0015"


def test_too_long_name_is_0015(api: Api) -> None:
    assert (
        api.call("user.add", f"<user><name>{'n' * 201}</name><email>x@example.com</email></user>").code
        == "0015"
    )


def test_email_in_use_is_6002(api: Api, server: Server) -> None:
    add_user(server, api.tenant, "taken")  # e-mail taken@example.com
    reply = api.call("user.add", "<user><name>X</name><email>Taken@Example.COM</email></user>")
    assert reply.code == "6002"
    ok = api.call("user.add", "<user><name>X</name><email>new@example.com</email></user>")
    assert ok.ok
    assert api.call("user.add", "<user><name>Y</name><email> new@example.com </email></user>").code == "6002"


def test_email_of_another_account_is_free(api: Api, server: Server) -> None:
    other = provision(server, "other")
    add_user(server, other, "shared")
    reply = api.call("user.add", "<user><name>X</name><email>shared@example.com</email></user>")
    assert reply.ok, reply.raw


def test_post_of_another_account_is_0015(api: Api, server: Server) -> None:
    other = provision(server, "other")
    foreign_post = add_post(server, other, "Theirs")
    fields = f"<post><id>{foreign_post}</id></post>"
    reply = api.call("user.add", f"<user><name>X</name><email>x@example.com</email>{fields}</user>")
    assert reply.code == "0015"


@pytest.mark.parametrize("role", ["USER", "TECHADMIN"])
def test_non_administrators_get_6001(api: Api, server: Server, role: str) -> None:
    _, token = add_user(server, api.tenant, "plain", role=role)
    reply = api.as_user(token).call("user.add", "<user><name>X</name><email>x@example.com</email></user>")
    assert reply.code == "6001"
    assert counts(api.call("user.getList")) == (2, 2)


def test_techadmin_role_needs_a_corporate_plan(api: Api, server: Server, client: TestClient) -> None:
    reply = api.call(
        "user.add", "<user><name>T</name><email>t@example.com</email><role>TECHADMIN</role></user>"
    )
    assert reply.ok, reply.raw  # the test account is premium
    standard = provision(server, "small", plan="standard")
    small = Api(client, standard)
    fields = "<role>TECHADMIN</role>"
    assert (
        small.call("user.add", f"<user><name>T</name><email>t@example.com</email>{fields}</user>").code
        == "0023"
    )


def test_lost_race_on_the_email_is_6003(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(UserRepository, "insert_user", integrity_error)
    assert api.call("user.add", "<user><name>X</name><email>x@example.com</email></user>").code == "6003"
    monkeypatch.undo()
    assert counts(api.call("user.getList")) == (1, 1)
