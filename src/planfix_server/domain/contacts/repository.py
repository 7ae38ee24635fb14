"""Reading contacts with everything their card shows, for many contacts at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.sql.elements import BindParameter

from planfix_server.domain.contacts.lookup import display_name
from planfix_server.domain.customfields.repository import person_name
from planfix_server.store.records import from_row
from planfix_server.store.scoped import Repository, Scoped
from planfix_server.store.tables import (
    contact_contractors,
    contact_emails,
    contact_groups,
    contact_phones,
    contact_responsibles,
    contacts,
    user_groups,
    users,
)

_ACCOUNT: BindParameter[int] = bindparam("tenant")
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)

_template = contacts.alias("template")
_company = contacts.alias("company")

_CARDS = Scoped(
    select(
        contacts,
        _template.c.general.label("template_general"),
        users.c.login.label("user_login"),
        users.c.status.label("user_status"),
        users.c.email.label("user_email"),
        users.c.userpic_version.label("userpic_version"),
    )
    .select_from(
        contacts.join(
            users, (users.c.account_id == contacts.c.account_id) & (users.c.id == contacts.c.user_id)
        ).outerjoin(
            _template,
            (_template.c.account_id == contacts.c.account_id) & (_template.c.id == contacts.c.template_id),
        )
    )
    .where(contacts.c.account_id == _ACCOUNT, contacts.c.id.in_(_IDS))
)
_PHONES = Scoped(
    select(contact_phones.c.contact_id, contact_phones.c.number, contact_phones.c.type_id)
    .where(contact_phones.c.account_id == _ACCOUNT, contact_phones.c.contact_id.in_(_IDS))
    .order_by(contact_phones.c.contact_id, contact_phones.c.position)
)
_EMAILS = Scoped(
    select(contact_emails.c.contact_id, contact_emails.c.email)
    .where(contact_emails.c.account_id == _ACCOUNT, contact_emails.c.contact_id.in_(_IDS))
    .order_by(contact_emails.c.contact_id, contact_emails.c.position)
)
_CONTRACTORS = Scoped(
    select(
        contact_contractors.c.contact_id,
        _company.c.id,
        _company.c.name,
        _company.c.mid_name,
        _company.c.last_name,
        _company.c.is_company,
    )
    .select_from(
        contact_contractors.join(
            _company,
            (_company.c.account_id == contact_contractors.c.account_id)
            & (_company.c.id == contact_contractors.c.company_id),
        )
    )
    .where(contact_contractors.c.account_id == _ACCOUNT, contact_contractors.c.contact_id.in_(_IDS))
    .order_by(contact_contractors.c.contact_id, _company.c.id)
)
_RESPONSIBLES = Scoped(
    select(contact_responsibles.c.contact_id, contact_responsibles.c.kind, contact_responsibles.c.person_id)
    .where(contact_responsibles.c.account_id == _ACCOUNT, contact_responsibles.c.contact_id.in_(_IDS))
    .order_by(contact_responsibles.c.contact_id, contact_responsibles.c.person_id)
)
_USER_NAMES = Scoped(
    select(users.c.id, users.c.name, users.c.last_name).where(
        users.c.account_id == _ACCOUNT, users.c.id.in_(_IDS)
    )
)
_USER_GROUP_NAMES = Scoped(
    select(user_groups.c.id, user_groups.c.name).where(
        user_groups.c.account_id == _ACCOUNT, user_groups.c.id.in_(_IDS)
    )
)
_GROUP_NAMES = Scoped(
    select(contact_groups.c.id, contact_groups.c.name).where(
        contact_groups.c.account_id == _ACCOUNT, contact_groups.c.id.in_(_IDS)
    )
)


@dataclass(frozen=True, slots=True)
class ContactCard:
    """A contact row with its template's number and its users row's sign-in data."""

    id: int
    general: int
    user_id: int
    template_id: int | None
    template_general: int | None
    is_template: bool
    is_company: bool
    name: str
    mid_name: str
    last_name: str
    post: str
    email: str
    address: str
    description: str
    sex: str
    site: str
    skype: str
    facebook: str
    vk: str
    icq: str
    telegram_id: int | None
    telegram_username: str
    birthdate: dt.date | None
    lang: str
    can_be_worker: bool
    can_be_client: bool
    group_id: int | None
    access: str
    created_by: int | None
    created_at: dt.datetime
    modified_at: dt.datetime
    last_comment_at: dt.datetime | None
    user_login: str
    user_status: str
    user_email: str | None
    userpic_version: str | None


@dataclass(frozen=True, slots=True)
class Responsible:
    kind: str  # user, group
    id: int


def _ids(values: Sequence[int]) -> list[int]:
    return sorted(set(values))


class ContactCards(Repository):
    def cards(self, contact_ids: Sequence[int]) -> dict[int, ContactCard]:
        if not contact_ids:
            return {}
        return {int(row.id): from_row(ContactCard, row) for row in self.rows(_CARDS, ids=_ids(contact_ids))}

    def phones(self, contact_ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
        found: dict[int, list[tuple[str, int]]] = defaultdict(list)
        if contact_ids:
            for row in self.rows(_PHONES, ids=_ids(contact_ids)):
                found[int(row.contact_id)].append((row.number, int(row.type_id)))
        return found

    def emails(self, contact_ids: Sequence[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = defaultdict(list)
        if contact_ids:
            for row in self.rows(_EMAILS, ids=_ids(contact_ids)):
                found[int(row.contact_id)].append(row.email)
        return found

    def contractors(self, contact_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
        """The companies of each contact: (company id, its name)."""
        found: dict[int, list[tuple[int, str]]] = defaultdict(list)
        if contact_ids:
            for row in self.rows(_CONTRACTORS, ids=_ids(contact_ids)):
                name = display_name(row.name, row.mid_name, row.last_name, row.is_company)
                found[int(row.contact_id)].append((int(row.id), name))
        return found

    def responsibles(self, contact_ids: Sequence[int]) -> dict[int, list[Responsible]]:
        found: dict[int, list[Responsible]] = defaultdict(list)
        if contact_ids:
            for row in self.rows(_RESPONSIBLES, ids=_ids(contact_ids)):
                found[int(row.contact_id)].append(Responsible(row.kind, int(row.person_id)))
        return found

    def user_names(self, user_ids: Sequence[int]) -> dict[int, str]:
        if not user_ids:
            return {}
        rows = self.rows(_USER_NAMES, ids=_ids(user_ids))
        return {int(row.id): person_name(row.name, row.last_name) for row in rows}

    def user_group_names(self, group_ids: Sequence[int]) -> dict[int, str]:
        if not group_ids:
            return {}
        return {int(row.id): row.name for row in self.rows(_USER_GROUP_NAMES, ids=_ids(group_ids))}

    def group_names(self, group_ids: Sequence[int]) -> dict[int, str]:
        if not group_ids:
            return {}
        return {int(row.id): row.name for row in self.rows(_GROUP_NAMES, ids=_ids(group_ids))}
