"""The one algorithm behind every call, with no I/O, shared by ``Client`` and ``AsyncClient``.

``Core.plan(method, params)`` is a generator: it yields what must happen next (``Wait``,
``Send``, ``Login``) and receives the outcome, and returns the ``Response``. The sync and async
clients only perform the steps, so pacing, re-login and every retry rule exist once:

* every HTTP request first takes a slot from the ``Scheduler``;
* login/password mode: ``auth.login`` before the first call; on ``0005`` log in again and repeat
  the call **once** (a second ``0005`` is raised);
* ``0007``: wait (doubling, starting at one second) and repeat while the call's limit budget
  lasts, then raise ``RequestLimitExceeded``;
* ``3014`` and transport failures: up to ``Retry.attempts`` more tries with exponential backoff.
  A failure after the request may have reached the server (read timeout, dropped connection,
  HTTP 502/504) is retried only for functions that change nothing (verb ``get…``), so a
  ``task.add`` is never sent twice; connection failures and HTTP 429/503 are always retried.

``Core.plan_download`` is the same algorithm for ``file.download``, whose answer is the file
itself: it returns the HTTP ``Reply`` when that carries the file (HTTP 200) or a redirect to it
(HTTP 302); an XML error answer (HTTP 200, 403 or 404 with ``<response status="error">``) raises
its typed error as any call does.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import threading
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from planfix_server.client.errors import HttpStatusError, TransportError, api_error
from planfix_server.client.pacing import Clock, LimitBackoff, Retry, Scheduler
from planfix_server.client.response import Response, parse_response
from planfix_server.client.values import build_request

USER_AGENT = "planfix-server-sdk/0.1"
LOGIN = "auth.login"
# The request surely did not reach the application: safe to send again, whatever the function.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_REFUSED_STATUS = frozenset({429, 503})
_MAYBE_DONE_STATUS = frozenset({502, 504})
# file.download: a redirect to the file (INTERNET files), and the statuses of its error answers.
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
_DOWNLOAD_ERROR_STATUS = frozenset({403, 404})
_ERROR_ANSWER = re.compile(rb"\A\s*(?:<\?xml[^>]*\?>\s*)?<response\s[^>]*status\s*=\s*[\"']error[\"']")


@dataclass(frozen=True, slots=True)
class Credentials:
    """An API key with a token, or with an employee's login and password (legacy mode)."""

    api_key: str
    token: str | None = None
    login: str | None = None
    password: str | None = field(default=None, repr=False)
    signature_key: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.api_key:
            raise ValueError("api_key is required")
        if self.token and (self.login or self.password):
            raise ValueError("give either token, or login and password, not both")
        if not self.token and not (self.login and self.password is not None):
            raise ValueError("give a token, or login and password")

    @property
    def login_mode(self) -> bool:
        return not self.token

    def authorization(self, method: str) -> str:
        """HTTP Basic: ``api_key:token``; ``api_key:`` in login mode and for ``auth.login``."""
        secret = "" if self.login_mode or method == LOGIN else (self.token or "")
        return "Basic " + base64.b64encode(f"{self.api_key}:{secret}".encode()).decode("ascii")


@dataclass
class Stats:
    """Counters of one client (read them, e.g., to check that pacing never tripped a limit)."""

    requests: int = 0  # HTTP requests sent
    limited: int = 0  # 0007 answers received
    logins: int = 0  # auth.login calls made by the client (first login and re-logins)
    relogins: int = 0  # of those, after a 0005
    retries: int = 0  # repeats after transport failures and 3014
    waited: float = 0.0  # seconds spent waiting for slots and backoffs


# -- the steps a plan asks its driver to perform
@dataclass(frozen=True, slots=True)
class Wait:
    seconds: float


@dataclass(frozen=True, slots=True)
class Send:
    body: bytes
    headers: Mapping[str, str]
    raw: bool = False  # the answer may be a file (file.download): a driver may stream it


@dataclass(frozen=True, slots=True)
class Login:
    """Log in unless the session already changed from ``stale`` (another thread did it)."""

    stale: str | None


@dataclass(frozen=True, slots=True)
class Reply:
    """What came back for a ``Send``: an HTTP answer, or the transport error instead."""

    status_code: int = 0
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""
    error: httpx.TransportError | None = None
    streamed: int | None = None  # bytes the driver wrote to its sink instead of into ``content``

    @property
    def header_map(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}


Step = Wait | Send | Login
Plan = Generator[Step, Reply | None, Response]
DownloadPlan = Generator[Step, Reply | None, Reply]


def changes_nothing(method: str) -> bool:
    """Read-only by name: the verb starts with ``get`` (``task.getList``, ``analitic.getData``),
    or is ``download``."""
    verb = method.partition(".")[2]
    return verb.startswith("get") or verb == "download"


def is_attachment(status: int, headers: Mapping[str, str]) -> bool:
    """An HTTP 200 marked ``Content-Disposition: attachment``: surely the file, never an API answer."""
    if status != 200:
        return False
    lowered = {name.lower(): value for name, value in headers.items()}
    return lowered.get("content-disposition", "").lstrip().lower().startswith("attachment")


def is_file_answer(status: int, headers: Mapping[str, str], head: bytes) -> bool:
    """Whether a ``file.download`` answer is the file (or a redirect to it), not an API answer.

    ``head``: the first bytes of the body. An answer marked as an attachment is the file even if
    the file happens to be an XML error document; without that mark, only a body that is not an
    error answer is.
    """
    if status in REDIRECT_STATUS or is_attachment(status, headers):
        return True
    return status == 200 and _ERROR_ANSWER.match(head[:1024]) is None


class Core:
    """Settings and state shared by the requests of one client (and its threads)."""

    def __init__(
        self,
        *,
        account: str,
        credentials: Credentials,
        scheduler: Scheduler,
        retry: Retry,
        limit_backoff: LimitBackoff,
        tz: dt.tzinfo | None,
    ) -> None:
        if not account:
            raise ValueError("account is required")
        self.account = account
        self.credentials = credentials
        self.scheduler = scheduler
        self.retry = retry
        self.limit_backoff = limit_backoff
        self.tz = tz
        self.sid: str | None = None
        self.remaining: int | None = None
        self.stats = Stats()
        self._stats_lock = threading.Lock()

    def count(self, **deltas: float) -> None:
        with self._stats_lock:
            for name, delta in deltas.items():
                setattr(self.stats, name, getattr(self.stats, name) + delta)

    def login_params(self) -> dict[str, Any]:
        return {"login": self.credentials.login, "password": self.credentials.password}

    def headers(self, method: str) -> dict[str, str]:
        return {
            "Authorization": self.credentials.authorization(method),
            "Content-Type": "application/xml; charset=utf-8",
            "Accept": "application/xml",
            "User-Agent": USER_AGENT,
        }

    def plan(self, method: str, params: Mapping[str, Any] | None = None) -> Plan:
        """The steps of one call (see the module docstring)."""
        outcome = yield from self._plan(method, params, raw=False)
        assert isinstance(outcome, Response)
        return outcome

    def plan_download(self, method: str, params: Mapping[str, Any] | None = None) -> DownloadPlan:
        """The steps of a call answered with a file: the ``Reply`` carrying it (or a redirect)."""
        outcome = yield from self._plan(method, params, raw=True)
        assert isinstance(outcome, Reply)
        return outcome

    def _plan(
        self, method: str, params: Mapping[str, Any] | None, *, raw: bool
    ) -> Generator[Step, Reply | None, Response | Reply]:
        needs_session = self.credentials.login_mode and method != LOGIN
        relogged = False
        failures = 0
        limited = 0
        limit_waited = 0.0
        while True:
            if needs_session and self.sid is None:
                yield Login(None)
            sid = self.sid if needs_session else None
            body = build_request(
                method,
                self.account,
                params,
                sid=sid,
                signature_key=self.credentials.signature_key,
                tz=self.tz,
            )
            slot, delay = self.scheduler.take()
            while delay > 0:
                self.count(waited=delay)
                yield Wait(delay)
                slot, delay = self.scheduler.take(slot)
            reply = yield Send(body, self.headers(method), raw)
            assert reply is not None
            self.scheduler.answered()
            self.count(requests=1)
            if raw and reply.error is None:
                if reply.streamed is not None or is_file_answer(
                    reply.status_code, reply.headers, reply.content
                ):
                    return reply
                if reply.status_code in _DOWNLOAD_ERROR_STATUS and _ERROR_ANSWER.match(reply.content):
                    reply = Reply(200, reply.headers, reply.content)  # an API error answer
            problem = self._transport_problem(method, reply)
            if problem is not None:
                retryable, error = problem
                if retryable and failures < self.retry.attempts:
                    failures += 1
                    yield from self._backoff(self.retry.delay(failures))
                    continue
                raise error
            response = parse_response(reply.content, method, reply.headers)
            if response.remaining is not None:
                self.remaining = response.remaining
            if response.ok:
                return response
            code = response.code
            if code == "0005" and needs_session and not relogged:
                relogged = True
                yield Login(sid)
                continue
            if code == "0007":
                self.count(limited=1)
                limited += 1
                wait = min(self.limit_backoff.delay(limited), self.limit_backoff.budget - limit_waited)
                if wait > 0:
                    limit_waited += wait
                    # Through the scheduler, so the client's other threads hold back too.
                    self.scheduler.defer(wait)
                    continue
            if code == "3014" and failures < self.retry.attempts:
                failures += 1
                yield from self._backoff(self.retry.delay(failures))
                continue
            raise api_error(code, response.message, function=method)

    def _backoff(self, seconds: float) -> Generator[Step, Reply | None, None]:
        self.count(retries=1, waited=seconds)
        yield Wait(seconds)

    def _transport_problem(self, method: str, reply: Reply) -> tuple[bool, TransportError] | None:
        """None for an HTTP 200; else whether to retry, and the error to raise when not."""
        if reply.error is not None:
            # A download cut short after part of it reached the caller's target is never repeated.
            retryable = reply.streamed is None and (
                isinstance(reply.error, _NOT_SENT) or changes_nothing(method)
            )
            cut = "download cut short: " if reply.streamed is not None else ""
            error = TransportError(f"{cut}{type(reply.error).__name__}: {reply.error}", function=method)
            error.__cause__ = reply.error
            return retryable, error
        if reply.status_code == 200:
            return None
        status = reply.status_code
        retryable = status in _REFUSED_STATUS or (status in _MAYBE_DONE_STATUS and changes_nothing(method))
        return retryable, HttpStatusError(status, reply.content, function=method)

    def accept_login(self, response: Response) -> str:
        """Store the session key of an ``auth.login`` answer."""
        sid = response.text_of("sid").strip()
        if not sid:
            raise TransportError("auth.login answered without a <sid>", function=LOGIN)
        self.sid = sid
        return sid


def make_core(
    *,
    account: str,
    api_key: str,
    token: str | None,
    login: str | None,
    password: str | None,
    signature_key: str | None,
    requests_per_second: float,
    pacing_margin: float,
    limit_budget: float,
    retry: Retry | None,
    timezone: dt.tzinfo | str | None,
    clock: Clock,
) -> Core:
    """The shared state of a client from its constructor arguments (both clients take the same)."""
    credentials = Credentials(api_key, token or None, login, password, signature_key or None)
    tz = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    return Core(
        account=account,
        credentials=credentials,
        scheduler=Scheduler(requests_per_second, margin=pacing_margin, clock=clock),
        retry=retry or Retry(),
        limit_backoff=LimitBackoff(budget=limit_budget),
        tz=tz,
    )
