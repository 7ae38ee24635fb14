"""``auth.login``: the password was checked by the identity step; this issues the session key."""

from __future__ import annotations

from dataclasses import dataclass

from planfix_server.api.context import Call
from planfix_server.api.registry import method
from planfix_server.domain.access.service import issue_session
from planfix_server.store.uow import AccountUnitOfWork
from planfix_server.wire.encode import Leaf
from planfix_server.wire.fields import Str, xml


@dataclass(frozen=True, slots=True)
class AuthLogin:
    login: str = xml("login", Str(), required=True)
    password: str = xml("password", Str(), required=True)


@dataclass(frozen=True, slots=True)
class Session:
    sid: str


@method(
    "auth.login",
    request=AuthLogin,
    response=[Leaf("sid")],
    writes=True,
    needs_session=False,
    errors=("0009", "1001", "0014"),
)
def auth_login(request: AuthLogin, uow: AccountUnitOfWork, call: Call) -> Session:
    """Sign in with login and password; the answer's ``sid`` is valid for the session lifetime."""
    return Session(issue_session(uow, call.now, call.user.id, call.settings.session_ttl_seconds))
