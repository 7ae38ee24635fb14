"""A handler's answer that is a file, not an XML document (``file.download``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Download:
    """The content of a file, streamed to the client; or a redirect to where it lives.

    The transport answers HTTP 200 with ``Content-Type``, ``Content-Length`` and a
    ``Content-Disposition`` carrying the name (RFC 6266 / 5987); with ``location`` set it answers
    HTTP 302 and that ``Location`` instead (files kept on the internet).
    """

    filename: str
    content_type: str
    size: int
    chunks: Iterable[bytes] = ()
    location: str | None = None
