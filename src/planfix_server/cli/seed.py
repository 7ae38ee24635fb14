"""``planfix-server seed FILE``: load a fixture file (the same loader as ``POST /_sandbox/seed``)."""

from __future__ import annotations

import sys
from typing import Any

import click

from planfix_server.cli.common import Runtime, fail, now, with_runtime


def _lines(loaded: dict[str, Any]) -> str:
    """The human form: each account with its secrets, ready to copy."""
    lines: list[str] = []
    for account in loaded["accounts"]:
        owner = account["owner"]
        lines += [
            f"account {account['name']} (id {account['id']}, plan {account['plan']})",
            f"  owner           {owner['login']} / {owner['password']}",
        ]
        lines += [
            f"  API key         {key['api_key']}  signature key {key['signature_key']}"
            for key in account.get("api_keys", [])
        ]
        lines += [
            f"  token           {token['token']}  ({token['user']})" for token in account.get("tokens", [])
        ]
        users = [login for login in account.get("users", {}) if login != owner["login"]]
        if users:
            lines.append(f"  users           {', '.join(users)}")
        groups = list(account.get("user_groups", {}))
        if groups:
            lines.append(f"  user groups     {', '.join(groups)}")
    return "\n".join(lines) if lines else "the fixture has no accounts"


@click.command("seed")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@with_runtime
def seed(rt: Runtime, file: str) -> None:
    """Create the accounts and data of fixture FILE (JSON, or YAML with PyYAML; - reads stdin).

    All of it is created in one transaction, or nothing when the fixture has a mistake. Secrets
    the fixture leaves out are generated and printed (only now). Format: docs/sandbox.md.
    """
    from planfix_server.sandbox.fixtures import FixtureError, load_fixture, parse_fixture, read_fixture

    try:
        fixture = parse_fixture(sys.stdin.buffer.read()) if file == "-" else read_fixture(file)
        with rt.writing() as connection:
            loaded = load_fixture(
                connection,
                fixture,
                passwords=rt.passwords(),
                now=now(),
                data_centre=rt.settings.data_centre,
            )
    except FixtureError as exc:
        raise fail(f"{file}: {exc}") from None
    rt.emit(loaded, _lines(loaded))
