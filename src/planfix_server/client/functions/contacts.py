"""``contact.*`` (``planfix-xml-api/21-contacts.md``) as typed calls: contacts and companies.

A contact has three numbers: ``id``, ``general`` (its number, also what ``template`` takes) and
``userid`` (its id where contacts stand beside employees: task assignees, action owners).
Functions that take several of them look the contact up by ``general``, then ``userid``, then
``id`` (``contact.get``); the writing functions by ``id``, then ``userid``, then ``general``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
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
    telegram_username: str
    user_pic: str
    birthdate: dt.date | None
    group: Ref | None
    lang: str
    can_be_worker: bool
    can_be_client: bool
    contractors: list[Ref]
    have_planfix_access: bool | None
    user: ContactLogin | None
    responsible: People
    custom_data: list[CustomValue]
    last_update_date: dt.date | None  # only when asked for through ``fields``
    last_comment_date: dt.date | None
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
        telegram_username=el.text_of("telegram/username"),
        user_pic=el.text_of("userPic"),
        birthdate=el.date_of("birthdate"),
        group=ref_of(el, "group"),
        lang=el.text_of("lang"),
        can_be_worker=el.bool_of("canBeWorker"),
        can_be_client=el.bool_of("canBeClient"),
        contractors=refs_of(el, "contractors/client"),
        have_planfix_access=None if access is None else el.bool_of("havePlanfixAccess"),
        user=None
        if user is None
        else ContactLogin(
            user.text_of("login"), user.text_of("role"), user.text_of("status"), user.text_of("email")
        ),
        responsible=people_of(el, "responsible"),
        custom_data=custom_of(el),
        last_update_date=el.date_of("lastUpdateDate"),
        last_comment_date=el.date_of("lastCommentDate"),
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
    ``lastUpdateDate`` and ``lastCommentDate`` (``last_update_date``, ``last_comment_date``)."""
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


@dataclass(frozen=True, slots=True)
class ContactUpdated:
    """What ``contact.update`` and ``contact.updateCustomData`` answer: the contact's id and number,
    and the id of the action recorded in its history (None when nothing was recorded)."""

    id: int
    general: int | None
    action_id: int | None


def _updated(response: Response) -> ContactUpdated:
    contact = response.one("contact")
    return ContactUpdated(need_id(contact), ident(contact, "general"), ident(response, "actionid"))


def _contact_id(response: Response) -> int:
    return need_id(response.one("contact"))


def _which(function: str, id: int | None, userid: int | None, general: int | None) -> dict[str, Any]:
    which = drop_none({"id": id, "userid": userid, "general": general})
    if not which:
        raise ValueError(f"{function} needs id, userid or general")
    return which


def update(
    id: int | None = None,
    *,
    userid: int | None = None,
    general: int | None = None,
    silent: bool | None = None,
    name: str | None = None,
    last_name: str | None = None,
    mid_name: str | None = None,
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
    telegram_id: int | None = None,
    telegram_username: str | None = None,
    custom: Mapping[int, Any] | None = None,
    **fields: Any,
) -> Prepared[ContactUpdated]:
    """``contact.update``: only what is given changes; ``phones``, ``secondary_emails`` and the
    responsible lists given replace the stored ones (an empty list clears). ``isCompany`` cannot
    change. ``silent`` records no action and sends no notification."""
    telegram = drop_none({"id": telegram_id, "username": telegram_username}) or None
    contact = {
        **_which("contact.update", id, userid, general),
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
        "canBeWorker": can_be_worker,
        "canBeClient": can_be_client,
        "group": None if group_id is None else {"id": group_id},
        "customData": custom_params(custom),
        "responsible": people_params(responsible, responsible_groups),
        "telegram": telegram,
        **fields_of(fields),
    }
    return Prepared("contact.update", {"silent": silent, "contact": contact}, _updated)


def update_custom_data(
    id: int | None = None, *, general: int | None = None, custom: Mapping[int, Any]
) -> Prepared[ContactUpdated]:
    """``contact.updateCustomData``: only the custom fields given change."""
    if id is None and general is None:
        raise ValueError("contact.updateCustomData needs id or general")
    contact = {"id": id, "general": general, "customData": custom_params(custom)}
    return Prepared("contact.updateCustomData", {"contact": contact}, _updated)


@dataclass(frozen=True, slots=True)
class AccessResult:
    """What ``contact.managePlanfixAccess`` answers: the contact's id and where its access stands
    (``NOTICE_SEND``, ``NOTICE_RESEND``, ``ACCESS_CANCELED``, ``ACTIVE`` or ``UNACTIVE``)."""

    id: int
    status: str


def _access(response: Response) -> AccessResult:
    contact = response.one("contact")
    return AccessResult(need_id(contact), contact.text_of("status"))


def manage_planfix_access(
    id: int | None = None,
    *,
    grant: bool,
    userid: int | None = None,
    general: int | None = None,
    email: str | None = None,
) -> Prepared[AccessResult]:
    """``contact.managePlanfixAccess`` (administrators): ``grant=True`` invites the contact to sign
    in (``email`` is the login, used the first time only), ``grant=False`` closes its access."""
    contact = {
        **_which("contact.managePlanfixAccess", id, userid, general),
        "email": email,
        "havePlanfixAccess": grant,
    }
    return Prepared("contact.managePlanfixAccess", {"contact": contact}, _access)


def update_user_info(
    id: int | None = None,
    *,
    userid: int | None = None,
    general: int | None = None,
    password: str | None = None,
    status: str | None = None,
    email: str | None = None,
    jabber: str | None = None,
    pic: str | None = None,
    notify_by_email: bool | None = None,
    notify_by_jabber: bool | None = None,
    notify_by_planfix: bool | None = None,
) -> Prepared[int]:
    """``contact.updateUserInfo`` (administrators): the sign-in data of a contact that activated its
    access; ``status`` ACTIVE or UNACTIVE, ``pic`` a base64 image. Returns the contact id."""
    user = {
        "password": password,
        "status": status,
        "email": email,
        "jabber": jabber,
        "pic": pic,
        "notifyByEmail": notify_by_email,
        "notifyByJabber": notify_by_jabber,
        "notifyByPlanfix": notify_by_planfix,
    }
    contact = {**_which("contact.updateUserInfo", id, userid, general), "user": user}
    return Prepared("contact.updateUserInfo", {"contact": contact}, _contact_id)


def update_contractors(
    id: int, *, add: Sequence[int] | None = None, remove: Sequence[int] | None = None
) -> Prepared[int]:
    """``contact.updateContractors``: add the contact to the companies ``add`` and take it out of
    ``remove`` (company ids). Returns the contact id."""
    if not add and not remove:
        raise ValueError("contact.updateContractors needs companies to add or remove")
    contractors = drop_none(
        {
            "addClient": {"id": list(add)} if add else None,
            "delClient": {"id": list(remove)} if remove else None,
        }
    )
    params = {"contact": {"id": id, "contractors": contractors}}
    return Prepared("contact.updateContractors", params, _contact_id)


def delete(id: int | None = None, *, userid: int | None = None, general: int | None = None) -> Prepared[int]:
    """``contact.delete``. Returns the contact id."""
    contact = _which("contact.delete", id, userid, general)
    return Prepared("contact.delete", {"contact": contact}, _contact_id)


def _refs(container: str, item: str) -> Callable[[Response], list[Ref]]:
    def read(response: Response) -> list[Ref]:
        return [Ref(need_id(node), node.text_of("name")) for node in response.one(container).all(item)]

    return read


def get_phone_types() -> Prepared[list[Ref]]:
    """``contact.getPhoneTypes``: the ``typeId`` values phones take, with their names."""
    return Prepared("contact.getPhoneTypes", {}, _refs("phoneTypes", "phoneType"))


def get_group_list() -> Prepared[list[Ref]]:
    """``contact.getGroupList``: every contact group (``group_id`` of add/update)."""
    return Prepared("contact.getGroupList", {}, _refs("contactGroups", "group"))


@dataclass(frozen=True, slots=True)
class ContactFilter:
    """A contact filter usable as ``target`` of ``contact.getList``: a number, or ``:…``."""

    id: str
    name: str


def _filters(response: Response) -> list[ContactFilter]:
    return [
        ContactFilter(node.text_of("ID"), node.text_of("Name"))
        for node in response.one("contactFilterList").all("contactFilter")
    ]


def get_filter_list() -> Prepared[list[ContactFilter]]:
    """``contact.getFilterList``: the filters the caller may pass as ``target``."""
    return Prepared("contact.getFilterList", {}, _filters)
