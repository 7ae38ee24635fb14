"""create_app(settings): the server, and the one ordered pipeline of an XML API request.

transport -> envelope (0003/0009) -> address throttle -> account + API key -> identity ->
signature -> limits -> dispatch (function, token rights, decode, handler, commit; the handler's
transaction runs again when the database aborts it for a conflict) -> after-commit callbacks of
the attempt that committed -> encode (or a file to stream, ``file.download``).
Any ApiError becomes an error envelope with HTTP 200 (``file.download``: 9001 with 403, 9002
with 404); anything else is logged with the request id and answered with a generic error, never
a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from planfix_server.api import errors
from planfix_server.api.download import Download
from planfix_server.api.registry import load_domains, lookup
from planfix_server.pipeline import dispatch, metrics, retry
from planfix_server.pipeline.account import resolve_account
from planfix_server.pipeline.exchange import Exchange
from planfix_server.pipeline.identity import resolve_identity
from planfix_server.pipeline.limits import Limiter, check_limits
from planfix_server.pipeline.signature import check_signature
from planfix_server.pipeline.touch import record_use
from planfix_server.pipeline.usage import UsageRecorder
from planfix_server.security import Passwords
from planfix_server.settings import Settings
from planfix_server.store.db import WRITE, make_engine
from planfix_server.store.shared import SharedDefinitions
from planfix_server.wire import encode
from planfix_server.wire.envelope import parse_envelope

log = logging.getLogger("planfix_server.requests")

# Failures that count against the client address (guessing keys, tokens, sessions, passwords).
AUTH_FAILURES = frozenset({"0001", "0005", "0006", "0012", "1001"})
# The HTTP status of error answers that are not 200 (23-files-and-other.md §3.2).
ERROR_STATUS = {("file.download", "9001"): 403, ("file.download", "9002"): 404}

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Answer:
    body: bytes
    code: str
    remaining: int | None
    seconds: float = 0.0  # time spent in the pipeline (the sandbox's request log shows it)
    download: Download | None = None  # a file to send instead of ``body`` (file.download)
    status: int = 200


@dataclass
class Server:
    """Everything a worker shares between requests."""

    settings: Settings
    engine: Engine
    limiter: Limiter
    passwords: Passwords
    clock: Clock = system_clock
    usage: UsageRecorder = field(default_factory=UsageRecorder)
    definitions: SharedDefinitions = field(default_factory=SharedDefinitions)
    # Hooks for the sandbox: run before dispatch (may raise an ApiError or wait), and after every answer.
    before_dispatch: list[Callable[[Exchange], None]] = field(default_factory=list)
    after_answer: list[Callable[[Exchange, Answer], None]] = field(default_factory=list)

    @classmethod
    def start(cls, settings: Settings, *, clock: Clock = system_clock) -> Server:
        load_domains()
        return cls(
            settings=settings,
            engine=make_engine(settings.database_url, ping_idle_seconds=settings.db_ping_idle_seconds),
            limiter=Limiter(settings),
            passwords=Passwords(settings.argon2_time_cost, settings.argon2_memory_kib),
            clock=clock,
        )

    def shutdown(self) -> None:
        """Write what is still pending (usage counts) before the worker exits."""
        try:
            with self.engine.connect() as connection:
                connection.info[WRITE] = True
                self.usage.flush(connection, self.clock())
                connection.commit()
        except Exception:
            log.warning("could not write the pending usage counts", exc_info=True)

    def answer(self, exchange: Exchange) -> Answer:
        """Run the pipeline for one request; never raises."""
        started = time.perf_counter()
        code = "ok"
        download: Download | None = None
        try:
            ran = self._pipeline(exchange)
            body, download = ran.body, ran.download
        except errors.ApiError as exc:
            code = exc.code
            if code in AUTH_FAILURES:
                self.limiter.record_failure(exchange.client)
            log.info(
                "%s %s %s -> %s %s", exchange.request_id, exchange.client, exchange.method, code, exc.detail
            )
            body = encode.error(exc, with_message=self.settings.error_messages)
        except Exception:
            code = "error"
            log.exception(
                "%s %s %s -> unexpected failure", exchange.request_id, exchange.client, exchange.method
            )
            body = encode.error(errors.ObjectUpdateFailed("internal error"), with_message=False)
        elapsed = time.perf_counter() - started
        metrics.observe(exchange.method, code, elapsed)
        remaining = exchange.remaining
        if remaining is None and exchange.account is not None:
            remaining = self.limiter.remaining(exchange.account, exchange.now)
        status = ERROR_STATUS.get((exchange.method, code), 200)
        answer = Answer(body, code, remaining, elapsed, download, status)
        for observer in self.after_answer:
            observer(exchange, answer)
        return answer

    def _pipeline(self, exchange: Exchange) -> dispatch.Ran:
        envelope = exchange.envelope = parse_envelope(
            exchange.body,
            self.settings.max_xml_depth,
            large=len(exchange.body) > self.settings.max_body_bytes,
        )
        self.limiter.check_address(exchange.client)
        spec = lookup(envelope.method)
        with self.engine.connect() as connection:
            # Writers take the database's write lock at BEGIN (SQLite), readers never do.
            connection.info[WRITE] = spec is not None and spec.writes
            exchange.connection = connection
            resolve_account(exchange, self.settings.data_centre)
            resolve_identity(exchange, self.passwords)
            check_signature(exchange)
            check_limits(exchange, self.limiter, self.usage)
            found = dispatch.find_method(envelope.method)
            dispatch.check_allowed(exchange, found)
            for hook in self.before_dispatch:
                hook(exchange)
            ran = retry.committed(
                connection,
                lambda: dispatch.run(exchange, found, self.settings, self.passwords, self.definitions),
                retries=self.settings.transaction_retries,
                on_retry=lambda attempt, exc: self._retrying(exchange, attempt, exc),
            )
            # Only the attempt that committed: a rolled-back attempt's callbacks went with its Call.
            run_after_commit(exchange, ran.on_commit)
            try:
                connection.info[WRITE] = True
                record_use(exchange)
                if self.usage.due(exchange.now):
                    self.usage.flush(connection, exchange.now)
                    connection.commit()
            except Exception:
                # The call itself is committed: missed bookkeeping must not turn it into an error.
                log.warning("%s could not record last use or usage", exchange.request_id, exc_info=True)
        return ran

    def _retrying(self, exchange: Exchange, attempt: int, exc: BaseException) -> None:
        metrics.retried(exchange.method)
        log.info(
            "%s %s: attempt %d met a database conflict, running it again: %s",
            exchange.request_id,
            exchange.method,
            attempt,
            type(getattr(exc, "orig", exc)).__name__,
        )


def run_after_commit(exchange: Exchange, callbacks: list[Callable[[], None]]) -> None:
    """Run what the handler asked to do once committed; a failure is logged, the call stays done."""
    for callback in callbacks:
        try:
            callback()
        except Exception:
            log.warning("%s an after-commit step failed", exchange.request_id, exc_info=True)


def create_app(
    settings: Settings | None = None, *, clock: Clock = system_clock, server: Server | None = None
) -> Any:
    """The ASGI application: ``/xml`` handled directly, everything else by Starlette."""
    from starlette.applications import Starlette

    from planfix_server.admin.routes import routes as account_pages
    from planfix_server.file_links import routes as file_links
    from planfix_server.pipeline.transport import XML_PATHS, XmlEndpoint
    from planfix_server.sandbox.routes import routes as sandbox_routes
    from planfix_server.web import routes

    server = server or Server.start(settings or Settings.from_env(), clock=clock)
    xml_endpoint = XmlEndpoint(server)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        server.shutdown()

    site = Starlette(
        routes=[*routes(server), *file_links(server), *sandbox_routes(server), *account_pages(server)],
        lifespan=lifespan,
    )

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] in XML_PATHS:
            await xml_endpoint(scope, receive, send)
        else:
            await site(scope, receive, send)

    app.server = server  # type: ignore[attr-defined]
    return app


def create_app_from_env() -> Any:
    """Factory for worker processes: settings from the environment."""
    return create_app(Settings.from_env())
