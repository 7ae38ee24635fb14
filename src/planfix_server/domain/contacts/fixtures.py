"""Fixture sections ``contact_groups`` and ``contacts`` (XML API v1 cannot make groups or templates).

::

    "contact_groups": ["Clients", "Partners"],
    "contacts": [
      {"name": "Partner", "template": true, "group": "Partners", "can_be_client": true,
       "responsible": ["alice"], "custom_data": {"Source": "Fair"}},
      {"name": "ACME Ltd", "company": true},
      {"name": "Ivan", "last_name": "Petrov", "from_template": "Partner", "email": "ivan@example.com",
       "phones": [{"number": "+7 900 000-00-00", "type": "Mobile"}], "companies": ["ACME Ltd"],
       "created_by": "alice", "access": "active", "password": "secret"}]

Contacts pass the checks of ``contact.add`` (e-mail, groups, people, custom values) and take on
their template's properties the same way; no history entry is written. Contacts are named by
``name`` (a template, a company, a client of a later project) and must be unique by it; groups
by name, users by login. ``access`` (none, invited, active; active when a ``password`` is given)
opens PlanFix access with the e-mail as login.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from planfix_server.domain.contacts import service
from planfix_server.domain.contacts.access import activate_access, open_access
from planfix_server.domain.contacts.groups import add_group
from planfix_server.domain.contacts.lookup import ContactLookup
from planfix_server.domain.contacts.requests import ContactAdd, PhoneIn
from planfix_server.domain.contacts.shapes import LANGUAGES, SEXES
from planfix_server.domain.contacts.writer import ContactWriter
from planfix_server.domain.customfields.fixtures import fixture_call, write_fixture_values
from planfix_server.sandbox.fixtures import FixtureError, Item, SeedContext, entries, section
from planfix_server.wire.fields import DateTime

TEXT_FIELDS = (
    "name", "mid_name", "last_name", "post", "email", "address", "description", "site", "skype",
    "facebook", "vk", "icq",
)  # fmt: skip
CONTACT_FIELDS = (
    *TEXT_FIELDS,
    "sex",
    "lang",
    "birthdate",
    "phones",
    "secondary_emails",
    "company",
    "template",
    "from_template",
    "can_be_worker",
    "can_be_client",
    "group",
    "responsible",
    "responsible_groups",
    "companies",
    "telegram_id",
    "telegram_username",
    "created_by",
    "custom_data",
    "access",
    "password",
)
PHONE_FIELDS = ("number", "type")
ACCESS_STATES = ("none", "invited", "active")


@section("contact_groups", order=56)
def load_contact_groups(context: SeedContext, data: Any, where: str) -> None:
    """Contact group names, in their order."""
    for value, place in entries(data, where):
        name = Item({"name": value} if isinstance(value, str) else value, place, ("name",)).need("name")
        try:
            group_id = add_group(context.uow, name, context.now)
        except ValueError as exc:
            raise FixtureError(f"{place}: {exc}") from None
        context.remember("contact_groups", name, group_id, place)
    context.result["contact_groups"] = dict(context.refs.get("contact_groups", {}))


def _phones(item: Item) -> list[PhoneIn] | None:
    value = item.data.get("phones")
    if value is None:
        return None
    phones = []
    for one, place in entries(value, item.at("phones")):
        if isinstance(one, str):
            phones.append(PhoneIn(number=one))
            continue
        phone = Item(one, place, PHONE_FIELDS)
        phones.append(PhoneIn(number=phone.need("number"), type_name=phone.text("type")))
    return phones


def _request(context: SeedContext, item: Item) -> ContactAdd:
    birthdate = item.text("birthdate")
    try:
        moment = None if birthdate is None else DateTime().parse(birthdate)
    except Exception as exc:
        raise FixtureError(f"{item.at('birthdate')}: {exc}") from None
    group, template = item.text("group"), item.text("from_template")
    telegram = item.data.get("telegram_id")
    if telegram is not None and (not isinstance(telegram, int) or isinstance(telegram, bool)):
        raise FixtureError(f"{item.at('telegram_id')}: expected a number")
    request = ContactAdd(
        name=item.text("name"),
        mid_name=item.text("mid_name"),
        last_name=item.text("last_name"),
        post=item.text("post"),
        email=item.text("email"),
        address=item.text("address"),
        description=item.text("description"),
        site=item.text("site"),
        skype=item.text("skype"),
        facebook=item.text("facebook"),
        vk=item.text("vk"),
        icq=item.text("icq"),
        sex=item.text("sex", choices=SEXES),
        lang=item.text("lang", choices=LANGUAGES),
        birthdate=moment,
        phones=_phones(item),
        secondary_emails=item.texts("secondary_emails"),
        is_company=item.flag("company") if "company" in item else None,
        can_be_worker=item.flag("can_be_worker") if "can_be_worker" in item else None,
        can_be_client=item.flag("can_be_client") if "can_be_client" in item else None,
        group_id=None if group is None else context.ref("contact_groups", group, item.at("group")),
        template=None
        if template is None
        else context.ref("contact_templates", template, item.at("from_template")),
        responsible_users=[
            context.ref("users", login, item.at("responsible")) for login in item.texts("responsible") or []
        ],
        responsible_groups=[
            context.ref("user_groups", name, item.at("responsible_groups"))
            for name in item.texts("responsible_groups") or []
        ],
    )
    return request


@section("contacts", order=58)
def load_contacts(context: SeedContext, data: Any, where: str) -> None:
    """Contacts, companies and contact templates; templates and companies before their users."""
    writer = context.uow.get(ContactWriter)
    for value, place in entries(data, where):
        item = Item(value, place, CONTACT_FIELDS)
        name = item.need("name")
        author = context.ref("users", item.need("created_by", context.owner_login), item.at("created_by"))
        call = dataclasses.replace(fixture_call(context, author), silent=True)
        with context.at(place):
            contact, _ = service.add_contact(context.uow, call, _request(context, item))
            columns: dict[str, Any] = {"is_template": item.flag("template")}
            if "telegram_id" in item:
                columns["telegram_id"] = item.data["telegram_id"]
            if item.text("telegram_username") is not None:
                columns["telegram_username"] = item.text("telegram_username")
            writer.update_contact(contact.id, **columns)
        companies = item.texts("companies") or []
        writer.add_contractors(
            contact.id, [context.ref("companies", one, item.at("companies")) for one in companies]
        )
        write_fixture_values(
            context, "contact", contact.id, item.data.get("custom_data"), item.at("custom_data"), author
        )
        _access(context, item, contact.id)
        context.remember("contacts", name, contact.id, place)
        if item.flag("template"):
            context.remember("contact_templates", name, contact.general, place)
        elif contact.is_company:
            context.remember("companies", name, contact.id, place)
    context.result["contacts"] = dict(context.refs.get("contacts", {}))


def _access(context: SeedContext, item: Item, contact_id: int) -> None:
    password = item.text("password")
    state = item.need("access", "active" if password else "none", choices=ACCESS_STATES)
    if state == "none":
        if password:
            raise FixtureError(f"{item.at('password')}: a password needs access (invited or active)")
        return
    with context.at(item.at("access")):
        contact = context.uow.get(ContactLookup).by_id(contact_id)
        assert contact is not None
        open_access(context.uow, contact, None)
        if state == "active":
            activate_access(
                context.uow, context.now, contact_id, context.passwords.hash(password) if password else None
            )
