"""Step: the account named in ``<account>`` and the API key of the Basic header.

Codes: 0004 unknown account, 0024 other data centre, 0010 frozen, 0011 maintenance,
0022 free plan, 0001 missing/unknown key, 0002 blocked key.
"""

from __future__ import annotations

import base64
import binascii

from planfix_server import security
from planfix_server.api import errors
from planfix_server.pipeline import credentials
from planfix_server.pipeline.exchange import Exchange
from planfix_server.pipeline.identity import uses_session, uses_token


def split_basic(header: str) -> tuple[str, str]:
    """(user name, password) of an ``Authorization: Basic`` header; 0001 when unusable."""
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise errors.InvalidApiKey("no Basic authorization")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise errors.InvalidApiKey("undecodable Basic authorization") from None
    user, _, password = decoded.partition(":")
    return user.strip(), password.strip()


def resolve_account(exchange: Exchange, data_centre: str) -> None:
    assert exchange.connection is not None and exchange.envelope is not None
    envelope = exchange.envelope
    try:
        api_key, secret = split_basic(exchange.authorization)
        unusable: errors.ApiError | None = None
    except errors.InvalidApiKey as exc:
        # Reported after the account's own checks, as without a header at all.
        api_key, secret, unusable = "", "", exc
    token_hash = security.digest(secret) if secret and uses_token(envelope) else None
    sid_hash = security.digest(envelope.sid) if uses_session(envelope) else None
    # The token or session and its user come along for the identity step: one round trip for all.
    found = credentials.fetch(
        exchange.connection,
        envelope.account,
        security.digest(api_key) if api_key else None,
        token_hash,
        sid_hash,
    )
    if found is None:
        raise errors.UnknownAccount(envelope.account)
    account = found.account
    if account.data_centre != data_centre:
        raise errors.WrongDataCentre(account.data_centre)
    if account.status == "frozen":
        raise errors.AccountFrozen()
    if account.status == "maintenance":
        raise errors.PlatformUpdating()
    if account.plan == "free":
        raise errors.FreeAccount()
    exchange.account = account
    if unusable is not None:
        raise unusable
    exchange.secret = secret
    if not api_key:
        raise errors.InvalidApiKey("empty API key")
    key = found.key
    if key is None:
        raise errors.InvalidApiKey()
    if key.blocked:
        raise errors.ApplicationBlocked()
    exchange.key = key
    exchange.credentials = found
