"""``planfix-server serve | migrate | methods``."""

from __future__ import annotations

import click

from planfix_server.cli.common import Runtime, fail, safe_url, table, with_runtime


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on. Default: 127.0.0.1.")
@click.option("--port", type=int, default=None, help="Port to listen on. Default: 8443.")
@click.option(
    "--redis", "redis_url", metavar="URL", default=None, help="Redis for shared rate-limit counters."
)
@click.option("--workers", type=int, default=None, help="Worker processes. Default: 1.")
@click.option("--cert", "cert_file", metavar="FILE", default=None, help="TLS certificate (PEM).")
@click.option("--key", "key_file", metavar="FILE", default=None, help="TLS private key (PEM) for --cert.")
@click.option(
    "--proxy-headers", is_flag=True, default=None, help="Trust X-Forwarded-* from --forwarded-allow-ips."
)
@click.option("--forwarded-allow-ips", metavar="IPS", default=None, help="Comma-separated trusted proxies.")
@click.option(
    "--plain-http", is_flag=True, default=None, help="Plain HTTP on a loopback address (sandbox only)."
)
@click.option("--log-level", default=None, help="debug, info, warning or error. Default: info.")
@click.option("--no-demo", is_flag=True, help="Do not create the demo account on an empty database.")
@click.option(
    "--sandbox",
    is_flag=True,
    default=None,
    help="Sandbox mode: control plane /_sandbox/, plain HTTP on loopback, limits off (docs/sandbox.md).",
)
@with_runtime
def serve(
    rt: Runtime,
    host: str | None,
    port: int | None,
    redis_url: str | None,
    workers: int | None,
    cert_file: str | None,
    key_file: str | None,
    proxy_headers: bool | None,
    forwarded_allow_ips: str | None,
    plain_http: bool | None,
    log_level: str | None,
    no_demo: bool,
    sandbox: bool | None,
) -> None:
    """Run the server: HTTPS on 127.0.0.1:8443 by default.

    Upgrades the database, makes a self-signed certificate under <data dir>/tls/ when no --cert
    is given, and on an empty database creates the demo account and prints its credentials.
    """
    from planfix_server import serve as runner

    given = {
        "host": host,
        "port": port,
        "redis_url": redis_url,
        "workers": workers,
        "cert_file": cert_file,
        "key_file": key_file,
        "proxy_headers": proxy_headers,
        "forwarded_allow_ips": forwarded_allow_ips,
        "plain_http": plain_http,
        "log_level": log_level,
        "create_demo": False if no_demo else None,
        "sandbox": sandbox,
    }
    settings = rt.settings.replace(**{name: value for name, value in given.items() if value is not None})
    if settings.sandbox:
        from planfix_server.sandbox.defaults import SandboxSettingsError, explicit_in_env, sandbox_settings

        explicit = explicit_in_env() | {name for name, value in given.items() if value is not None}
        try:
            settings = sandbox_settings(settings, explicit)
        except SandboxSettingsError as exc:
            raise fail(str(exc)) from None
    try:
        runner.check(settings)
        runner.configure_logging(settings.log_level)
        prepared = runner.prepare(settings)
    except runner.ServeError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:
        raise fail(f"cannot start: {type(exc).__name__}: {exc}") from exc
    summary, banner = prepared.summary(), prepared.banner()
    if settings.sandbox:
        summary["sandbox"] = prepared.url.removesuffix("xml/") + "_sandbox/"
        banner += f"\n\nSandbox mode: control plane at {summary['sandbox']} (docs/sandbox.md)"
    rt.emit(summary, banner)
    runner.run(prepared)


@click.command("migrate")
@with_runtime
def migrate(rt: Runtime) -> None:
    """Upgrade the database schema (serve does it too)."""
    from planfix_server.store.migrate import current

    with rt.store() as engine:
        revision = current(engine)
    url = safe_url(rt.settings.database_url)
    rt.emit({"database": url, "revision": revision}, f"{url}: schema at revision {revision}")


@click.command("methods")
@with_runtime
def methods(rt: Runtime) -> None:
    """The 79 functions of XML API v1 and which are implemented."""
    from planfix_server.api.registry import load_domains

    found = [
        {"section": spec.section, "name": spec.name, "implemented": spec.implemented}
        for spec in load_domains().values()
    ]
    done = sum(1 for item in found if item["implemented"])
    rows = [[item["section"], item["name"], "yes" if item["implemented"] else "no"] for item in found]
    rt.emit(
        {"total": len(found), "implemented": done, "functions": found},
        table(
            f"XML API v1: {done} of {len(found)} implemented", ["section", "function", "implemented"], rows
        ),
    )
