"""Secrets: generation, storage digests, password hashes, constant-time comparison."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


def new_key() -> str:
    """A 32-hex-digit random key (128 bits), the form of API keys, tokens and session keys."""
    return secrets.token_hex(16)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def digest(secret: str) -> str:
    """How keys, tokens and session keys are stored: SHA-256 (they are random, not guessable)."""
    return hashlib.sha256(secret.strip().lower().encode("utf-8")).hexdigest()


def hint(secret: str) -> str:
    """The part of a secret shown in listings."""
    return secret[:6]


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class Passwords:
    """argon2 hashes of user passwords."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        # Verifying against this keeps the time of "no such user" close to "wrong password".
        self._decoy = self._hasher.hash(secrets.token_hex(8))

    def hash(self, password: str) -> str:
        return str(self._hasher.hash(password))

    def verify(self, stored: str | None, password: str) -> bool:
        try:
            return bool(self._hasher.verify(stored or self._decoy, password)) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
