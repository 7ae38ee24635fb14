"""The account step: the account named in <account> and the API key of the Basic header.

0001 unknown/missing key, 0002 blocked key, 0004 unknown account, 0010 frozen, 0011 maintenance,
0022 free plan, 0024 other data centre.
"""

from __future__ import annotations

import base64
import secrets

import pytest
from lxml import etree
from starlette.testclient import TestClient

from planfix_server.app import Server
from tests.pipeline.state import block_key, set_account
from tests.support import Api, Tenant, basic, provision, request_xml


def user_get(tenant: Tenant, account: str | None = None) -> bytes:
    return request_xml("user.get", account or tenant.name, "<user></user>")


def test_a_valid_key_and_token_work(api: Api) -> None:
    reply = api.call("user.get")
    assert reply.ok, reply.raw


def test_0001_without_authorization_header(client: TestClient, tenant: Tenant) -> None:
    response = client.post("/xml/", content=user_get(tenant))
    assert response.status_code == 200
    assert etree.fromstring(response.content).findtext("code") == "0001"


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("", id="empty"),
        pytest.param("Basic", id="scheme-only"),
        pytest.param("Basic    ", id="scheme-and-blanks"),
        pytest.param("Bearer 0123456789abcdef", id="bearer"),
        pytest.param("Digest username=x", id="digest"),
        pytest.param("Basic !!!not-base64!!!", id="not-base64"),
        pytest.param("Basic " + base64.b64encode(b"\xff\xfe:x").decode(), id="not-utf8"),
        pytest.param("Basic " + base64.b64encode(b":token").decode(), id="empty-key"),
        pytest.param("Basic " + base64.b64encode(b"   :").decode(), id="blank-key"),
    ],
)
def test_0001_malformed_authorization(api: Api, header: str) -> None:
    assert api.post(user_get(api.tenant), authorization=header).code == "0001"


def test_0001_unknown_key(api: Api) -> None:
    assert (
        api.post(user_get(api.tenant), authorization=basic(secrets.token_hex(16), api.token)).code == "0001"
    )


def test_0001_key_of_another_account(api: Api, server: Server) -> None:
    other = provision(server, "other")
    assert api.post(user_get(api.tenant), authorization=basic(other.api_key, other.token)).code == "0001"
    # and the other way round: acme's key does not open "other"
    assert api.post(user_get(other), authorization=basic(api.tenant.api_key, api.token)).code == "0001"
    # while each key works for its own account
    assert api.post(user_get(other), authorization=basic(other.api_key, other.token)).ok


def test_key_scheme_is_case_insensitive_and_key_is_trimmed(api: Api) -> None:
    encoded = base64.b64encode(f" {api.tenant.api_key} :{api.token}".encode()).decode()
    assert api.post(user_get(api.tenant), authorization=f"basic {encoded}").ok


def test_0002_blocked_key(api: Api, server: Server) -> None:
    block_key(server, api.tenant)
    assert api.call("user.get").code == "0002"
    assert (
        api.post(
            request_xml(
                "auth.login", api.tenant.name, "<login>owner@acme</login><password>owner-pass</password>"
            ),
            authorization=basic(api.tenant.api_key),
        ).code
        == "0002"
    )


def test_0004_unknown_account(api: Api) -> None:
    reply = api.post(user_get(api.tenant, account="no-such-account"))
    assert reply.code == "0004"
    assert reply.status_code == 200


def test_0004_account_names_are_exact(api: Api) -> None:
    assert api.post(user_get(api.tenant, account="ACME")).code == "0004"


@pytest.mark.parametrize(
    ("fields", "code"), [({"status": "frozen"}, "0010"), ({"status": "maintenance"}, "0011")]
)
def test_account_status(api: Api, server: Server, fields: dict[str, str], code: str) -> None:
    set_account(server, api.tenant, **fields)
    assert api.call("user.get").code == code
    set_account(server, api.tenant, status="active")
    assert api.call("user.get").ok


def test_0010_comes_before_the_key_check(api: Api, server: Server) -> None:
    set_account(server, api.tenant, status="frozen")
    assert api.post(user_get(api.tenant), authorization=basic(secrets.token_hex(16))).code == "0010"


def test_0022_free_plan(client: TestClient, server: Server) -> None:
    free = provision(server, "freebie", plan="free")
    api = Api(client, free)
    assert api.call("user.get").code == "0022"
    assert (
        api.post(
            request_xml(
                "auth.login", free.name, "<login>owner@freebie</login><password>owner-pass</password>"
            ),
            authorization=basic(free.api_key),
        ).code
        == "0022"
    )


@pytest.mark.parametrize("plan", ["standard", "professional", "premium"])
def test_paid_plans_may_use_the_api(client: TestClient, server: Server, plan: str) -> None:
    assert Api(client, provision(server, f"paid-{plan}", plan=plan)).call("user.get").ok


def test_0024_other_data_centre(api: Api, server: Server) -> None:
    assert server.settings.data_centre != "elsewhere"
    set_account(server, api.tenant, data_centre="elsewhere")
    assert api.call("user.get").code == "0024"
