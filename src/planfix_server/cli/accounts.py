"""``planfix-server account …``: create, list, freeze, maintenance, plan and data centre."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from planfix_server import security
from planfix_server.cli.common import Runtime, fail, now, require_account, table, with_runtime
from planfix_server.domain.access.service import provision_account
from planfix_server.store import accounts
from planfix_server.store.records import AccountRecord

NAME_LIMIT = 100


@click.group("account")
def account() -> None:
    """Accounts (tenants): create, list, freeze, plans.

    Each account has its own users, data, API keys, tokens and request limits.
    """


def describe(record: AccountRecord) -> dict[str, Any]:
    return {
        "account": record.name,
        "plan": record.plan,
        "status": record.status,
        "data_centre": record.data_centre,
        "timezone": record.timezone,
        "created_at": record.created_at.isoformat(timespec="seconds"),
    }


def check_plan(plan: str) -> str:
    if plan not in accounts.PLANS:
        raise fail(f"unknown plan {plan!r}; one of {', '.join(accounts.PLANS)}")
    return plan


@account.command("create")
@click.argument("name")
@click.option("--plan", required=True, help=f"One of {', '.join(accounts.PLANS)} (free cannot use the API).")
@click.option("--owner-login", default="owner", show_default=True, help="Sign-in name of the owner.")
@click.option("--owner-password", default=None, help="The owner's password. Default: a random one, printed.")
@click.option("--owner-name", default="", help="The owner's display name. Default: the login.")
@click.option("--timezone", default="UTC", show_default=True, help="Time zone of the account (IANA name).")
@click.option("--data-centre", default=None, help="Data centre of the account. Default: this server's.")
@with_runtime
def create(
    rt: Runtime,
    name: str,
    plan: str,
    owner_login: str,
    owner_password: str | None,
    owner_name: str,
    timezone: str,
    data_centre: str | None,
) -> None:
    """Create account NAME (owner, API key, token).

    The owner is an administrator; the token acts as the owner. Secrets are shown only now.
    """
    name = name.strip()
    if not name or len(name) > NAME_LIMIT:
        raise fail(f"an account name has 1 to {NAME_LIMIT} characters")
    check_plan(plan)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(f"unknown time zone {timezone!r}") from None
    if not owner_login.strip():
        raise fail("--owner-login must not be empty")
    password = owner_password or security.new_password()
    with rt.writing() as connection:
        if accounts.find(connection, name) is not None:
            raise fail(f"account {name!r} exists")
        made = provision_account(
            connection,
            now(),
            name=name,
            plan=plan,
            owner_login=owner_login.strip(),
            owner_password_hash=rt.passwords().hash(password),
            data_centre=data_centre or rt.settings.data_centre,
            timezone=timezone,
            owner_name=owner_name,
        )
    owner: dict[str, Any] = {"id": made.owner.id, "login": made.owner.login}
    if owner_password is None:
        owner["password"] = password
    rt.emit(
        {
            "account": made.account.name,
            "api_key": made.key.api_key,
            "signature_key": made.key.signature_key,
            "token": made.token,
            "owner": owner,
        }
    )


@account.command("list")
@with_runtime
def list_accounts(rt: Runtime) -> None:
    """All accounts with their plan and status."""
    with rt.reading() as connection:
        found = [describe(record) for record in accounts.all_accounts(connection)]
    columns = ["account", "plan", "status", "data_centre", "timezone", "created_at"]
    rt.emit(
        {"accounts": found},
        table("Accounts", columns, [[row[column] for column in columns] for row in found]),
    )


def change(rt: Runtime, name: str, **values: str) -> None:
    with rt.writing() as connection:
        record = require_account(connection, name)
        accounts.set_fields(connection, record.id, **values)
        changed = accounts.get(connection, record.id)
    rt.emit(describe(changed))


@account.command("freeze")
@click.argument("name")
@with_runtime
def freeze(rt: Runtime, name: str) -> None:
    """Freeze account NAME: every API call answers 0010."""
    change(rt, name, status="frozen")


@account.command("unfreeze")
@click.argument("name")
@with_runtime
def unfreeze(rt: Runtime, name: str) -> None:
    """Make account NAME active again."""
    change(rt, name, status="active")


@account.command("maintenance")
@click.argument("name")
@click.argument("state", type=click.Choice(["on", "off"]))
@with_runtime
def maintenance(rt: Runtime, name: str, state: str) -> None:
    """Maintenance on (calls answer 0011) or off."""
    change(rt, name, status="maintenance" if state == "on" else "active")


@account.command("set-plan")
@click.argument("name")
@click.argument("plan")
@with_runtime
def set_plan(rt: Runtime, name: str, plan: str) -> None:
    """Change the plan (daily quota; free answers 0022)."""
    change(rt, name, plan=check_plan(plan))


@account.command("set-data-centre")
@click.argument("name")
@click.argument("data_centre", metavar="DATA_CENTRE")
@with_runtime
def set_data_centre(rt: Runtime, name: str, data_centre: str) -> None:
    """Move NAME to another data centre (calls here: 0024)."""
    if not data_centre.strip():
        raise fail("the data centre name must not be empty")
    change(rt, name, data_centre=data_centre.strip())
