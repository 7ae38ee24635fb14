"""Envelope and dispatch errors through the real app: 0003, 0008, 0018, 0020."""

from __future__ import annotations

import pytest

from planfix_server.api.registry import REGISTRY
from planfix_server.app import Server
from tests.pipeline.state import new_token
from tests.support import Api, request_xml


def unimplemented_function() -> str:
    """Any function of the API that has no handler yet."""
    for name, spec in REGISTRY.items():
        if not spec.implemented:
            return name
    pytest.skip("every declared function is implemented: 0018 cannot be produced by a function name")


def test_0003_not_xml(api: Api) -> None:
    reply = api.post(b"method=user.get&account=acme")
    assert (reply.status_code, reply.code) == (200, "0003")


def test_0003_comes_before_authentication(api: Api) -> None:
    assert api.post(b"<request", authorization="").code == "0003"


@pytest.mark.parametrize(
    "method",
    [
        "user.nosuch",
        "User.get",
        "user.GET",
        "userget",
        "user.get.extra",
        "auth",
        "task",
        "x" * 300,
        "юзер.get",
    ],
)
def test_0008_unknown_function(api: Api, method: str) -> None:
    assert api.call(method).code == "0008"


def test_0008_for_a_known_account_only(api: Api) -> None:
    # Unknown account is reported first (step 4 of the recommended order).
    assert api.post(request_xml("user.nosuch", "no-such-account")).code == "0004"


def test_0018_declared_but_not_implemented(api: Api) -> None:
    name = unimplemented_function()
    assert name in REGISTRY
    assert api.call(name).code == "0018"


def test_0018_with_surrounding_whitespace_in_the_name(api: Api) -> None:
    name = unimplemented_function()
    assert api.post(request_xml(f" {name} ", api.tenant.name)).code == "0018"


def test_0020_token_limited_to_other_functions(api: Api, server: Server) -> None:
    limited = new_token(server, api.tenant, api.tenant.owner_id, methods=["auth.login"])
    assert api.as_user(limited).call("user.get").code == "0020"


def test_token_limited_to_the_function_called(api: Api, server: Server) -> None:
    limited = new_token(server, api.tenant, api.tenant.owner_id, methods=["user.get", "auth.login"])
    reply = api.as_user(limited).call(" user.get ")
    assert reply.ok, reply.raw


def test_0020_does_not_apply_to_sessions(api: Api, server: Server) -> None:
    # The whitelist belongs to the token; a sid of the same user is not limited by it.
    new_token(server, api.tenant, api.tenant.owner_id, methods=["auth.login"])
    sid = api.login(api.tenant.owner_login, api.tenant.owner_password)
    assert api.call_sid(sid, "user.get").ok
