"""Set-up helpers of the file tests: uploads through the API, and the blobs on disk."""

from __future__ import annotations

import base64
from pathlib import Path

from sqlalchemy import func, select

from planfix_server.app import Server
from planfix_server.store.tables import file_versions, files
from tests.support import Api, Reply


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def entry(
    name: str = "report.txt",
    content: bytes = b"hello",
    *,
    source: str = "FILESYSTEM",
    extra: str = "",
) -> str:
    """One ``<file>`` of an upload: a FILESYSTEM file with ``content`` unless ``source`` says else."""
    body = f"<body>{b64(content)}</body>" if source == "FILESYSTEM" else ""
    return f"<file><name>{name}</name><sourceType>{source}</sourceType>{body}{extra}</file>"


def upload(api: Api, place: str, *entries: str, extra: str = "") -> Reply:
    """file.upload of ``entries`` into ``place`` (e.g. ``<task><id>1</id></task>``)."""
    return api.call("file.upload", f"{place}{extra}<files>{''.join(entries)}</files>")


def uploaded(api: Api, place: str, *entries: str, extra: str = "") -> list[tuple[int, int, str]]:
    """(id, uniqueId, name) of each file stored by a successful upload."""
    reply = upload(api, place, *entries, extra=extra)
    assert reply.ok, reply.raw
    return [
        (int(one.findtext("id") or 0), int(one.findtext("uniqueId") or 0), one.findtext("name") or "")
        for one in reply.root.iterfind("files/file")
    ]


def task_place(task_id: int) -> str:
    return f"<task><id>{task_id}</id></task>"


def get_file(api: Api, inner: str, extra: str = "") -> Reply:
    return api.call("file.get", f"<file>{inner}</file>{extra}")


def download(api: Api, inner: str) -> Reply:
    """file.download; the reply's ``raw`` is the content (its ``root`` is empty unless XML came)."""
    from lxml import etree

    from tests.support import request_xml

    response = api.client.post(
        "/xml/",
        content=request_xml("file.download", api.tenant.name, f"<file>{inner}</file>"),
        headers={"Authorization": _auth(api)},
        follow_redirects=False,
    )
    try:
        root = etree.fromstring(response.content)
    except etree.XMLSyntaxError:
        root = etree.Element("content")
    return Reply(response.content, response.status_code, dict(response.headers), root)


def _auth(api: Api) -> str:
    from tests.support import basic

    return basic(api.tenant.api_key, api.token)


def blobs(server: Server) -> list[Path]:
    """Every stored blob on disk."""
    root = server.settings.files_path
    return sorted(path for path in root.glob("??/??/*") if path.is_file()) if root.is_dir() else []


def row_counts(server: Server) -> tuple[int, int]:
    """(files, versions) rows of every account."""
    with server.engine.connect() as connection:
        count_files = connection.execute(select(func.count()).select_from(files)).scalar_one()
        count_versions = connection.execute(select(func.count()).select_from(file_versions)).scalar_one()
    return int(count_files), int(count_versions)
