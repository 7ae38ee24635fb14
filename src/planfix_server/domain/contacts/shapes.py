"""Response shapes of the contact functions (planfix-xml-api/21-contacts.md §4-8, §13-16).

``CONTACT`` is the card of ``contact.get`` (§7 order), ``CONTACT_LIST_ITEM`` a ``contact.getList``
item (§8 order). The two documented forms differ (the card has no ``facebook``/``vk``/``user``,
the list no ``midName``/``site``/``group``…); both emit the union, each in its documented order,
with the fields only one form documents placed where they fit. Clients parse by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planfix_server.domain.customfields.service import CustomValueView
from planfix_server.domain.customfields.shapes import CUSTOM_DATA
from planfix_server.wire.encode import Counted, IfPresent, Items, Leaf, Node, Optional, PageOf

SEXES = ("MALE", "FEMALE")
LANGUAGES = ("Ru", "En")
# What ``fields/field`` may ask for (contact.get, contact.getList).
EXTRA_FIELDS = ("lastUpdateDate", "lastCommentDate")


@dataclass(frozen=True, slots=True)
class Ref:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class PhoneView:
    number: str
    type_id: int
    type_name: str


@dataclass(frozen=True, slots=True)
class TelegramView:
    id: int | None
    username: str


@dataclass(frozen=True, slots=True)
class ContactUserView:
    """The sign-in side of a contact (``<user>``), shown to administrators only."""

    login: str
    role: str
    status: str
    email: str


@dataclass(frozen=True, slots=True)
class ResponsibleView:
    users: list[Ref] = field(default_factory=list)
    groups: list[Ref] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ContactView:
    id: int
    userid: int
    general: int
    template_id: int  # the template's ``general`` (0: none), as §7 says
    name: str
    mid_name: str
    last_name: str
    is_company: bool
    post: str
    email: str
    secondary_emails: list[str]
    phones: list[PhoneView]
    address: str
    description: str
    sex: str
    site: str
    skype: str
    facebook: str
    vk: str
    icq: str
    telegram_id: str  # the list form's ``telegramId`` text; empty when unknown
    telegram: TelegramView | None  # None: the contact has no Telegram data (no ``<telegram>``)
    user_pic: str
    birthdate: dt.date | None
    lang: str
    can_be_worker: bool
    can_be_client: bool
    group: Ref
    contractors: list[Ref]
    custom_data: list[CustomValueView]
    responsible: ResponsibleView
    have_planfix_access: bool | None  # None: not an administrator asking (element left out)
    user: ContactUserView | None  # likewise
    # ``fields`` extras: None = not asked (left out); "" = asked, no such date yet.
    last_update_date: dt.datetime | str | None = None
    last_comment_date: dt.datetime | str | None = None


def _ref(tag: str, attr: str | None = None) -> Node:
    return Node(tag, Leaf("id"), Leaf("name"), attr=attr)


_HEAD = (Leaf("id"), Leaf("userid"), Leaf("general"), Node("template", Leaf("id", "template_id")))
_PHONES = Items(
    "phones", Node("phone", Leaf("number"), Leaf("typeId", "type_id"), Leaf("typeName", "type_name"))
)
_SECONDARY_EMAILS = Items("secondaryEmails", "email", attr="secondary_emails")
_GROUP = _ref("group", "group")
_CONTRACTORS = Items("contractors", _ref("client"))
_ACCESS = Optional("havePlanfixAccess", "have_planfix_access")
_USER = IfPresent(
    "user", Node("user", Leaf("login"), Leaf("role"), Leaf("status"), Leaf("email"), attr="user")
)
_TELEGRAM = IfPresent("telegram", Node("telegram", Leaf("id"), Leaf("username"), attr="telegram"))
_RESPONSIBLE = Node(
    "responsible",
    Items("users", _ref("user")),
    Items("groups", _ref("group")),
    attr="responsible",
)
# Settable by add/update, documented in neither read form: after the documented elements.
_SETTINGS = (Leaf("lang"), Leaf("canBeWorker", "can_be_worker"), Leaf("canBeClient", "can_be_client"))
_EXTRAS = (
    Optional("lastUpdateDate", "last_update_date"),
    Optional("lastCommentDate", "last_comment_date"),
)

# Both read forms open with the same person's data, in the order the reference lists it.
_PERSON = (
    Leaf("name"),
    Leaf("midName", "mid_name"),
    Leaf("lastName", "last_name"),
    Leaf("isCompany", "is_company"),
    Leaf("post"),
    Leaf("email"),
    _SECONDARY_EMAILS,
    _PHONES,
    Leaf("address"),
    Leaf("description"),
    Leaf("sex"),
    Leaf("site"),
    Leaf("skype"),
    Leaf("facebook"),
    Leaf("vk"),
)

CONTACT = Node(
    "contact",
    *_HEAD,
    *_PERSON,
    Leaf("icq"),
    Leaf("userPic", "user_pic"),
    Leaf("birthdate"),
    _GROUP,
    _CONTRACTORS,
    _ACCESS,
    _USER,
    _TELEGRAM,
    CUSTOM_DATA,
    _RESPONSIBLE,
    *_SETTINGS,
    *_EXTRAS,
)

CONTACT_LIST_ITEM = Node(
    "contact",
    *_HEAD,
    *_PERSON,
    Leaf("telegramId", "telegram_id"),
    Leaf("icq"),
    Leaf("userPic", "user_pic"),
    Leaf("birthdate"),
    _GROUP,
    _ACCESS,
    _USER,
    _CONTRACTORS,
    CUSTOM_DATA,
    *_SETTINGS,
    *_EXTRAS,
)
CONTACTS = PageOf("contacts", CONTACT_LIST_ITEM)


# -- answers of the writing functions


@dataclass(frozen=True, slots=True)
class ContactWritten:
    """What the writing functions answer: the contact's numbers and the action they recorded."""

    id: int
    userid: int
    general: int
    actionid: int = 0


CONTACT_ADDED = (Node("contact", Leaf("id"), Leaf("userid"), Leaf("general")), Leaf("actionid"))
CONTACT_UPDATED = (Node("contact", Leaf("id"), Leaf("general")), Leaf("actionid"))
CONTACT_ID = (Node("contact", Leaf("id")),)
# §16: the skeleton shows only ``id``, the table also ``userid`` and ``general``: all three.
CONTACT_DELETED = (Node("contact", Leaf("id"), Leaf("userid"), Leaf("general")),)

PHONE_TYPES = Counted("phoneTypes", Node("phoneType", Leaf("id"), Leaf("name")))
CONTACT_GROUPS = PageOf("contactGroups", Node("group", Leaf("id"), Leaf("name")))
