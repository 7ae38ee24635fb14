"""The ``/xml`` and ``/xml/`` endpoint at the ASGI level.

POST (and GET with a body, which one widely used client sends); other verbs 405. HTTPS only:
a request that did not arrive over TLS (directly, or per a trusted proxy) is not executed,
unless the server runs its loopback plain-HTTP sandbox listener. Bodies over the size cap
answer 0003 without being parsed, except those of the functions that carry files (their
``method`` is read from the body's first bytes), which may reach ``max_file_request_bytes``.
Content-Type is ignored. A handler's ``Download`` is sent as the file itself (streamed) or as a
redirect. A worker works on at most
``max_concurrent_requests`` requests and lets ``max_waiting_requests`` more wait; beyond that a
request is refused with HTTP 503 and ``Retry-After`` before its body is read, so overload costs
the client a retry instead of the worker its memory.
"""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from planfix_server.api import errors
from planfix_server.api.download import Download
from planfix_server.app import Answer, Server
from planfix_server.pipeline import metrics
from planfix_server.pipeline.exchange import Exchange
from planfix_server.wire import encode
from planfix_server.wire.envelope import FILE_CARRYING

XML_PATHS = frozenset({"/xml", "/xml/"})
CONTENT_TYPE = b"application/xml; charset=UTF-8"
BUSY_HEADERS = [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"1")]
# How much of an oversized body is searched for the root's method attribute.
METHOD_PEEK_BYTES = 4096
_METHOD_ATTRIBUTE = re.compile(rb"<request\b[^>]*?\smethod\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")

Scope = dict[str, Any]


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def client_address(scope: Mapping[str, Any]) -> str:
    return str((scope.get("client") or ("", 0))[0] or "")


def is_secure(scope: Mapping[str, Any], plain_http: bool) -> bool:
    """Arrived over TLS (directly, or per a trusted proxy), or plain HTTP on the loopback sandbox
    listener."""
    if scope.get("scheme") == "https":
        return True
    return plain_http and is_loopback(client_address(scope))


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

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["method"] not in ("POST", "GET"):
            await _send(send, 405, b"", [(b"allow", b"POST")])
            return
        client = client_address(scope)
        if not is_secure(scope, self.settings.plain_http):
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
            body, too_large = await _read_body(
                receive, self.settings.max_body_bytes, self.settings.max_file_request_bytes
            )
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
        if answer.download is not None:
            await send_download(send, answer.download, extra)
            return
        await _send(send, answer.status, answer.body, [(b"content-type", CONTENT_TYPE), *extra])


def _base_url(scope: Scope, headers: dict[bytes, bytes]) -> str:
    host = headers.get(b"host", b"").decode("latin-1")
    if not host:
        server = scope.get("server") or ("localhost", 0)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'https')}://{host}"


def carries_files(head: bytes) -> bool:
    """Whether the body starting with ``head`` is a request of a function that carries files."""
    found = _METHOD_ATTRIBUTE.search(head[:METHOD_PEEK_BYTES])
    if found is None:
        return False
    method = (found.group(1) if found.group(1) is not None else found.group(2)).strip()
    return method.decode("latin-1") in FILE_CARRYING


async def _read_body(receive: Any, limit: int, file_limit: int) -> tuple[bytes, bool]:
    """The body, up to ``limit`` bytes; up to ``file_limit`` for a request that carries files."""
    chunks: list[bytes] = []
    size = 0
    cap = limit
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            if cap == limit < file_limit and carries_files(b"".join(chunks)[:METHOD_PEEK_BYTES] + chunk):
                cap = file_limit
            if size > cap:
                # Stop reading: the server closes the connection after the answer.
                return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def content_disposition(filename: str) -> bytes:
    """``attachment`` with an ASCII fallback name and the exact name in UTF-8 (RFC 6266 / 5987)."""
    fallback = "".join(c if " " <= c < "\x7f" and c not in '"\\%' else "_" for c in filename) or "file"
    exact = quote(filename, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{exact}".encode("ascii")


async def send_download(send: Any, download: Download, extra: list[tuple[bytes, bytes]]) -> None:
    """A file as the answer: HTTP 302 to its location, or HTTP 200 with the content streamed."""
    if download.location is not None:
        # Percent-encoded: no byte of a stored URL can end the header or start another one.
        location = quote(download.location, safe=_URL_SAFE).encode("ascii")
        await _send(send, 302, b"", [(b"location", location), *extra])
        return
    content_type = download.content_type
    if not content_type or not content_type.isascii() or not content_type.isprintable():
        content_type = "application/octet-stream"
    headers = [
        (b"content-type", content_type.encode("ascii")),
        (b"content-length", str(download.size).encode()),
        (b"content-disposition", content_disposition(download.filename)),
        *extra,
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    chunks = iter(download.chunks)
    try:
        for chunk in chunks:
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # the blob's file handle, even when the client went away mid-way


async def _send(send: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
