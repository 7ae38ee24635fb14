"""Transport: paths, verbs, Content-Type, the HTTPS-only rule, the body cap, headers, and what an
unexpected failure looks like from outside."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator

import pytest
from lxml import etree
from starlette.testclient import TestClient

from planfix_server.api import errors
from planfix_server.api.registry import REGISTRY, MethodSpec
from planfix_server.app import Server, create_app
from planfix_server.domain.access.service import issue_session
from planfix_server.settings import Settings
from tests.pipeline.state import session_count
from tests.support import Api, Tenant, basic, request_xml, running


def login_body(tenant: Tenant) -> bytes:
    inner = f"<login>{tenant.owner_login}</login><password>{tenant.owner_password}</password>"
    return request_xml("auth.login", tenant.name, inner)


def user_get(client: TestClient, tenant: Tenant) -> int:
    """The HTTP status of a token-mode user.get."""
    response = client.post(
        "/xml/",
        content=request_xml("user.get", tenant.name),
        headers={"Authorization": basic(tenant.api_key, tenant.token)},
    )
    return response.status_code


def status_of(content: bytes) -> str:
    return etree.fromstring(content).get("status") or ""


# -- paths and verbs -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/xml", "/xml/"])
def test_both_paths_answer_without_redirect(client: TestClient, tenant: Tenant, path: str) -> None:
    response = client.post(
        path,
        content=request_xml("user.get", tenant.name),
        headers={"Authorization": basic(tenant.api_key, tenant.token)},
        follow_redirects=False,
    )
    assert response.status_code == 200
    assert "location" not in response.headers
    assert status_of(response.content) == "ok"
    assert response.headers["content-type"] == "application/xml; charset=UTF-8"


def test_get_with_an_xml_body_is_served(client: TestClient, tenant: Tenant) -> None:
    response = client.request(
        "GET",
        "/xml/",
        content=request_xml("user.get", tenant.name),
        headers={"Authorization": basic(tenant.api_key, tenant.token)},
    )
    assert response.status_code == 200
    assert status_of(response.content) == "ok"


def test_get_without_a_body_is_a_parse_error(client: TestClient, tenant: Tenant) -> None:
    response = client.get("/xml/", headers={"Authorization": basic(tenant.api_key, tenant.token)})
    assert response.status_code == 200
    assert etree.fromstring(response.content).findtext("code") == "0003"


@pytest.mark.parametrize("verb", ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
def test_other_verbs_are_405_and_not_executed(
    client: TestClient, server: Server, tenant: Tenant, verb: str
) -> None:
    response = client.request(
        verb, "/xml/", content=login_body(tenant), headers={"Authorization": basic(tenant.api_key)}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert session_count(server) == 0


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "application/x-www-form-urlencoded",
        "application/xml",
        "text/xml; charset=utf-8",
        "application/json",
    ],
)
def test_content_type_is_ignored(client: TestClient, tenant: Tenant, content_type: str | None) -> None:
    headers = {"Authorization": basic(tenant.api_key, tenant.token)}
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = client.post("/xml/", content=request_xml("user.get", tenant.name), headers=headers)
    assert ("content-type" in response.request.headers) is (content_type is not None)
    assert status_of(response.content) == "ok"


# -- HTTPS only ------------------------------------------------------------------------------------


def test_plain_http_is_refused_and_nothing_runs(server: Server, tenant: Tenant) -> None:
    # TestClient's scope["client"] is ("testclient", 50000): not a loopback address.
    with TestClient(create_app(server=server), base_url="http://testserver") as plain:
        response = plain.post(
            "/xml/", content=login_body(tenant), headers={"Authorization": basic(tenant.api_key)}
        )
        assert response.status_code == 403
        assert b"<response" not in response.content
        assert user_get(plain, tenant) == 403
    assert session_count(server) == 0


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "127.8.9.10", "localhost"])
def test_plain_http_sandbox_on_loopback(settings: Settings, tenant: Tenant, host: str) -> None:
    with running(settings.replace(plain_http=True), base_url="http://testserver", client_host=host) as (
        server,
        client,
    ):
        response = client.post(
            "/xml/", content=login_body(tenant), headers={"Authorization": basic(tenant.api_key)}
        )
        assert response.status_code == 200
        assert status_of(response.content) == "ok"
        assert session_count(server) == 1


@pytest.mark.parametrize("host", ["testclient", "192.0.2.10", "10.0.0.1", "::ffff:192.0.2.10", ""])
def test_plain_http_sandbox_refuses_other_clients(settings: Settings, tenant: Tenant, host: str) -> None:
    with running(settings.replace(plain_http=True), base_url="http://testserver", client_host=host) as (
        server,
        client,
    ):
        assert user_get(client, tenant) == 403
        assert (
            client.post(
                "/xml/", content=login_body(tenant), headers={"Authorization": basic(tenant.api_key)}
            ).status_code
            == 403
        )
        assert session_count(server) == 0


def test_loopback_without_the_sandbox_setting_is_refused(settings: Settings, tenant: Tenant) -> None:
    with running(settings, base_url="http://testserver", client_host="127.0.0.1") as (_, client):
        assert user_get(client, tenant) == 403


# -- body size -------------------------------------------------------------------------------------


def test_body_over_the_cap_is_0003_and_not_executed(settings: Settings, tenant: Tenant) -> None:
    body = login_body(tenant)
    with running(settings.replace(max_body_bytes=len(body))) as (server, client):
        headers = {"Authorization": basic(tenant.api_key)}
        assert status_of(client.post("/xml/", content=body, headers=headers).content) == "ok"
        padded = body.replace(b"</request>", b" </request>")
        response = client.post("/xml/", content=padded, headers=headers)
        assert response.status_code == 200
        assert etree.fromstring(response.content).findtext("code") == "0003"
        assert session_count(server) == 1


def test_body_cap_counts_every_chunk(settings: Settings, tenant: Tenant) -> None:
    body = login_body(tenant)

    def chunks() -> Iterator[bytes]:
        half = len(body) // 2
        yield body[:half]
        yield body[half:].replace(b"</request>", b"   </request>")

    with running(settings.replace(max_body_bytes=len(body) + 2)) as (server, client):
        response = client.post("/xml/", content=chunks(), headers={"Authorization": basic(tenant.api_key)})
        assert etree.fromstring(response.content).findtext("code") == "0003"
        assert session_count(server) == 0


# -- headers ---------------------------------------------------------------------------------------


def test_rate_limit_remaining_on_ok_and_error_answers_of_a_known_account(api: Api) -> None:
    replies = {
        "ok": api.call("user.get"),
        "0008": api.call("user.nosuch"),
        "0012": api.as_user("").call("user.get"),
        "0001": api.post(request_xml("user.get", api.tenant.name), authorization=basic("0" * 32)),
    }
    for expected, reply in replies.items():
        assert (reply.code or "ok") == expected
        remaining = reply.headers.get("x-ratelimit-remaining")
        assert remaining is not None and remaining.isdigit(), expected
        assert 0 < int(remaining) <= 100_000  # the premium plan's daily quota in the test settings


def test_no_rate_limit_header_without_a_known_account(api: Api) -> None:
    assert "x-ratelimit-remaining" not in api.post(request_xml("user.get", "no-such-account")).headers
    assert "x-ratelimit-remaining" not in api.post(b"not xml").headers


def test_request_id_on_every_answer(api: Api) -> None:
    replies = [api.call("user.get"), api.call("user.nosuch"), api.post(b"not xml"), api.call("user.get")]
    ids = [reply.headers.get("x-request-id") for reply in replies]
    assert all(ids), ids
    assert len(set(ids)) == len(ids)


# -- unexpected failures ---------------------------------------------------------------------------

SECRET = "connection string postgresql://admin:hunter2@db"


def _failing_login(exc: Exception) -> MethodSpec:
    """auth.login that writes a session and then fails."""

    def handler(request: object, uow: object, call: object) -> object:
        issue_session(uow, call.now, call.user.id, 60)  # type: ignore[arg-type, attr-defined]
        raise exc

    return dataclasses.replace(REGISTRY["auth.login"], handler=handler)


def test_unexpected_exception_is_a_generic_error_without_details(
    api: Api, server: Server, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(REGISTRY, "auth.login", _failing_login(RuntimeError(SECRET)))
    with caplog.at_level(logging.INFO, logger="planfix_server.requests"):
        response = api.client.post(
            "/xml/", content=login_body(api.tenant), headers={"Authorization": basic(api.tenant.api_key)}
        )
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert root.get("status") == "error"
    assert re.fullmatch(r"\d{4}", root.findtext("code") or "")
    assert root.findtext("message") == ""
    for leak in (b"hunter2", b"Traceback", b"RuntimeError", b"issue_session"):
        assert leak not in response.content
    request_id = response.headers["x-request-id"]
    logged = [record for record in caplog.records if request_id in record.getMessage()]
    assert logged, caplog.text
    assert logged[0].levelno == logging.ERROR
    assert logged[0].exc_info is not None and "hunter2" in caplog.text
    # what the failed call wrote is gone, and the server goes on
    assert session_count(server) == 0
    monkeypatch.undo()
    assert api.login(api.tenant.owner_login, api.tenant.owner_password)


def test_unexpected_exception_hides_details_even_with_messages_on(
    settings: Settings, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(REGISTRY, "auth.login", _failing_login(ValueError(SECRET)))
    with running(settings.replace(error_messages=True)) as (_, client):
        response = client.post(
            "/xml/", content=login_body(tenant), headers={"Authorization": basic(tenant.api_key)}
        )
    assert response.status_code == 200
    assert status_of(response.content) == "error"
    assert b"hunter2" not in response.content and b"ValueError" not in response.content


def test_api_error_in_a_handler_rolls_back_its_writes(
    api: Api, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(REGISTRY, "auth.login", _failing_login(errors.ObjectAddFailed("half done")))
    reply = api.post(login_body(api.tenant), authorization=basic(api.tenant.api_key))
    assert reply.code == "0102"
    assert session_count(server) == 0
