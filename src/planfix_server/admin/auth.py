"""Sessions of the account pages: signed cookies, CSRF tokens, sign-out, and the sign-in throttle.

A session is a signed cookie (HttpOnly, Secure, SameSite=Strict, with an expiry inside the signed
value as well as on the cookie). Nothing is stored per session: the cookie names the account and the
user, and carries a fingerprint of the user's password hash, so a password reset ends every session
of that user. Signing out records the session's nonce in the limiter's storage (memory, or Redis
shared by all workers) until the session would have expired, so a copied cookie dies with it.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request
from starlette.responses import Response

from planfix_server.admin.signing import Secret, Signer
from planfix_server.store.records import UserRecord

SESSION_COOKIE = "pf_session"
SIGN_IN_COOKIE = "pf_sign_in"
COOKIE_PATH = "/account"
SESSION_TTL = dt.timedelta(hours=8)
SIGN_IN_FORM_TTL = dt.timedelta(hours=1)
_SIGNED_OUT = "pfadmin/signed-out/"


@dataclass(frozen=True, slots=True)
class Session:
    account_id: int
    user_id: int
    fingerprint: str
    nonce: str
    expires: int


def cookie_is_secure(request: Request) -> bool:
    """Secure cookies, except on the loopback plain-HTTP sandbox listener (where none would return)."""
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        expires=max_age,
        path=COOKIE_PATH,
        secure=cookie_is_secure(request),
        httponly=True,
        samesite="strict",
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path=COOKIE_PATH, secure=cookie_is_secure(request), httponly=True, samesite="strict"
    )


class Sessions:
    """Makes, reads and ends sessions; derives their CSRF tokens."""

    def __init__(self, secret: Secret, storage: Storage) -> None:
        self._cookies = Signer(secret, "session")
        self._forms = Signer(secret, "sign-in-form")
        self._csrf = Signer(secret, "csrf")
        self._passwords = Signer(secret, "password")
        self._storage = storage

    def fingerprint(self, user: UserRecord) -> str:
        return self._passwords.mac(f"{user.id}:{user.password_hash or ''}")[:22]

    def issue(self, user: UserRecord, now: dt.datetime) -> tuple[Session, str]:
        """A new session of ``user`` and its cookie value."""
        expires = int((now + SESSION_TTL).timestamp())
        session = Session(
            user.account_id, user.id, self.fingerprint(user), secrets.token_urlsafe(16), expires
        )
        value = self._cookies.sign(
            {"a": session.account_id, "u": session.user_id, "p": session.fingerprint, "n": session.nonce},
            expires,
        )
        return session, value

    def start(self, request: Request, response: Response, user: UserRecord, now: dt.datetime) -> Session:
        session, value = self.issue(user, now)
        set_cookie(request, response, SESSION_COOKIE, value, int(SESSION_TTL.total_seconds()))
        return session

    def read(self, request: Request, now: dt.datetime) -> Session | None:
        payload = self._cookies.unsign(request.cookies.get(SESSION_COOKIE), now.timestamp())
        if payload is None:
            return None
        try:
            session = Session(
                int(payload["a"]), int(payload["u"]), str(payload["p"]), str(payload["n"]), int(payload["x"])
            )
        except (KeyError, TypeError, ValueError):
            return None
        if self._storage.get(_SIGNED_OUT + session.nonce) > 0:
            return None
        return session

    def belongs_to(self, session: Session, user: UserRecord) -> bool:
        """Still the same user with the same password as at sign-in."""
        return secrets.compare_digest(session.fingerprint, self.fingerprint(user))

    def end(self, request: Request, response: Response, session: Session, now: dt.datetime) -> None:
        left = session.expires - now.timestamp()
        if left > 0:
            self._storage.incr(_SIGNED_OUT + session.nonce, math.ceil(left) + 1)
        clear_cookie(request, response, SESSION_COOKIE)

    # -- CSRF: a token per session (and per sign-in form), sent in a hidden field of every form
    def csrf(self, session: Session) -> str:
        return self._csrf.mac("session:" + session.nonce)

    def csrf_ok(self, session: Session, token: str) -> bool:
        return bool(token) and secrets.compare_digest(token.encode(), self.csrf(session).encode())

    def sign_in_form(self, request: Request, now: dt.datetime) -> tuple[str, str | None]:
        """(CSRF token of the sign-in form, a new cookie value to set or None to keep the current one)."""
        payload = self._forms.unsign(request.cookies.get(SIGN_IN_COOKIE), now.timestamp())
        if payload is not None and isinstance(payload.get("n"), str):
            return self._csrf.mac("sign-in:" + payload["n"]), None
        nonce = secrets.token_urlsafe(16)
        value = self._forms.sign({"n": nonce}, (now + SIGN_IN_FORM_TTL).timestamp())
        return self._csrf.mac("sign-in:" + nonce), value

    def sign_in_csrf_ok(self, request: Request, token: str, now: dt.datetime) -> bool:
        payload = self._forms.unsign(request.cookies.get(SIGN_IN_COOKIE), now.timestamp())
        if payload is None or not isinstance(payload.get("n"), str) or not token:
            return False
        return secrets.compare_digest(token.encode(), self._csrf.mac("sign-in:" + payload["n"]).encode())


class SignInThrottle:
    """Failed sign-ins allowed per client address and per account + login, in a moving window."""

    def __init__(
        self,
        storage: Storage,
        *,
        per_login: RateLimitItem | None = None,
        per_address: RateLimitItem | None = None,
    ) -> None:
        self._limiter = MovingWindowRateLimiter(storage)
        self._per_login = per_login or RateLimitItemPerMinute(5, multiples=10, namespace="PFSIGNIN")
        self._per_address = per_address or RateLimitItemPerMinute(30, multiples=10, namespace="PFSIGNIN")

    def _keys(self, address: str, account: str, login: str) -> list[tuple[RateLimitItem, str]]:
        who = f"{account.strip().lower()}\x00{login.strip().lower()}"
        return [(self._per_address, "address:" + address), (self._per_login, "login:" + who)]

    def wait_seconds(self, address: str, account: str, login: str) -> int:
        """0 when a sign-in may be tried; otherwise how long until the next try is allowed."""
        wait = 0.0
        for item, key in self._keys(address, account, login):
            if not self._limiter.test(item, key):
                stats = self._limiter.get_window_stats(item, key)
                wait = max(wait, stats.reset_time - time.time(), 1.0)
        return math.ceil(wait)

    def failed(self, address: str, account: str, login: str) -> None:
        for item, key in self._keys(address, account, login):
            self._limiter.hit(item, key)
