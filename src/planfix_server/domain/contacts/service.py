"""The rules of contact.add, contact.update and contact.updateCustomData.

Every check runs before the first write, so a refused request changes nothing (the unit of work
is not committed either way). Absent fields keep their values; phones, secondary e-mails and
responsible people given in an update replace the old ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from planfix_server.api import errors
from planfix_server.api.context import Call
from planfix_server.domain.contacts import history
from planfix_server.domain.contacts.creation import insert_contact
from planfix_server.domain.contacts.identity import sync_names
from planfix_server.domain.contacts.lookup import ContactLookup, ContactRef
from planfix_server.domain.contacts.repository import ContactCards
from planfix_server.domain.contacts.requests import ContactAdd, ContactFields, ContactUpdate, PhoneIn
from planfix_server.domain.contacts.rights import require_employee
from planfix_server.domain.contacts.shapes import LANGUAGES
from planfix_server.domain.contacts.writer import ContactWriter
from planfix_server.domain.customfields.repository import CustomFieldRepository
from planfix_server.domain.customfields.service import CustomValueIn, write_values
from planfix_server.domain.phone_types import PHONE_TYPES
from planfix_server.store.uow import AccountUnitOfWork

_EMAIL = re.compile(r"[^@\s\"<>,;]+@[^@\s\"<>,;.]+(?:\.[^@\s\"<>,;.]+)+")
# Phone types by name (``typeName`` without ``typeId``), English and Russian.
_TYPE_BY_NAME = {name.lower(): type_id for type_id, name in PHONE_TYPES.items()} | {
    "мобильный": 1,
    "рабочий": 2,
    "домашний": 3,
    "факс": 4,
    "другой": 5,
}
DEFAULT_PHONE_TYPE = 1  # Mobile, when a phone comes with neither typeId nor a known typeName
LEGACY_PHONES = (("mobile_phone", 1), ("work_phone", 2), ("home_phone", 3))
# Columns plainly copied from a request (wire field -> contacts column of the same name).
_TEXT_COLUMNS = ("post", "address", "description", "sex", "site", "skype", "facebook", "vk", "icq")
_NAME_COLUMNS = ("name", "mid_name", "last_name")
# What a template passes on to a contact made from it, unless the request says otherwise.
_FROM_TEMPLATE = ("is_company", "can_be_worker", "can_be_client", "group_id", "lang")


@dataclass(frozen=True, slots=True)
class Checked:
    """A request's changes, validated: contact columns and the side lists to replace (None: keep)."""

    columns: dict[str, Any]
    phones: list[tuple[str, int]] | None
    secondary_emails: list[str] | None
    responsible_users: list[int] | None
    responsible_groups: list[int] | None
    template: ContactRef | None


def checked_email(value: str, path: str = "contact/email") -> str:
    """The trimmed address; 8010 when it is none."""
    email = value.strip()
    if not _EMAIL.fullmatch(email):
        raise errors.ContactInvalidEmail(f"{path}: {email[:60]!r}")
    return email


def _phone(phone: PhoneIn) -> tuple[str, int] | None:
    if not phone.number or not phone.number.strip():
        if phone.type_id is None and not phone.type_name:
            return None  # an all-empty template entry
        raise errors.MissingParameter("contact/phones/phone/number")
    if phone.type_id is not None:
        if phone.type_id not in PHONE_TYPES:
            raise errors.InvalidParameterValue(f"contact/phones/phone/typeId: unknown type {phone.type_id}")
        return phone.number.strip(), phone.type_id
    by_name = _TYPE_BY_NAME.get((phone.type_name or "").strip().lower(), DEFAULT_PHONE_TYPE)
    return phone.number.strip(), by_name


def _phones(request: ContactFields, current: Sequence[tuple[str, int]]) -> list[tuple[str, int]] | None:
    """The new phone list; None when the request leaves phones alone.

    ``phones`` replaces the list; the legacy ``mobilePhone``/``workPhone``/``homePhone`` replace
    the phones of their type (and add to a ``phones`` list given beside them).
    """
    legacy = [(getattr(request, attr), type_id) for attr, type_id in LEGACY_PHONES]
    legacy = [(number.strip(), type_id) for number, type_id in legacy if number and number.strip()]
    if request.phones is None and not legacy:
        return None
    if request.phones is not None:
        base = [phone for phone in map(_phone, request.phones) if phone is not None]
    else:
        replaced = {type_id for _, type_id in legacy}
        base = [phone for phone in current if phone[1] not in replaced]
    return base + legacy


def _secondary_emails(given: Sequence[str] | None) -> list[str] | None:
    if given is None:
        return None
    return list(dict.fromkeys(checked_email(one, "contact/secondaryEmails/email") for one in given))


def _people(ids: Sequence[int] | None) -> list[int] | None:
    """None (keep) for an absent or empty list; ``<id>0</id>`` alone empties it."""
    return None if not ids else list(dict.fromkeys(one for one in ids if one))


def _lang(value: str) -> str:
    for known in LANGUAGES:
        if value.strip().lower() == known.lower():
            return known
    raise errors.InvalidParameterValue(f"contact/lang: {value[:10]!r} is not one of {', '.join(LANGUAGES)}")


def check(uow: AccountUnitOfWork, request: ContactFields, contact: ContactRef | None) -> Checked:
    """Validate ``request`` against the account (``contact``: the one updated, None when adding)."""
    writer = uow.get(ContactWriter)
    columns: dict[str, Any] = {}
    for column in _NAME_COLUMNS:
        value = getattr(request, column)
        if value is not None:
            columns[column] = value.strip()
    if contact is None and not columns.get("name"):
        raise errors.MissingParameter("contact/name")
    for column in _TEXT_COLUMNS:
        value = getattr(request, column)
        if value is not None:
            columns[column] = value.strip() if column in ("sex", "icq") else value
    if request.email is not None:
        email = checked_email(request.email)
        owner = writer.email_owner(email.lower())
        if owner is not None and (contact is None or owner != contact.id):
            raise errors.ContactLoginNotUnique(f"contact/email: {email}")
        columns.update(email=email, email_key=email.lower())
    birthdate = request.birthdate or request.birthday
    if birthdate is not None:
        columns["birthdate"] = birthdate.date
    if request.lang is not None:
        columns["lang"] = _lang(request.lang)
    for attr in ("can_be_worker", "can_be_client"):
        if getattr(request, attr) is not None:
            columns[attr] = getattr(request, attr)
    if request.group_id is not None:
        if not writer.group_exists(request.group_id):
            raise errors.InvalidParameterValue(f"contact/group/id: no contact group {request.group_id}")
        columns["group_id"] = request.group_id
    template = None
    if request.template is not None:
        template = uow.get(ContactLookup).by_general(request.template)
        if template is None or not template.is_template:
            raise errors.InvalidParameterValue(f"contact/template: no contact template {request.template}")
        columns["template_id"] = template.id
    users, groups = _people(request.responsible_users), _people(request.responsible_groups)
    unknown_users = set(users or ()) - writer.employees(users or [])
    if unknown_users:
        raise errors.InvalidParameterValue(f"contact/responsible/users: no employee {min(unknown_users)}")
    unknown_groups = set(groups or ()) - writer.user_groups(groups or [])
    if unknown_groups:
        raise errors.InvalidParameterValue(f"contact/responsible/groups: no group {min(unknown_groups)}")
    current = writer.phones(contact.id) if contact is not None else []
    return Checked(
        columns,
        _phones(request, current),
        _secondary_emails(request.secondary_emails),
        users,
        groups,
        template,
    )


def _template_defaults(
    uow: AccountUnitOfWork, template: ContactRef
) -> tuple[dict[str, Any], list[int], list[int]]:
    """The properties a template passes on: columns, responsible users and groups."""
    writer = uow.get(ContactWriter)
    card = uow.get(ContactCards).cards([template.id])[template.id]
    columns = {column: getattr(card, column) for column in _FROM_TEMPLATE}
    responsible = writer.responsibles(template.id)
    return (
        columns,
        [one for kind, one in responsible if kind == "user"],
        [one for kind, one in responsible if kind == "group"],
    )


def _copy_template_values(uow: AccountUnitOfWork, template_id: int, contact_id: int) -> None:
    """The template's custom values become the contact's (the request's own values follow)."""
    repo = uow.get(CustomFieldRepository)
    stored = {int(row.field_id): row.value for row in repo.values("contact", [template_id])}
    if stored:
        repo.replace_values("contact", contact_id, [], stored)


def _write_sides(uow: AccountUnitOfWork, contact_id: int, checked: Checked) -> None:
    writer = uow.get(ContactWriter)
    if checked.phones is not None:
        writer.replace_phones(contact_id, checked.phones)
    if checked.secondary_emails is not None:
        writer.replace_emails(contact_id, checked.secondary_emails)
    if checked.responsible_users is not None:
        writer.replace_responsibles(contact_id, "user", checked.responsible_users)
    if checked.responsible_groups is not None:
        writer.replace_responsibles(contact_id, "group", checked.responsible_groups)


def add_contact(uow: AccountUnitOfWork, call: Call, request: ContactAdd) -> tuple[ContactRef, int]:
    """contact.add: the new contact and the id of its "created" action (0 when silent)."""
    require_employee(call)
    checked = check(uow, request, None)
    columns = dict(checked.columns)
    users, groups = checked.responsible_users, checked.responsible_groups
    if checked.template is not None:
        inherited, template_users, template_groups = _template_defaults(uow, checked.template)
        columns = {**inherited, **columns}
        users = template_users if users is None else users
        groups = template_groups if groups is None else groups
    if request.is_company is not None:
        columns["is_company"] = request.is_company
    names = {column: columns.pop(column, "") for column in (*_NAME_COLUMNS, "email")}
    columns.pop("email_key", None)
    try:
        contact = insert_contact(uow, call.now, created_by=call.user.id, **names, **columns)
    except IntegrityError:  # a concurrent add took the e-mail between the check and the insert
        raise errors.ContactAddFailed("contact/email") from None
    sides = Checked({}, checked.phones, checked.secondary_emails, users, groups, None)
    _write_sides(uow, contact.id, sides)
    if checked.template is not None:
        _copy_template_values(uow, checked.template.id, contact.id)
    write_values(uow, "contact", contact.id, request.custom_data, call)
    event = "company_created" if contact.is_company else "created"
    action_id = history.write(uow, call, contact.id, event, notified=_notified(users, call))
    return contact, action_id


def _notified(users: Sequence[int] | None, call: Call) -> list[int]:
    return [one for one in users or () if one != call.user.id]


def update_contact(uow: AccountUnitOfWork, call: Call, contact: ContactRef, request: ContactUpdate) -> int:
    """contact.update on a contact the caller may edit; the id of its "changed" action (0: silent)."""
    checked = check(uow, request, contact)
    columns = dict(checked.columns)
    if request.telegram_id is not None:
        columns["telegram_id"] = request.telegram_id or None
    if request.telegram_username is not None:
        columns["telegram_username"] = request.telegram_username.strip()
    changed = _changed_fields(request, checked)
    writer = uow.get(ContactWriter)
    try:
        writer.update_contact(contact.id, **columns, modified_at=call.now)
    except IntegrityError:
        raise errors.ContactUpdateFailed("contact/email") from None
    if any(column in columns for column in _NAME_COLUMNS):
        sync_names(
            uow,
            contact.user_id,
            name=columns.get("name", contact.name),
            mid_name=columns.get("mid_name", contact.mid_name),
            last_name=columns.get("last_name", contact.last_name),
        )
    _write_sides(uow, contact.id, checked)
    write_values(uow, "contact", contact.id, request.custom_data, call)
    return history.write(uow, call, contact.id, "changed", changed=changed)


def _changed_fields(request: ContactUpdate, checked: Checked) -> list[str]:
    """Wire names of the fields an update sets, for the history entry."""
    names = [
        wire
        for wire, given in (
            ("name", request.name),
            ("midName", request.mid_name),
            ("lastName", request.last_name),
            ("email", request.email),
            ("post", request.post),
            ("address", request.address),
            ("description", request.description),
            ("sex", request.sex),
            ("birthdate", request.birthdate or request.birthday),
            ("group", request.group_id),
            ("template", request.template),
            (
                "telegram",
                request.telegram_id if request.telegram_id is not None else request.telegram_username,
            ),
        )
        if given is not None
    ]
    if checked.phones is not None:
        names.append("phones")
    if checked.secondary_emails is not None:
        names.append("secondaryEmails")
    if checked.responsible_users is not None or checked.responsible_groups is not None:
        names.append("responsible")
    if request.custom_data:
        names.append("customData")
    return names


def update_custom_data(
    uow: AccountUnitOfWork, call: Call, contact: ContactRef, given: Sequence[CustomValueIn] | None
) -> int:
    """contact.updateCustomData: only the listed custom values change; the action id (0: silent)."""
    if not given:
        raise errors.MissingParameter("contact/customData/customValue")
    write_values(uow, "contact", contact.id, given, call)
    uow.get(ContactWriter).update_contact(contact.id, modified_at=call.now)
    return history.write(uow, call, contact.id, "custom")
