"""The content of one file version as an answer: ``file.download`` and the download links send it."""

from __future__ import annotations

from typing import Any

from planfix_server.api import errors
from planfix_server.api.download import Download
from planfix_server.settings import Settings
from planfix_server.store.blobs import BlobStoreError, blob_store


def download_of(settings: Settings, row: Any) -> Download:
    """The version of ``row`` (queries._ROW): its content, or a redirect for an internet file.

    9007 when the content is missing from the storage or cannot be opened.
    """
    if row.url is not None:
        return Download(row.name, row.content_type, 0, location=row.url)
    store = blob_store(settings)
    try:
        if not store.exists(row.storage_key):
            raise errors.FileSystemError(f"file {row.id}: content {row.storage_key} is missing")
        chunks = store.open(row.storage_key)
    except BlobStoreError as exc:
        raise errors.FileSystemError(str(exc)) from None
    return Download(row.name, row.content_type, int(row.size_bytes), chunks)
