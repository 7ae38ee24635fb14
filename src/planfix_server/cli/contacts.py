"""``planfix-server contact-group add|list`` and ``contact add|templates``.

XML API v1 lists contact groups and reads templates but cannot make either; these commands do.
"""

from __future__ import annotations

import click
from sqlalchemy import bindparam, select

from planfix_server.api.context import Call
from planfix_server.api.errors import ApiError
from planfix_server.cli.common import Runtime, fail, now, require_account, table, with_runtime
from planfix_server.domain.contacts import service
from planfix_server.domain.contacts.groups import ContactGroups, add_group
from planfix_server.domain.contacts.requests import ContactAdd
from planfix_server.domain.contacts.writer import ContactWriter
from planfix_server.domain.users.repository import UserRepository
from planfix_server.store.records import AccountRecord
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import contacts, users
from planfix_server.store.uow import AccountUnitOfWork

_OWNER = Scoped(select(users.c.login).where(users.c.account_id == bindparam("tenant"), users.c.is_owner))
_TEMPLATES = Scoped(
    select(contacts.c.id, contacts.c.general, contacts.c.name, contacts.c.is_company)
    .where(contacts.c.account_id == bindparam("tenant"), contacts.c.is_template)
    .order_by(contacts.c.general)
)


@click.group("contact-group")
def contact_group() -> None:
    """Contact groups (contact.getGroupList lists them; <group><id> of a contact names one)."""


@contact_group.command("add")
@click.argument("account")
@click.argument("name")
@with_runtime
def add_contact_group(rt: Runtime, account: str, name: str) -> None:
    """Add a contact group NAME to ACCOUNT, last in order; prints its id."""
    with rt.writing() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        try:
            group_id = add_group(uow, name, now())
        except ValueError as exc:
            raise fail(f"cannot add the group: {exc}") from None
    rt.emit({"id": group_id})


@contact_group.command("list")
@click.argument("account")
@with_runtime
def list_contact_groups(rt: Runtime, account: str) -> None:
    """The contact groups of ACCOUNT, in order."""
    with rt.reading() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        found = [{"id": group_id, "name": name} for group_id, name in uow.get(ContactGroups).in_order()]
    rows = [[one["id"], one["name"]] for one in found]
    rt.emit({"groups": found}, table("Contact groups", ["id", "name"], rows))


@click.group("contact")
def contact() -> None:
    """Contacts, companies and contact templates."""


def _call(account: AccountRecord, uow: AccountUnitOfWork, login: str | None) -> Call:
    """A silent call as ``login`` (default: the account owner), for the contact rules."""
    login = login or uow.get(Repository).scalar(_OWNER)
    user = uow.get(UserRepository).by_login(login or "")
    if user is None or user.role == "CONTACT":
        raise fail(f"no employee {login!r} in {account.name}")
    return Call(account=account, user=user, now=now(), request_id="cli", silent=True)


@contact.command("add")
@click.argument("account")
@click.option("--name", required=True, help="First name, or the company's name.")
@click.option("--last-name", default=None, help="Last name.")
@click.option("--email", default=None, help="Main e-mail (unique among the account's contacts).")
@click.option("--company", is_flag=True, help="A company rather than a person.")
@click.option("--template", "is_template", is_flag=True, help="A contact template (contact.add <template>).")
@click.option("--from-template", type=int, default=None, help="Number (general) of a template to start from.")
@click.option("--group", "group_id", type=int, default=None, help="Contact group id (contact-group list).")
@click.option("--by", "login", default=None, help="Login of the employee who adds it (default: the owner).")
@with_runtime
def add_contact(
    rt: Runtime,
    account: str,
    name: str,
    last_name: str | None,
    email: str | None,
    company: bool,
    is_template: bool,
    from_template: int | None,
    group_id: int | None,
    login: str | None,
) -> None:
    """Add a contact, a company or a contact template to ACCOUNT; prints its numbers."""
    with rt.writing() as connection:
        record = require_account(connection, account)
        uow = AccountUnitOfWork(connection, record.id)
        request = ContactAdd(
            name=name,
            last_name=last_name,
            email=email,
            is_company=True if company else None,  # else as the template says
            template=from_template,
            group_id=group_id,
        )
        try:
            made, _ = service.add_contact(uow, _call(record, uow, login), request)
        except ApiError as exc:
            raise fail(f"cannot add the contact: {exc}") from None
        if is_template:
            uow.get(ContactWriter).update_contact(made.id, is_template=True)
    rt.emit({"id": made.id, "userid": made.user_id, "general": made.general, "template": is_template})


@contact.command("templates")
@click.argument("account")
@with_runtime
def list_templates(rt: Runtime, account: str) -> None:
    """The contact templates of ACCOUNT (their general is what <template> takes)."""
    with rt.reading() as connection:
        uow = AccountUnitOfWork(connection, require_account(connection, account).id)
        found = [
            {
                "id": int(row.id),
                "general": int(row.general),
                "name": row.name,
                "company": bool(row.is_company),
            }
            for row in uow.get(Repository).rows(_TEMPLATES)
        ]
    rows = [[one["general"], one["id"], one["name"], one["company"]] for one in found]
    rt.emit({"templates": found}, table("Contact templates", ["general", "id", "name", "company"], rows))
