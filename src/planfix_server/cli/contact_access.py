"""``planfix-server contact-access activate|show``: the PlanFix access of a contact.

``contact.managePlanfixAccess`` opens access and, in PlanFix, e-mails an invitation whose link
activates it. This server sends no mail; ``activate`` stands in for following that link.
"""

from __future__ import annotations

from typing import Any

import click

from planfix_server.api import errors
from planfix_server.cli.common import Runtime, fail, now, require_account, with_runtime
from planfix_server.domain.contacts.access import activate_access
from planfix_server.domain.contacts.lookup import ContactLookup, ContactRef
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.uow import AccountUnitOfWork


@click.group("contact-access")
def contact_access() -> None:
    """PlanFix access of contacts: activate an invitation, show the state.

    States: none, invited (opened by contact.managePlanfixAccess), active (may sign in), inactive.
    """


def _describe(uow: AccountUnitOfWork, contact: ContactRef) -> dict[str, Any]:
    user = uow.get(UserRepository).by_id(contact.user_id)
    assert user is not None
    return {
        "contact": contact.id,
        "userid": contact.user_id,
        "access": contact.access,
        "login": user.login,
        "status": user.status,
        "password": user.password_hash is not None,
    }


@contact_access.command("activate")
@click.option("--account", required=True, help="Account name.")
@click.option(
    "--contact", "contact_id", type=int, required=True, help="Contact id (not userid, not general)."
)
@click.option("--password", default=None, help="Password for auth.login. Default: keep the one it has.")
@with_runtime
def activate(rt: Runtime, account: str, contact_id: int, password: str | None) -> None:
    """Activate the invited (or closed) access of a contact: it may sign in from now on."""
    if password is not None and not password:
        raise fail("--password must not be empty")
    password_hash = rt.passwords().hash(password) if password else None
    with rt.writing() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        try:
            contact = activate_access(uow, now(), contact_id, password_hash)
        except errors.ContactNotFound:
            raise fail(f"no contact {contact_id} in account {account!r}") from None
        except errors.ContactAccessNotGranted:
            raise fail(
                f"contact {contact_id} has no PlanFix access to activate: open it first "
                "(contact.managePlanfixAccess with havePlanfixAccess 1)"
            ) from None
        shown = _describe(uow, contact)
    rt.emit(shown)


@contact_access.command("show")
@click.option("--account", required=True, help="Account name.")
@click.option("--contact", "contact_id", type=int, required=True, help="Contact id.")
@with_runtime
def show(rt: Runtime, account: str, contact_id: int) -> None:
    """The access state, login and status of a contact."""
    with rt.reading() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        contact = uow.get(ContactLookup).by_id(contact_id)
        if contact is None:
            raise fail(f"no contact {contact_id} in account {account!r}")
        shown = _describe(uow, contact)
    rt.emit(shown)
