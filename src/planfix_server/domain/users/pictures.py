"""User pictures sent as base64 text (``user.update``'s ``userPic``)."""

from __future__ import annotations

import base64
import binascii
import re

from planfix_server.api import errors

# The largest picture kept; the request body cap (1 MiB by default) usually binds first.
MAX_PICTURE_BYTES = 4 * 1024 * 1024

_DATA_URL = re.compile(r"^data:[\w.+/-]*;base64,", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")


def sniff(data: bytes) -> str | None:
    """The content type of an image by its magic bytes: PNG, JPEG, GIF or WEBP."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def decode_picture(text: str) -> tuple[str, bytes]:
    """(content type, bytes) of a base64 image; 0015 when it is not base64 or not a known image."""
    # Clients wrap long base64 lines and some send a data: URL; both are accepted.
    compact = _WHITESPACE.sub("", _DATA_URL.sub("", text.strip()))
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise errors.InvalidParameterValue("user/userPic: not base64") from None
    if len(data) > MAX_PICTURE_BYTES:
        raise errors.InvalidParameterValue("user/userPic: picture too large")
    content_type = sniff(data)
    if content_type is None:
        raise errors.InvalidParameterValue("user/userPic: not a PNG, JPEG, GIF or WEBP image")
    return content_type, data
