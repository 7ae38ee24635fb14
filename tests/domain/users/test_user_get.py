from __future__ import annotations

from tests.support import Api


def test_user_get_without_id_returns_the_caller(api: Api) -> None:
    reply = api.call("user.get", "<user></user>")
    assert reply.ok, reply.raw
    assert reply.text("user/id") == str(api.tenant.owner_id)
    assert reply.text("user/login") == api.tenant.owner_login
    assert reply.text("user/role") == "ADMIN"


def test_login_then_sid_call(api: Api) -> None:
    sid = api.login(api.tenant.owner_login, api.tenant.owner_password)
    assert len(sid) == 32
    reply = api.call_sid(sid, "user.get")
    assert reply.ok, reply.raw
    assert reply.text("user/id") == str(api.tenant.owner_id)
