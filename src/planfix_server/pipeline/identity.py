"""Step: who is calling. ``auth.login`` checks a password; otherwise a ``<sid>`` or a token.

Codes: 0009 (auth.login without login/password), 1001 wrong login or password, 0005 unknown
or expired session, 0012 no credentials or unknown/revoked token, 0013 user not found,
0014 user inactive. The Basic password is ignored for auth.login and when a sid is sent.
"""

from __future__ import annotations

from planfix_server.api import errors
from planfix_server.domain.auth.sign_in import may_sign_in
from planfix_server.domain.users.repository import UserRepository
from planfix_server.pipeline.exchange import Exchange
from planfix_server.security import Passwords
from planfix_server.store.records import UserRecord
from planfix_server.wire.envelope import Envelope

LOGIN_METHOD = "auth.login"


def _text(exchange: Exchange, name: str) -> str:
    assert exchange.envelope is not None
    element = exchange.envelope.root.find(name)
    return (element.text or "") if element is not None else ""


def uses_token(envelope: Envelope) -> bool:
    """Whether the Basic password is the credential (not for auth.login, nor beside a sid)."""
    return envelope.method != LOGIN_METHOD and not envelope.sid


def uses_session(envelope: Envelope) -> bool:
    """Whether a ``<sid>`` is the credential (never beside a token: see ``uses_token``)."""
    return envelope.method != LOGIN_METHOD and bool(envelope.sid)


def _active(user: UserRecord | None) -> UserRecord:
    if user is None:
        raise errors.UndefinedUser()
    if not user.is_active:
        raise errors.UserInactive()
    return user


def resolve_identity(exchange: Exchange, passwords: Passwords) -> None:
    assert exchange.connection is not None and exchange.envelope is not None and exchange.account is not None
    envelope = exchange.envelope
    if envelope.method == LOGIN_METHOD:
        login, password = _text(exchange, "login").strip(), _text(exchange, "password")
        if not login or not password:
            raise errors.MissingParameter("login" if not login else "password")
        user = UserRepository(exchange.connection, exchange.account.id).by_login(login)
        verified = passwords.verify(user.password_hash if user else None, password)
        if not verified or user is None or not may_sign_in(user):
            raise errors.WrongLoginOrPassword()
        exchange.user = _active(user)
        return
    # The account step fetched the session or token and its user (credentials.fetch).
    fetched = exchange.credentials
    assert fetched is not None
    if envelope.sid:
        session = fetched.session
        if session is None or session.expires_at <= exchange.now:
            raise errors.SessionExpired()
        exchange.user = _active(fetched.user)
        return
    if exchange.secret:
        token = fetched.token
        if token is None or token.revoked_at is not None:
            raise errors.NotAuthenticated("unknown token")
        exchange.token = token
        exchange.user = _active(fetched.user)
        return
    raise errors.NotAuthenticated("no session and no token")
