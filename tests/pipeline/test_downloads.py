"""A handler's ``Download`` leaves as the file itself: HTTP 200 with its headers and the content
streamed in chunks, or HTTP 302 with ``Location``; ``file.download`` errors 9001/9002 go out with
HTTP 403/404 and the usual XML body, its other errors with HTTP 200."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest

from planfix_server.api import errors
from planfix_server.api.download import Download
from planfix_server.pipeline.transport import content_disposition, send_download
from tests.support import Api, add_user

Message = dict[str, Any]


def sent(download: Download, *, fail_after: int | None = None) -> list[Message]:
    """The ASGI messages ``send_download`` emits (optionally the client going away mid-way)."""
    messages: list[Message] = []

    async def send(message: Message) -> None:
        if fail_after is not None and len(messages) >= fail_after:
            raise OSError("client went away")
        messages.append(message)

    asyncio.run(send_download(send, download, [(b"x-request-id", b"r-1")]))
    return messages


def headers_of(messages: list[Message]) -> dict[bytes, bytes]:
    return dict(messages[0]["headers"])


def test_content_is_streamed_in_chunks_with_its_headers() -> None:
    pieces = [b"a" * 10, b"", b"b" * 5]
    messages = sent(Download("report.pdf", "application/pdf", 15, iter(pieces)))
    start, *bodies = messages
    assert start["type"] == "http.response.start" and start["status"] == 200
    headers = headers_of(messages)
    assert headers[b"content-type"] == b"application/pdf"
    assert headers[b"content-length"] == b"15"
    assert headers[b"x-request-id"] == b"r-1"
    assert (
        headers[b"content-disposition"] == b"attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
    )
    assert [m["body"] for m in bodies] == [b"a" * 10, b"b" * 5, b""]
    assert [m["more_body"] for m in bodies] == [True, True, False]


def test_non_ascii_and_hostile_names() -> None:
    header = content_disposition('Отчёт "Q1"\\%;.xlsx').decode("ascii")
    fallback, exact = header.split("; filename*=UTF-8''")
    assert fallback == 'attachment; filename="_____ _Q1___;.xlsx"'
    assert unquote(exact) == 'Отчёт "Q1"\\%;.xlsx'
    assert content_disposition("").startswith(b'attachment; filename="file"')


def test_redirect_for_a_file_on_the_internet() -> None:
    messages = sent(Download("logo.png", "image/png", 0, location="https://cdn.example.com/a b/лого.png"))
    assert messages[0]["status"] == 302
    headers = headers_of(messages)
    assert headers[b"location"] == b"https://cdn.example.com/a%20b/%D0%BB%D0%BE%D0%B3%D0%BE.png"
    assert headers[b"content-length"] == b"0"


def test_no_header_can_be_injected() -> None:
    messages = sent(Download("a", "text/plain\r\nSet-Cookie: x=1", 1, iter([b"a"])))
    assert headers_of(messages)[b"content-type"] == b"application/octet-stream"
    messages = sent(Download("a", "", 0, location="https://e.com/\r\nSet-Cookie: x=1"))
    assert headers_of(messages)[b"location"] == b"https://e.com/%0D%0ASet-Cookie:%20x=1"


def test_the_content_is_closed_when_the_client_goes_away() -> None:
    closed: list[bool] = []

    def content() -> Iterator[bytes]:
        try:
            yield from [b"1", b"2", b"3"]
        finally:
            closed.append(True)

    with pytest.raises(OSError, match="client went away"):
        sent(Download("a", "text/plain", 3, content()), fail_after=2)
    assert closed == [True]


# -- through the real app, with file.download


def upload(api: Api, content: bytes, name: str = "notes.txt") -> tuple[int, int]:
    """A task with one uploaded file: (file id, task id)."""
    task = api.call("task.add", "<task><title>With a file</title></task>")
    assert task.ok, task.raw
    task_id = int(task.text("task/id"))
    body = base64.b64encode(content).decode()
    reply = api.call(
        "file.upload",
        f"<task><id>{task_id}</id></task><target>task</target><files><file><name>{name}</name>"
        f"<sourceType>FILESYSTEM</sourceType><body>{body}</body></file></files>",
    )
    assert reply.ok, reply.raw
    return int(reply.text("files/file/id")), task_id


def download(api: Api, inner: str) -> Any:
    from tests.support import basic, request_xml

    return api.client.post(
        "/xml/",
        content=request_xml("file.download", api.tenant.name, inner),
        headers={"Authorization": basic(api.tenant.api_key, api.token)},
    )


def test_a_file_downloads_with_its_headers(api: Api) -> None:
    content = bytes(range(256)) * 4096  # 1 MiB: several chunks
    file_id, _ = upload(api, content, "данные.bin")
    answer = download(api, f"<file><id>{file_id}</id></file>")
    assert answer.status_code == 200
    assert answer.content == content
    assert answer.headers["content-length"] == str(len(content))
    assert answer.headers["content-type"] == "application/octet-stream"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="______.bin"')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "данные.bin"
    assert answer.headers["x-request-id"]


def test_a_missing_file_is_404_with_the_xml_error(api: Api) -> None:
    answer = download(api, "<file><id>999999</id></file>")
    assert answer.status_code == 404
    assert b"<code>9002</code>" in answer.content
    assert answer.headers["content-type"].startswith("application/xml")


def test_no_access_is_403_with_the_xml_error(api: Api, server: Any) -> None:
    file_id, _ = upload(api, b"secret")
    _, token = add_user(server, api.tenant, "outsider")
    answer = download(api.as_user(token), f"<file><id>{file_id}</id></file>")
    assert answer.status_code == 403, answer.content
    assert b"<code>9001</code>" in answer.content


def test_other_errors_keep_http_200(api: Api) -> None:
    answer = download(api, "<file></file>")
    assert answer.status_code == 200
    assert f"<code>{errors.MissingParameter.code}</code>".encode() in answer.content


def test_9001_of_other_functions_keeps_http_200(api: Api, server: Any) -> None:
    file_id, _ = upload(api, b"secret")
    _, token = add_user(server, api.tenant, "outsider")
    reply = api.as_user(token).call("file.get", f"<file><id>{file_id}</id></file>")
    assert reply.status_code == 200
    assert reply.code == "9001"
