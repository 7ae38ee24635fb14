"""Permanent download links of file versions (``downloadLink``, ``returnDownloadLinks=1``).

A link is ``{base_url}/files/{account id}/{uniqueId}/{token}``; the token is the HMAC-SHA256 of
``"{account id}:{uniqueId}"`` under a key derived from the server's secret for this purpose alone
(admin/signing.py), base64url. It never expires: it stops working when the version is deleted (or
the secret changes). Whoever holds a link may download the file without signing in.
"""

from __future__ import annotations

import hmac
from functools import partial

from planfix_server.admin.signing import Signer, secret_key
from planfix_server.settings import Settings

PURPOSE = "file-link"

# One signer per secret (its key is derived once): a list of 100 files reads the secret once.
_SIGNERS: dict[tuple[str, str], Signer] = {}


def _signer(settings: Settings) -> Signer:
    # secret_key() reads only these two settings.
    key = (settings.secret_key, settings.data_dir)
    found = _SIGNERS.get(key)
    if found is None:
        found = _SIGNERS[key] = Signer(partial(secret_key, settings), PURPOSE)
    return found


def token_of(settings: Settings, account_id: int, unique_id: int) -> str:
    return _signer(settings).mac(f"{account_id}:{unique_id}")


def download_link(settings: Settings, base_url: str, account_id: int, unique_id: int) -> str:
    """The permanent link of one version of a file of ``account_id``."""
    token = token_of(settings, account_id, unique_id)
    return f"{base_url.rstrip('/')}/files/{account_id}/{unique_id}/{token}"


def verify(settings: Settings, account_id: int, unique_id: int, token: str) -> bool:
    """Whether ``token`` is the one of that version's link (compared in constant time)."""
    expected = token_of(settings, account_id, unique_id)
    return hmac.compare_digest(token.encode("utf-8", "replace"), expected.encode("ascii"))
