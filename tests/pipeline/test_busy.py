"""Overload: beyond the requests a worker works on and lets wait, a request is refused with HTTP 503
and Retry-After before its body is read; the others are answered as usual."""

from __future__ import annotations

import asyncio
from typing import Any

from lxml import etree

from planfix_server.app import create_app
from planfix_server.pipeline import metrics
from planfix_server.settings import Settings
from tests.support import basic, provision, request_xml, running


class Call:
    """One request sent straight to the ASGI app; its body arrives when ``release`` is set."""

    def __init__(self, app: Any, body: bytes, authorization: str) -> None:
        self.app = app
        self.body = body
        self.authorization = authorization
        self.release = asyncio.Event()
        self.body_read = False
        self.status = 0
        self.headers: dict[bytes, bytes] = {}
        self.answer = b""

    async def receive(self) -> dict[str, Any]:
        await self.release.wait()
        self.body_read = True
        return {"type": "http.request", "body": self.body, "more_body": False}

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = dict(message["headers"])
        else:
            self.answer += message.get("body", b"")

    async def run(self) -> None:
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/xml/",
            "scheme": "https",
            "headers": [(b"authorization", self.authorization.encode())],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 443),
        }
        await self.app(scope, self.receive, self.send)


def refusals() -> float:
    return metrics.REGISTRY_METRICS.get_sample_value("planfix_refused_busy_total") or 0.0


def test_a_full_line_is_refused_with_503(settings: Settings) -> None:
    busy = settings.replace(max_concurrent_requests=1, max_waiting_requests=1)
    with running(busy) as (server, _client):
        tenant = provision(server, "acme")
        app = create_app(server=server)
        body = request_xml("user.get", tenant.name)
        authorization = basic(tenant.api_key, tenant.token)

        async def scenario() -> list[Call]:
            calls = [Call(app, body, authorization) for _ in range(3)]
            working = asyncio.create_task(calls[0].run())  # holds the one slot while its body trickles in
            waiting = asyncio.create_task(calls[1].run())  # waits in line
            await asyncio.sleep(0.05)
            await asyncio.wait_for(calls[2].run(), 5)  # the line is full: refused at once
            for call in calls:
                call.release.set()
            await asyncio.wait_for(asyncio.gather(working, waiting), 10)
            return calls

        before = refusals()
        working, waiting, refused = asyncio.run(scenario())
    assert refused.status == 503 and refused.headers[b"retry-after"] == b"1"
    assert not refused.body_read
    assert refusals() == before + 1
    for call in (working, waiting):
        assert call.status == 200
        assert etree.fromstring(call.answer).get("status") == "ok", call.answer


def test_without_a_line_limit_everyone_waits(settings: Settings) -> None:
    patient = settings.replace(max_concurrent_requests=1, max_waiting_requests=0)
    with running(patient) as (server, _client):
        tenant = provision(server, "acme")
        app = create_app(server=server)
        body = request_xml("user.get", tenant.name)

        async def scenario() -> list[Call]:
            calls = [Call(app, body, basic(tenant.api_key, tenant.token)) for _ in range(20)]
            tasks = [asyncio.create_task(call.run()) for call in calls]
            await asyncio.sleep(0.05)
            for call in calls:
                call.release.set()
            await asyncio.wait_for(asyncio.gather(*tasks), 20)
            return calls

        calls = asyncio.run(scenario())
    assert [call.status for call in calls] == [200] * 20
