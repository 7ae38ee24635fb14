"""``file.download`` (``planfix-xml-api/23-files-and-other.md`` §3.2): the one call whose answer is
the file itself, not XML.

The clients expose it as ``client.file.download(id=…)`` (the bytes) and
``client.file.download_to(target, id=…)`` (streamed into a path or a binary file object). An error
answer (``<response status="error">``, with HTTP 200, 403 or 404) raises its typed error; a file kept
on the internet (HTTP 302) is fetched from its ``Location`` without the API credentials.
"""

from __future__ import annotations

from typing import Any

from planfix_server.client.functions.common import drop_none

METHOD = "file.download"


def download_params(id: int | None = None, *, unique_id: int | None = None) -> dict[str, Any]:
    """The request of ``file.download``: the file by ``id`` (its last version) or one version by
    ``unique_id`` (``id`` wins when both are given)."""
    if id is None and unique_id is None:
        raise ValueError("give id or unique_id")
    return {"file": drop_none({"id": id, "uniqueId": unique_id})}
