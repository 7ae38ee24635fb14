"""``client.file.download`` / ``download_to``: the answer is the file's bytes, not XML; an XML
error answer (HTTP 200, 403 or 404) raises its typed error; a redirect is followed without the
API credentials."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from planfix_server.api import errors
from planfix_server.app import Server
from planfix_server.client import AsyncClient, Client
from planfix_server.client.core import is_file_answer
from planfix_server.client.errors import HttpStatusError, TransportError
from planfix_server.client.functions.file_download import download_params
from planfix_server.sandbox.inprocess import ASGI_BASE_URL, asgi_transport
from tests.client.conftest import canned_client, error
from tests.support import Tenant

ATTACHMENT = {"Content-Disposition": "attachment; filename=\"a.bin\"; filename*=UTF-8''a.bin"}


def upload(client: Client, content: bytes, name: str = "data.bin") -> tuple[int, int]:
    task = client.call("task.add", {"task": {"title": "With a file"}})
    task_id = task.int_of("task/id")
    answer = client.call(
        "file.upload",
        {
            "task": {"id": task_id},
            "target": "task",
            "files": {
                "file": {"name": name, "sourceType": "FILESYSTEM", "body": base64.b64encode(content).decode()}
            },
        },
    )
    file_id, unique_id = answer.int_of("files/file/id"), answer.int_of("files/file/uniqueId")
    assert file_id is not None and unique_id is not None
    return file_id, unique_id


# -- against the real server


def test_sync_download(sync_client: Callable[..., Client], tmp_path: Path) -> None:
    client = sync_client()
    content = bytes(range(256)) * 3000  # several chunks of the server's stream
    file_id, unique_id = upload(client, content)
    assert client.file.download(file_id) == content
    assert client.file.download(unique_id=unique_id) == content
    target = tmp_path / "copy.bin"
    assert client.file.download_to(target, file_id) == len(content)
    assert target.read_bytes() == content
    sink = io.BytesIO()
    assert client.file.download_to(sink, unique_id=unique_id) == len(content)
    assert sink.getvalue() == content


def test_sync_download_errors_are_typed(sync_client: Callable[..., Client], tmp_path: Path) -> None:
    client = sync_client()
    with pytest.raises(errors.error_for_code("9002")) as caught:
        client.file.download(999999)
    assert caught.value.code == "9002"
    target = tmp_path / "never.bin"
    with pytest.raises(errors.error_for_code("9002")):
        client.file.download_to(target, 999999)
    assert not target.exists()  # a failed download leaves no file behind


def test_async_download(async_client: Callable[..., AsyncClient], sync_client: Callable[..., Client]) -> None:
    content = b"async content " * 50_000
    file_id, _ = upload(sync_client(), content)

    async def main() -> None:
        async with async_client() as client:
            assert await client.file.download(file_id) == content
            sink = io.BytesIO()
            assert await client.file.download_to(sink, file_id) == len(content)
            assert sink.getvalue() == content
            with pytest.raises(errors.error_for_code("9002")):
                await client.file.download(999999)

    asyncio.run(main())


# -- canned answers


@pytest.mark.parametrize(("status", "code"), [(403, "9001"), (404, "9002"), (200, "9002")])
def test_error_answers_raise_their_code(status: int, code: str) -> None:
    client = canned_client(lambda _request: httpx.Response(status, content=error(code)))
    with pytest.raises(errors.error_for_code(code)):
        client.file.download(1)


def test_a_404_that_is_not_xml_is_an_http_error() -> None:
    client = canned_client(lambda _r: httpx.Response(404, content=b"not found"))
    with pytest.raises(HttpStatusError) as caught:
        client.file.download(1)
    assert caught.value.status_code == 404


def test_an_attachment_is_the_file_even_if_it_looks_like_an_error() -> None:
    looks_like_error = error("9002")
    client = canned_client(lambda _r: httpx.Response(200, content=looks_like_error, headers=ATTACHMENT))
    assert client.file.download(1) == looks_like_error
    sink = io.BytesIO()
    assert client.file.download_to(sink, 1) == len(looks_like_error)
    assert sink.getvalue() == looks_like_error


def test_without_disposition_any_body_but_an_error_answer_is_the_file() -> None:
    client = canned_client(lambda _r: httpx.Response(200, content=b"%PDF-1.7 raw"))
    assert client.file.download(1) == b"%PDF-1.7 raw"


def test_a_redirect_is_followed_without_credentials() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "cdn.example.com":
            return httpx.Response(200, content=b"from the internet")
        return httpx.Response(302, headers={"Location": "https://cdn.example.com/logo.png"})

    client = canned_client(answer)
    assert client.file.download(1) == b"from the internet"
    assert "authorization" in seen[0].headers
    assert seen[1].method == "GET" and "authorization" not in seen[1].headers
    sink = io.BytesIO()
    assert client.file.download_to(sink, 1) == len(b"from the internet")


def test_a_broken_redirect_is_an_http_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "cdn.example.com":
            return httpx.Response(410, content=b"gone")
        return httpx.Response(302, headers={"Location": "https://cdn.example.com/logo.png"})

    with pytest.raises(HttpStatusError):
        canned_client(answer).file.download(1)


def test_download_is_retried_as_a_read() -> None:
    calls: list[int] = []

    def answer(_request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow")
        return httpx.Response(200, content=b"second time", headers=ATTACHMENT)

    client = canned_client(answer, sleep=lambda _s: None)
    assert client.file.download(1) == b"second time"
    assert len(calls) == 2


def test_request_parameters() -> None:
    assert download_params(5) == {"file": {"id": 5}}
    assert download_params(unique_id=7) == {"file": {"uniqueId": 7}}
    assert download_params(5, unique_id=7) == {"file": {"id": 5, "uniqueId": 7}}
    with pytest.raises(ValueError, match="id or unique_id"):
        download_params()


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected"),
    [
        (200, ATTACHMENT, error("9001"), True),
        (200, {}, error("9001"), False),
        (200, {}, b"<?xml version='1.0'?>\n<response status='error'><code>1</code></response>", False),
        (200, {}, b'<response status="ok"/>', True),
        (200, {}, b"binary", True),
        (302, {"Location": "x"}, b"", True),
        (403, {}, error("9001"), False),
        (500, {}, b"", False),
    ],
)
def test_is_file_answer(status: int, headers: dict[str, str], body: bytes, expected: bool) -> None:
    assert is_file_answer(status, headers, body) is expected


class CutShort(httpx.SyncByteStream):
    def __iter__(self):  # type: ignore[no-untyped-def]
        yield b"first part"
        raise httpx.ReadError("connection lost")


def test_a_download_cut_short_is_not_sent_again(tmp_path: Path) -> None:
    calls: list[int] = []

    def answer(_request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, headers=ATTACHMENT, stream=CutShort())

    client = canned_client(answer, sleep=lambda _s: None)
    target = tmp_path / "partial.bin"
    with pytest.raises(TransportError, match="cut short"):
        client.file.download_to(target, 1)
    assert calls == [1]
    assert not target.exists()


def test_download_through_the_sandbox_transport(server: Server, tenant: Tenant) -> None:
    """The in-process transport (no socket) passes the raw answer through, for both clients."""
    transport = asgi_transport(server)
    options: dict[str, Any] = {"token": tenant.token, "requests_per_second": 0}
    with Client(ASGI_BASE_URL, tenant.name, tenant.api_key, transport=transport, **options) as client:
        content = b"\x00sandbox\xff" * 40_000
        file_id, _ = upload(client, content, "архив.zip")
        assert client.file.download(file_id) == content
        with pytest.raises(errors.error_for_code("9002")):
            client.file.download(999999)

    async def main() -> None:
        async with AsyncClient(
            ASGI_BASE_URL, tenant.name, tenant.api_key, transport=transport, **options
        ) as aio:
            assert await aio.file.download(file_id) == content

    asyncio.run(main())
    transport.close()
