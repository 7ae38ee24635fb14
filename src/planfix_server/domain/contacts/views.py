"""Contacts as the API shows them to one caller (``contact.get``, ``contact.getList``).

``contact_views`` loads everything for a whole page in a fixed number of queries: the rows with
their template numbers and sign-in data, phones, secondary e-mails, companies, responsible people
(card only), names of groups and people, and custom values.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from planfix_server.api.context import Call
from planfix_server.domain.contacts.identity import has_planfix_access, is_placeholder_login
from planfix_server.domain.contacts.repository import ContactCard, ContactCards
from planfix_server.domain.contacts.shapes import (
    ContactUserView,
    ContactView,
    PhoneView,
    Ref,
    ResponsibleView,
    TelegramView,
)
from planfix_server.domain.customfields.service import read_values
from planfix_server.domain.phone_types import PHONE_TYPES
from planfix_server.store.uow import AccountUnitOfWork

# A contact's sign-in role on the wire: its users row says CONTACT, the API knows USER (§2).
WIRE_ROLE = "USER"


def picture_url(call: Call, user_id: int, version: str | None) -> str:
    """The ``userPic`` URL of a contact's picture (kept under its userid, served by web.py)."""
    if not version:
        return ""
    query = urlencode({"action": "getuserpic", "account": call.account.name, "id": user_id, "h": version})
    return f"{call.base_url}/?{query}"


def _user(card: ContactCard) -> ContactUserView:
    login = "" if is_placeholder_login(card.user_login) else card.user_login
    return ContactUserView(login, WIRE_ROLE, card.user_status, card.user_email or "")


def _telegram(card: ContactCard) -> TelegramView | None:
    if card.telegram_id is None and not card.telegram_username:
        return None
    return TelegramView(card.telegram_id, card.telegram_username)


def contact_views(
    uow: AccountUnitOfWork,
    call: Call,
    contact_ids: Sequence[int],
    *,
    extra_fields: Sequence[str] = (),
    list_form: bool = False,
) -> list[ContactView]:
    """Views of the contacts in ``contact_ids`` order (unknown ids are skipped).

    ``list_form`` (contact.getList) leaves out what only the card shows (responsible people).
    ``havePlanfixAccess`` and ``<user>`` are filled for administrators only.
    """
    repo = uow.get(ContactCards)
    cards = repo.cards(contact_ids)
    ids = [contact_id for contact_id in dict.fromkeys(contact_ids) if contact_id in cards]
    phones = repo.phones(ids)
    emails = repo.emails(ids)
    contractors = repo.contractors(ids)
    responsibles = {} if list_form else repo.responsibles(ids)
    user_ids = [one.id for persons in responsibles.values() for one in persons if one.kind == "user"]
    group_ids = [one.id for persons in responsibles.values() for one in persons if one.kind == "group"]
    user_names = repo.user_names(user_ids)
    user_group_names = repo.user_group_names(group_ids)
    group_names = repo.group_names([card.group_id for card in cards.values() if card.group_id])
    custom = read_values(uow, "contact", ids, call)
    admin = call.is_admin
    with_update = "lastUpdateDate" in extra_fields
    with_comment = "lastCommentDate" in extra_fields

    views = []
    for contact_id in ids:
        card = cards[contact_id]
        persons = responsibles.get(contact_id, [])
        views.append(
            ContactView(
                id=card.id,
                userid=card.user_id,
                general=card.general,
                template_id=card.template_general or 0,
                name=card.name,
                mid_name=card.mid_name,
                last_name=card.last_name,
                is_company=card.is_company,
                post=card.post,
                email=card.email,
                secondary_emails=emails.get(contact_id, []),
                phones=[
                    PhoneView(number, type_id, PHONE_TYPES.get(type_id, ""))
                    for number, type_id in phones.get(contact_id, [])
                ],
                address=card.address,
                description=card.description,
                sex=card.sex,
                site=card.site,
                skype=card.skype,
                facebook=card.facebook,
                vk=card.vk,
                icq=card.icq,
                telegram_id="" if card.telegram_id is None else str(card.telegram_id),
                telegram=_telegram(card),
                user_pic=picture_url(call, card.user_id, card.userpic_version),
                birthdate=card.birthdate,
                lang=card.lang,
                can_be_worker=card.can_be_worker,
                can_be_client=card.can_be_client,
                group=Ref(card.group_id or 0, group_names.get(card.group_id or 0, "")),
                contractors=[Ref(*company) for company in contractors.get(contact_id, [])],
                custom_data=custom.get(contact_id, []),
                responsible=ResponsibleView(
                    [Ref(p.id, user_names.get(p.id, "")) for p in persons if p.kind == "user"],
                    [Ref(p.id, user_group_names.get(p.id, "")) for p in persons if p.kind == "group"],
                ),
                have_planfix_access=has_planfix_access(card.access) if admin else None,
                user=_user(card) if admin else None,
                last_update_date=card.modified_at if with_update else None,
                last_comment_date=(card.last_comment_at or "") if with_comment else None,
            )
        )
    return views
