"""Where the XML API lives: the real data centres by name, and how a ``base_url`` is read.

The preset URLs are those of ``planfix-xml-api/00-protocol.md`` §1.1. An account lives in exactly
one data centre; calling another one answers ``0024`` (``WrongDataCentre``).
"""

from __future__ import annotations

import ssl
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DATA_CENTRES: dict[str, str] = {
    "europe": "https://api.planfix.com/xml/",
    "asia": "https://api-sg.planfix.com/xml/",
    "usa": "https://api-us.planfix.com/xml/",
    # Older names that existing integrations still have hard-coded.
    "europe-old": "https://api.planfix.ru/xml/",
    "russia": "https://apiru.planfix.ru/xml/",
}

EUROPE = DATA_CENTRES["europe"]
ASIA = DATA_CENTRES["asia"]
USA = DATA_CENTRES["usa"]
EUROPE_OLD = DATA_CENTRES["europe-old"]
RUSSIA = DATA_CENTRES["russia"]


def endpoint_url(base_url: str) -> str:
    """The URL to POST to: a preset name (``"europe"``) or a URL.

    A URL without a path (``https://127.0.0.1:8443``) gets ``/xml/``; any other path is kept as
    given (``/xml`` and ``/xml/`` both work on the real service and on this server).
    """
    preset = DATA_CENTRES.get(base_url.strip().lower())
    if preset is not None:
        return preset
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        names = ", ".join(DATA_CENTRES)
        raise ValueError(f"base_url must be an http(s) URL or one of {names}; got {base_url!r}")
    path = parts.path if parts.path not in ("", "/") else "/xml/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def tls_verify(verify: bool | str | ssl.SSLContext) -> bool | ssl.SSLContext:
    """httpx's ``verify``: a CA file or directory becomes an SSL context (a plain path is deprecated)."""
    if not isinstance(verify, str):
        return verify
    path = Path(verify).expanduser()
    if path.is_dir():
        return ssl.create_default_context(capath=str(path))
    return ssl.create_default_context(cafile=str(path))
