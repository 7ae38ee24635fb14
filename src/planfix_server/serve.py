"""``planfix-server serve``: prepare the data directory, then run uvicorn with N workers.

Before the listener starts: configure logging, upgrade the database, make the self-signed
certificate if none was given, create the demo account on an empty database. Workers are separate
processes: they receive the settings through the environment and build the app with
``planfix_server.app:create_app_from_env``.
"""

from __future__ import annotations

import logging
import logging.config
import os
import shlex
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from planfix_server import workers
from planfix_server.demo import DemoAccount, demo_exists, ensure_demo
from planfix_server.pipeline.transport import is_loopback
from planfix_server.security import Passwords
from planfix_server.settings import Settings
from planfix_server.store.db import make_engine
from planfix_server.store.migrate import current, upgrade
from planfix_server.tls import WILDCARD_HOSTS, ensure_certificate

log = logging.getLogger("planfix_server.serve")

APP_FACTORY = "planfix_server.app:create_app_from_env"
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def version() -> str:
    try:
        return metadata.version("planfix-server")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "dev"


class ServeError(Exception):
    """A setting combination the server refuses to start with."""


@dataclass(frozen=True)
class Prepared:
    """What ``serve`` tells the operator before the listener starts."""

    settings: Settings
    url: str
    cert_file: Path | None
    key_file: Path | None
    generated_cert: bool
    demo: DemoAccount | None
    demo_exists: bool

    def curl(self) -> str:
        """A command that calls ``user.get`` as the demo owner, verifying our certificate."""
        assert self.demo is not None
        body = f'<request method="user.get"><account>{escape(self.demo.account)}</account></request>'
        if self.settings.plain_http:
            tls: list[str] = []
        elif self.generated_cert and self.cert_file is not None:
            tls = ["--cacert", str(self.cert_file)]
        else:
            # An operator's certificate probably names the public host, not the address printed here.
            tls = ["-k"]
        parts = ["curl", *tls, "-u", f"{self.demo.api_key}:{self.demo.token}", "-d", body, self.url]
        return " ".join(shlex.quote(part) for part in parts)

    def summary(self) -> dict[str, Any]:
        """The ``--json`` form: one object."""
        demo = None
        if self.demo is not None:
            demo = {
                "account": self.demo.account,
                "api_key": self.demo.api_key,
                "signature_key": self.demo.signature_key,
                "token": self.demo.token,
                "owner": {
                    "id": self.demo.owner_id,
                    "login": self.demo.owner_login,
                    "password": self.demo.owner_password,
                },
                "curl": self.curl(),
            }
        return {
            "url": self.url,
            "health": self.url.removesuffix("xml/") + "healthz",
            "plain_http": self.settings.plain_http,
            "cert_file": str(self.cert_file) if self.cert_file else None,
            "workers": self.settings.workers,
            "demo_account": self.settings.demo_account if self.demo_exists else None,
            "demo": demo,
        }

    def banner(self) -> str:
        """The human form, printed on stdout before the listener starts."""
        lines = [f"planfix-server {version()}: the XML API is at {self.url}"]
        if self.cert_file is not None and self.generated_cert:
            lines.append(f"TLS: self-signed certificate {self.cert_file} (clients may trust this file)")
        elif self.cert_file is not None:
            lines.append(f"TLS: certificate {self.cert_file}")
        if self.demo is not None:
            demo = self.demo
            lines += [
                "",
                "Demo account created. Its secrets are shown only this once:",
                f"  account         {demo.account}",
                f"  API key         {demo.api_key}",
                f"  signature key   {demo.signature_key}",
                f"  token           {demo.token}",
                f"  owner login     {demo.owner_login}",
                f"  owner password  {demo.owner_password}",
                "",
                "Try it:",
                f"  {self.curl()}",
            ]
        elif self.demo_exists:
            name = self.settings.demo_account
            lines += [
                "",
                f"Demo account {name!r} exists; its secrets were shown when it was created.",
                f"New ones: planfix-server key create {shlex.quote(name)}; "
                f"planfix-server token create {shlex.quote(name)} --user owner",
            ]
        return "\n".join(lines)


def logging_config(level: str) -> dict[str, Any]:
    """One line per record with time and logger name; uvicorn's loggers go through the root."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": LOG_FORMAT}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr"}
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            **{
                name: {"level": level, "handlers": [], "propagate": True}
                for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
            },
            # Alembic narrates every start; prepare() logs one line when the schema really changes.
            "alembic": {"level": "WARNING", "handlers": [], "propagate": True},
        },
    }


def configure_logging(level: str) -> None:
    logging.config.dictConfig(logging_config(level))


def check(settings: Settings) -> None:
    """Refuse combinations that would expose the API unsafely or cannot work."""
    if settings.log_level.lower() not in LOG_LEVELS:
        raise ServeError(f"unknown log level {settings.log_level!r}; one of {', '.join(LOG_LEVELS)}")
    if settings.workers < 1:
        raise ServeError("--workers must be at least 1")
    if settings.plain_http and not is_loopback(settings.host.strip("[]")):
        raise ServeError(
            f"--plain-http is allowed only on a loopback address (127.0.0.1, ::1, localhost), "
            f"not {settings.host}"
        )
    if bool(settings.cert_file) != bool(settings.key_file):
        raise ServeError("--cert and --key go together")
    for given in (settings.cert_file, settings.key_file):
        if given and not Path(given).is_file():
            raise ServeError(f"no such file: {given}")


def public_url(settings: Settings) -> str:
    """Where a client on this machine reaches the API."""
    host = settings.host.strip("[]")
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    scheme = "http" if settings.plain_http else "https"
    return f"{scheme}://{host}:{settings.port}/xml/"


def prepare(settings: Settings) -> Prepared:
    """Everything before the listener: database, certificate, demo account."""
    check(settings)
    data_dir = Path(settings.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    try:
        before = current(engine)
        upgrade(engine)
        after = current(engine)
        if before != after:
            log.info("database schema upgraded from revision %s to %s", before or "(empty)", after)
        demo = None
        if settings.create_demo:
            passwords = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)
            demo = ensure_demo(engine, settings.demo_account, settings.data_centre, passwords)
        exists = demo is not None or demo_exists(engine, settings.demo_account)
    finally:
        engine.dispose()
    cert_file = key_file = None
    generated = False
    if settings.plain_http:
        log.warning(
            "!!! PLAIN HTTP on %s:%d: no TLS at all. For local sandbox use only, never in production !!!",
            settings.host,
            settings.port,
        )
    elif settings.cert_file:
        cert_file, key_file = Path(settings.cert_file).resolve(), Path(settings.key_file).resolve()
    else:
        pair = ensure_certificate(data_dir / "tls", settings.host)
        cert_file, key_file, generated = pair.cert_file, pair.key_file, True
        if pair.created:
            log.info("made a self-signed certificate %s", pair.cert_file)
    if settings.workers > 1 and not settings.redis_url:
        log.warning(
            "%d workers without --redis: each worker counts the rate limits on its own", settings.workers
        )
    return Prepared(settings, public_url(settings), cert_file, key_file, generated, demo, exists)


def run(prepared: Prepared) -> None:
    """Run uvicorn until it is stopped; the workers read the settings from the environment."""
    import uvicorn

    settings = prepared.settings
    # Workers must agree with this process on every setting, including the resolved data directory.
    worker_settings = settings.replace(data_dir=str(Path(settings.data_dir).resolve()))
    if prepared.cert_file is not None and prepared.key_file is not None:
        worker_settings = worker_settings.replace(
            cert_file=str(prepared.cert_file), key_file=str(prepared.key_file)
        )
    os.environ.update(worker_settings.to_env())
    if settings.workers > 1:
        # Each worker writes its metrics into files here; /metrics sums them.
        metrics_dir = Path(worker_settings.data_dir) / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    options: dict[str, Any] = {
        "app": APP_FACTORY,
        "factory": True,
        "host": settings.host.strip("[]"),
        "port": settings.port,
        "ssl_certfile": str(prepared.cert_file) if prepared.cert_file else None,
        "ssl_keyfile": str(prepared.key_file) if prepared.key_file else None,
        "proxy_headers": settings.proxy_headers,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "log_level": settings.log_level.lower(),
        "log_config": logging_config(settings.log_level),
        "access_log": False,
        "timeout_graceful_shutdown": 10,
    }
    if settings.workers > 1 and workers.available():
        # A socket per worker, so connections opened at once spread over the workers (workers.py).
        code = workers.Supervisor(options, options["host"], settings.port, settings.workers).run()
        if code:
            raise SystemExit(code)
        return
    uvicorn.run(workers=settings.workers, **options)
