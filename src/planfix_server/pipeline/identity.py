"""Step: who is calling. ``auth.login`` checks a password; otherwise a ``<sid>`` or a token.

Codes: 0009 (auth.login without login/password), 1001 wrong login or password, 0005 unknown
or expired session, 0012 no credentials or unknown/revoked token, 0013 user not found,
0014 user inactive. The Basic password is ignored for auth.login and when a sid is sent.
"""

from __future__ import annotations

from planfix_server import security
from planfix_server.api import errors
from planfix_server.domain.access.repository import AccessRepository
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


def _active(user: UserRecord | None) -> UserRecord:
    if user is None:
        raise errors.UndefinedUser()
    if not user.is_active:
        raise errors.UserInactive()
    return user


def resolve_identity(exchange: Exchange, passwords: Passwords) -> None:
    assert exchange.connection is not None and exchange.envelope is not None and exchange.account is not None
    account_id = exchange.account.id
    users = UserRepository(exchange.connection, account_id)
    access = AccessRepository(exchange.connection, account_id)
    envelope = exchange.envelope
    if envelope.method == LOGIN_METHOD:
        login, password = _text(exchange, "login").strip(), _text(exchange, "password")
        if not login or not password:
            raise errors.MissingParameter("login" if not login else "password")
        user = users.by_login(login)
        verified = passwords.verify(user.password_hash if user else None, password)
        if not verified or user is None or not may_sign_in(user):
            raise errors.WrongLoginOrPassword()
        exchange.user = _active(user)
        return
    if envelope.sid:
        session = access.session(security.digest(envelope.sid))
        if session is None or session[1] <= exchange.now:
            raise errors.SessionExpired()
        exchange.user = _active(users.by_id(session[0]))
        return
    if exchange.secret:
        fetched = exchange.credentials
        if fetched is not None:
            token, user = fetched.token, fetched.token_user
        else:
            token = access.token_by_hash(security.digest(exchange.secret))
            user = users.by_id(token.user_id) if token is not None else None
        if token is None or token.revoked_at is not None:
            raise errors.NotAuthenticated("unknown token")
        exchange.token = token
        exchange.user = _active(user)
        return
    raise errors.NotAuthenticated("no session and no token")
