"""The ``/xml`` and ``/xml/`` endpoint at the ASGI level.

POST (and GET with a body, which one widely used client sends); other verbs 405. HTTPS only:
a request that did not arrive over TLS (directly, or per a trusted proxy) is not executed,
unless the server runs its loopback plain-HTTP sandbox listener. Bodies over the size cap
answer 0003 without being parsed. Content-Type is ignored. A worker works on at most
``max_concurrent_requests`` requests and lets ``max_waiting_requests`` more wait; beyond that a
request is refused with HTTP 503 and ``Retry-After`` before its body is read, so overload costs
the client a retry instead of the worker its memory.
"""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import os
from typing import Any

from planfix_server.api import errors
from planfix_server.app import Answer, Server
from planfix_server.pipeline import metrics
from planfix_server.pipeline.exchange import Exchange
from planfix_server.wire import encode

XML_PATHS = frozenset({"/xml", "/xml/"})
CONTENT_TYPE = b"application/xml; charset=UTF-8"
BUSY_HEADERS = [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"1")]

Scope = dict[str, Any]


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class XmlEndpoint:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.settings = server.settings
        self._ids = itertools.count(1)
        self._prefix = os.urandom(3).hex()
        concurrent = max(1, self.settings.max_concurrent_requests)
        self._gate = asyncio.Semaphore(concurrent)
        waiting = self.settings.max_waiting_requests
        self._capacity = concurrent + waiting if waiting > 0 else None
        self._admitted = 0  # requests working or waiting (one event loop: no lock needed)

    def _secure(self, scope: Scope, client: str) -> bool:
        if scope.get("scheme") == "https":
            return True
        return self.settings.plain_http and is_loopback(client)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["method"] not in ("POST", "GET"):
            await _send(send, 405, b"", [(b"allow", b"POST")])
            return
        client = (scope.get("client") or ("", 0))[0] or ""
        if not self._secure(scope, client):
            # Never executed: the API is served over HTTPS only.
            await _send(send, 403, b"HTTPS required\n", [(b"content-type", b"text/plain; charset=utf-8")])
            return
        if self._capacity is not None and self._admitted >= self._capacity:
            metrics.refused()
            await _send(send, 503, b"Server busy, retry later\n", BUSY_HEADERS)
            return
        self._admitted += 1
        try:
            # The pipeline runs without yielding the event loop, so the requests that arrived meanwhile
            # would wait unseen in the loop's queue; one yield lets each of them join the count first.
            await asyncio.sleep(0)
            await self._serve(scope, receive, send, client)
        finally:
            self._admitted -= 1

    async def _serve(self, scope: Scope, receive: Any, send: Any, client: str) -> None:
        async with self._gate:
            body, too_large = await _read_body(receive, self.settings.max_body_bytes)
            request_id = f"{self._prefix}-{next(self._ids)}"
            headers = dict(scope["headers"])
            if too_large:
                answer = Answer(encode.error(errors.XmlParseError("body too large")), "0003", None)
            else:
                exchange = Exchange(
                    body=body,
                    authorization=headers.get(b"authorization", b"").decode("latin-1"),
                    client=client,
                    base_url=_base_url(scope, headers),
                    request_id=request_id,
                    now=self.server.clock(),
                )
                answer = self.server.answer(exchange)
        extra = [(b"x-request-id", request_id.encode())]
        if answer.remaining is not None:
            extra.append((b"x-ratelimit-remaining", str(answer.remaining).encode()))
        await _send(send, 200, answer.body, [(b"content-type", CONTENT_TYPE), *extra])


def _base_url(scope: Scope, headers: dict[bytes, bytes]) -> str:
    host = headers.get(b"host", b"").decode("latin-1")
    if not host:
        server = scope.get("server") or ("localhost", 0)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'https')}://{host}"


async def _read_body(receive: Any, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            # Stop reading: the server closes the connection after the answer.
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


async def _send(send: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
