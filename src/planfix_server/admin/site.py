"""What every account page shares: templates, the signed-in administrator, forms, notices, headers.

Handlers are plain functions ``(visit) -> Response`` run in a worker thread (the database and
argon2 block); ``Site.page`` wraps one into an endpoint that checks HTTPS, reads the form, resolves
the session, refuses non-administrators (403) and forms without the session's CSRF token (403),
and commits the handler's writes when its answer is not an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import jinja2
from sqlalchemy.engine import Connection
from sqlalchemy.exc import NoResultFound
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from planfix_server.admin.auth import (
    SESSION_COOKIE,
    Session,
    Sessions,
    SignInThrottle,
    clear_cookie,
    set_cookie,
)
from planfix_server.admin.signing import Signer
from planfix_server.api.context import zone
from planfix_server.app import Server
from planfix_server.domain.users.repository import UserRepository
from planfix_server.domain.users.service import is_admin
from planfix_server.pipeline.transport import is_secure
from planfix_server.store import accounts
from planfix_server.store.db import WRITE
from planfix_server.store.records import AccountRecord, UserRecord
from planfix_server.store.uow import AccountUnitOfWork

TEMPLATES = Path(__file__).parent / "templates"
NOTICE_COOKIE = "pf_notice"
MAX_FORM_BYTES = 64 * 1024
HEADERS = {
    # Scripts and styles only from our own files; the usage chart is inline SVG, so no inline styles.
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",  # pages may show secrets once; never keep them in a cache
}

Endpoint = Callable[[Request], Awaitable[Response]]


class Form:
    """A submitted urlencoded form."""

    def __init__(self, pairs: list[tuple[str, str]] | None = None) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in pairs or ():
            self._values.setdefault(name, []).append(value)

    def get(self, name: str) -> str:
        values = self._values.get(name)
        return values[0].strip() if values else ""

    def raw(self, name: str) -> str:
        """Unstripped (passwords)."""
        values = self._values.get(name)
        return values[0] if values else ""

    def getlist(self, name: str) -> list[str]:
        return [value.strip() for value in self._values.get(name, [])]


async def read_form(request: Request) -> Form | None:
    """The urlencoded body; None when it is too large."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return Form()
    return Form(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=1000))


@dataclass
class Visit:
    """One request of a signed-in administrator."""

    request: Request
    form: Form
    connection: Connection
    account: AccountRecord
    user: UserRecord
    session: Session
    now: dt.datetime
    uow: AccountUnitOfWork = field(init=False)

    def __post_init__(self) -> None:
        self.uow = AccountUnitOfWork(self.connection, self.account.id)


@dataclass
class Site:
    server: Server
    sessions: Sessions
    throttle: SignInThrottle
    notices: Signer
    templates: jinja2.Environment = field(init=False)

    def __post_init__(self) -> None:
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.filters["moment"] = moment
        self.templates.filters["number"] = lambda n: f"{n:,}".replace(",", "\u202f")

    # -- answers
    def html(self, request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        notice = self.notices.unsign(request.cookies.get(NOTICE_COOKIE), self.server.clock().timestamp())
        body = self.templates.get_template(template).render(notice=notice, **context)
        response = HTMLResponse(body, status_code=code, headers=HEADERS)
        if notice is not None:
            clear_cookie(request, response, NOTICE_COOKIE)
        return response

    def render(self, visit: Visit, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        """A page of the signed-in administrator (navigation, sign-out form, CSRF token)."""
        return self.html(
            visit.request,
            template,
            code,
            account=visit.account,
            me=visit.user,
            csrf=self.sessions.csrf(visit.session),
            free=visit.account.plan == "free",
            **context,
        )

    def redirect(self, request: Request, path: str, notice: str = "", kind: str = "ok") -> Response:
        """303 to ``path``, with a one-time notice shown there."""
        response = RedirectResponse(path, status_code=303, headers=HEADERS)
        if notice:
            expires = self.server.clock().timestamp() + 120
            set_cookie(
                request, response, NOTICE_COOKIE, self.notices.sign({"m": notice, "k": kind}, expires), 120
            )
        return response

    def refused(self, request: Request, title: str, message: str, status: int = 403) -> HTMLResponse:
        return self.html(request, "refused.html", status, title=title, message=message)

    def to_sign_in(self, request: Request, *, clear: bool = False) -> Response:
        path = "/account/sign-in"
        if request.method == "GET" and request.url.path != "/account/":
            path += "?next=" + quote(request.url.path, safe="/")
        response = self.redirect(request, path)
        if clear:
            clear_cookie(request, response, SESSION_COOKIE)
        return response

    # -- the plumbing of every page
    def secure(self, request: Request) -> bool:
        """HTTPS only, like the API: plain HTTP only on the loopback sandbox listener."""
        return is_secure(request.scope, self.server.settings.plain_http)

    def endpoint(self, run: Callable[[Request, Form], Response]) -> Endpoint:
        """An endpoint: HTTPS check, form reading, then ``run`` in a worker thread."""

        async def endpoint(request: Request) -> Response:
            if not self.secure(request):
                return PlainTextResponse("HTTPS required\n", status_code=403)
            form = Form()
            if request.method == "POST":
                read = await read_form(request)
                if read is None:
                    return PlainTextResponse("form too large\n", status_code=413)
                form = read
            response = await run_in_threadpool(run, request, form)
            for name, value in HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return endpoint

    def page(self, handler: Callable[[Visit], Response], *, write: bool = False) -> Endpoint:
        """An endpoint for signed-in administrators only."""
        return self.endpoint(lambda request, form: self._visit(request, form, handler, write))

    def _visit(
        self, request: Request, form: Form, handler: Callable[[Visit], Response], write: bool
    ) -> Response:
        now = self.server.clock()
        session = self.sessions.read(request, now)
        if session is None:
            return self.to_sign_in(request, clear=SESSION_COOKIE in request.cookies)
        with self.server.engine.connect() as connection:
            connection.info[WRITE] = write
            try:
                account = accounts.get(connection, session.account_id)
            except NoResultFound:
                return self.to_sign_in(request, clear=True)
            user = UserRepository(connection, account.id).by_id(session.user_id)
            if user is None or not user.is_active or not self.sessions.belongs_to(session, user):
                return self.to_sign_in(request, clear=True)
            if not is_admin(user):
                response = self.refused(
                    request,
                    "Administrators only",
                    f"{user.login} is no longer an administrator of {account.name}. Only administrators "
                    "manage access to the API.",
                )
                clear_cookie(request, response, SESSION_COOKIE)
                return response
            if request.method == "POST" and not self.sessions.csrf_ok(session, form.get("csrf")):
                return self.refused(
                    request,
                    "Form not accepted",
                    "This form did not carry the security token of your session, so nothing was changed. "
                    "Go back, reload the page and try again.",
                )
            answer = handler(Visit(request, form, connection, account, user, session, now))
            if write and answer.status_code < 400:
                connection.commit()
        return answer


def moment(value: dt.datetime | None, zone_name: str = "UTC") -> str:
    """A time as the pages show it (in the account's time zone)."""
    if value is None:
        return "never"
    return value.astimezone(zone(zone_name)).strftime("%d %b %Y, %H:%M")
