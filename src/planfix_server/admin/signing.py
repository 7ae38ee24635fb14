"""The secret key of the account pages and the signed values made with it (HMAC-SHA256).

A signed value is ``base64url(JSON payload) "." base64url(MAC)``; every payload carries its expiry
(``x``, Unix seconds), checked when the value is read. Each purpose (session, sign-in form, notice)
signs with its own key derived from the secret, so a value made for one cannot pass as another.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planfix_server.settings import Settings

SECRET_FILE = "secret.key"


def secret_key(settings: Settings) -> bytes:
    """The ``secret_key`` setting, or the key kept in ``<data dir>/secret.key`` (made on first use)."""
    if settings.secret_key:
        return settings.secret_key.encode("utf-8")
    path = Path(settings.data_dir) / SECRET_FILE
    if not path.exists():
        _create(path)
    text = path.read_text(encoding="ascii").strip()
    if len(text) < 32:
        raise RuntimeError(f"{path} holds no usable key; delete it to make a new one")
    return text.encode("ascii")


def _create(path: Path) -> None:
    """Write a new key; when several workers race, the first link wins and all read that one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    try:
        os.link(temporary, path)  # fails when another process made the key first: keep theirs
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


Secret = bytes | Callable[[], bytes]


class Signer:
    """Signs and checks values for one purpose.

    ``secret`` may be a function, called on first use: a server whose pages are never visited never
    makes the key file.
    """

    def __init__(self, secret: Secret, purpose: str) -> None:
        self._secret = secret
        self._purpose = b"planfix-admin/" + purpose.encode("utf-8")

    @functools.cached_property
    def _key(self) -> bytes:
        secret = self._secret() if callable(self._secret) else self._secret
        return hmac.new(secret, self._purpose, hashlib.sha256).digest()

    def mac(self, text: str) -> str:
        """A keyed digest of ``text`` (CSRF tokens, password fingerprints)."""
        return _b64(hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).digest())

    def sign(self, payload: dict[str, Any], expires: float) -> str:
        body = _b64(json.dumps({**payload, "x": int(expires)}, separators=(",", ":")).encode("utf-8"))
        return f"{body}.{self.mac(body)}"

    def unsign(self, value: str | None, now: float) -> dict[str, Any] | None:
        """The payload of a value this signer made and that has not expired; None otherwise."""
        if not value or value.count(".") != 1:
            return None
        body, mac = value.split(".")
        if not hmac.compare_digest(mac.encode("ascii", "replace"), self.mac(body).encode("ascii")):
            return None
        try:
            payload = json.loads(_unb64(body))
        except (binascii.Error, ValueError):
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("x"), int) or payload["x"] <= now:
            return None
        return payload
