"""``contact.*`` (``planfix-xml-api/21-contacts.md``) as typed calls: contacts and companies.

A contact has three numbers: ``id``, ``general`` (its number, also what ``template`` takes) and
``userid`` (its id where contacts stand beside employees: task assignees, action owners). This
server does not implement contacts yet; these follow the reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planfix_server.client.calls import PAGE_SIZE, Listing, Prepared
from planfix_server.client.element import Element
from planfix_server.client.functions.common import (
    EMPTY,
    CustomValue,
    Filter,
    People,
    Phone,
    Ref,
    custom_of,
    custom_params,
    drop_none,
    fields_list,
    fields_of,
    filters_params,
    ident,
    need_id,
    people_of,
    people_params,
    phones_of,
    phones_params,
    ref_of,
    refs_of,
)
from planfix_server.client.response import Page, Response


@dataclass(frozen=True, slots=True)
class ContactLogin:
    """The sign-in of a contact with Planfix access (``contact.getList``, administrators only)."""

    login: str
    role: str
    status: str
    email: str


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact or company (21-contacts.md §7–8; the list and the card differ a little, the
    fields one of them lacks are empty). ``have_planfix_access`` is None unless an admin asked."""

    id: int
    userid: int | None
    general: int | None
    template_id: int | None
    name: str
    mid_name: str
    last_name: str
    is_company: bool
    post: str
    email: str
    secondary_emails: list[str]
    phones: list[Phone]
    address: str
    description: str
    sex: str
    site: str
    skype: str
    facebook: str
    vk: str
    icq: str
    telegram_id: str
    user_pic: str
    birthdate: dt.date | None
    group: Ref | None
    contractors: list[Ref]
    have_planfix_access: bool | None
    user: ContactLogin | None
    responsible: People
    custom_data: list[CustomValue]
    element: Element = field(default=EMPTY, repr=False, compare=False)


def read_contact(el: Element) -> Contact:
    user = el.get("user")
    access = el.get("havePlanfixAccess")
    return Contact(
        id=need_id(el),
        userid=ident(el, "userid"),
        general=ident(el, "general"),
        template_id=ident(el, "template/id"),
        name=el.text_of("name"),
        mid_name=el.text_of("midName"),
        last_name=el.text_of("lastName"),
        is_company=el.bool_of("isCompany"),
        post=el.text_of("post"),
        email=el.text_of("email"),
        secondary_emails=[node.text for node in el.findall("secondaryEmails/email")],
        phones=phones_of(el),
        address=el.text_of("address"),
        description=el.text_of("description"),
        sex=el.text_of("sex"),
        site=el.text_of("site"),
        skype=el.text_of("skype"),
        facebook=el.text_of("facebook"),
        vk=el.text_of("vk"),
        icq=el.text_of("icq"),
        telegram_id=el.text_of("telegramId") or el.text_of("telegram/id"),
        user_pic=el.text_of("userPic"),
        birthdate=el.date_of("birthdate"),
        group=ref_of(el, "group"),
        contractors=refs_of(el, "contractors/client"),
        have_planfix_access=None if access is None else el.bool_of("havePlanfixAccess"),
        user=None
        if user is None
        else ContactLogin(
            user.text_of("login"), user.text_of("role"), user.text_of("status"), user.text_of("email")
        ),
        responsible=people_of(el, "responsible"),
        custom_data=custom_of(el),
        element=el,
    )


@dataclass(frozen=True, slots=True)
class ContactCreated:
    """What ``contact.add`` answers: the three numbers and the "contact created" action's id."""

    id: int
    userid: int | None
    general: int | None
    action_id: int | None


def get(
    id: int | None = None,
    *,
    general: int | None = None,
    userid: int | None = None,
    fields: Sequence[str] | None = None,
) -> Prepared[Contact]:
    """``contact.get`` by ``id``, ``general`` (wins) or ``userid``; ``fields`` may ask for
    ``lastUpdateDate`` and ``lastCommentDate`` (read them from ``.element``)."""
    contact = drop_none({"id": id, "userid": userid, "general": general})
    if not contact:
        raise ValueError("contact.get needs id, general or userid")
    params = {"contact": contact, "fields": fields_list(fields)}
    return Prepared("contact.get", params, lambda r: read_contact(r.one("contact")))


def iterate(
    *,
    target: str | int | None = None,
    company: int | None = None,
    search: str | None = None,
    filters: Sequence[Filter | Mapping[str, Any]] | None = None,
    fields: Sequence[str] | None = None,
    page_size: int = PAGE_SIZE,
) -> Listing[Contact]:
    """``contact.getList``, every page. ``target`` contact (default), company, template or a
    filter id; ``company`` a company's id; ``search`` a substring of name or e-mail."""
    params = {
        "target": target,
        "company": company,
        "search": search,
        "filters": filters_params(filters),
        "fields": fields_list(fields),
    }
    return Listing("contact.getList", params, "contact", read_contact, page_size)


def get_list(
    *,
    target: str | int | None = None,
    company: int | None = None,
    search: str | None = None,
    filters: Sequence[Filter | Mapping[str, Any]] | None = None,
    fields: Sequence[str] | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Prepared[Page[Contact]]:
    """``contact.getList``, one page."""
    listing = iterate(target=target, company=company, search=search, filters=filters, fields=fields)
    return listing.page(page, page_size)


def _created(response: Response) -> ContactCreated:
    contact = response.one("contact")
    return ContactCreated(
        need_id(contact), ident(contact, "userid"), ident(contact, "general"), ident(response, "actionid")
    )


def add(
    name: str,
    *,
    last_name: str | None = None,
    mid_name: str | None = None,
    is_company: bool | None = None,
    template: int | None = None,
    post: str | None = None,
    email: str | None = None,
    phones: Sequence[Phone] | None = None,
    secondary_emails: Sequence[str] | None = None,
    description: str | None = None,
    birthdate: dt.date | None = None,
    group_id: int | None = None,
    can_be_worker: bool | None = None,
    can_be_client: bool | None = None,
    responsible: Sequence[int] | None = None,
    responsible_groups: Sequence[int] | None = None,
    custom: Mapping[int, Any] | None = None,
    **fields: Any,
) -> Prepared[ContactCreated]:
    """``contact.add``: a person, or a company with ``is_company=True``. ``template`` is a contact
    template's number (``general``); ``responsible`` user ids. Other fields (``address``, ``sex``,
    ``site``, ``skype``, ``lang``…) by keyword."""
    contact = {
        "template": template,
        "name": name,
        "midName": mid_name,
        "lastName": last_name,
        "post": post,
        "email": email,
        "phones": phones_params(phones),
        "secondaryEmails": None if secondary_emails is None else {"email": list(secondary_emails)},
        "description": description,
        "birthdate": birthdate,
        "isCompany": is_company,
        "canBeWorker": can_be_worker,
        "canBeClient": can_be_client,
        "group": None if group_id is None else {"id": group_id},
        "customData": custom_params(custom),
        "responsible": people_params(responsible, responsible_groups),
        **fields_of(fields),
    }
    return Prepared("contact.add", {"contact": contact}, _created)
