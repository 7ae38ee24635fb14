"""Request declarations of the contact functions that write a contact (21-contacts.md §4-6, §13)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planfix_server.domain.contacts.shapes import SEXES
from planfix_server.domain.customfields.service import CustomValueIn
from planfix_server.wire.fields import Bool01, DateTime, Enum, Id, Int, Moment, Str, xml

# Lengths of the columns, so that a long value is 0015 on every database.
NAME_LENGTH, EMAIL_LENGTH, PHONE_LENGTH = 200, 254, 100
# People ids are read as plain integers: ``<users><id>0</id></users>`` empties a list, while an
# empty ``<users/>`` (template clients send them) leaves it alone, as in the project functions.
PERSON_ID = Int(minimum=0)


@dataclass(frozen=True, slots=True)
class PhoneIn:
    number: str | None = xml("number", Str(PHONE_LENGTH))
    type_id: int | None = xml("typeId", Int())
    type_name: str | None = xml("typeName", Str())


@dataclass(frozen=True, slots=True)
class ContactFields:
    """What contact.add and contact.update share (under ``<contact>``), legacy spellings included."""

    template: int | None = xml("contact/template", Id())
    name: str | None = xml("contact/name", Str(NAME_LENGTH))
    mid_name: str | None = xml("contact/midName", Str(NAME_LENGTH))
    last_name: str | None = xml("contact/lastName", Str(NAME_LENGTH))
    post: str | None = xml("contact/post", Str(200))
    email: str | None = xml("contact/email", Str(EMAIL_LENGTH))
    phones: Sequence[PhoneIn] | None = xml("contact/phones", many="phone", struct=PhoneIn)
    mobile_phone: str | None = xml("contact/mobilePhone", Str(PHONE_LENGTH))
    work_phone: str | None = xml("contact/workPhone", Str(PHONE_LENGTH))
    home_phone: str | None = xml("contact/homePhone", Str(PHONE_LENGTH))
    secondary_emails: Sequence[str] | None = xml("contact/secondaryEmails", Str(EMAIL_LENGTH), many="email")
    address: str | None = xml("contact/address", Str())
    description: str | None = xml("contact/description", Str())
    sex: str | None = xml("contact/sex", Enum(*SEXES))
    site: str | None = xml("contact/site", Str(500))
    skype: str | None = xml("contact/skype", Str(200))
    facebook: str | None = xml("contact/facebook", Str(500))
    vk: str | None = xml("contact/vk", Str(500))
    icq: str | None = xml("contact/icq", Str(50))
    birthdate: Moment | None = xml("contact/birthdate", DateTime())
    birthday: Moment | None = xml("contact/birthday", DateTime())
    lang: str | None = xml("contact/lang", Str(5))
    can_be_worker: bool | None = xml("contact/canBeWorker", Bool01())
    can_be_client: bool | None = xml("contact/canBeClient", Bool01())
    group_id: int | None = xml("contact/group/id", Id())
    custom_data: Sequence[CustomValueIn] | None = xml(
        "contact/customData", many="customValue", struct=CustomValueIn
    )
    responsible_users: Sequence[int] | None = xml("contact/responsible/users", PERSON_ID, many="id")
    responsible_groups: Sequence[int] | None = xml("contact/responsible/groups", PERSON_ID, many="id")


@dataclass(frozen=True, slots=True)
class ContactAdd(ContactFields):
    is_company: bool | None = xml("contact/isCompany", Bool01())


@dataclass(frozen=True, slots=True)
class ContactNumbers:
    """Which contact: ``id``, ``userid`` or ``general`` (21-contacts.md §1)."""

    id: int | None = xml("contact/id", Id())
    userid: int | None = xml("contact/userid", Id())
    general: int | None = xml("contact/general", Id())


@dataclass(frozen=True, slots=True)
class ContactUpdate(ContactFields):
    id: int | None = xml("contact/id", Id())
    userid: int | None = xml("contact/userid", Id())
    general: int | None = xml("contact/general", Id())
    telegram_id: int | None = xml("contact/telegram/id", Int(minimum=0))
    telegram_username: str | None = xml("contact/telegram/username", Str(200))


@dataclass(frozen=True, slots=True)
class ContactUpdateCustomData:
    id: int | None = xml("contact/id", Id())
    general: int | None = xml("contact/general", Id())
    custom_data: Sequence[CustomValueIn] | None = xml(
        "contact/customData", many="customValue", struct=CustomValueIn
    )
