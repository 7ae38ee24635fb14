from __future__ import annotations

import hashlib
import random

from planfix_server.app import Server
from tests.domain.files.helpers import b64, blobs, download, entry, task_place, uploaded
from tests.domain.tasks.helpers import employee, new_task
from tests.support import Api, provision


def test_content_and_headers(api: Api) -> None:
    task_id = new_task(api)
    content = bytes(range(256)) * 5000
    ((file_id, unique_id, _),) = uploaded(api, task_place(task_id), entry("Отчёт 1.pdf", content))
    reply = download(api, f"<id>{file_id}</id>")
    assert reply.status_code == 200
    assert reply.raw == content
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["content-length"] == str(len(content))
    disposition = reply.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%201.pdf" in disposition
    assert download(api, f"<uniqueId>{unique_id}</uniqueId>").raw == content


def test_a_multi_megabyte_binary_file_comes_back_byte_identical(api: Api, server: Server) -> None:
    """6 MiB of random bytes: a request body of 8 MiB (over the ordinary cap: the file cap applies),
    stored in the blob store, downloaded unchanged under its non-ASCII name."""
    content = random.Random(6).randbytes(6 * 1024 * 1024)
    task_id = new_task(api)
    ((file_id, _, name),) = uploaded(api, task_place(task_id), entry("Смета №7 (итог).bin", content))
    assert name == "Смета №7 (итог).bin"
    assert len(b64(content)) >= 8 * server.settings.max_body_bytes
    reply = download(api, f"<id>{file_id}</id>")
    assert reply.status_code == 200
    assert hashlib.sha256(reply.raw).hexdigest() == hashlib.sha256(content).hexdigest()
    assert reply.raw == content
    (blob,) = blobs(server)
    assert blob.stat().st_size == len(content)


def test_versions(api: Api) -> None:
    task_id = new_task(api)
    ((file_id, first, _),) = uploaded(api, task_place(task_id), entry("a.txt", b"old"))
    uploaded(api, task_place(task_id), entry("a.txt", b"new", extra="<newversion>1</newversion>"))
    assert download(api, f"<id>{file_id}</id>").raw == b"new"
    assert download(api, f"<uniqueId>{first}</uniqueId>").raw == b"old"
    assert download(api, f"<id>{file_id}</id><uniqueId>{first}</uniqueId>").raw == b"new"


def test_internet_files_redirect(api: Api) -> None:
    task_id = new_task(api)
    link = "<otherFile><url>https://example.com/a.pdf?x=1</url></otherFile>"
    ((file_id, _, _),) = uploaded(api, task_place(task_id), entry("a.pdf", source="INTERNET", extra=link))
    reply = download(api, f"<id>{file_id}</id>")
    assert reply.status_code == 302
    assert reply.headers["location"] == "https://example.com/a.pdf?x=1"


def test_errors_carry_http_statuses(api: Api, server: Server) -> None:
    _, stranger_api = employee(server, api, "stranger")
    task_id = new_task(api)
    ((file_id, _, _),) = uploaded(api, task_place(task_id), entry())
    missing = download(api, "<id>9999</id>")
    assert (missing.status_code, missing.code) == (404, "9002")
    denied = download(stranger_api, f"<id>{file_id}</id>")
    assert (denied.status_code, denied.code) == (403, "9001")
    other = Api(api.client, provision(server, "other"))
    assert download(other, f"<id>{file_id}</id>").status_code == 404
    nothing = download(api, "")
    assert (nothing.status_code, nothing.code) == (200, "0009")


def test_lost_content_is_a_file_system_error(api: Api, server: Server) -> None:
    task_id = new_task(api)
    ((file_id, _, _),) = uploaded(api, task_place(task_id), entry())
    (blob,) = blobs(server)
    blob.unlink()
    reply = download(api, f"<id>{file_id}</id>")
    assert (reply.status_code, reply.code) == (200, "9007")
